import { describe, expect, test } from "@jest/globals";
import action from "../../actions/copy-records/copy-records.mjs";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";

/** A source (Data Store) and a target (Target Data Store), fake stores on the test clock. */
async function twoStores(source: Record<string, JsonValue>, target: Record<string, JsonValue>, options: Parameters<typeof setupStore>[1] = {}) {
  const a = await setupStore(source, options);
  const b = createFakeDataStore({ ...options, now: a.clock.now });
  for (const [key, value] of Object.entries(target)) await b.store.set(key, value);
  b.controls.resetStats();
  return { a, b, props: { dataStore: a.store, targetDataStore: b.store } };
}

const entries = (records: { key: string; value: unknown }[]) => records.map(({ key, value }) => [key, value]);

describe("copy-records", () => {
  test("copies every record, falsy values and __proto__ included, and leaves the source as it was", async () => {
    const { a, b, props } = await twoStores({ zero: 0, no: false, empty: "", nothing: null, list: [1], obj: { n: { m: 1 } } }, {});
    await a.store.set("__proto__", JSON.parse('{"__proto__":{"polluted":true}}') as never);
    a.controls.resetStats();
    const before = a.controls.records();
    const { returnValue, summary } = await runAction(action, props);
    expect(returnValue).toEqual({ copied: 7, skippedExisting: 0, deleted: 0 });
    expect(summary).toBe("Copied 7 records");
    expect(b.controls.records()).toEqual(before);
    expect(a.controls.records()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("by default keeps what the target already has, and counts it", async () => {
    const { b, props } = await twoStores({ a: 1, b: 2, c: 0 }, { b: "theirs", c: null });
    const { returnValue, summary } = await runAction(action, props);
    expect(returnValue).toEqual({ copied: 1, skippedExisting: 2, deleted: 0 });
    expect(summary).toBe("Copied 1 record; skipped 2 the target already had");
    expect(entries(b.controls.records())).toEqual([["a", 1], ["b", "theirs"], ["c", null]]);
  });

  test("Existing overwrite replaces the target's records, and a permanent copy clears an old expiry", async () => {
    const { b, props } = await twoStores({ a: 1, b: 2 }, { c: 3 });
    await b.store.set("b", "theirs", { ttl: 60 });
    const { returnValue } = await runAction(action, { ...props, existing: "overwrite" });
    expect(returnValue).toEqual({ copied: 2, skippedExisting: 0, deleted: 0 });
    expect(b.controls.records()).toEqual([
      { key: "a", value: 1, expiresAt: null },
      { key: "b", value: 2, expiresAt: null },
      { key: "c", value: 3, expiresAt: null },
    ]);
  });

  test("a TTL makes the copies expire, and the summary says when", async () => {
    const { a, b, props } = await twoStores({ a: 1, b: 0 }, {});
    const { summary } = await runAction(action, { ...props, ttl: 3600 });
    expect(summary).toBe("Copied 2 records (expires in 1 hour)");
    a.clock.advanceSeconds(3600);
    expect(b.controls.records()).toEqual([]);
    expect(a.controls.records()).toHaveLength(2);
  });

  test.each([0, "", "0", undefined])("a TTL of %j makes permanent copies", async (ttl) => {
    const { b, props } = await twoStores({ a: 1 }, {});
    await runAction(action, { ...props, ttl });
    expect(b.controls.records()).toEqual([{ key: "a", value: 1, expiresAt: null }]);
  });

  test("a prefix copies only the keys that start with it", async () => {
    const { b, props } = await twoStores({ "user:1": 1, "user:2": 2, order: 3 }, {});
    const { returnValue } = await runAction(action, { ...props, prefix: "user:" });
    expect(returnValue).toEqual({ copied: 2, skippedExisting: 0, deleted: 0 });
    expect(entries(b.controls.records())).toEqual([["user:1", 1], ["user:2", 2]]);
  });

  test("the package's own __dskit: records are never copied, nor deleted by a move", async () => {
    const { a, b, props } = await twoStores({ k: 1, "__dskit:limit:fixed-window:api": { count: 1 }, "__dskit:dedupe:evt": {} }, {});
    const { returnValue } = await runAction(action, { ...props, deleteAfterCopy: true, existing: "overwrite" });
    expect(returnValue).toEqual({ copied: 1, skippedExisting: 0, deleted: 1 });
    expect(entries(b.controls.records())).toEqual([["k", 1]]);
    expect(a.controls.records().map(({ key }) => key)).toEqual(["__dskit:dedupe:evt", "__dskit:limit:fixed-window:api"]);
  });

  test("Delete After Copy moves the records: deleted from the source once copied", async () => {
    const { a, b, props } = await twoStores({ a: 1, b: false, c: "" }, { c: "theirs" });
    const { returnValue, summary } = await runAction(action, { ...props, deleteAfterCopy: true });
    expect(returnValue).toEqual({ copied: 2, skippedExisting: 1, deleted: 2 });
    expect(summary).toBe("Copied 2 records; skipped 1 the target already had; deleted 2 from the source");
    // "c" was not copied (the target kept its own), so the source keeps it.
    expect(entries(a.controls.records())).toEqual([["c", ""]]);
    expect(entries(b.controls.records())).toEqual([["a", 1], ["b", false], ["c", "theirs"]]);
  });

  test("a record changed after its copy was written is kept by a move, and the summary says so", async () => {
    const { a, b, props } = await twoStores({ a: 1, b: 2 }, {});
    const target: DataStore = {
      ...b.store,
      set: async (key, value, options) => {
        await b.store.set(key, value, options);
        if (key === "a") await a.store.set("a", 10);
      },
    };
    const { returnValue, summary } = await runAction(action, { ...props, targetDataStore: target, deleteAfterCopy: true });
    expect(returnValue).toEqual({ copied: 2, skippedExisting: 0, deleted: 1 });
    expect(summary).toBe("Copied 2 records; deleted 1 from the source; kept 1 changed since copying");
    expect(entries(a.controls.records())).toEqual([["a", 10]]);
  });

  test("an empty source copies nothing and leaves the target as it was", async () => {
    const empty = await twoStores({}, { k: 1 });
    expect((await runAction(action, empty.props)).summary).toBe("Copied 0 records");
    expect(entries(empty.b.controls.records())).toEqual([["k", 1]]);
  });

  test("requests: the source is read in pages with no get; the target gets one keys() and one set per copy", async () => {
    const records = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${String(i).padStart(3, "0")}`, i]));
    const { a, b, props } = await twoStores(records, { k000: "theirs", k001: "theirs" }, { pageSize: 128 });
    await runAction(action, props);
    // The same-store probe: a set and a delete in the target, a has in the source.
    expect(a.controls.stats.calls).toEqual({ get: 0, set: 0, setTtl: 0, has: 1, delete: 0, keys: 0, clear: 0, page: 3 });
    expect(b.controls.stats.calls).toEqual({ get: 0, set: 1 + 298, setTtl: 0, has: 0, delete: 1, keys: 1, clear: 0, page: 0 });
  });

  describe("the same store twice is refused", () => {
    test("as one object (the runtime's data store prop, dskit), before any request", async () => {
      const fake = await setupStore({ a: 1, b: 0 });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, targetDataStore: fake.store, deleteAfterCopy: true }),
        /^The target is the same data store as the source.*Choose a different target data store\.$/,
      );
      expect(fake.controls.stats.total).toBe(0);
    });

    test("as two objects for one store (how Pipedream hands two props), with its records unchanged", async () => {
      const fake = await setupStore({ a: 1, b: 0 });
      const before = fake.controls.records();
      const alias: DataStore = { ...fake.store };
      const error = await runAction(action, { dataStore: fake.store, targetDataStore: alias, deleteAfterCopy: true }).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ name: "ConfigurationError", message: expect.stringMatching(/^The target is the same data store/) });
      expect(fake.controls.records()).toEqual(before);
      // Only the probe was written and deleted: no user record was touched.
      expect(fake.controls.stats.calls).toMatchObject({ set: 1, delete: 1, has: 1, setTtl: 0, page: 0, get: 0 });
    });
  });

  describe("bad input is refused with a ConfigurationError and both stores untouched", () => {
    test.each([
      ["an unknown Existing Records", { existing: "merge" }, /^Existing Records must be one of "skip", "overwrite"; got "merge"/],
      ["Delete After Copy as other text", { deleteAfterCopy: "yes" }, /^Delete After Copy must be true or false/],
      ["a negative TTL", { ttl: -1 }, /^TTL \(seconds\) must be a whole number of seconds/],
      ["a fractional TTL", { ttl: 1.5 }, /^TTL \(seconds\) must be a whole number of seconds/],
      ["a TTL over two years", { ttl: 63_072_001 }, /^TTL \(seconds\) must be a whole number of seconds/],
      ["a reserved prefix", { prefix: "__dskit:" }, /^Key Prefix starts with "__dskit:".*never copied\.$/],
      ["a prefix with a lone surrogate", { prefix: "\udc00" }, /^Key Prefix is not well-formed text/],
      ["no Target Data Store", { targetDataStore: undefined }, /^Target Data Store is required: select the data store to copy to\.$/],
      ["a store's name instead of a store", { targetDataStore: "production" }, /^Target Data Store is required/],
    ])("%s", async (_name, overrides, message) => {
      const { a, b, props } = await twoStores({ k: "original", z: 0 }, { k: "theirs" });
      const targetBefore = b.controls.records();
      await expectRefusedUnchanged(a, () => runAction(action, { ...props, deleteAfterCopy: true, existing: "overwrite", ...overrides }), message);
      expect(b.controls.records()).toEqual(targetBefore);
      expect(a.controls.stats.total + b.controls.stats.total).toBe(0);
    });
  });
});
