/**
 * The last step of an export with deletion: one more paged pass over the store to check that each
 * delivered record still holds what was sent, then the deletes, with a bounded number in flight.
 * A page carries 128 records, so checking costs about 1/128 of a request per record, where a `get`
 * per record would cost 1.
 */
import type { DataStore } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { InvalidArgumentError, quote } from "../errors.mjs";
import { sentDigest } from "../records/delete-unchanged.mjs";

/** Deletes in flight when the caller does not say. */
export const DEFAULT_DELETE_CONCURRENCY = 20;
/** The most deletes in flight a caller may ask for: more would burst a request rate Pipedream does not document. */
export const MAX_DELETE_CONCURRENCY = 100;

/** Throws an InvalidArgumentError unless `concurrency` is a whole number from 1 to MAX_DELETE_CONCURRENCY. */
export function checkDeleteConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_DELETE_CONCURRENCY) {
    throw new InvalidArgumentError(
      "concurrency",
      `concurrency must be a whole number from 1 to ${MAX_DELETE_CONCURRENCY}; got ${quote(concurrency)}.`,
    );
  }
}

/**
 * Reads every record once with `for await` and deletes each key of `sent` (key → `sentDigest` of
 * what was delivered) whose record still holds that value, at most `concurrency` deletes in flight.
 * A record that changed, went, or was not seen by the pass (another writer's delete shifts the
 * pages) is kept and counted in `changed`. Nothing is deleted while the store is iterated.
 *
 * What remains: a write between a record's page being read and its delete is lost, because the
 * store has no compare-and-delete. That window is the rest of the pass plus the deletes queued
 * before the record's own.
 *
 * Store operations: one per page (128 records), plus one per deleted record.
 */
export async function deleteVerified(
  store: DataStore,
  sent: ReadonlyMap<string, string>,
  concurrency: number,
): Promise<{ deleted: number; changed: number }> {
  checkDeleteConcurrency(concurrency);
  if (sent.size === 0) return { deleted: 0, changed: 0 }; // no pass when nothing was delivered
  const unchanged = new Set<string>();
  const seenChanged = new Set<string>();
  for await (const [key, value] of store) {
    const digest = sent.get(key);
    if (digest === undefined || seenChanged.has(key)) continue;
    if (sentDigest(value) === digest) {
      unchanged.add(key);
    } else {
      // Seen changed, even once (a pager under other writers may show a key twice): keep it.
      unchanged.delete(key);
      seenChanged.add(key);
    }
  }
  let deleted = 0;
  await mapBounded(
    unchanged,
    async (key) => {
      await store.delete(key);
      deleted += 1;
    },
    concurrency,
  );
  return { deleted, changed: sent.size - deleted };
}
