/** Deleting records, and telling which were there to delete. */
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { isInternalKey } from "../store/reserved-keys.mjs";
import { keyFilter } from "./list-records.mjs";

export interface DeleteResult {
  /** Keys that held a record and were deleted, in the order given. */
  deleted: string[];
  /** Keys that held no record. */
  notFound: string[];
  /**
   * With `returnValues`: each deleted record's value as read just before its deletion, in the order
   * of `deleted`. A prototype-less object, so a key such as `__proto__` is an ordinary member.
   */
  values?: Record<string, JsonValue>;
}

export interface DeleteOptions {
  /** Also return the deleted values (a `get` instead of a `has` per key: same request count). Default false. */
  returnValues?: boolean;
}

/**
 * Deletes the given keys: a `has` per key (a `get` with `returnValues`), then `delete` for the ones
 * found, a bounded number of keys at once: 2 requests per key found, 1 per key not found.
 */
export async function deleteRecords(store: DataStore, keys: readonly string[], options: DeleteOptions = {}): Promise<DeleteResult> {
  const returnValues = options.returnValues === true;
  // Per key: undefined when there was no record, else the value (null stands in when not asked for).
  const found = await mapBounded(keys, async (key): Promise<JsonValue | undefined> => {
    const value = returnValues ? await store.get(key) : (await store.has(key)) ? null : undefined;
    if (value === undefined) return undefined;
    await store.delete(key);
    return value;
  });
  const deleted = keys.filter((_, index) => found[index] !== undefined);
  const notFound = keys.filter((_, index) => found[index] === undefined);
  if (!returnValues) return { deleted, notFound };
  const values: Record<string, JsonValue> = Object.create(null) as Record<string, JsonValue>;
  keys.forEach((key, index) => {
    const value = found[index];
    if (value !== undefined) values[key] = value;
  });
  return { deleted, notFound, values };
}

export interface DeleteAllOptions {
  /**
   * Also delete the package's own records (keys under INTERNAL_KEY_PREFIX): counter parts, rate
   * limiter state, deduplication markers, cached responses. Resets all of them. Default false.
   */
  includeInternal?: boolean;
}

export interface DeleteAllResult {
  /** The user's records deleted. */
  deleted: number;
  /** The package's own records deleted; 0 unless `includeInternal`. */
  internalDeleted: number;
}

/**
 * Deletes every user record, or with `prefix` every one whose key starts with it, and counts them.
 * One `keys()`, then a `delete` per key, a bounded number at once: `clear()` would also wipe the
 * package's state (a counter's parts, a limiter) that sits in the same store. Only with
 * `includeInternal` and no prefix, when everything goes anyway, is it one `clear()`.
 */
export async function deleteAllRecords(
  store: DataStore,
  prefix = "",
  options: DeleteAllOptions = {},
): Promise<DeleteAllResult> {
  const includeInternal = options.includeInternal === true;
  const matching = (await store.keys()).filter(keyFilter({ prefix, includeInternal }));
  const internalDeleted = matching.filter(isInternalKey).length;
  if (includeInternal && prefix === "") await store.clear();
  else await mapBounded(matching, (key) => store.delete(key));
  return { deleted: matching.length - internalDeleted, internalDeleted };
}
