/**
 * Caching on a data store. `getOrSet` is cache-aside for any computed value; `cachedRequest`
 * caches HTTP responses under hashed keys, serving a stale copy when the upstream fails.
 */
import { createHash } from "node:crypto";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { InvalidArgumentError } from "../errors.mjs";
import { quoteFromServer, redactUrl, scrubSecrets, secretValuesOf } from "../http/http-request.mjs";
import { isTransientStatus, type HttpResponse } from "../http/http-response.mjs";
import { describeNonJson, isPlainObject } from "../store/json.mjs";
import { internalKey } from "../store/reserved-keys.mjs";
import { writeRecord } from "../records/records.mjs";
import { checkTtlSeconds, MAX_TTL_SECONDS } from "../store/ttl.mjs";

/** How long a response is kept after it goes stale, to be served when the upstream fails. */
export const STALE_KEEP_SECONDS = 86_400;

/** Computations under way in this process, so concurrent misses of one key compute it once. */
const inFlight = new WeakMap<DataStore, Map<string, Promise<JsonValue>>>();

/**
 * The value under `key`, or else `compute()`'s value, stored for `ttlSeconds` (null: for good)
 * and returned. Concurrent calls in one process for the same missing key share one computation.
 */
export async function getOrSet<T extends JsonValue>(
  store: DataStore,
  key: string,
  ttlSeconds: number | null,
  compute: () => T | Promise<T>,
): Promise<T> {
  const ttl = checkTtlSeconds(ttlSeconds);
  const cached = await store.get(key);
  if (cached !== undefined) return cached as T;
  let pending = inFlight.get(store);
  if (!pending) inFlight.set(store, (pending = new Map()));
  const running = pending.get(key);
  if (running) return (await running) as T;
  const computing = (async () => {
    const value = await compute();
    const problem = describeNonJson(value, "the computed value");
    if (problem) throw new TypeError(`getOrSet cannot store ${problem}`);
    await writeRecord(store, { key, value, ttlSeconds: ttl }, false);
    return value;
  })();
  pending.set(key, computing);
  try {
    return (await computing) as T;
  } finally {
    pending.delete(key);
  }
}

export type CacheableMethod = "GET" | "HEAD" | "POST";

export interface HttpRequest {
  method: CacheableMethod;
  url: string;
  headers: Record<string, string>;
  params: Record<string, string>;
  body?: JsonValue;
}

export interface CachedRequestOptions {
  /** Serve a cached 2xx response for this many seconds without a request. */
  ttlSeconds: number;
  /** Cache under this name (hashed) instead of a hash of the request. */
  cacheKey?: string;
  /** On a failed refresh (timeout, dropped connection, 408, 429, 5xx) serve the last good response. */
  staleIfError: boolean;
  nowMs?: number;
}

export interface CachedResponse {
  status: number;
  data: JsonValue;
  /** Served from the cache without a request. */
  cached: boolean;
  /** Served from the cache because the upstream failed. */
  stale: boolean;
  /** Seconds since the response was fetched. */
  ageSeconds: number;
}

/**
 * A non-2xx answer that was not served from the cache. It quotes at most 200 characters of the
 * body (which helps: `{"error":"invalid key"}`) and the Location of a 3xx, with the query values
 * of a quoted URL redacted and every exact occurrence of the request's header and query values
 * scrubbed, since a server may echo the request. It keeps no copy of the body itself.
 */
export class HttpStatusError extends Error {
  override name = "HttpStatusError";
  /** The start of the body as text, secrets scrubbed ("" when there was none). */
  readonly body: string;
  /** A 3xx's Location, query values redacted and secrets scrubbed. */
  readonly location: string | undefined;

  constructor(
    readonly status: number,
    data: unknown,
    options: { location?: string; secrets?: readonly string[] } = {},
  ) {
    const secrets = options.secrets ?? [];
    const body = describeBody(data, secrets);
    const location = options.location === undefined || options.location.trim() === "" ? undefined : redactUrl(scrubSecrets(options.location.trim(), secrets));
    super(
      status >= 300 && status <= 399
        ? `The request failed with HTTP ${status}${location === undefined ? "" : `, a redirect to ${location}`}: redirects are not followed, so use the final address.`
        : `The request failed with HTTP ${status}${body === "" ? "" : `: ${body}`}`,
    );
    this.body = body;
    this.location = location;
  }
}

interface CacheEntry {
  status: number;
  data: JsonValue;
  storedAtMs: number;
}

/**
 * Sends `request` through `send` unless a fresh response is cached. Only 2xx responses are
 * stored, under a key that is a SHA-256 hash, and only their status and body: never the URL or
 * headers, which can hold credentials. A 3xx fails (redirects are not followed: see
 * HttpStatusError) and is never covered by a stale copy: the URL is wrong, not the upstream down.
 * 1 round trip on a hit, 2 on a miss.
 */
export async function cachedRequest(
  store: DataStore,
  request: HttpRequest,
  send: (request: HttpRequest) => Promise<HttpResponse>,
  options: CachedRequestOptions,
): Promise<CachedResponse> {
  const ttlSeconds = checkTtlSeconds(options.ttlSeconds);
  if (ttlSeconds === null) {
    throw new InvalidArgumentError("ttlSeconds", "ttlSeconds must be 1 or more: a cached response needs a lifetime.");
  }
  const key = requestCacheKey(request, options.cacheKey);
  const entry = readEntry(await store.get(key));
  const nowMs = options.nowMs ?? Date.now();
  const ageSeconds = entry ? Math.max(0, Math.floor((nowMs - entry.storedAtMs) / 1000)) : 0;
  if (entry && nowMs - entry.storedAtMs < ttlSeconds * 1000) {
    return { status: entry.status, data: entry.data, cached: true, stale: false, ageSeconds };
  }
  const serveStale = (): CachedResponse | undefined =>
    options.staleIfError && entry ? { status: entry.status, data: entry.data, cached: true, stale: true, ageSeconds } : undefined;
  let response: HttpResponse;
  try {
    response = await send(request);
  } catch (error) {
    const stale = serveStale();
    if (stale) return stale;
    throw error;
  }
  if (response.status < 200 || response.status > 299) {
    const stale = isTransientStatus(response.status) ? serveStale() : undefined;
    if (stale) return stale;
    throw new HttpStatusError(response.status, response.data, { location: response.headers.location, secrets: secretValuesOf(request) });
  }
  const data = (response.data ?? null) as JsonValue;
  if (describeNonJson(data) === undefined) {
    const keepSeconds = ttlSeconds + (options.staleIfError ? STALE_KEEP_SECONDS : 0);
    const entry = { status: response.status, data, storedAtMs: nowMs } satisfies CacheEntry;
    await store.set(key, entry, { ttl: Math.min(keepSeconds, MAX_TTL_SECONDS) });
  }
  return { status: response.status, data, cached: false, stale: false, ageSeconds: 0 };
}

/** The internal key of a request: a SHA-256 of the method, URL, params, headers and body, or of `cacheKey`. */
export function requestCacheKey(request: HttpRequest, cacheKey?: string): string {
  const identity =
    cacheKey !== undefined
      ? { cacheKey }
      : {
          method: request.method,
          url: request.url,
          params: sortedEntries(request.params),
          headers: sortedEntries(request.headers, (name) => name.toLowerCase()),
          body: request.body ?? null,
        };
  return internalKey("cache", createHash("sha256").update(JSON.stringify(identity)).digest("hex"));
}

function readEntry(value: JsonValue | undefined): CacheEntry | undefined {
  if (!isPlainObject(value)) return undefined;
  const { status, data, storedAtMs } = value;
  if (typeof status !== "number" || typeof storedAtMs !== "number" || data === undefined) return undefined;
  return { status, data, storedAtMs };
}

function sortedEntries(record: Record<string, string>, name = (text: string) => text): [string, string][] {
  return Object.entries(record)
    .map(([key, value]): [string, string] => [name(key), value])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function describeBody(data: unknown, secrets: readonly string[]): string {
  if (data === undefined || data === null || data === "") return "";
  let text: string;
  try {
    text = typeof data === "string" ? data : (JSON.stringify(data) ?? "");
  } catch {
    text = ""; // not serializable (a cycle): nothing worth quoting
  }
  return quoteFromServer(text, secrets);
}
