/**
 * What a source keeps in its `$.service.db` to notice changes: the poll count, each key with a
 * short digest of its value (never the value), which store the state belongs to, and during a
 * poll of more than 100 changes the events in flight. It must fit Pipedream's 60 KB.
 */
import type { JsonValue } from "../store/data-store.mjs";
import { isPlainObject } from "../store/json.mjs";
import { SOURCE_DB_LIMIT_BYTES, type SourceDb } from "../store/source-db.mjs";

/** What a source watches for. */
export type WatchKind = "created" | "created-or-updated" | "deleted";

export type Change = "created" | "updated" | "deleted";

/** One change to emit: the record's key, its value (not for deletions), and what happened. */
export interface RecordChange {
  key: string;
  value?: JsonValue;
  change: Change;
}

/**
 * The saved state. `records` maps each key to a digest of its value ("" where values are not
 * watched). `source` names the marker record this source keeps in the watched store and `baseline`
 * the value it holds, to recognise the store when props change. `pending` tags the events of the
 * batch in flight, so that a retried poll emits them first.
 */
export interface WatchState {
  epoch: number;
  records: Record<string, string>;
  source?: string;
  baseline?: string;
  pending?: string[];
}

/** Room kept for `pending` (100 tags of 8 characters in JSON) in every state checked for capacity. */
const PENDING_RESERVE_BYTES = 1200;
/** What the state may take of the db: a little is left for the db's own bookkeeping and for `pending`. */
const STATE_BUDGET_BYTES = SOURCE_DB_LIMIT_BYTES - 1024 - PENDING_RESERVE_BYTES;
const STATE_KEY = "watchState";

/** Thrown when the state would not fit in the source's db; names the limit. */
export class SourceCapacityError extends Error {
  override name = "SourceCapacityError";
}

/** Throws SourceCapacityError when `state` (without `pending`, which has its room kept) would not fit. */
export function checkCapacity(state: WatchState): void {
  const bytes = Buffer.byteLength(JSON.stringify({ ...state, pending: undefined }));
  if (bytes <= STATE_BUDGET_BYTES) return;
  const count = Object.keys(state.records).length;
  throw new SourceCapacityError(
    `This source remembers every record's key (and a digest of its value) to notice changes, and ${count} records ` +
      `need ${Math.ceil(bytes / 1024)} KB: more than the 60 KB Pipedream gives a source's state ($.service.db). ` +
      "Nothing was emitted. Keep fewer records in this data store (move old ones out with Export Records), or split them across stores.",
  );
}

/** The saved state, or undefined when there is none (never deployed) or it is not a state. */
export function loadState(db: SourceDb): WatchState | undefined {
  const saved = db.get(STATE_KEY) as Partial<WatchState> | undefined;
  if (!saved || typeof saved.epoch !== "number" || !isPlainObject(saved.records)) return undefined;
  const state: WatchState = { epoch: saved.epoch, records: Object.assign(Object.create(null), saved.records) as Record<string, string> };
  if (typeof saved.source === "string" && typeof saved.baseline === "string") {
    Object.assign(state, { source: saved.source, baseline: saved.baseline });
  }
  if (Array.isArray(saved.pending)) state.pending = saved.pending.filter((tag): tag is string => typeof tag === "string");
  return state;
}

/** Saves `state` as it is; callers check capacity first where the state may have grown. */
export function saveState(db: SourceDb, state: WatchState): void {
  db.set(STATE_KEY, state);
}
