import { describe, expect, jest, test } from "@jest/globals";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import {
  pollChanges,
  recordBaseline,
  MAX_SHARDS,
  SOURCE_DB_LIMIT_BYTES,
  SourceCapacityError,
  STATE_RECORD_LIMIT_BYTES,
  watchStateSummary,
  type RecordChange,
  type WatchKind,
} from "../../lib/watch/watch-records.mjs";
import { valueDigest } from "../../lib/store/digest.mjs";
import { ShardedRecords } from "../../lib/watch/state-shards.mjs";
import { setupStore } from "../support/fixtures.mjs";
import { ServiceDb } from "../support/source-harness.mjs";
import { key32, manyRecords, pollOnce, RecordingDb, watched } from "../support/source-fixtures.mjs";

const KINDS: WatchKind[] = ["created", "created-or-updated", "deleted"];
const FALSY: JsonValue[] = [0, false, "", null];
const OBJECT_PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty"];

/** On a store holding `a` and `b`: deletes `a`, updates `b`, creates `c`, so that every kind has a change. */
async function changeEveryKind(store: DataStore): Promise<void> {
  await store.delete("a");
  await store.set("b", 20);
  await store.set("c", 3);
}

describe("valueDigest", () => {
  test.each<[string, JsonValue]>([
    ["a number", 42],
    ["text", "hello"],
    ["an object", { a: [1, 2, { b: null }] }],
    ["a 10 KB text", "x".repeat(10 * 1024)],
    ["a 100 KB object", { blob: "y".repeat(100 * 1024) }],
  ])("is 8 base64url characters for %s, whatever its size", (_name, value) => {
    expect(valueDigest(value)).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  test("is the same for equal values, also after a round trip through JSON", () => {
    const value = { order: { id: 7, items: ["a", "b"] }, paid: true };
    expect(valueDigest(value)).toBe(valueDigest(JSON.parse(JSON.stringify(value)) as JsonValue));
    expect(valueDigest(value)).toBe(valueDigest(value));
  });

  test("differs between the falsy values, their text, and empty containers", () => {
    const values: JsonValue[] = [0, false, "", null, "0", "false", "null", [], {}, 1, true];
    expect(new Set(values.map(valueDigest)).size).toBe(values.length);
  });

  test("changes when a value changes deep inside", () => {
    expect(valueDigest({ items: [{ qty: 1 }] })).not.toBe(valueDigest({ items: [{ qty: 2 }] }));
  });

  test("does not contain the value's text", () => {
    expect(valueDigest("SECRET")).not.toContain("SECRET");
    expect(valueDigest("ab")).not.toContain("ab");
  });
});

describe("recordBaseline", () => {
  test.each(KINDS)("returns the number of the user's records, leaving out the package's own (%s)", async (kind) => {
    const fake = await setupStore({ a: 1, b: 2, c: 3, [`${INTERNAL_KEY_PREFIX}limit:x`]: { n: 1 } });
    expect(await recordBaseline(fake.store, new ServiceDb(), kind)).toBe(3);
  });

  test("for created-or-updated reads the store in one for await pass (one page per 128 records), then writes its marker", async () => {
    const fake = await setupStore(manyRecords(300));
    await recordBaseline(fake.store, new ServiceDb(), "created-or-updated");
    expect(fake.controls.stats.calls).toMatchObject({ page: 3, get: 0, keys: 0, set: 2 }); // one state record, the marker
    expect(fake.controls.stats.total).toBe(5);
  });

  test.each<WatchKind>(["created", "deleted"])("for %s reads only the keys, with one keys() call, then writes its state record and marker", async (kind) => {
    const fake = await setupStore(manyRecords(300));
    await recordBaseline(fake.store, new ServiceDb(), kind);
    expect(fake.controls.stats.calls).toMatchObject({ keys: 1, set: 2 });
    expect(fake.controls.stats.total).toBe(3);
  });

  test.each(KINDS)("existing records are not emitted by the next poll (%s)", async (kind) => {
    const fake = await setupStore({ a: 1, b: 0, c: null });
    const db = new ServiceDb();
    await recordBaseline(fake.store, db, kind);
    expect(await pollOnce(fake.store, db, kind)).toEqual([]);
  });

});

describe("pollChanges", () => {
  test.each(KINDS)("without a saved state, records a baseline and emits nothing; the next poll emits the change (%s)", async (kind) => {
    const fake = await setupStore({ a: 1, b: 2 });
    const db = new ServiceDb();
    const emit = jest.fn((_change: RecordChange, _id: string): void => undefined);
    expect(await pollChanges(fake.store, db, kind, emit)).toBe(0);
    expect(emit).not.toHaveBeenCalled();
    expect(db.sizeBytes).toBeGreaterThan(0);
    await fake.store.set("a", 10);
    await fake.store.delete("b");
    await fake.store.set("c", 3);
    const expected: Record<WatchKind, RecordChange[]> = {
      created: [{ key: "c", value: 3, change: "created" }],
      "created-or-updated": [
        { key: "a", value: 10, change: "updated" },
        { key: "c", value: 3, change: "created" },
      ],
      deleted: [{ key: "b", change: "deleted" }],
    };
    expect((await pollOnce(fake.store, db, kind)).map((e) => e.change)).toStrictEqual(expected[kind]);
  });

  test.each(KINDS)("returns the number of changes it emitted (%s)", async (kind) => {
    const fake = await setupStore({ a: 1, b: 2, c: 3 });
    const db = new ServiceDb();
    await recordBaseline(fake.store, db, kind);
    await fake.store.delete("a");
    await fake.store.delete("b");
    await fake.store.set("c", 30);
    await fake.store.set("d", 4);
    await fake.store.set("e", 5);
    const counts: Record<WatchKind, number> = { created: 2, "created-or-updated": 3, deleted: 2 };
    const emit = jest.fn((_change: RecordChange, _id: string): void => undefined);
    expect(await pollChanges(fake.store, db, kind, emit)).toBe(counts[kind]);
    expect(emit).toHaveBeenCalledTimes(counts[kind]);
  });

  test.each(KINDS)("each poll emits only the changes of its kind made since the previous poll (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1, b: 2, c: 3 });
    await fake.store.set("a", 10);
    await fake.store.delete("b");
    await fake.store.set("d", 4);
    const first = (await pollOnce(fake.store, db, kind)).map((e) => e.change);
    await fake.store.set("c", 30);
    await fake.store.delete("d");
    await fake.store.set("e", 5);
    const second = (await pollOnce(fake.store, db, kind)).map((e) => e.change);
    const expected: Record<WatchKind, [RecordChange[], RecordChange[]]> = {
      created: [[{ key: "d", value: 4, change: "created" }], [{ key: "e", value: 5, change: "created" }]],
      "created-or-updated": [
        [
          { key: "a", value: 10, change: "updated" },
          { key: "d", value: 4, change: "created" },
        ],
        [
          { key: "c", value: 30, change: "updated" },
          { key: "e", value: 5, change: "created" },
        ],
      ],
      deleted: [[{ key: "b", change: "deleted" }], [{ key: "d", change: "deleted" }]],
    };
    expect([first, second]).toStrictEqual(expected[kind]);
  });

  test.each(KINDS)("a poll with no change since the previous one emits nothing (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1, b: 2 });
    await fake.store.set("a", 10);
    await fake.store.delete("b");
    await fake.store.set("c", 3);
    expect(await pollOnce(fake.store, db, kind)).not.toEqual([]);
    expect(await pollOnce(fake.store, db, kind)).toEqual([]);
  });

  test.each<WatchKind>(["created", "created-or-updated"])("a record added to a store that was empty at baseline is emitted as created (%s)", async (kind) => {
    const { fake, db } = await watched(kind);
    await fake.store.set("first", 1);
    expect((await pollOnce(fake.store, db, kind)).map((e) => e.change)).toStrictEqual([{ key: "first", value: 1, change: "created" }]);
  });

  test.each<WatchKind>(["created", "created-or-updated"])("a change carries the value as read at the poll, not as first written (%s)", async (kind) => {
    const { fake, db } = await watched(kind);
    await fake.store.set("a", "first");
    await fake.store.set("a", "second");
    expect((await pollOnce(fake.store, db, kind)).map((e) => e.change)).toStrictEqual([{ key: "a", value: "second", change: "created" }]);
  });

  test("writing the same value again is not an update (created-or-updated)", async () => {
    const { fake, db } = await watched("created-or-updated", { a: { n: 1 } });
    await fake.store.set("a", { n: 1 });
    expect(await pollOnce(fake.store, db, "created-or-updated")).toEqual([]);
  });

  test.each([
    ["present at baseline", true],
    ["added after baseline and seen by a poll", false],
  ])("a record whose ttl passes is a deletion: %s (deleted)", async (_name, atBaseline) => {
    const fake = await setupStore({ keep: 1 });
    const db = new ServiceDb();
    if (atBaseline) await fake.store.set("session", "s", { ttl: 60 });
    await recordBaseline(fake.store, db, "deleted");
    if (!atBaseline) await fake.store.set("session", "s", { ttl: 60 });
    expect(await pollOnce(fake.store, db, "deleted")).toEqual([]);
    fake.clock.advanceSeconds(59);
    expect(await pollOnce(fake.store, db, "deleted")).toEqual([]);
    fake.clock.advanceSeconds(1);
    expect((await pollOnce(fake.store, db, "deleted")).map((e) => e.change)).toStrictEqual([{ key: "session", change: "deleted" }]);
  });

  test("deleting every user record (Delete All Records keeps the package's state) is a deletion of each (deleted)", async () => {
    const { fake, db } = await watched("deleted", { a: 1, b: 2, c: 3 });
    for (const key of ["a", "b", "c"]) await fake.store.delete(key);
    expect((await pollOnce(fake.store, db, "deleted")).map((e) => e.change.key).sort()).toEqual(["a", "b", "c"]);
  });

  test.each<[WatchKind, string[]]>([
    ["created", ["created:after"]],
    ["created-or-updated", ["created:after"]],
    ["deleted", []],
  ])("clear() takes the source's state with it: the next poll starts from the empty store (%s emits %j)", async (kind, expected) => {
    const { fake, db } = await watched(kind, { a: 1, b: 2 });
    await fake.store.clear();
    await fake.store.set("after", 1);
    expect((await pollOnce(fake.store, db, kind)).map((e) => `${e.change.change}:${e.change.key}`)).toEqual(expected);
    await fake.store.delete("after");
    await fake.store.set("later", 2);
    const next = (await pollOnce(fake.store, db, kind)).map((e) => `${e.change.change}:${e.change.key}`);
    expect(next).toEqual(kind === "deleted" ? ["deleted:after"] : ["created:later"]);
  });

  test.each(KINDS)("state records removed by hand while the marker stays: the poll takes a new baseline and emits nothing (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1, b: 2 });
    for (const key of watchStateSummary(db)!.stateRecords) await fake.store.delete(key);
    await changeEveryKind(fake.store);
    expect(await pollOnce(fake.store, db, kind)).toEqual([]);
    await fake.store.set("d", 4);
    await fake.store.delete("b");
    const expected = { created: ["created:d"], "created-or-updated": ["created:d"], deleted: ["deleted:b"] }[kind];
    expect((await pollOnce(fake.store, db, kind)).map((e) => `${e.change.change}:${e.change.key}`)).toEqual(expected);
  });

  test.each(KINDS.flatMap((kind) => FALSY.map((value) => [value, kind] as const)))(
    "a record holding the falsy value %j is an ordinary record: its change is emitted (%s)",
    async (value, kind) => {
      const { fake, db } = await watched(kind, kind === "deleted" ? { falsy: value, keep: 1 } : { keep: 1 });
      await (kind === "deleted" ? fake.store.delete("falsy") : fake.store.set("falsy", value));
      const expected: RecordChange = kind === "deleted" ? { key: "falsy", change: "deleted" } : { key: "falsy", value, change: "created" };
      expect((await pollOnce(fake.store, db, kind)).map((e) => e.change)).toStrictEqual([expected]);
    },
  );

  test.each<[JsonValue, JsonValue]>([
    [0, false],
    [false, ""],
    ["", null],
    [null, 0],
    [0, "0"],
    [null, "null"],
    [false, "false"],
  ])("an update from %j to %j is emitted (created-or-updated)", async (before, after) => {
    const { fake, db } = await watched("created-or-updated", { falsy: before });
    await fake.store.set("falsy", after);
    expect((await pollOnce(fake.store, db, "created-or-updated")).map((e) => e.change)).toStrictEqual([
      { key: "falsy", value: after, change: "updated" },
    ]);
  });

  describe("one pass over the store per poll", () => {
    test.each<[WatchKind, Record<string, number>, number, number]>([
      // one state record: read once, rewritten once under a new name, the old one deleted
      ["created", { keys: 1, get: 1 + 2, set: 1, delete: 1, page: 0, has: 0 }, 6, 2],
      ["created-or-updated", { page: Math.ceil(302 / 128), get: 1, set: 1, delete: 1, keys: 0, has: 0 }, 6, 3],
      ["deleted", { keys: 1, get: 1, set: 1, delete: 1, page: 0, has: 0 }, 4, 1],
    ])("%s, 300 records and 2 new, 1 updated, 1 deleted: calls %j, %d in all", async (kind, calls, total, changes) => {
      const { fake, db } = await watched(kind, manyRecords(300));
      await fake.store.set("new-1", 1);
      await fake.store.set("new-2", 2);
      await fake.store.set(key32(5), "changed");
      await fake.store.delete(key32(6));
      fake.controls.resetStats();
      expect(await pollOnce(fake.store, db, kind)).toHaveLength(changes);
      expect(fake.controls.stats.calls).toMatchObject(calls);
      expect(fake.controls.stats.total).toBe(total);
    });

    test.each<[WatchKind, Record<string, number>]>([
      ["created", { keys: 1 }],
      ["deleted", { keys: 1 }],
      ["created-or-updated", { page: Math.ceil(202 / 128) }],
    ])("%s, with no change: the pass and nothing else, no state record read or written", async (kind, calls) => {
      const { fake, db } = await watched(kind, manyRecords(200));
      await pollOnce(fake.store, db, kind);
      expect(fake.controls.stats.calls).toMatchObject(calls);
      expect(fake.controls.stats.total).toBe(Object.values(calls)[0]);
    });

    test("created, with no new key: one keys() call and nothing else", async () => {
      const { fake, db } = await watched("created", manyRecords(200));
      await pollOnce(fake.store, db, "created");
      expect(fake.controls.stats.calls.keys).toBe(1);
      expect(fake.controls.stats.total).toBe(1);
    });
  });

  describe("the state holds keys and digests, never values", () => {
    test.each(KINDS)("a new 10 KB value grows the db by less than 100 bytes (%s)", async (kind) => {
      const { fake, db } = await watched(kind, { a: 1 });
      const before = db.sizeBytes;
      await fake.store.set("big", "x".repeat(10 * 1024));
      await pollOnce(fake.store, db, kind);
      expect(db.sizeBytes - before).toBeLessThan(100);
    });

    test("replacing a small value with a 10 KB one grows the db by less than 10 bytes (created-or-updated)", async () => {
      const { fake, db } = await watched("created-or-updated", { a: 1 });
      const before = db.sizeBytes;
      await fake.store.set("a", "y".repeat(10 * 1024));
      expect(await pollOnce(fake.store, db, "created-or-updated")).toHaveLength(1);
      expect(db.sizeBytes - before).toBeLessThan(10);
    });

    test.each(KINDS)("no value written at baseline, created, updated or deleted reaches the db or the state records (%s)", async (kind) => {
      const db = new RecordingDb();
      const { fake } = await watched(kind, { existing: "SECRET-AT-DEPLOY-6f1c", gone: "SECRET-GONE-11aa" }, db);
      await fake.store.set("added", { token: "SECRET-AFTER-DEPLOY-93ab" });
      await fake.store.set("existing", "SECRET-UPDATED-2d7e");
      await fake.store.delete("gone");
      expect(await pollOnce(fake.store, db, kind)).not.toEqual([]);
      expect(db.written.length).toBeGreaterThanOrEqual(2);
      expect(db.written.join("\n")).not.toMatch(/SECRET-/);
      const state = fake.controls.records().filter(({ key }) => key.includes(":state:"));
      expect(state.length).toBeGreaterThan(0);
      expect(JSON.stringify(state)).not.toMatch(/SECRET-/);
    });
  });

  test("a deletion carries no value", async () => {
    const fake = await setupStore({ a: { big: "value" } });
    const db = new ServiceDb();
    await recordBaseline(fake.store, db, "deleted");
    await fake.store.delete("a");
    const [only] = await pollOnce(fake.store, db, "deleted");
    expect(only!.change).toStrictEqual({ key: "a", change: "deleted" });
    expect("value" in only!.change).toBe(false);
  });

  test.each(KINDS)("a poll retried after its emit failed gives the same ids (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1, b: 2 });
    await changeEveryKind(fake.store);
    const failing = jest.fn((_change: RecordChange, _id: string): void => {
      throw new Error("emit failed");
    });
    await expect(pollChanges(fake.store, db, kind, failing)).rejects.toThrow("emit failed");
    const attempted = failing.mock.calls.map(([, id]) => id);
    const retried = await pollOnce(fake.store, db, kind);
    expect(retried.length).toBeGreaterThan(0);
    expect(retried[0]!.id).toBe(attempted[0]);
  });

  test.each(KINDS)("a poll retried after its state save failed gives the same ids (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1, b: 2 });
    await changeEveryKind(fake.store);
    const first: string[] = [];
    jest.spyOn(db, "set").mockImplementationOnce(() => {
      throw new Error("db write failed");
    });
    await expect(pollChanges(fake.store, db, kind, (_change, id) => void first.push(id))).rejects.toThrow("db write failed");
    expect(first.length).toBeGreaterThan(0);
    expect((await pollOnce(fake.store, db, kind)).map((e) => e.id)).toEqual(first);
  });

  test("a value that changed again before the retry of a failed poll is a new change with a new id (created-or-updated)", async () => {
    const { fake, db } = await watched("created-or-updated", { a: 1 });
    await fake.store.set("a", 2);
    const first: string[] = [];
    jest.spyOn(db, "set").mockImplementationOnce(() => {
      throw new Error("db write failed");
    });
    await expect(pollChanges(fake.store, db, "created-or-updated", (_change, id) => void first.push(id))).rejects.toThrow("db write failed");
    await fake.store.set("a", 3);
    const retried = await pollOnce(fake.store, db, "created-or-updated");
    expect(retried.map((e) => e.change)).toStrictEqual([{ key: "a", value: 3, change: "updated" }]);
    expect(first).toHaveLength(1);
    expect(retried[0]!.id).not.toBe(first[0]);
  });

  test.each<[WatchKind, Record<string, JsonValue | undefined>, Record<string, JsonValue | undefined>]>([
    ["created", { a: undefined }, { a: 1 }],
    ["created-or-updated", { a: 0 }, { a: 1 }],
    ["deleted", { a: 0 }, { a: undefined }],
  ])("the same change to the same key, repeated in later polls, gets a new id each time (%s)", async (kind, before, after) => {
    const fake = await setupStore({ keep: 0 });
    const db = new ServiceDb();
    await recordBaseline(fake.store, db, kind);
    const apply = async (records: Record<string, JsonValue | undefined>) => {
      for (const [key, value] of Object.entries(records)) await (value === undefined ? fake.store.delete(key) : fake.store.set(key, value));
    };
    const repeated: Array<{ change: RecordChange; id: string }> = [];
    for (let round = 0; round < 3; round++) {
      await apply(before);
      await pollOnce(fake.store, db, kind);
      await apply(after);
      repeated.push(...(await pollOnce(fake.store, db, kind)));
    }
    expect(repeated).toHaveLength(3);
    expect(new Set(repeated.map((e) => JSON.stringify(e.change))).size).toBe(1);
    expect(new Set(repeated.map((e) => e.id)).size).toBe(3);
  });

  test.each<[WatchKind, number]>([
    ["created", 2],
    ["created-or-updated", 3],
    ["deleted", 2],
  ])("ids of one poll are distinct across keys and kinds of change (%s, %d changes)", async (kind, changes) => {
    const { fake, db } = await watched(kind, { a: 1, b: 2 });
    await fake.store.set("a", 10);
    await fake.store.delete("b");
    await fake.store.set("c", 3);
    await fake.store.set("d", 4);
    if (kind === "deleted") await fake.store.delete("a");
    const emitted = await pollOnce(fake.store, db, kind);
    expect(emitted).toHaveLength(changes);
    expect(new Set(emitted.map((e) => e.id)).size).toBe(changes);
  });

  test("a key gone between keys() and its get is not emitted, and is emitted as new when it comes back", async () => {
    const fake = await setupStore({ keep: 1 });
    const db = new ServiceDb();
    await recordBaseline(fake.store, db, "created");
    await fake.store.set("flaky", 1);
    const racing: DataStore = {
      ...fake.store,
      async keys() {
        const keys = await fake.store.keys();
        await fake.store.delete("flaky");
        return keys;
      },
    };
    expect(await pollOnce(racing, db, "created")).toEqual([]);
    await fake.store.set("flaky", 2);
    expect((await pollOnce(fake.store, db, "created")).map((e) => e.change)).toStrictEqual([{ key: "flaky", value: 2, change: "created" }]);
  });

  test.each(KINDS)("the package's own records never produce a change, also beside a user's change (%s)", async (kind) => {
    const fake = await setupStore({ keep: 1, [`${INTERNAL_KEY_PREFIX}limit:old`]: 1, [`${INTERNAL_KEY_PREFIX}cache:gone`]: 1 });
    const db = new ServiceDb();
    await recordBaseline(fake.store, db, kind);
    await fake.store.set(`${INTERNAL_KEY_PREFIX}limit:old`, 2);
    await fake.store.delete(`${INTERNAL_KEY_PREFIX}cache:gone`);
    await fake.store.set(`${INTERNAL_KEY_PREFIX}dedupe:new`, 1);
    expect(await pollOnce(fake.store, db, kind)).toEqual([]);
    await (kind === "deleted" ? fake.store.delete("keep") : fake.store.set("keep", 2));
    await fake.store.set(`${INTERNAL_KEY_PREFIX}dedupe:new`, 2);
    const userChange: Record<WatchKind, RecordChange[]> = {
      created: [],
      "created-or-updated": [{ key: "keep", value: 2, change: "updated" }],
      deleted: [{ key: "keep", change: "deleted" }],
    };
    expect((await pollOnce(fake.store, db, kind)).map((e) => e.change)).toStrictEqual(userChange[kind]);
  });

  test.each(OBJECT_PROTOTYPE_NAMES)("%s in the saved state survives the round trip through the db as an ordinary key", async (key) => {
    const fake = await setupStore({ keep: 1 });
    await fake.store.set(key, 1);
    const db = new ServiceDb();
    await recordBaseline(fake.store, db, "created-or-updated");
    await fake.store.set(key, 2);
    expect((await pollOnce(fake.store, db, "created-or-updated")).map((e) => e.change)).toStrictEqual([{ key, value: 2, change: "updated" }]);
    await fake.store.delete(key);
    await pollOnce(fake.store, db, "created-or-updated");
    await fake.store.set(key, 3);
    expect((await pollOnce(fake.store, db, "created-or-updated")).map((e) => e.change)).toStrictEqual([{ key, value: 3, change: "created" }]);
  });

  test.each(KINDS.flatMap((kind) => OBJECT_PROTOTYPE_NAMES.map((key) => [key, kind] as const)))(
    "%s is an ordinary key: its change is emitted and Object.prototype stays untouched (%s)",
    async (key, kind) => {
      const { fake, db } = await watched(kind, kind === "deleted" ? { keep: 1, [key]: { polluted: true } } : { keep: 1 });
      await (kind === "deleted" ? fake.store.delete(key) : fake.store.set(key, { polluted: true }));
      const expected: RecordChange = kind === "deleted" ? { key, change: "deleted" } : { key, value: { polluted: true }, change: "created" };
      expect((await pollOnce(fake.store, db, kind)).map((e) => e.change)).toStrictEqual([expected]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  test.each(KINDS.flatMap((kind) => ["__proto__", "constructor"].map((key) => [key, kind] as const)))(
    "%s present at baseline is part of it: the next poll emits nothing (%s)",
    async (key, kind) => {
      const fake = await setupStore({ keep: 1 });
      await fake.store.set(key, 1);
      const db = new ServiceDb();
      await recordBaseline(fake.store, db, kind);
      expect(await pollOnce(fake.store, db, kind)).toEqual([]);
    },
  );
});

describe("capacity", () => {
  test("the db budget is Pipedream's 60 KB, and a state record takes at most 50 KB", () => {
    expect(SOURCE_DB_LIMIT_BYTES).toBe(60 * 1024);
    expect(STATE_RECORD_LIMIT_BYTES).toBe(50 * 1024);
  });

  test.each(KINDS)("5,000 keys of 32 characters: the db holds a header of under 1 KB, the store state records of at most 50 KB (%s)", async (kind) => {
    const { fake, db } = await watched(kind, manyRecords(5000));
    expect(db.sizeBytes).toBeLessThan(1024);
    const state = fake.controls.records().filter(({ key }) => key.includes(":state:"));
    expect(state.map(({ key }) => key).sort()).toEqual([...watchStateSummary(db)!.stateRecords].sort());
    expect(state.length).toBeGreaterThan(1);
    for (const { value } of state) expect(Buffer.byteLength(JSON.stringify(value))).toBeLessThanOrEqual(50 * 1024);
  });

  test("the shard count doubles as the store grows, and every shard is rewritten once when it does (created-or-updated)", async () => {
    const { fake, db } = await watched("created-or-updated", manyRecords(400));
    expect(watchStateSummary(db)!.shardCount).toBe(1);
    for (const [key, value] of Object.entries(manyRecords(1600, "more-"))) await fake.store.set(key, value);
    fake.controls.resetStats();
    expect(await pollOnce(fake.store, db, "created-or-updated")).toHaveLength(1600);
    const { shardCount, stateRecords } = watchStateSummary(db)!;
    expect(shardCount).toBe(4); // 2,000 keys × 46 bytes = 92 KB, at most 24 KB a shard on average
    expect(fake.controls.records().filter(({ key }) => key.includes(":state:")).map(({ key }) => key).sort()).toEqual([...stateRecords].sort());
  });

  test("a state that needs more than MAX_SHARDS records fails with SourceCapacityError, naming the limit", () => {
    const records = new ShardedRecords(1, false);
    records.set("k".repeat(60_000), ""); // one key past 50 KB: no count of shards gives it a record that fits
    expect(() => records.fit()).toThrow(SourceCapacityError);
    expect(() => records.fit()).toThrow(`${MAX_SHARDS} records of 50 KB`);
  });
});

test("a redeploy keeps counting polls, so its events never reuse the ids of events before it", async () => {
  const fake = await setupStore();
  const db = new ServiceDb();
  const ids: string[] = [];
  const collect = (_change: unknown, id: string) => void ids.push(id);
  await recordBaseline(fake.store, db, "created");
  await fake.store.set("a", 1);
  await pollChanges(fake.store, db, "created", collect);
  await fake.store.delete("a");
  await recordBaseline(fake.store, db, "created"); // redeployed
  await fake.store.set("a", 1);
  await pollChanges(fake.store, db, "created", collect);
  expect(ids).toHaveLength(2);
  expect(new Set(ids).size).toBe(2);
});
