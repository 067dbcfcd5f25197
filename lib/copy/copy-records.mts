/**
 * Copying records from one data store to another, optionally as a move.
 *
 * - The source is read once with `for await` (one request per page of records) and is never
 *   changed while it is iterated: the paged iterator would skip records.
 * - What the target holds is read with ONE `keys()` call (when it matters: Existing `skip`, or a
 *   permanent copy that must clear an old expiry), not one `has` per record: 1 request instead of
 *   one per source record (test/library/copy-records.test.mts counts both). It is a snapshot: a
 *   record created in the target during the copy can still be overwritten, as the store offers no
 *   compare-and-set.
 * - Copies are written in batches of 100 with at most STORE_CONCURRENCY requests in flight, so
 *   memory holds one batch of values, not the store.
 * - A move deletes after the pass, only records whose copy was written, and only when the record
 *   still holds what was copied (compared by a whole SHA-256, as Export Records does): a record
 *   changed meanwhile is kept. Between that check and the delete lies one round trip in which a
 *   write would be lost: the store has no compare-and-delete.
 * - The package's own `__dskit:` records are never copied.
 */
import { InvalidArgumentError, quote } from "../errors.mjs";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { mapBounded, STORE_CONCURRENCY } from "../store/concurrency.mjs";
import { checkTtlSeconds } from "../store/ttl.mjs";
import { keyFilter } from "../records/list-records.mjs";
import { deleteUnchanged, sentDigest } from "../records/delete-unchanged.mjs";
import { writeRecord } from "../records/records.mjs";
import { isDataStore, isSameDataStore } from "./store-pair.mjs";

/** What to do with a record the target already has: keep it, or replace it with the copy. */
export const EXISTING_MODES = ["skip", "overwrite"] as const;
export type ExistingMode = (typeof EXISTING_MODES)[number];

/** Records written per batch: bounds the values in memory while the source is read. */
const COPY_BATCH_SIZE = 100;

export interface CopyOptions {
  /** Only keys that start with this text; empty for all. */
  prefix?: string;
  /** `skip` (default): keep a target record that already exists; `overwrite`: replace it. */
  existing?: ExistingMode;
  /** Delete each source record once its copy was written, if it did not change meanwhile. Default false. */
  deleteAfterCopy?: boolean;
  /** Expiry of the copies in whole seconds; null, undefined or 0 for none (the source's own expiry cannot be read). */
  ttlSeconds?: number | null;
}

export interface CopyResult {
  copied: number;
  /** Records not copied because the target already had the key (Existing `skip`). */
  skippedExisting: number;
  /** Source records deleted after their copy was written (Delete After Copy). */
  deleted: number;
}

/** The result, with the copied records a move kept because they changed (or went) after they were copied. */
export interface CopyReport extends CopyResult {
  keptChanged: number;
}

/**
 * Copies the user records of `source` (keys starting with `prefix`) into `target`. Refuses, with
 * an InvalidArgumentError (argument `target`), a target that is the source itself (see
 * isSameDataStore: 3 requests when the two are different objects). Requests: that check, 1
 * `keys()` of the target when needed, 1 per page of the source, 1 per copy (2 for a permanent
 * copy over an existing record), and a `get` and a `delete` per record a move deletes.
 */
export async function copyRecords(source: DataStore, target: DataStore, options: CopyOptions = {}): Promise<CopyReport> {
  if (!isDataStore(source)) throw new InvalidArgumentError("source", `source must be a data store; got ${quote(source)}.`);
  if (!isDataStore(target)) throw new InvalidArgumentError("target", `target must be a data store; got ${quote(target)}.`);
  const { existing = "skip", deleteAfterCopy = false } = options;
  if (!(EXISTING_MODES as readonly unknown[]).includes(existing)) {
    throw new InvalidArgumentError("existing", `existing must be "skip" or "overwrite"; got ${quote(existing)}.`);
  }
  if (typeof deleteAfterCopy !== "boolean") {
    throw new InvalidArgumentError("deleteAfterCopy", `deleteAfterCopy must be true or false; got ${quote(deleteAfterCopy)}.`);
  }
  if (options.prefix !== undefined && typeof options.prefix !== "string") {
    throw new InvalidArgumentError("prefix", `prefix must be text; got ${quote(options.prefix)}.`);
  }
  const ttlSeconds = checkTtlSeconds(options.ttlSeconds);
  if (await isSameDataStore(source, target)) {
    throw new InvalidArgumentError(
      "target",
      "The target is the same data store as the source: a copy onto itself changes nothing but expiries, and a move would " +
        "delete every record it copied. Choose a different target data store.",
    );
  }

  const wanted = keyFilter({ prefix: options.prefix });
  // Skip mode must know what exists; a permanent copy over an existing record must also clear its expiry.
  const needsTargetKeys = existing === "skip" || ttlSeconds === null;
  const inTarget = needsTargetKeys ? new Set((await target.keys()).filter(wanted)) : undefined;
  // A permanent copy over an existing record sends set and setTtl at once: half as many records in flight.
  const concurrency = existing === "overwrite" && ttlSeconds === null ? STORE_CONCURRENCY / 2 : STORE_CONCURRENCY;
  const report: CopyReport = { copied: 0, skippedExisting: 0, deleted: 0, keptChanged: 0 };
  /** Key → whole SHA-256 of the value copied, for a move (a collision would delete a changed record). */
  const copiedDigests = new Map<string, string>();

  const writeBatch = async (batch: [string, JsonValue][]): Promise<void> => {
    await mapBounded(batch, ([key, value]) => writeRecord(target, { key, value, ttlSeconds }, inTarget?.has(key) ?? true), concurrency);
    report.copied += batch.length;
    if (deleteAfterCopy) for (const [key, value] of batch) copiedDigests.set(key, sentDigest(value));
  };

  let batch: [string, JsonValue][] = [];
  for await (const [key, value] of source) {
    if (!wanted(key)) continue;
    if (existing === "skip" && inTarget!.has(key)) {
      report.skippedExisting += 1;
      continue;
    }
    batch.push([key, value]);
    if (batch.length === COPY_BATCH_SIZE) {
      await writeBatch(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writeBatch(batch);

  const { deleted, changed } = await deleteUnchanged(source, copiedDigests);
  report.deleted += deleted;
  report.keptChanged += changed;
  return report;
}
