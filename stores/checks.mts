/**
 * The argument rules both local stores enforce, as Pipedream documents its data stores and a
 * source's `$.service.db`. They live with the stores, not the library: the library checks its own
 * typed arguments before it calls a store, and these exist so that a component run locally fails
 * on what the platform does not promise (an empty key, a ttl of 0, a non-JSON value, a db over budget).
 */
import { describeNonJson } from "../lib/store/json.mjs";
import { SOURCE_DB_LIMIT_BYTES } from "../lib/store/source-db.mjs";

/** Keys are non-empty strings. */
export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== "string" || key === "") {
    throw new TypeError(`Data store keys must be non-empty strings; got ${JSON.stringify(key)}`);
  }
}

/** The documentation promises positive ttls in seconds; 0 and below are not promised, so refused. */
export function checkTtl(ttl: unknown): void {
  if (typeof ttl !== "number" || !Number.isFinite(ttl) || ttl <= 0) {
    throw new TypeError(`A ttl must be a positive number of seconds; got ${String(ttl)}. Use setTtl(key, null) to remove an expiry.`);
  }
}

/** Values are JSON data; returns the JSON text to store. */
export function dataStoreJson(value: unknown): string {
  const problem = describeNonJson(value);
  if (problem) throw new TypeError(`Data store values must be JSON: ${problem}`);
  return JSON.stringify(value);
}

/** A `$.service.db` value is JSON data; returns the JSON text to store. */
export function sourceDbJson(key: string, value: unknown): string {
  const problem = describeNonJson(value, `$.service.db "${key}"`);
  if (problem) throw new Error(`$.service.db holds JSON only: ${problem}`);
  return JSON.stringify(value);
}

/** What one `$.service.db` entry weighs: its key plus its JSON, in UTF-8 bytes. */
export function sourceDbEntryBytes(key: string, json: string): number {
  return Buffer.byteLength(key) + Buffer.byteLength(json);
}

/**
 * Refuses a `$.service.db` write that would take the db over its budget (60 KB unless a test
 * sets less): `otherBytes` is what every other entry weighs.
 */
export function checkSourceDbSize(otherBytes: number, key: string, json: string, limitBytes = SOURCE_DB_LIMIT_BYTES): void {
  const total = otherBytes + sourceDbEntryBytes(key, json);
  if (total > limitBytes) throw new Error(`$.service.db is limited to ${limitBytes} bytes; this write would make it ${total}`);
}
