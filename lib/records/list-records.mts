/** Listing records: one pass over the store, never one request per key. */
import type { DataStore, JsonValue } from "../store/data-store.mjs";
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

/** Code-unit order, independent of locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
