/** Listing records: one pass over the store, never one request per key. */
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { isInternalKey } from "../store/reserved-keys.mjs";

export interface ListOptions {
  /** Only keys that start with this text; empty for all. */
  prefix?: string;
  /** At most this many, after sorting by key; undefined for all. */
  limit?: number;
  /** Also list the package's own state (keys under INTERNAL_KEY_PREFIX). Default false. */
  includeInternal?: boolean;
}

/**
 * Which keys a listing (or Delete All Records) covers: those starting with `prefix`, and the
 * package's own only when `includeInternal`, so a prefix such as "__dskit:" alone matches nothing.
 */
export function keyFilter(options: Pick<ListOptions, "prefix" | "includeInternal">): (key: string) => boolean {
  const prefix = options.prefix ?? "";
  return (key) => key.startsWith(prefix) && (options.includeInternal === true || !isInternalKey(key));
}

export interface ListedRecord {
  key: string;
  value: JsonValue;
}

/**
 * Records sorted by key (by UTF-16 code unit, the same on every machine), read with a single
 * `for await` pass: one round trip per page of records.
 */
export async function listRecords(store: DataStore, options: ListOptions = {}): Promise<ListedRecord[]> {
  const wanted = keyFilter(options);
  const records: ListedRecord[] = [];
  for await (const [key, value] of store) {
    if (wanted(key)) records.push({ key, value });
  }
  records.sort((a, b) => compareKeys(a.key, b.key));
  return options.limit === undefined ? records : records.slice(0, options.limit);
}

/** Keys sorted like `listRecords`, read with one `keys()` call and no values. */
export async function listKeys(store: DataStore, options: ListOptions = {}): Promise<string[]> {
  const keys = (await store.keys()).filter(keyFilter(options)).sort(compareKeys);
  return options.limit === undefined ? keys : keys.slice(0, options.limit);
}

/** Records of chosen keys: those that exist, in the order asked, and the keys that held no record. */
export interface ChosenRecords {
  records: ListedRecord[];
  missing: string[];
}

/**
 * The records under `keys`, in the order given (a key given twice is read once): one `get` per
 * key, STORE_CONCURRENCY at a time, so about keys/10 round trips of waiting. A pass over the store
 * would cost one request per 128 records, one page after another: fewer requests only when the
 * store holds under 128 records per key asked, which is unknown without a request first. Keys are
 * read as given, the package's own included.
 */
export async function listChosenRecords(store: DataStore, keys: readonly string[]): Promise<ChosenRecords> {
  const unique = [...new Set(keys)];
  const values = await mapBounded(unique, (key) => store.get(key));
  const records: ListedRecord[] = [];
  const missing: string[] = [];
  unique.forEach((key, index) => {
    const value = values[index];
    // A stored value is JSON, never undefined: undefined means no record (falsy values are records).
    if (value === undefined) missing.push(key);
    else records.push({ key, value });
  });
  return { records, missing };
}

/** Which of `keys` hold a record, in the order given, with one `has` per key (no values transferred), STORE_CONCURRENCY at a time. */
export async function listChosenKeys(store: DataStore, keys: readonly string[]): Promise<{ keys: string[]; missing: string[] }> {
  const unique = [...new Set(keys)];
  const found = await mapBounded(unique, (key) => store.has(key));
  return { keys: unique.filter((_, index) => found[index]), missing: unique.filter((_, index) => !found[index]) };
}

/** Code-unit order, independent of locale: how every listing and search sorts keys. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
