/**
 * What each source emits, as data for the one source suite (test/sources/shared.test.mts): a store
 * at deploy, a change the source emits an event for, and that event with its summary. What the
 * sources notice and when is the library's (test/library/watch-records.test.mts).
 */
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import newDeletedRecord from "../../sources/new-deleted-record/new-deleted-record.mjs";
import newOrUpdatedRecord from "../../sources/new-or-updated-record/new-or-updated-record.mjs";
import newRecord from "../../sources/new-record/new-record.mjs";

export interface SourceCase {
  /** The source's folder, and which of its changes this case makes. */
  name: string;
  source: object;
  /** Records in the store at deploy: `a` and `b`. */
  atDeploy: Record<string, JsonValue>;
  /** Two keys this case can change, each giving one event. */
  keys: [string, string];
  /** Makes the change on `key` that the source emits an event for. */
  change(store: DataStore, key: string): Promise<unknown>;
  /** The event and its summary for the change on `key`. */
  expected(key: string): { event: unknown; summary: string };
}

const atDeploy = { a: 1, b: 2 };
const valueFor = (key: string) => ({ note: `value of ${key}` });

export const SOURCE_CASES: SourceCase[] = [
  {
    name: "new-record",
    source: newRecord,
    atDeploy,
    keys: ["c", "d"],
    change: (store, key) => store.set(key, valueFor(key)),
    expected: (key) => ({ event: { key, value: valueFor(key) }, summary: `New record: ${key}` }),
  },
  {
    name: "new-or-updated-record, a created record",
    source: newOrUpdatedRecord,
    atDeploy,
    keys: ["c", "d"],
    change: (store, key) => store.set(key, valueFor(key)),
    expected: (key) => ({ event: { key, value: valueFor(key), change: "created" }, summary: `New record: ${key}` }),
  },
  {
    name: "new-or-updated-record, an updated record",
    source: newOrUpdatedRecord,
    atDeploy,
    keys: ["a", "b"],
    change: (store, key) => store.set(key, valueFor(key)),
    expected: (key) => ({ event: { key, value: valueFor(key), change: "updated" }, summary: `Updated record: ${key}` }),
  },
  {
    name: "new-deleted-record",
    source: newDeletedRecord,
    atDeploy,
    keys: ["a", "b"],
    change: (store, key) => store.delete(key),
    expected: (key) => ({ event: { key }, summary: `Deleted record: ${key}` }),
  },
];

/** The three sources, once each. */
export const SOURCES: [string, object][] = [
  ["new-record", newRecord],
  ["new-or-updated-record", newOrUpdatedRecord],
  ["new-deleted-record", newDeletedRecord],
];
