import { describe, expect, test } from "@jest/globals";
import action from "../../actions/search-records/search-records.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

const orders = {
  "order:1": { customer: { email: "ann@example.com" }, items: [{ sku: "A-1" }, { sku: "B-2" }], paid: true },
  "order:2": { customer: { email: "bob@example.com" }, items: [{ sku: "B-2" }], paid: false },
  "user:ann": "Ann Lee",
};

describe("search-records", () => {
  test("finds records whose value contains the query anywhere, case ignored, with the paths that matched", async () => {
    const fake = await setupStore(orders);
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, query: "ANN" });
    expect(returnValue).toEqual({
      matches: [
        { key: "order:1", value: orders["order:1"], paths: ["customer.email"] },
        { key: "user:ann", value: "Ann Lee", paths: [""] },
      ],
      scanned: 3,
      truncated: false,
    });
    expect(summary).toBe('Found 2 records whose value contains "ANN" among 3 records searched');
  });

  test("a field searches one member, through list positions", async () => {
    const fake = await setupStore(orders);
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, query: "B-2", match: "equals", field: "items.0.sku" });
    expect(returnValue).toMatchObject({ matches: [{ key: "order:2", paths: ["items.0.sku"] }], scanned: 3 });
    expect(summary).toBe('Found 1 record whose value equals "B-2" at items.0.sku among 3 records searched');
  });

  test("startsWith with Case Sensitive on tells case apart", async () => {
    const fake = await setupStore({ a: "Ann", b: "ann", c: "Annette" });
    const { returnValue } = await runAction(action, { dataStore: fake.store, query: "Ann", match: "startsWith", caseSensitive: true });
    expect((returnValue as { matches: { key: string }[] }).matches.map(({ key }) => key)).toEqual(["a", "c"]);
  });

  test.each<[string, unknown, unknown]>([
    ["the text 0 finds the number 0", "0", 0],
    ["the number 0 from an expression finds the number 0", 0, 0],
    ["the text false finds false", "false", false],
    ["true/false from an expression finds false", false, false],
    ["the text null finds null", "null", null],
  ])("%s", async (_name, query, value) => {
    const fake = await setupStore({ falsy: value as never, other: "x" });
    const { returnValue } = await runAction(action, { dataStore: fake.store, query, match: "equals" });
    expect(returnValue).toEqual({ matches: [{ key: "falsy", value, paths: [""] }], scanned: 2, truncated: false });
  });

  test("a record holding empty text is returned when a field inside another matches, and never by itself", async () => {
    const fake = await setupStore({ empty: "", full: { note: "", n: 0 } });
    const { returnValue } = await runAction(action, { dataStore: fake.store, query: "0" });
    expect(returnValue).toEqual({ matches: [{ key: "full", value: { note: "", n: 0 }, paths: ["n"] }], scanned: 2, truncated: false });
  });

  test("a __proto__ key is returned as a record, and a __proto__ field reaches only an own member", async () => {
    const fake = await setupStore({ a: { n: "x" } });
    await fake.store.set("__proto__", { polluted: "x" });
    fake.controls.resetStats();
    const all = await runAction(action, { dataStore: fake.store, query: "x" });
    expect(all.returnValue).toMatchObject({ matches: [{ key: "__proto__", value: { polluted: "x" } }, { key: "a" }] });
    const field = await runAction(action, { dataStore: fake.store, query: "object", field: "__proto__" });
    expect(field.returnValue).toEqual({ matches: [], scanned: 2, truncated: false });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("the package's own records are skipped", async () => {
    const fake = await setupStore({ "__dskit:dedupe:ann": { firstSeenAt: "ann" }, a: "ann" });
    const { returnValue } = await runAction(action, { dataStore: fake.store, query: "ann" });
    expect(returnValue).toEqual({ matches: [{ key: "a", value: "ann", paths: [""] }], scanned: 1, truncated: false });
  });

  test("an empty store: nothing found, one request", async () => {
    const fake = await setupStore({});
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, query: "x" });
    expect(returnValue).toEqual({ matches: [], scanned: 0, truncated: false });
    expect(summary).toBe('Found 0 records whose value contains "x" among 0 records searched');
    expect(fake.controls.stats.total).toBe(1);
  });

  test("a prefix and a limit: the first matches by key among the prefix's records, and the summary says more matched", async () => {
    const records = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`user:${String(39 - i).padStart(2, "0")}`, "hit"]));
    const fake = await setupStore({ ...records, "order:1": "hit" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, query: "hit", prefix: "user:", limit: 2 });
    expect(returnValue).toEqual({
      matches: [
        { key: "user:00", value: "hit", paths: [""] },
        { key: "user:01", value: "hit", paths: [""] },
      ],
      scanned: 40,
      truncated: true,
    });
    expect(summary).toBe('Found 2 records whose value contains "hit" among 40 records searched (the first 2 by key; more matched)');
  });

  test("reads the store with the iterator only: one request per page, no get, no keys()", async () => {
    const records = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, { n: i, tag: i % 2 === 0 ? "even" : "odd" }]));
    const fake = await setupStore(records, { pageSize: 128 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, query: "even", match: "equals", field: "tag" });
    expect((returnValue as { matches: unknown[] }).matches).toHaveLength(100);
    expect((returnValue as { truncated: boolean }).truncated).toBe(true);
    expect(fake.controls.stats.calls).toEqual({ get: 0, set: 0, setTtl: 0, has: 0, delete: 0, keys: 0, clear: 0, page: 3 });
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["a query given as nothing (an expression that found nothing)", { query: undefined }, /^Query is empty/],
      ["an empty query", { query: "  " }, /^Query is empty/],
      ["a query that is an object", { query: { a: 1 } }, /^Query must be text, a number or true\/false; got a object/],
      ["a query that is NaN", { query: Number.NaN }, /^Query must be text/],
      ["an unknown match", { query: "x", match: "like" }, /^Match must be one of "contains", "equals", "startsWith"/],
      ["a field with an empty part", { query: "x", field: "items..sku" }, /^Field "items\.\.sku" has an empty part/],
      ["a field that is a list", { query: "x", field: ["a"] }, /^Field must be a dot path/],
      ["a limit of 0", { query: "x", limit: 0 }, /^Limit must be a whole number from 1 to 10000/],
      ["a limit over 10000", { query: "x", limit: 10_001 }, /^Limit must be a whole number from 1 to 10000/],
      ["a Case Sensitive of yes", { query: "x", caseSensitive: "yes" }, /^Case Sensitive must be true or false/],
      ["a reserved key prefix", { query: "x", prefix: "__dskit:limit:" }, /^Key Prefix starts with "__dskit:".*Search Records never searches them\.$/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ k: "x" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
      expect(fake.controls.stats.total).toBe(0);
    });
  });
});
