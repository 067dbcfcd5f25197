/**
 * Where a source keeps what it has seen. The shards (state-shards.mts) live in the watched store,
 * as records `__dskit:source:<source id>:state:<shard>:<name>`, the name a digest of the content;
 * `$.service.db` keeps only a small header: the poll count, the source's ids, the name of each
 * shard, and during a poll of more than 100 changes the events in flight.
 *
 * Saving is write-then-switch: changed shards are written under new names, then the header is
 * saved in the db (the commit point), then the records it no longer names are deleted. A poll
 * that fails at any step leaves the previous header naming records that still exist, plus
 * records no header names, which the next poll (it lists the store anyway) deletes.
 */
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { mapBounded } from "../store/concurrency.mjs";
import { SOURCE_DB_LIMIT_BYTES, type SourceDb } from "../store/source-db.mjs";
import { internalKey, internalKeyPrefix } from "../store/reserved-keys.mjs";
import { parseShard, SourceCapacityError, type ShardedRecords } from "./state-shards.mjs";

export { SourceCapacityError };

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
 * The header in `$.service.db`. `source` names this source's records in the watched store (the
 * marker and the shards); `baseline` is the marker's value, to recognise the store when props
 * change. `shards` names each shard's record ("" for an empty shard, which has none). `pending`
 * tags the events of the batch in flight, so that a retried poll emits them first.
 */
export interface WatchHeader {
  epoch: number;
  source: string;
  baseline: string;
  shards: string[];
  pending?: string[];
}

/** A state saved by versions 0.1 and 0.2, all of it in the db: adopted by the next save. */
export interface LegacyState {
  epoch: number;
  records: Record<string, string>;
  source?: string;
  baseline?: string;
}

const HEADER_KEY = "watchHeader";
const LEGACY_KEY = "watchState";
/** Room kept for `pending` (100 tags of 8 characters) and the db's own bookkeeping. */
const HEADER_BUDGET_BYTES = SOURCE_DB_LIMIT_BYTES - 1024 - 1200;

/** The saved header, a legacy state, or undefined when there is neither (never deployed). */
export function loadSaved(db: SourceDb): { header: WatchHeader } | { legacy: LegacyState } | undefined {
  const header = db.get(HEADER_KEY) as Partial<WatchHeader> | undefined;
  if (
    header &&
    typeof header.epoch === "number" &&
    typeof header.source === "string" &&
    typeof header.baseline === "string" &&
    Array.isArray(header.shards) &&
    header.shards.every((name) => typeof name === "string")
  ) {
    const loaded: WatchHeader = { epoch: header.epoch, source: header.source, baseline: header.baseline, shards: header.shards };
    if (Array.isArray(header.pending)) loaded.pending = header.pending.filter((tag): tag is string => typeof tag === "string");
    return { header: loaded };
  }
  const legacy = db.get(LEGACY_KEY) as Partial<LegacyState> | null | undefined;
  if (!legacy || typeof legacy.epoch !== "number" || typeof legacy.records !== "object" || legacy.records === null) return undefined;
  const state: LegacyState = { epoch: legacy.epoch, records: Object.assign(Object.create(null), legacy.records) as Record<string, string> };
  if (typeof legacy.source === "string" && typeof legacy.baseline === "string") Object.assign(state, { source: legacy.source, baseline: legacy.baseline });
  return { legacy: state };
}

/** Saves the header: the commit point of a baseline, a batch or a poll. A legacy state is dropped with it. */
export function saveHeader(db: SourceDb, header: WatchHeader): void {
  const bytes = Buffer.byteLength(JSON.stringify({ ...header, pending: undefined }));
  if (bytes > HEADER_BUDGET_BYTES) throw new SourceCapacityError(`This source's state header needs ${Math.ceil(bytes / 1024)} KB of the 60 KB $.service.db. Nothing was emitted.`);
  db.set(HEADER_KEY, header);
  if (db.get(LEGACY_KEY) != null) db.set(LEGACY_KEY, null);
}

/** The name of a shard whose record is not known (a legacy state, a count just changed): never a record's name. */
export const UNKNOWN_SHARD = "?";

/** The key of shard `index` named `name`, in the store this source watches. */
export function stateRecordKey(source: string, index: number, name: string): string {
  return internalKey("source", source, "state", String(index), name);
}

/** What every state record of this source starts with. */
export function stateRecordPrefix(source: string): string {
  return internalKeyPrefix("source", source, "state");
}

/** The keys of the records `names` (one per shard) stands for. */
export function stateRecordKeys(source: string, names: readonly string[]): string[] {
  return names.flatMap((name, index) => (name === "" || name === UNKNOWN_SHARD ? [] : [stateRecordKey(source, index, name)]));
}

/** Reads shard `index` named `name`: its entries, or undefined when the record is gone or not a shard. */
export async function readShard(store: DataStore, source: string, index: number, name: string, withDigests: boolean): Promise<Map<string, string> | undefined> {
  if (name === "") return new Map();
  return parseShard(await store.get(stateRecordKey(source, index, name)), withDigests);
}

/**
 * Writes the shards of `records` changed since its last save whose content is not already the
 * record named in `names`; returns the new names and the keys written. Does not commit.
 */
export async function writeShards(
  store: DataStore,
  source: string,
  records: ShardedRecords,
  names: readonly string[],
): Promise<{ names: string[]; written: string[] }> {
  const next = records.count === names.length ? [...names] : new Array<string>(records.count).fill(UNKNOWN_SHARD);
  const writes: Array<[string, string[]]> = [];
  for (const index of records.dirty) {
    const { value, name } = records.serialize(index);
    if (name !== next[index] && name !== "") writes.push([stateRecordKey(source, index, name), value]);
    next[index] = name;
  }
  await mapBounded(writes, ([key, value]) => store.set(key, value));
  records.markSaved();
  return { names: next, written: writes.map(([key]) => key) };
}

/** Deletes the state records in `candidates` that `keep` does not name; a failure leaves them for the next poll's sweep. */
export async function deleteStale(store: DataStore, candidates: Iterable<string>, keep: readonly string[]): Promise<number> {
  const kept = new Set(keep);
  const stale = [...new Set(candidates)].filter((key) => !kept.has(key));
  await mapBounded(stale, (key) => store.delete(key).catch(() => undefined));
  return stale.length;
}
