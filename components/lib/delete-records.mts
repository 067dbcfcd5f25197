/** Deleting records, and telling which were there to delete. */
import type { DataStore } from "./data-store.mjs";
import { mapBounded } from "./concurrency.mjs";

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

/**
 * Deletes every record, or with `prefix` every record whose key starts with it, and returns how
 * many keys were deleted. Without a prefix: one `keys()` to count, then one `clear()`.
 */
export async function deleteAllRecords(store: DataStore, prefix = ""): Promise<number> {
  const keys = await store.keys();
  if (prefix === "") {
    await store.clear();
    return keys.length;
  }
  const matching = keys.filter((key) => key.startsWith(prefix));
  await mapBounded(matching, (key) => store.delete(key));
  return matching.length;
}
