/**
 * What the dashboard's API routes share: the error shape, reading a JSON body, and turning a stored
 * record into its answer. Refusals are values a user can act on, naming the field.
 */
import type { Context } from "hono";
import { ConfigurationError } from "@pipedream/platform";
import { UsageError } from "../../lib/errors.mjs";
import { isInternalKey } from "../../lib/store/reserved-keys.mjs";
import type { StoredRecord } from "../../stores/browse-records.mjs";

/** An answer other than 200 with its message: 400 bad input, 404 nothing there, 409 already there. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: 400 | 404 | 409 | 413,
    message: string,
  ) {
    super(message);
  }
}

/** `{ error: { message } }` with the status an error stands for; the shared parsers' errors are 400. */
export function errorResponse(error: unknown, c: Context): Response {
  if (error instanceof ApiError) return c.json({ error: { message: error.message } }, error.status);
  if (error instanceof ConfigurationError || error instanceof UsageError) return c.json({ error: { message: error.message } }, 400);
  const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
  return c.json({ error: { message: `dskit ui failed: ${name}: ${message}` } }, 500);
}

/** The request's JSON object body; anything else is a 400. */
export async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "The request body must be a JSON object.");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError(400, "The request body must be a JSON object.");
  return body as Record<string, unknown>;
}

/** "true" (any case) or "1" turns a query option on; anything else, or nothing, leaves it off. */
export function queryFlag(value: string | undefined): boolean {
  return value !== undefined && ["true", "1"].includes(value.toLowerCase());
}

/** A value's JSON type, from the first character of its JSON text (the store writes it without spaces). */
export type ValueKind = "string" | "number" | "boolean" | "null" | "object" | "array";

function kindOf(json: string): ValueKind {
  switch (json[0]) {
    case '"':
      return "string";
    case "{":
      return "object";
    case "[":
      return "array";
    case "t":
    case "f":
      return "boolean";
    case "n":
      return "null";
    default:
      return "number";
  }
}

/** Characters of a preview before "…". */
export const PREVIEW_CHARS = 120;

/** The JSON text cut to PREVIEW_CHARS characters with "…", never in the middle of an emoji. */
export function previewOf(json: string): string {
  if (json.length <= PREVIEW_CHARS) return json;
  const cut = /[\uD800-\uDBFF]$/.test(json.slice(0, PREVIEW_CHARS)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
  return `${json.slice(0, cut)}…`;
}

/** Dates beyond this cannot be written as ISO text (a ttl far beyond the two-year maximum). */
const LAST_DATE_MS = 8.64e15;

/** What every record answer holds besides its value or preview: type, size and expiry. */
export function recordFacts(record: StoredRecord, now: number) {
  const expires = record.expiresAt !== null && record.expiresAt < LAST_DATE_MS ? record.expiresAt : null;
  return {
    key: record.key,
    type: kindOf(record.json),
    bytes: Buffer.byteLength(record.json),
    expiresAt: expires === null ? null : new Date(expires).toISOString(),
    ttlSeconds: expires === null ? null : Math.max(0, Math.ceil((expires - now) / 1000)),
    internal: isInternalKey(record.key),
  };
}

/** A record as the API answers it: its value and its facts. */
export function recordAnswer(record: StoredRecord, now: number) {
  const { key, type, bytes, expiresAt, ttlSeconds, internal } = recordFacts(record, now);
  return { key, value: JSON.parse(record.json) as unknown, type, bytes, expiresAt, ttlSeconds, internal };
}
