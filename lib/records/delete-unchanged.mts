/**
 * Deleting records only if they still hold what was sent or copied: the last step of a move
 * (Export Records with deletion, Copy Records with Delete After Copy).
 */
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { FULL_DIGEST_LENGTH, valueDigest } from "../store/digest.mjs";

/** A whole SHA-256 of a value as sent: a collision would delete a record that changed. */
export function sentDigest(value: JsonValue): string {
  return valueDigest(value, FULL_DIGEST_LENGTH);
}

/**
 * Deletes each key of `sent` (key → `sentDigest` of what was sent) whose record still holds that
 * value; a record changed or gone since is kept and counted in `changed`. A `get` then a `delete`
 * per key, one key per request slot at a time. Between the two lies one round trip in which a
 * write would be lost: the store offers no compare-and-delete.
 */
export async function deleteUnchanged(store: DataStore, sent: Map<string, string>): Promise<{ deleted: number; changed: number }> {
  const counts = { deleted: 0, changed: 0 };
  await mapBounded(sent, async ([key, digest]) => {
    const current = await store.get(key);
    if (current === undefined || sentDigest(current) !== digest) {
      counts.changed += 1;
      return;
    }
    await store.delete(key);
    counts.deleted += 1;
  });
  return counts;
}
