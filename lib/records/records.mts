/** Reading and writing single records, with expiry that means exactly what the user asked. */
import { InvalidArgumentError, quote, StoredValueError } from "../errors.mjs";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { mapBounded, STORE_CONCURRENCY } from "../store/concurrency.mjs";
import { checkTtlSeconds } from "../store/ttl.mjs";

/** A record ready to be written: its key, its value, and its expiry in seconds (null: none). */
export interface RecordToWrite {
  key: string;
  value: JsonValue;
  ttlSeconds: number | null;
}

/**
 * Writes one record so that it expires exactly as asked. Pipedream does not document whether
 * `set` without a ttl keeps an earlier expiry, so a permanent write to a key that may already
 * exist also sends `setTtl(key, null)`: one more request, skipped when the caller knows the key
 * was absent (`mayExist: false`). The two go out together (one round trip of latency): in either
 * order the record ends with no expiry, whichever way the platform treats `set`.
 */
export async function writeRecord(store: DataStore, record: RecordToWrite, mayExist = true): Promise<void> {
  const { key, value } = record;
  const ttlSeconds = checkTtlSeconds(record.ttlSeconds);
  if (ttlSeconds !== null) {
    await store.set(key, value, { ttl: ttlSeconds });
  } else if (mayExist) {
    await Promise.all([store.set(key, value), store.setTtl(key, null)]);
  } else {
    await store.set(key, value);
  }
}

/**
 * Writes many records, at most STORE_CONCURRENCY requests in flight (a permanent write sends two
 * at once, so half as many records). Returns their keys in input order.
 */
export async function writeRecords(store: DataStore, records: readonly RecordToWrite[]): Promise<string[]> {
  await mapBounded(records, (record) => writeRecord(store, record), STORE_CONCURRENCY / 2);
  return records.map((record) => record.key);
}

export interface GetRecordOptions {
  /** What `value` is when the key is missing; null when not given. */
  defaultValue?: JsonValue;
  /** Store `defaultValue` under the key when it is missing. */
  createIfMissing?: boolean;
  /** Expiry of a record created here, in seconds; null for none. */
  ttlSeconds?: number | null;
}

export interface GetRecordResult {
  key: string;
  found: boolean;
  value: JsonValue;
  created: boolean;
}

/** Reads a record. A stored null, 0, false or "" is found; only a missing key falls back to the default. */
export async function getRecord(store: DataStore, key: string, options: GetRecordOptions = {}): Promise<GetRecordResult> {
  const ttlSeconds = checkTtlSeconds(options.ttlSeconds);
  const stored = await store.get(key);
  if (stored !== undefined) return { key, found: true, value: stored, created: false };
  const value = options.defaultValue ?? null;
  if (!options.createIfMissing) return { key, found: false, value, created: false };
  await writeRecord(store, { key, value, ttlSeconds }, false);
  return { key, found: false, value, created: true };
}

/** Adds or replaces one record; `created` tells whether the key was new. */
export async function putRecord(store: DataStore, record: RecordToWrite): Promise<{ created: boolean }> {
  const existed = await store.has(record.key);
  await writeRecord(store, record, existed);
  return { created: !existed };
}

export interface AppendOptions {
  /** Keep only the newest this many items, a whole number of 1 or more; undefined keeps all. */
  maxLength?: number;
  ttlSeconds?: number | null;
}

/**
 * Appends `item` to the list stored under `key` (a missing key starts a new list) and returns the
 * list as stored. A record holding anything but a list, falsy values included, is refused unchanged.
 * Read-modify-write: two executions appending to one key at the same moment can lose an item.
 */
export async function appendToList(
  store: DataStore,
  key: string,
  item: JsonValue,
  options: AppendOptions = {},
): Promise<JsonValue[]> {
  const { maxLength } = options;
  if (maxLength !== undefined && (!Number.isSafeInteger(maxLength) || maxLength < 1)) {
    throw new InvalidArgumentError("maxLength", `maxLength must be a whole number of items, 1 or more; got ${quote(maxLength)}.`);
  }
  const ttlSeconds = checkTtlSeconds(options.ttlSeconds);
  const stored = await store.get(key);
  if (stored !== undefined && !Array.isArray(stored)) {
    throw new StoredValueError(
      key,
      "list",
      `The record ${quote(key)} holds ${describeStored(stored)}, not a list, so nothing can be appended to it. ` +
        `Use another key, or replace the record with a list first.`,
    );
  }
  const list = [...(stored ?? []), item];
  const kept = maxLength === undefined ? list : list.slice(-maxLength);
  await writeRecord(store, { key, value: kept, ttlSeconds }, stored !== undefined);
  return kept;
}

function describeStored(value: JsonValue): string {
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return `the ${typeof value === "string" ? "text" : typeof value} ${quote(value)}`;
}

/** Sets when an existing record expires (null: never) and tells whether it existed; a missing key stays missing. */
export async function updateTtl(store: DataStore, key: string, ttlSeconds: number | null): Promise<{ found: boolean }> {
  const seconds = checkTtlSeconds(ttlSeconds);
  if (!(await store.has(key))) return { found: false };
  await store.setTtl(key, seconds);
  return { found: true };
}
