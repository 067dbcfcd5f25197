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
