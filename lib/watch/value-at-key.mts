/**
 * Watching one key, for the New Value at Key source. A poll is one `get`. The source's
 * `$.service.db` keeps a digest of the key and of its value (never the value), whether the value
 * there is still to be announced as `existing`, and how many events it has emitted, which numbers
 * the next event's id.
 *
 * Which store the state belongs to is told, as for the other sources (watch-records.mts), by a
 * marker record `__dskit:source:<source id>` in the watched store holding the baseline's id. Only
 * `activate` reads it, so that a poll stays one request.
 */
import { randomBytes } from "node:crypto";
import { InvalidArgumentError, quote } from "../errors.mjs";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { FULL_DIGEST_LENGTH, valueDigest } from "../store/digest.mjs";
import { isPlainObject } from "../store/json.mjs";
import { isInternalKey } from "../store/reserved-keys.mjs";
import type { SourceDb } from "../store/source-db.mjs";
import { eventId } from "./event-ids.mjs";
import { sourceMarkerKey } from "./watch-records.mjs";

/** `existing`: the value found where the source started watching; `created`: the key had none; `updated`: another value. */
export type ValueChange = "existing" | "created" | "updated";

/** One event of the source. */
export interface ValueAtKeyEvent {
  key: string;
  value: JsonValue;
  change: ValueChange;
}

/** Receives each event with its id (at most 64 characters); the state is saved after it returns. */
export type EmitValue = (event: ValueAtKeyEvent, id: string) => Promise<void> | void;

export interface ValueAtKeyOptions {
  /**
   * At a new baseline (deploy, another key, another store), emit the value the key holds as
   * `existing`: at once on deploy, on the next poll after a change of props.
   */
  emitExisting: boolean;
}

/** What the source keeps in its db: about 210 bytes, whatever the key and the value. */
interface ValueAtKeyState {
  /** The full digest of the watched key, so a state of another key is recognised without keeping the key. */
  key: string;
  /** The full digest of the value last seen; null when the key held none. */
  value: string | null;
  /** The next poll emits the value the key holds as `existing` (a baseline taken by `activate`). */
  announce: boolean;
  /** Events emitted so far, kept across baselines: the next event's id starts with this plus one. */
  events: number;
  /** The marker record's name, and the baseline id it holds (see the file's comment). */
  source: string;
  baseline: string;
}

const STATE_KEY = "valueAtKeyState";

/**
 * The deploy hook: the value at `key` now is the baseline, emitted as `existing` when
 * `emitExisting` and the key holds one (a stored null, 0, false or "" included). Writes the marker.
 * Returns the event emitted, if any.
 */
export async function deployValueAtKey(
  store: DataStore,
  db: SourceDb,
  key: string,
  options: ValueAtKeyOptions,
  emit: EmitValue,
): Promise<ValueAtKeyEvent | undefined> {
  checkWatchedKey(key);
  const previous = loadState(db);
  const value = await store.get(key);
  const state = newBaseline(previous, key, digestOf(value), false);
  await store.set(sourceMarkerKey(state.source), state.baseline);
  return emitAndSave(db, state, options.emitExisting && value !== undefined ? { key, value, change: "existing" } : undefined, emit);
}

/**
 * The activate hook, run after deploy and on every change of props: when the state is of another
 * key, or the store does not hold this source's marker with its baseline id (another store, or
 * the same one with the package's records cleared), takes a new baseline there. Emits nothing
 * (Pipedream's convention keeps retroactive events to the deploy hook): with `emitExisting` the
 * next poll emits the value as `existing`. Returns whether it took a new baseline.
 */
export async function activateValueAtKey(store: DataStore, db: SourceDb, key: string, options: ValueAtKeyOptions): Promise<boolean> {
  checkWatchedKey(key);
  const state = loadState(db);
  if (state && state.key === keyDigest(key) && (await store.get(sourceMarkerKey(state.source))) === state.baseline) return false;
  // When announcing, the next poll reads the value anyway; otherwise the value now is the baseline.
  const value = options.emitExisting ? null : digestOf(await store.get(key));
  const next = newBaseline(state, key, value, options.emitExisting);
  await store.set(sourceMarkerKey(next.source), next.baseline);
  saveState(db, next);
  return true;
}

/**
 * One poll, one `get`: emits the value when the key got one (`created`), holds another one
 * (`updated`) or is to be announced (`existing`); nothing when the value is as last seen or the
 * key has none (a deletion is remembered, so the next value is `created`). The state is saved
 * after the event: a poll retried after a failed save emits the same id. A state of another key
 * (props changed without `activate`, as `dskit run` does) is a new baseline on this poll; without
 * a state (never deployed) the poll does what deploy does. Returns the event emitted, if any.
 */
export async function pollValueAtKey(
  store: DataStore,
  db: SourceDb,
  key: string,
  options: ValueAtKeyOptions,
  emit: EmitValue,
): Promise<ValueAtKeyEvent | undefined> {
  checkWatchedKey(key);
  const state = loadState(db);
  if (!state) return deployValueAtKey(store, db, key, options, emit);
  const value = await store.get(key);
  const digest = digestOf(value);
  const sameKey = state.key === keyDigest(key);
  const change = value === undefined ? undefined : changeOf(state, sameKey, digest, options);
  if (sameKey && !state.announce && digest === state.value) return undefined; // nothing to emit, nothing to save
  const next: ValueAtKeyState = { ...state, key: keyDigest(key), value: digest, announce: false };
  return emitAndSave(db, next, change === undefined ? undefined : { key, value: value!, change }, emit);
}

function changeOf(state: ValueAtKeyState, sameKey: boolean, digest: string | null, options: ValueAtKeyOptions): ValueChange | undefined {
  if (state.announce) return "existing";
  if (!sameKey) return options.emitExisting ? "existing" : undefined;
  if (state.value === null) return "created";
  return digest === state.value ? undefined : "updated";
}

/** Emits `event` (if any) numbered after the state's events, then saves the state counting it. */
async function emitAndSave(db: SourceDb, state: ValueAtKeyState, event: ValueAtKeyEvent | undefined, emit: EmitValue): Promise<ValueAtKeyEvent | undefined> {
  if (event) {
    state.events += 1;
    await emit(event, eventId(state.events, event.change, event.key, event.value));
  }
  saveState(db, state);
  return event;
}

/** A baseline on `key`; a redeploy keeps the source's marker name and its count of events, so ids are never reused. */
function newBaseline(previous: ValueAtKeyState | undefined, key: string, value: string | null, announce: boolean): ValueAtKeyState {
  return { key: keyDigest(key), value, announce, events: previous?.events ?? 0, source: previous?.source ?? randomId(), baseline: randomId() };
}

/** The package's own records change on their own schedule and are not the user's to watch. */
function checkWatchedKey(key: string): void {
  if (isInternalKey(key)) {
    throw new InvalidArgumentError("key", `The key ${quote(key)} holds the package's own state (it starts with "__dskit:"): watch one of your own keys.`);
  }
}

function keyDigest(key: string): string {
  return valueDigest(key, FULL_DIGEST_LENGTH);
}

/** The full digest: one value is cheap to fingerprint completely, and a collision would hide a change. */
function digestOf(value: JsonValue | undefined): string | null {
  return value === undefined ? null : valueDigest(value, FULL_DIGEST_LENGTH);
}

function loadState(db: SourceDb): ValueAtKeyState | undefined {
  const saved = db.get(STATE_KEY);
  if (!isPlainObject(saved)) return undefined;
  const { key, value, announce, events, source, baseline } = saved as Partial<Record<keyof ValueAtKeyState, unknown>>;
  const valid =
    typeof key === "string" &&
    (typeof value === "string" || value === null) &&
    typeof announce === "boolean" &&
    Number.isSafeInteger(events) &&
    typeof source === "string" &&
    typeof baseline === "string";
  return valid ? { key, value, announce, events: events as number, source, baseline } : undefined;
}

function saveState(db: SourceDb, state: ValueAtKeyState): void {
  db.set(STATE_KEY, state);
}

/** 16 random base64url characters (96 bits), as watch-records.mts names sources and baselines. */
function randomId(): string {
  return randomBytes(12).toString("base64url");
}
