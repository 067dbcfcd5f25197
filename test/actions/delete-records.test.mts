import { describe, expect, test } from "@jest/globals";
import action from "../../actions/delete-records/delete-records.mjs";
import { loadPropOptions, runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

describe("delete-records", () => {
  test("deletes several keys, reports the missing ones, and leaves other records alone", async () => {
    const fake = await setupStore({ a: 1, b: 2, c: 3 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["a", "missing", "c"] });
    expect(returnValue).toEqual({ deleted: ["a", "c"], notFound: ["missing"] });
    expect(fake.controls.records()).toEqual([{ key: "b", value: 2, expiresAt: null }]);
  });

  test("one key given as plain text is deleted", async () => {
    const fake = await setupStore({ a: 1, b: 2 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, keys: "a" });
    expect(returnValue).toEqual({ deleted: ["a"], notFound: [] });
    expect(await fake.store.has("a")).toBe(false);
    expect(await fake.store.has("b")).toBe(true);
  });

  test("a JSON list of keys in text deletes each key", async () => {
    const fake = await setupStore({ a: 1, b: 2, c: 3 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, keys: '["a","b"]' });
    expect(returnValue).toEqual({ deleted: ["a", "b"], notFound: [] });
    expect(fake.controls.records().map((record) => record.key)).toEqual(["c"]);
  });

  test("a key given twice is deleted once", async () => {
    const fake = await setupStore({ a: 1, b: 2 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["a", "a", "b", "a"] });
    expect(returnValue).toEqual({ deleted: ["a", "b"], notFound: [] });
    expect(fake.controls.stats.calls.delete).toBe(2);
    expect(fake.controls.records()).toEqual([]);
  });

  test.each([0, false, "", null])("a record holding the falsy value %j is found and deleted", async (value) => {
    const fake = await setupStore({ falsy: value, other: 1 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["falsy"] });
    expect(returnValue).toEqual({ deleted: ["falsy"], notFound: [] });
    expect(await fake.store.has("falsy")).toBe(false);
    expect(await fake.store.get("other")).toBe(1);
  });

  test("the summary counts the deleted records", async () => {
    const fake = await setupStore({ a: 1, b: 2 });
    const { summary } = await runAction(action, { dataStore: fake.store, keys: ["a", "b"] });
    expect(summary).toBe("Successfully deleted 2 records");
  });

  test("the summary counts the keys that had no record", async () => {
    const fake = await setupStore({ a: 1 });
    const { summary } = await runAction(action, { dataStore: fake.store, keys: ["a", "x", "y"] });
    expect(summary).toBe("Successfully deleted 1 record; 2 keys had no record");
  });

  test("the summary of one missing key is singular", async () => {
    const fake = await setupStore({ a: 1 });
    const { summary } = await runAction(action, { dataStore: fake.store, keys: "x" });
    expect(summary).toBe("Successfully deleted 0 records; 1 key had no record");
  });

  test("the keys prop offers the store's keys, sorted", async () => {
    const fake = await setupStore({ "user:2": 2, b: 1, a: 0, "user:10": 10 });
    const options = await loadPropOptions(action, "keys", { dataStore: fake.store });
    expect(options).toEqual(["a", "b", "user:10", "user:2"]);
  });

  test("the keys dropdown never offers the package's internal records", async () => {
    const fake = await setupStore({ b: 1, "__dskit:dedupe:evt-1": { firstSeenAt: "2026-11-24T18:31:00.000Z" }, a: 2 });
    expect(await loadPropOptions(action, "keys", { dataStore: fake.store })).toEqual(["a", "b"]);
  });

  describe("Return Values", () => {
    test("returns the deleted records' values by key, as they were just before deletion", async () => {
      const fake = await setupStore({ a: { n: 1 }, b: [2], c: "three" });
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, keys: ["c", "missing", "a"], returnValues: true });
      expect(returnValue).toEqual({ deleted: ["c", "a"], notFound: ["missing"], values: { c: "three", a: { n: 1 } } });
      expect(Object.keys((returnValue as { values: object }).values)).toEqual(["c", "a"]);
      expect(summary).toBe("Successfully deleted 2 records; 1 key had no record");
      expect(fake.controls.records()).toEqual([{ key: "b", value: [2], expiresAt: null }]);
    });

    test("costs no extra request: a get instead of a has per key, then a delete per key found", async () => {
      const fake = await setupStore({ a: 1, b: 2 });
      await runAction(action, { dataStore: fake.store, keys: ["a", "b", "x"], returnValues: true });
      expect(fake.controls.stats.calls).toEqual({ get: 3, set: 0, setTtl: 0, has: 0, delete: 2, keys: 0, clear: 0, page: 0 });
    });

    test("reads and deletes at most 10 keys at once", async () => {
      const keys = Array.from({ length: 40 }, (_, i) => `k${i}`);
      const fake = await setupStore(Object.fromEntries(keys.map((key) => [key, 1])), { latencyMs: 2 });
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys, returnValues: true });
      expect(Object.keys((returnValue as { values: object }).values)).toHaveLength(40);
      expect(fake.controls.stats.peakInFlight).toBe(10);
    });

    test.each([0, false, "", null])("a record holding the falsy value %j is returned with its value", async (value) => {
      const fake = await setupStore({ falsy: value });
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["falsy"], returnValues: true });
      const values = (returnValue as { values: Record<string, unknown> }).values;
      expect(Object.hasOwn(values, "falsy")).toBe(true);
      expect(values.falsy).toBe(value);
      expect(returnValue).toMatchObject({ deleted: ["falsy"], notFound: [] });
    });

    test("a __proto__ key is an own member of values, and shows in its JSON", async () => {
      const fake = await setupStore({ a: 1 });
      await fake.store.set("__proto__", { polluted: true });
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["__proto__", "a"], returnValues: true });
      const values = (returnValue as { values: Record<string, unknown> }).values;
      expect(Object.hasOwn(values, "__proto__")).toBe(true);
      expect(values["__proto__"]).toEqual({ polluted: true });
      expect(JSON.stringify(values)).toBe('{"__proto__":{"polluted":true},"a":1}');
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(fake.controls.records()).toEqual([]);
    });

    test("nothing found: values is an empty object", async () => {
      const fake = await setupStore({});
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["x"], returnValues: true });
      expect(returnValue).toEqual({ deleted: [], notFound: ["x"], values: {} });
    });

    test("left off, the result has no values member (the earlier shape)", async () => {
      const fake = await setupStore({ a: 1 });
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["a"], returnValues: false });
      expect(Object.keys(returnValue as object)).toEqual(["deleted", "notFound"]);
    });

    test("a Return Values that is not true/false is refused before anything is deleted", async () => {
      const fake = await setupStore({ a: 1 });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, keys: ["a"], returnValues: "yes" }), /^Return Values must be true or false/);
      expect(fake.controls.stats.total).toBe(0);
    });
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["an empty list", { keys: [] }, /Keys is empty/],
      ["a list holding one empty key", { keys: [""] }, /Keys is empty/],
      ["empty text", { keys: "" }, /Keys is empty/],
      ["a key that is an object", { keys: { a: 1 } }, /Keys item 1 must be text/],
      ["a list with a good key and an object", { keys: ["a", { b: 1 }] }, /Keys item 2 must be text/],
      ["a list with a good key and an empty one", { keys: ["a", ""] }, /Keys item 2 is empty/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ a: 1, b: 2 });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
    });
  });
});
