/** Deleting records, and telling which were there to delete. */
import type { DataStore } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { isInternalKey } from "../store/reserved-keys.mjs";
import { keyFilter } from "./list-records.mjs";

export interface DeleteResult {
  /** Keys that held a record and were deleted, in the order given. */
  deleted: string[];
  /** Keys that held no record. */
  notFound: string[];
}

/** Deletes the given keys: a `has` per key, then `delete` for the ones found, a bounded number at once. */
export async function deleteRecords(store: DataStore, keys: readonly string[]): Promise<DeleteResult> {
  const found = await mapBounded(keys, async (key) => {
    if (!(await store.has(key))) return false;
    await store.delete(key);
    return true;
  });
  return {
    deleted: keys.filter((_, index) => found[index]),
    notFound: keys.filter((_, index) => !found[index]),
  };
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
