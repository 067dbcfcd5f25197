import { describe, expect, test } from "@jest/globals";
import action from "../../actions/compare-data-stores/compare-data-stores.mjs";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";

/** Two fake stores on the test clock: "here" (Data Store) and "other" (Other Data Store). */
async function twoStores(here: Record<string, JsonValue>, other: Record<string, JsonValue>, options: Parameters<typeof setupStore>[1] = {}) {
  const a = await setupStore(here, options);
  const b = createFakeDataStore({ ...options, now: a.clock.now });
  for (const [key, value] of Object.entries(other)) await b.store.set(key, value);
  b.controls.resetStats();
  return { a, b, props: { dataStore: a.store, otherDataStore: b.store } };
}

describe("compare-data-stores", () => {
  test("lists records only here, only in the other, changed ones with both values, and counts the unchanged", async () => {
    const { props } = await twoStores(
      { b: 2, a: "one", same: { x: 1, y: [1, 2] }, diff: 1, gone: 0 },
      { diff: 2, same: { y: [1, 2], x: 1 }, d: 4, c: false },
    );
    const { returnValue, summary } = await runAction(action, props);
    expect(returnValue).toEqual({
      onlyHere: [
        { key: "a", value: "one" },
        { key: "b", value: 2 },
        { key: "gone", value: 0 },
      ],
      onlyInOther: [
        { key: "c", value: false },
        { key: "d", value: 4 },
      ],
      changed: [{ key: "diff", value: 1, otherValue: 2 }],
      unchanged: 1,
      truncated: false,
    });
    expect(summary).toBe("Compared: 3 only here, 2 only in the other, 1 changed, 1 unchanged");
  });

  test.each([
    [0, false],
    [0, ""],
    [0, null],
    [false, null],
    ["", null],
    [[], {}],
    ["1", 1],
  ])("the falsy or look-alike values %j and %j are different values", async (mine, theirs) => {
    const { props } = await twoStores({ k: mine, same: mine }, { k: theirs, same: mine });
    const { returnValue } = await runAction(action, props);
    expect(returnValue).toMatchObject({ changed: [{ key: "k", value: mine, otherValue: theirs }], unchanged: 1, onlyHere: [], onlyInOther: [] });
  });

  test("__proto__ keys are compared like any other, and object values with a __proto__ key keep it", async () => {
    const { a, b, props } = await twoStores({ x: 1 }, { x: 1 });
    await a.store.set("__proto__", JSON.parse('{"__proto__":{"polluted":true}}') as never);
    await b.store.set("__proto__", { other: true });
    await b.store.set("constructor", 1);
    const { returnValue } = await runAction(action, props);
    const result = returnValue as { changed: { key: string; value: Record<string, unknown> }[]; onlyInOther: unknown[] };
    expect(result.changed).toHaveLength(1);
    expect(result.changed[0]!.key).toBe("__proto__");
    expect(Object.hasOwn(result.changed[0]!.value, "__proto__")).toBe(true);
    expect(result.onlyInOther).toEqual([{ key: "constructor", value: 1 }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("the package's own __dskit: records are left out on both sides", async () => {
    const { props } = await twoStores(
      { "__dskit:limit:fixed-window:api": { count: 1 }, k: 1 },
      { "__dskit:limit:fixed-window:api": { count: 2 }, "__dskit:dedupe:evt": {}, k: 1 },
    );
    const { returnValue } = await runAction(action, props);
    expect(returnValue).toEqual({ onlyHere: [], onlyInOther: [], changed: [], unchanged: 1, truncated: false });
  });

  test("a prefix compares only the keys that start with it", async () => {
    const { props } = await twoStores({ "user:1": 1, "user:2": 2, order: 1 }, { "user:2": 3, "user:3": 3, other: 1 });
    const { returnValue, summary } = await runAction(action, { ...props, prefix: "user:" });
    expect(returnValue).toEqual({
      onlyHere: [{ key: "user:1", value: 1 }],
      onlyInOther: [{ key: "user:3", value: 3 }],
      changed: [{ key: "user:2", value: 2, otherValue: 3 }],
      unchanged: 0,
      truncated: false,
    });
    expect(summary).toBe('Compared (keys starting "user:"): 1 only here, 1 only in the other, 1 changed, 0 unchanged');
  });

  test("a limit cuts each list to its first keys, says so, and the summary still counts them all", async () => {
    const here = Object.fromEntries(["e", "d", "c", "b", "a"].map((key) => [key, 1]));
    const other = Object.fromEntries(["x", "y", "c", "b"].map((key) => [key, 2]));
    const { props } = await twoStores(here, other);
    const { returnValue, summary } = await runAction(action, { ...props, limit: 1 });
    expect(returnValue).toEqual({
      onlyHere: [{ key: "a", value: 1 }],
      onlyInOther: [{ key: "x", value: 2 }],
      changed: [{ key: "b", value: 1, otherValue: 2 }],
      unchanged: 0,
      truncated: true,
    });
    expect(summary).toBe("Compared: 3 only here, 2 only in the other, 2 changed, 0 unchanged; lists cut at 1 entry");
  });

  test("a list exactly as long as the limit is not truncated", async () => {
    const { props } = await twoStores({ a: 1, b: 1 }, {});
    const { returnValue } = await runAction(action, { ...props, limit: 2 });
    expect(returnValue).toMatchObject({ onlyHere: [{ key: "a" }, { key: "b" }], truncated: false });
  });

  test("two empty stores compare equal", async () => {
    const { props } = await twoStores({}, {});
    const { returnValue, summary } = await runAction(action, props);
    expect(returnValue).toEqual({ onlyHere: [], onlyInOther: [], changed: [], unchanged: 0, truncated: false });
    expect(summary).toBe("Compared: 0 only here, 0 only in the other, 0 changed, 0 unchanged");
  });

  test("expired records are not compared", async () => {
    const { a, b, props } = await twoStores({ k: 1 }, { k: 1 });
    await a.store.set("temp", 1, { ttl: 60 });
    await b.store.set("k", 2, { ttl: 60 });
    a.clock.advanceSeconds(61);
    const { returnValue } = await runAction(action, props);
    expect(returnValue).toEqual({ onlyHere: [{ key: "k", value: 1 }], onlyInOther: [], changed: [], unchanged: 0, truncated: false });
  });

  test("the same store given twice reads it twice and finds every record unchanged, writing nothing", async () => {
    const fake = await setupStore({ a: 1, b: 0 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, otherDataStore: fake.store });
    expect(returnValue).toEqual({ onlyHere: [], onlyInOther: [], changed: [], unchanged: 2, truncated: false });
    expect(fake.controls.stats.calls).toMatchObject({ page: 2, set: 0, delete: 0, setTtl: 0 });
  });

  test("each store is read once with pages, never with get or keys() (300 and 200 records)", async () => {
    const here = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${String(i).padStart(3, "0")}`, i]));
    const other = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`k${String(i * 2).padStart(3, "0")}`, i * 2]));
    const { a, b, props } = await twoStores(here, other, { pageSize: 128 });
    const { returnValue } = await runAction(action, props);
    expect(returnValue).toMatchObject({ unchanged: 150, truncated: false });
    expect((returnValue as { onlyHere: unknown[] }).onlyHere).toHaveLength(150);
    for (const [fake, pages] of [[a, 3], [b, 2]] as const) {
      expect(fake.controls.stats.calls).toEqual({ get: 0, set: 0, setTtl: 0, has: 0, delete: 0, keys: 0, clear: 0, page: pages });
    }
  });

  describe("bad input is refused with a ConfigurationError and both stores untouched", () => {
    test.each([
      ["a limit of 0", { limit: 0 }, /^Limit must be a whole number from 1 to 10000/],
      ["a limit over 10000", { limit: 10_001 }, /^Limit must be a whole number from 1 to 10000/],
      ["a limit that is not a number", { limit: "ten" }, /^Limit must be a whole number/],
      ["a reserved prefix", { prefix: "__dskit:limit:" }, /^Key Prefix starts with "__dskit:".*never compared\.$/],
      ["a prefix with a lone surrogate", { prefix: "evt-\ud83d" }, /^Key Prefix is not well-formed text/],
      ["no Other Data Store", { otherDataStore: undefined }, /^Other Data Store is required: select the data store to compare with\.$/],
      ["a store's name instead of a store", { otherDataStore: "production" }, /^Other Data Store is required/],
    ])("%s", async (_name, overrides, message) => {
      const { a, b, props } = await twoStores({ k: "original", z: 0 }, { k: "theirs" });
      const otherBefore = b.controls.records();
      await expectRefusedUnchanged(a, () => runAction(action, { ...props, ...overrides }), message);
      expect(b.controls.records()).toEqual(otherBefore);
      expect(a.controls.stats.total + b.controls.stats.total).toBe(0);
    });
  });
});
