/**
 * Noticing what changed in a data store between two polls, for the sources. A source remembers
 * the keys it has seen and (to notice updates) a short digest of each value, never the values, in
 * shards kept in the watched store itself (state-shards.mts, watch-state.mts); its `$.service.db`
 * holds a small header. Every poll is one pass over the store: `keys()` when values are not
 * needed, one `for await` pass when they are (updates); it reads only the shards whose content
 * differs from what the pass found, writes only the shards that changed, and for new records
 * `get`s each new key.
 *
 * Which store the state belongs to: stores have no documented id, so at each baseline the source
 * writes a marker record `__dskit:source:<source id>` holding a random baseline id into the store
 * it watches, and keeps both ids in its db. `activate` (deploy, and every change of props) finds
 * the marker with that value, or takes a new baseline: another store, or one cleared meanwhile.
 */
import { createHash, randomBytes } from "node:crypto";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { valueDigest } from "../store/digest.mjs";
import { SOURCE_DB_LIMIT_BYTES, type SourceDb } from "../store/source-db.mjs";
import { internalKey, isInternalKey } from "../store/reserved-keys.mjs";
import { eventId, pendingTag } from "./event-ids.mjs";
import { ShardedRecords, shardOf } from "./state-shards.mjs";
import {
  deleteStale,
  loadSaved,
  readShard,
  saveHeader,
  SourceCapacityError,
  stateRecordKeys,
  stateRecordPrefix,
  UNKNOWN_SHARD,
  writeShards,
  type LegacyState,
  type RecordChange,
  type WatchHeader,
  type WatchKind,
} from "./watch-state.mjs";

export type { Change, RecordChange, WatchKind } from "./watch-state.mjs";
export { EVENT_ID_MAX_LENGTH } from "./event-ids.mjs";
export { MAX_SHARDS, STATE_RECORD_LIMIT_BYTES } from "./state-shards.mjs";
export { stateRecordPrefix } from "./watch-state.mjs";

/** Thrown when the state would not fit: past MAX_SHARDS records of 50 KB (about a million keys). */
export { SourceCapacityError };

/** The db a source keeps its header in, and the budget the header must fit. */
export { SOURCE_DB_LIMIT_BYTES, type SourceDb };

/**
 * The most events a poll emits before saving its state. Pipedream's `unique` dedupe remembers the
 * last 100 ids, so a retried poll re-emits at most one batch and dedupe still drops all of it.
 */
export const EMIT_BATCH_SIZE = 100;

/**
 * Values New or Updated Record keeps from its pass until it emits, in bytes of JSON. Past this,
 * a changed record's value is read again with `get`, so memory stays bounded on any store.
 */
const VALUE_BUDGET_BYTES = 16 * 1024 * 1024;

/** The key of the marker record a source keeps in the store it watches. */
export function sourceMarkerKey(sourceId: string): string {
  return internalKey("source", sourceId);
}

/** What a test or a tool may want to know of a saved state, without reading the store. */
export interface WatchStateSummary {
  epoch: number;
  source: string;
  /** The keys of the state records the header names, one per non-empty shard. */
  stateRecords: string[];
  shardCount: number;
}

/** The saved state's header as a summary, or undefined before a baseline (or for a legacy state). */
export function watchStateSummary(db: SourceDb): WatchStateSummary | undefined {
  const saved = loadSaved(db);
  if (!saved || !("header" in saved)) return undefined;
  const { epoch, source, shards } = saved.header;
  return { epoch, source, stateRecords: stateRecordKeys(source, shards), shardCount: shards.length };
}

/**
 * Records the store as it is now, so that existing records are not emitted (the deploy hook, and
 * `activate` on another store), and marks the store as this baseline's; returns the count of keys.
 */
export async function recordBaseline(store: DataStore, db: SourceDb, kind: WatchKind): Promise<number> {
  const saved = loadSaved(db);
  const previous = saved && ("header" in saved ? saved.header : saved.legacy);
  const source = previous?.source ?? randomId();
  const { current, stateKeys } = await listStore(store, kind, source, 1, false);
  current.fit(); // throws SourceCapacityError before anything is written
  for (let index = 0; index < current.count; index++) current.markChanged(index);
  const { names } = await writeShards(store, source, current, []);
  const baseline = randomId();
  await store.set(sourceMarkerKey(source), baseline);
  // A redeploy keeps counting polls, so its events never reuse ids that dedupe may still remember.
  saveHeader(db, { epoch: previous?.epoch ?? 0, source, baseline, shards: names });
  await deleteStale(store, stateKeys, stateRecordKeys(source, names));
  return current.size;
}

/**
 * The activate hook, which Pipedream runs after deploy and whenever the source's props change:
 * when the watched store does not hold this source's marker with its baseline id (another store,
 * or the same one cleared), takes a new baseline there. Returns whether it took one.
 */
export async function activateWatch(store: DataStore, db: SourceDb, kind: WatchKind): Promise<boolean> {
  const saved = loadSaved(db);
  if (!saved) {
    await recordBaseline(store, db, kind);
    return true;
  }
  const ids = "header" in saved ? saved.header : saved.legacy;
  if (ids.source === undefined || ids.baseline === undefined) {
    // A state saved before markers existed: adopt the store it watches rather than lose its changes.
    await adoptLegacy(store, db, kind, "legacy" in saved ? saved.legacy : { epoch: 0, records: {} });
    return false;
  }
  if ((await store.get(sourceMarkerKey(ids.source))) === ids.baseline) return false;
  await recordBaseline(store, db, kind);
  return true;
}

/**
 * One poll: compares the store with the saved state, emits the changes of `kind` with their event
 * ids, and saves the new state. More than EMIT_BATCH_SIZE changes are emitted in batches (in shard
 * order, so each batch touches few shards), the state saved before each batch (naming the batch's
 * events) and after the last, so a poll that fails half-way is retried from the last saved batch
 * and emits that batch first. Without a saved state (no deploy), it records a baseline and returns
 * nothing. Returns the number of changes emitted.
 */
export async function pollChanges(
  store: DataStore,
  db: SourceDb,
  kind: WatchKind,
  emit: (change: RecordChange, id: string) => Promise<void> | void,
): Promise<number> {
  const saved = loadSaved(db);
  if (!saved) {
    await recordBaseline(store, db, kind);
    return 0;
  }
  const withDigests = kind === "created-or-updated";
  const previous = openPrevious(store, saved, withDigests);
  const { source, baseline } = previous;
  const epoch = previous.epoch + 1;
  const listing = await listStore(store, kind, source, previous.names.length, withDigests);
  const { current } = listing;
  const listed = new Set(listing.stateKeys);
  // State records gone: a cleared store lost its marker too, so what it held before is gone and the
  // previous state is empty; with the marker still there, records were removed by hand: start again.
  const lost = stateRecordKeys(source, previous.names).some((key) => !listed.has(key));
  if (lost && listing.markerSeen) return rebaseline(store, db, kind);

  const differing: number[] = [];
  for (let index = 0; index < current.count; index++) if (lost || current.serialize(index).name !== previous.names[index]) differing.push(index);
  const before = await mapBounded(differing, (index) => (lost ? Promise.resolve(new Map<string, string>()) : previous.shard(index)));
  if (before.some((shard) => shard === undefined)) return rebaseline(store, db, kind); // removed since the listing

  const progress = current.clone(); // shards that do not differ are the saved ones
  const changes: RecordChange[] = [];
  const savedDigests = new Map<string, string>();
  differing.forEach((index, n) => {
    const old = before[n]!;
    const now = current.shard(index);
    if (kind === "deleted") {
      for (const key of [...old.keys()].sort()) if (!now.has(key)) changes.push({ key, change: "deleted" });
    } else {
      for (const key of [...now.keys()].sort()) {
        const was = old.get(key);
        if (was === undefined) changes.push({ key, change: "created" });
        else if (was !== now.get(key)) {
          changes.push({ key, change: "updated" });
          savedDigests.set(key, was);
        }
      }
    }
    progress.replaceShard(index, old); // before any event: the saved shard
    current.markChanged(index);
  });
  const found = await withValues(store, changes, listing.values, current, savedDigests);
  current.fit(); // before emitting: an error must not follow events that no saved state remembers
  // A cleared store lost the marker too: put it back, so that a later change of props keeps this state.
  if (!listing.markerSeen) await store.set(sourceMarkerKey(source), baseline);

  const events = inFlightFirst(
    found.map((change) => ({ change, id: eventId(epoch, change.change, change.key, change.value) })),
    previous.pending,
  );
  let names = previous.names;
  const written: string[] = [];
  const save = async (records: ShardedRecords, header: Pick<WatchHeader, "epoch" | "pending">) => {
    const result = await writeShards(store, source, records, names);
    names = result.names;
    written.push(...result.written);
    saveHeader(db, { ...header, source, baseline, shards: names });
  };
  if (events.length > EMIT_BATCH_SIZE) {
    // Each saved state holds what was emitted so far and keeps the poll's epoch unsaved, so a retry
    // gives the same ids. A shard whose events are all emitted takes its final content at once, so
    // it is written once; only the shard a batch ends in is written twice.
    const remaining = new Map<number, number>();
    for (const { change } of events) remaining.set(shardOf(change.key, progress.count), (remaining.get(shardOf(change.key, progress.count)) ?? 0) + 1);
    const complete = (index: number) => {
      if (current.count === progress.count) progress.replaceShard(index, current.shard(index)); // else the final save rewrites all
    };
    for (const index of differing) if (!remaining.has(index)) complete(index);
    for (let start = 0; start < events.length; start += EMIT_BATCH_SIZE) {
      const batch = events.slice(start, start + EMIT_BATCH_SIZE);
      await save(progress, { epoch: previous.epoch, pending: batch.map(({ id }) => pendingTag(id)) });
      for (const { change, id } of batch) {
        await emit(change, id);
        if (change.change === "deleted") progress.delete(change.key);
        else progress.set(change.key, current.get(change.key)!);
        const index = shardOf(change.key, progress.count);
        const left = remaining.get(index)! - 1;
        remaining.set(index, left);
        if (left === 0) complete(index);
      }
    }
  } else {
    for (const { change, id } of events) await emit(change, id);
  }
  await save(current, { epoch });
  await deleteStale(store, [...listing.stateKeys, ...written, ...stateRecordKeys(source, previous.names)], stateRecordKeys(source, names));
  return events.length;
}

/** The saved state to compare with: its ids, poll count, shard names, and a reader for each shard. */
function openPrevious(store: DataStore, saved: { header: WatchHeader } | { legacy: LegacyState }, withDigests: boolean) {
  if ("header" in saved) {
    const { header } = saved;
    return { ...header, names: header.shards, shard: (index: number) => readShard(store, header.source, index, header.shards[index]!, withDigests) };
  }
  // A legacy state is one shard held in memory; the first save writes it to the store as shards.
  const { legacy } = saved;
  const records = new Map(Object.entries(legacy.records).map(([key, digest]) => [key, withDigests ? digest : ""]));
  return {
    epoch: legacy.epoch,
    source: legacy.source ?? randomId(),
    baseline: legacy.baseline ?? randomId(),
    pending: undefined as string[] | undefined,
    names: [UNKNOWN_SHARD],
    shard: () => Promise.resolve(records as Map<string, string> | undefined),
  };
}

interface Listing {
  /** The user's records now (digests "" where values are not watched), in `count` shards. */
  current: ShardedRecords;
  /** Values read by the pass (created-or-updated), within VALUE_BUDGET_BYTES. */
  values: Map<string, JsonValue>;
  markerSeen: boolean;
  /** This source's state records in the store. */
  stateKeys: string[];
}

/** One pass over the store: `keys()`, or `for await` when values are watched. */
async function listStore(store: DataStore, kind: WatchKind, source: string, count: number, keepValues: boolean): Promise<Listing> {
  const withDigests = kind === "created-or-updated";
  const listing: Listing = { current: new ShardedRecords(count, withDigests), values: new Map(), markerSeen: false, stateKeys: [] };
  const marker = sourceMarkerKey(source);
  const statePrefix = stateRecordPrefix(source);
  const isPackageState = (key: string) => {
    if (key === marker) listing.markerSeen = true;
    else if (key.startsWith(statePrefix)) listing.stateKeys.push(key);
    return isInternalKey(key);
  };
  if (withDigests) {
    let valueBytes = 0;
    for await (const [key, value] of store) {
      if (isPackageState(key)) continue;
      const json = JSON.stringify(value);
      listing.current.set(key, jsonDigest(json));
      valueBytes += json.length;
      if (keepValues && valueBytes <= VALUE_BUDGET_BYTES) listing.values.set(key, value);
    }
  } else {
    for (const key of await store.keys()) if (!isPackageState(key)) listing.current.set(key, "");
  }
  listing.current.markSaved();
  return listing;
}

/**
 * The changes with their values: from the pass, else one `get` each (new records, and changed ones
 * past the value budget). A key gone since the pass is left out of the state, so that it counts as
 * new when it comes back; a value changed back to the saved one since the pass is no update.
 */
async function withValues(
  store: DataStore,
  changes: RecordChange[],
  values: Map<string, JsonValue>,
  current: ShardedRecords,
  savedDigests: Map<string, string>,
): Promise<RecordChange[]> {
  const toRead = changes.filter(({ key, change }) => change !== "deleted" && !values.has(key)).map(({ key }) => key);
  const read = await mapBounded(toRead, (key) => store.get(key));
  const readValues = new Map(toRead.map((key, index) => [key, read[index]]));
  const found: RecordChange[] = [];
  for (const change of changes) {
    if (change.change === "deleted") {
      found.push(change);
      continue;
    }
    const value = values.has(change.key) ? values.get(change.key) : readValues.get(change.key);
    if (value === undefined) {
      current.delete(change.key);
      continue;
    }
    if (current.withDigests && !values.has(change.key)) {
      const digest = valueDigest(value);
      current.set(change.key, digest);
      if (digest === savedDigests.get(change.key)) continue;
    }
    found.push({ ...change, value });
  }
  return found;
}

/** The state lost where the marker is not: a new baseline, keeping the ids and the poll count. */
async function rebaseline(store: DataStore, db: SourceDb, kind: WatchKind): Promise<number> {
  await recordBaseline(store, db, kind);
  return 0;
}

/** Writes a state from before markers (0.1) to the store, with a marker: the store it watches is adopted. */
async function adoptLegacy(store: DataStore, db: SourceDb, kind: WatchKind, legacy: LegacyState): Promise<void> {
  const source = randomId();
  const baseline = randomId();
  const records = new ShardedRecords(1, kind === "created-or-updated");
  for (const [key, digest] of Object.entries(legacy.records)) records.set(key, records.withDigests ? digest : "");
  records.fit();
  records.markChanged(0);
  const { names } = await writeShards(store, source, records, []);
  await store.set(sourceMarkerKey(source), baseline);
  saveHeader(db, { epoch: legacy.epoch, source, baseline, shards: names });
}

/** The events a failed attempt had in flight (tagged in `pending`) first, in its order, then the rest in shard order. */
function inFlightFirst<T extends { id: string }>(events: T[], pending: readonly string[] | undefined): T[] {
  if (!pending?.length) return events;
  const rank = new Map(pending.map((tag, index) => [tag, index]));
  const inFlight = events.filter(({ id }) => rank.has(pendingTag(id))).sort((a, b) => rank.get(pendingTag(a.id))! - rank.get(pendingTag(b.id))!);
  return [...inFlight, ...events.filter(({ id }) => !rank.has(pendingTag(id)))];
}

/** valueDigest of the value whose JSON is `json` (the same hash), without serialising it twice. */
function jsonDigest(json: string): string {
  return createHash("sha256").update(json).digest("base64url").slice(0, 8);
}

/** 16 random base64url characters (96 bits): a source's id, or a baseline's. */
function randomId(): string {
  return randomBytes(12).toString("base64url");
}
