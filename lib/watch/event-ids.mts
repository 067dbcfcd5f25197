/**
 * Event ids for the sources. Pipedream's `unique` dedupe compares only the first 64 characters of
 * an id and remembers the last 100, so an id is `<epoch>:<change letter>:<hash>`, at most 64
 * characters, where the hash covers the key and the value: two long keys that share a prefix still
 * get distinct ids, and no key's text reaches the id.
 */
import { createHash } from "node:crypto";
import type { JsonValue } from "../store/data-store.mjs";
import { FULL_DIGEST_LENGTH, valueDigest } from "../store/digest.mjs";
import type { Change } from "./watch-state.mjs";

/** What Pipedream's `unique` dedupe compares of an id. */
export const EVENT_ID_MAX_LENGTH = 64;

/** Characters of an id kept in the saved state to name the events in flight (see pendingTag). */
const TAG_LENGTH = 8;

/** What an id's letter names: a record's change, or a value a source found where it started watching (`existing`). */
export type EventChange = Change | "existing";

const CHANGE_LETTER: Record<EventChange, string> = { created: "c", updated: "u", deleted: "d", existing: "e" };

/**
 * The id of `change` in poll `epoch` (for a source on one key: its count of events so far, plus
 * one): the same poll (or its retry) gives the same id for the same
 * key and value; another value, another change or another poll gives another id. The hash is the
 * base64url SHA-256 of the key's JSON text followed by the value's full digest (JSON text ends where
 * its closing quote is, so no two (key, value) pairs hash the same text), cut to fit 64 characters.
 */
export function eventId(epoch: number, change: EventChange, key: string, value?: JsonValue): string {
  const hash = createHash("sha256").update(JSON.stringify(key));
  if (value !== undefined) hash.update(valueDigest(value, FULL_DIGEST_LENGTH));
  const prefix = `${epoch}:${CHANGE_LETTER[change]}:`;
  return prefix + hash.digest("base64url").slice(0, EVENT_ID_MAX_LENGTH - prefix.length);
}

/**
 * A short tag of an event id (its last 8 characters, which are hash), for the list of events in
 * flight that the saved state keeps: 100 tags take about 1.1 KB where 100 ids would take 6 KB. Two
 * ids sharing a tag only changes the order a retry emits them in.
 */
export function pendingTag(id: string): string {
  return id.slice(-TAG_LENGTH);
}
