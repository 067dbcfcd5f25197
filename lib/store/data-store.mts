/**
 * The Pipedream data store, exactly as Pipedream documents it for Node.js, and nothing more.
 *
 * Every member is one network round trip on the platform, and no sequence of them is atomic:
 * two executions that read, modify and write the same key can lose one of the writes.
 * `entries()` exists on the platform but its shape is undocumented, so it is not part of this contract.
 */

/** A value a data store can hold: JSON data (no functions, class instances, Map, Set, undefined, NaN). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Options of `set`. */
export interface SetOptions {
  /** Seconds until the platform deletes the record; a positive number. Omit for a record without a new expiry. */
  ttl?: number;
}

export interface DataStore extends AsyncIterable<[string, JsonValue]> {
  /** The value under `key` (a copy), or `undefined` when the key is missing or expired. */
  get(key: string): Promise<JsonValue | undefined>;
  /** Inserts or replaces the record; with `ttl` it expires that many seconds from now. */
  set(key: string, value: JsonValue, options?: SetOptions): Promise<unknown>;
  /** Sets the expiry of an existing record to `seconds` from now; `null` makes it permanent. */
  setTtl(key: string, seconds: number | null): Promise<unknown>;
  /** Whether a live record exists under `key`. */
  has(key: string): Promise<boolean>;
  /** Deletes the record under `key`, if any. */
  delete(key: string): Promise<unknown>;
  /** Every live key, in no promised order. Transfers the whole key list: prefer iteration for large stores. */
  keys(): Promise<string[]>;
  /** Deletes every record. Irreversible. */
  clear(): Promise<unknown>;
  /** Every live `[key, value]` pair; the platform fetches them in pages, one round trip per page. */
  [Symbol.asyncIterator](): AsyncIterator<[string, JsonValue]>;
}
