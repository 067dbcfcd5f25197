/**
 * Noticing what changed in a data store between two polls, for the sources. A source keeps, in
 * its `$.service.db`, the keys it has seen and (to notice updates) a short digest of each value,
 * never the values (watch-state.mts). Every poll is one pass over the store: `keys()` when values
 * are not needed (deletions), one `for await` pass when they are (updates), and for new records,
 * `keys()` plus a `get` for each new key only.
 *
 * Which store the state belongs to: stores have no documented id, so at each baseline the source
 * writes a marker record `__dskit:source:<source id>` holding a random baseline id into the store
 * it watches, and keeps both ids in its db. `activate` (deploy, and every change of props) finds
 * the marker with that value, or takes a new baseline: another store, or one cleared meanwhile.
 */
import { randomBytes } from "node:crypto";
import type { DataStore } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { valueDigest } from "../store/digest.mjs";
import { SOURCE_DB_LIMIT_BYTES, type SourceDb } from "../store/source-db.mjs";
import { internalKey, isInternalKey } from "../store/reserved-keys.mjs";
import { eventId, pendingTag } from "./event-ids.mjs";
import { checkCapacity, loadState, saveState, SourceCapacityError, type RecordChange, type WatchKind, type WatchState } from "./watch-state.mjs";

export type { Change, RecordChange, WatchKind } from "./watch-state.mjs";
export { EVENT_ID_MAX_LENGTH } from "./event-ids.mjs";

/** Thrown when the state would not fit in the source's db; names the limit. */
export { SourceCapacityError };

/** The db a source keeps its state in, and the budget the state must fit. */
export { SOURCE_DB_LIMIT_BYTES, type SourceDb };

/**
 * The most events a poll emits before saving its state. Pipedream's `unique` dedupe remembers the
 * last 100 ids, so a retried poll re-emits at most one batch and dedupe still drops all of it.
 */
export const EMIT_BATCH_SIZE = 100;

/** The key of the marker record a source keeps in the store it watches. */
export function sourceMarkerKey(sourceId: string): string {
  return internalKey("source", sourceId);
}

/**
 * Records the store as it is now, so that existing records are not emitted (the deploy hook, and
 * `activate` on another store), and marks the store as this baseline's; returns the count of keys.
 */
export async function recordBaseline(store: DataStore, db: SourceDb, kind: WatchKind): Promise<number> {
  const records = kind === "created-or-updated" ? await digestRecords(store) : keyMap(await store.keys());
  const previous = loadState(db);
  // A redeploy keeps counting polls, so its events never reuse ids that dedupe may still remember.
  const state: WatchState = { epoch: previous?.epoch ?? 0, records, source: previous?.source ?? randomId(), baseline: randomId() };
  checkCapacity(state);
  await store.set(sourceMarkerKey(state.source!), state.baseline!);
  saveState(db, state);
  return Object.keys(records).length;
}

/**
 * The activate hook, which Pipedream runs after deploy and whenever the source's props change:
 * when the watched store does not hold this source's marker with its baseline id (another store,
 * or the same one cleared), takes a new baseline there. Returns whether it took one.
 */
export async function activateWatch(store: DataStore, db: SourceDb, kind: WatchKind): Promise<boolean> {
  const state = loadState(db);
  if (state?.source === undefined) {
    if (!state) {
      await recordBaseline(store, db, kind);
      return true;
    }
    // A state saved before markers existed: adopt the store it watches rather than lose its changes.
    const adopted = { ...state, source: randomId(), baseline: randomId() };
    await store.set(sourceMarkerKey(adopted.source), adopted.baseline);
    saveState(db, adopted);
    return false;
  }
  if ((await store.get(sourceMarkerKey(state.source))) === state.baseline) return false;
  await recordBaseline(store, db, kind);
  return true;
}

/**
 * One poll: compares the store with the saved state, emits the changes of `kind` with their event
 * ids, and saves the new state. More than EMIT_BATCH_SIZE changes are emitted in batches, the state
 * saved before each batch (naming the batch's events) and after the last, so a poll that fails
 * half-way is retried from the last saved batch and emits that batch first. Fails with
 * SourceCapacityError, emitting nothing, when the new state would not fit. Without a saved state
 * (no deploy), it records a baseline and returns nothing. Returns the number of changes emitted.
 */
export async function pollChanges(
  store: DataStore,
  db: SourceDb,
  kind: WatchKind,
  emit: (change: RecordChange, id: string) => Promise<void> | void,
): Promise<number> {
  const state = loadState(db);
  if (!state) {
    await recordBaseline(store, db, kind);
    return 0;
  }
  const { pending, ...saved } = state;
  const epoch = state.epoch + 1;
  const marker = state.source === undefined ? undefined : sourceMarkerKey(state.source);
  const found = await findChanges(store, state.records, kind, marker, (records) => checkCapacity({ ...saved, epoch, records }));
  const next: WatchState = { ...saved, epoch, records: found.records };
  checkCapacity(next); // before emitting: an error must not follow events that a saved state would not remember
  // A cleared store lost the marker too: put it back, so that a later change of props keeps this state.
  if (marker !== undefined && !found.markerSeen) await store.set(marker, state.baseline!);
  const events = inFlightFirst(
    found.changes.map((change) => ({ change, id: eventId(epoch, change.change, change.key, change.value) })),
    pending,
  );
  if (events.length > EMIT_BATCH_SIZE) {
    // Each saved state holds what was emitted so far and keeps the poll's epoch unsaved, so a retry
    // gives the same ids; it only shrinks from the previous state or grows toward the next, so it fits.
    const progress = startingRecords(state.records, found.records, kind);
    for (let start = 0; start < events.length; start += EMIT_BATCH_SIZE) {
      const batch = events.slice(start, start + EMIT_BATCH_SIZE);
      saveState(db, { ...saved, records: progress, pending: batch.map(({ id }) => pendingTag(id)) });
      for (const { change, id } of batch) {
        await emit(change, id);
        if (change.change === "deleted") delete progress[change.key];
        else progress[change.key] = found.records[change.key]!;
      }
    }
  } else {
    for (const { change, id } of events) await emit(change, id);
  }
  saveState(db, next);
  return events.length;
}

interface FoundChanges {
  records: Record<string, string>;
  changes: RecordChange[];
  /** Whether the store listed the source's marker record. */
  markerSeen: boolean;
}

/**
 * The records now and what changed. `checkCapacity` is called on the new keys before any value is
 * fetched, so a store past capacity costs one `keys()`, not a `get` per new key.
 */
async function findChanges(
  store: DataStore,
  previous: Record<string, string>,
  kind: WatchKind,
  marker: string | undefined,
  checkCapacity: (records: Record<string, string>) => void,
): Promise<FoundChanges> {
  if (kind === "created-or-updated") {
    const records: Record<string, string> = Object.create(null);
    const changes: RecordChange[] = [];
    let markerSeen = false;
    for await (const [key, value] of store) {
      if (key === marker) markerSeen = true;
      if (isInternalKey(key)) continue;
      const digest = valueDigest(value);
      records[key] = digest;
      const before = previous[key];
      if (before !== digest) changes.push({ key, value, change: before === undefined ? "created" : "updated" });
    }
    return { records, changes, markerSeen };
  }
  const keys = await store.keys();
  const markerSeen = marker !== undefined && keys.includes(marker);
  const records = keyMap(keys);
  if (kind === "deleted") {
    const changes = Object.keys(previous)
      .filter((key) => records[key] === undefined)
      .map((key): RecordChange => ({ key, change: "deleted" }));
    return { records, changes, markerSeen };
  }
  checkCapacity(records);
  const created = Object.keys(records).filter((key) => previous[key] === undefined);
  const values = await mapBounded(created, (key) => store.get(key));
  const changes: RecordChange[] = [];
  created.forEach((key, index) => {
    const value = values[index];
    // Gone again since keys() was read: leave it out, so that it counts as new when it comes back.
    if (value === undefined) delete records[key];
    else changes.push({ key, value, change: "created" });
  });
  return { records, changes, markerSeen };
}

/**
 * The state before any of this poll's events: for deletions the previous records; otherwise the
 * previous records still in the store (a key gone is no event for them). Both fit where the
 * previous or the next state fits.
 */
function startingRecords(previous: Record<string, string>, now: Record<string, string>, kind: WatchKind): Record<string, string> {
  const records: Record<string, string> = Object.create(null);
  for (const key of Object.keys(previous)) if (kind === "deleted" || now[key] !== undefined) records[key] = previous[key]!;
  return records;
}

/** The events a failed attempt had in flight (tagged in `pending`) first, in its order, then the rest in store order. */
function inFlightFirst<T extends { id: string }>(events: T[], pending: readonly string[] | undefined): T[] {
  if (!pending?.length) return events;
  const rank = new Map(pending.map((tag, index) => [tag, index]));
  const inFlight = events.filter(({ id }) => rank.has(pendingTag(id))).sort((a, b) => rank.get(pendingTag(a.id))! - rank.get(pendingTag(b.id))!);
  return [...inFlight, ...events.filter(({ id }) => !rank.has(pendingTag(id)))];
}

async function digestRecords(store: DataStore): Promise<Record<string, string>> {
  const records: Record<string, string> = Object.create(null);
  for await (const [key, value] of store) if (!isInternalKey(key)) records[key] = valueDigest(value);
  return records;
}

/** The user's keys as a prototype-less map to "" (a key such as "__proto__" stays a key). */
function keyMap(keys: readonly string[]): Record<string, string> {
  const records: Record<string, string> = Object.create(null);
  for (const key of keys) if (!isInternalKey(key)) records[key] = "";
  return records;
}

/** 16 random base64url characters (96 bits): a source's id, or a baseline's. */
function randomId(): string {
  return randomBytes(12).toString("base64url");
}
