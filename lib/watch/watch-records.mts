/**
 * Noticing what changed in a data store between two polls, for the sources. A source keeps, in
 * its `$.service.db`, the keys it has seen and (to notice updates) a short digest of each value,
 * never the values: Pipedream gives a source's db 60 KB, and a digest is 8 characters whatever the
 * value's size. 1,000 keys of 32 characters with digests take about 46 KB.
 *
 * Every poll is one pass over the store: `keys()` when values are not needed (deletions), one
 * `for await` pass when they are (updates), and for new records, `keys()` plus a `get` for each
 * new key only.
 */
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { valueDigest } from "../store/digest.mjs";
import { isPlainObject } from "../store/json.mjs";
import { SOURCE_DB_LIMIT_BYTES, type SourceDb } from "../store/source-db.mjs";
import { isInternalKey } from "../store/reserved-keys.mjs";

/** What a source watches for. */
export type WatchKind = "created" | "created-or-updated" | "deleted";

export type Change = "created" | "updated" | "deleted";

/** One change to emit: the record's key, its value (not for deletions), and what happened. */
export interface RecordChange {
  key: string;
  value?: JsonValue;
  change: Change;
}

/** What the state may take of it: a little is left for the db's own bookkeeping. */
const STATE_BUDGET_BYTES = SOURCE_DB_LIMIT_BYTES - 1024;
const STATE_KEY = "watchState";

/**
 * The saved state: the poll count (`epoch`) and, per key, a digest of its value ("" where values
 * are not watched).
 */
interface WatchState {
  epoch: number;
  records: Record<string, string>;
}

/**
 * `<epoch>:<change>:<value digest>:<key>` (no digest for deletions). A poll retried after failing to
 * save its state emits the same ids for the same changes, which Pipedream's `unique` dedupe drops;
 * a value that changed again meanwhile has another digest, and a key deleted and created again, or
 * a value changed back, is seen in a later poll: new ids, delivered.
 */
function eventId(epoch: number, { change, key, value }: RecordChange): string {
  return value === undefined ? `${epoch}:${change}:${key}` : `${epoch}:${change}:${valueDigest(value)}:${key}`;
}

/** Thrown when the state would not fit in the source's db; names the limit. */
export class SourceCapacityError extends Error {
  override name = "SourceCapacityError";
}

/** The db a source keeps its state in, and the budget the state must fit. */
export { SOURCE_DB_LIMIT_BYTES, type SourceDb };

/** Records the store as it is now, so that existing records are not emitted (the deploy hook); returns the count of keys. */
export async function recordBaseline(store: DataStore, db: SourceDb, kind: WatchKind): Promise<number> {
  const records = kind === "created-or-updated" ? await digestRecords(store) : keyMap(await store.keys());
  // A redeploy keeps counting polls, so its events never reuse ids that dedupe may still remember.
  saveState(db, { epoch: loadState(db)?.epoch ?? 0, records });
  return Object.keys(records).length;
}

/**
 * One poll: compares the store with the saved state, saves the new state, and returns the changes
 * of `kind` with their event ids. Fails with SourceCapacityError, emitting nothing, when the new
 * state would not fit. Without a saved state (no deploy), it records a baseline and returns nothing.
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
  const epoch = state.epoch + 1;
  const { records, changes } = await findChanges(store, state.records, kind, (keys) => checkCapacity({ epoch, records: keys }));
  const next: WatchState = { epoch, records };
  checkCapacity(next); // before emitting: an error must not follow events that a saved state would not remember
  for (const change of changes) await emit(change, eventId(epoch, change));
  db.set(STATE_KEY, next);
  return changes.length;
}

/**
 * The records now and what changed. `checkCapacity` is called on the new keys before any value is
 * fetched, so a store past capacity costs one `keys()`, not a `get` per new key.
 */
async function findChanges(
  store: DataStore,
  previous: Record<string, string>,
  kind: WatchKind,
  checkCapacity: (records: Record<string, string>) => void,
): Promise<{ records: Record<string, string>; changes: RecordChange[] }> {
  if (kind === "created-or-updated") {
    const records: Record<string, string> = Object.create(null);
    const changes: RecordChange[] = [];
    for await (const [key, value] of store) {
      if (isInternalKey(key)) continue;
      const digest = valueDigest(value);
      records[key] = digest;
      const before = previous[key];
      if (before !== digest) changes.push({ key, value, change: before === undefined ? "created" : "updated" });
    }
    return { records, changes };
  }
  const records = keyMap(await store.keys());
  if (kind === "deleted") {
    const changes = Object.keys(previous)
      .filter((key) => records[key] === undefined)
      .map((key): RecordChange => ({ key, change: "deleted" }));
    return { records, changes };
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
  return { records, changes };
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

function checkCapacity(state: WatchState): void {
  const bytes = Buffer.byteLength(JSON.stringify(state));
  if (bytes <= STATE_BUDGET_BYTES) return;
  const count = Object.keys(state.records).length;
  throw new SourceCapacityError(
    `This source remembers every record's key (and a digest of its value) to notice changes, and ${count} records ` +
      `need ${Math.ceil(bytes / 1024)} KB: more than the 60 KB Pipedream gives a source's state ($.service.db). ` +
      "Nothing was emitted. Keep fewer records in this data store (move old ones out with Export Records), or split them across stores.",
  );
}

function loadState(db: SourceDb): WatchState | undefined {
  const saved = db.get(STATE_KEY) as Partial<WatchState> | undefined;
  if (!saved || typeof saved.epoch !== "number" || !isPlainObject(saved.records)) return undefined;
  return { epoch: saved.epoch, records: Object.assign(Object.create(null), saved.records) as Record<string, string> };
}

function saveState(db: SourceDb, state: WatchState): void {
  checkCapacity(state);
  db.set(STATE_KEY, state);
}
