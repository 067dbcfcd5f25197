import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { InvalidArgumentError } from "../../lib/errors.mjs";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { searchRecords, type SearchOptions } from "../../lib/search/search-records.mjs";
import { SmallestKeys } from "../../lib/search/smallest-keys.mjs";
import { leavesOf, parsePath, valueAtPath } from "../../lib/search/value-paths.mjs";
import { expectLibraryRefusal, setupStore } from "../support/fixtures.mjs";

/** Searches a fresh store holding `records` and returns the matches as `{ key: paths }`. */
async function pathsFound(records: Record<string, JsonValue>, query: string, options: SearchOptions = {}) {
  const fake = await setupStore(records);
  const { matches } = await searchRecords(fake.store, query, options);
  return Object.fromEntries(matches.map(({ key, paths }) => [key, paths]));
}

describe("searchRecords: what matches", () => {
  test("contains finds the query in any text inside the value, with the path of each leaf that matched", async () => {
    const found = await pathsFound(
      { order: { customer: { email: "ann@example.com", name: "Ann" }, notes: ["call ann", "paid"] }, other: { name: "Bob" } },
      "ann",
    );
    expect(found).toEqual({ order: ["customer.email", "customer.name", "notes.0"] });
  });

  test("a value that is itself text matches with the path \"\"", async () => {
    expect(await pathsFound({ greeting: "Hello world", other: "bye" }, "world")).toEqual({ greeting: [""] });
  });

  test("equals compares the whole text, startsWith its beginning", async () => {
    const records = { a: "apple", b: "pineapple", c: "app" };
    expect(await pathsFound(records, "app", { match: "equals" })).toEqual({ c: [""] });
    expect(await pathsFound(records, "app", { match: "startsWith" })).toEqual({ a: [""], c: [""] });
    expect(await pathsFound(records, "app")).toEqual({ a: [""], b: [""], c: [""] });
  });

  test("case is ignored by default and told apart with caseSensitive", async () => {
    const records = { a: "ANN", b: "ann", c: "Ann" };
    expect(await pathsFound(records, "aNn")).toEqual({ a: [""], b: [""], c: [""] });
    expect(await pathsFound(records, "Ann", { caseSensitive: true })).toEqual({ c: [""] });
  });

  test("case-insensitive comparison lower-cases without locale rules or folding: ß is not ss", async () => {
    expect(await pathsFound({ a: "STRASSE", b: "straße", c: "ÉCOLE" }, "école")).toEqual({ c: [""] });
    expect(await pathsFound({ a: "STRASSE", b: "straße" }, "strasse")).toEqual({ a: [""] });
  });

  test.each<[string, JsonValue, string]>([
    ["0 by the text 0", 0, "0"],
    ["-0, stored as 0, by the text 0", -0, "0"],
    ["false by the text false", false, "false"],
    ["true by the text true", true, "true"],
    ["null by the text null", null, "null"],
    ["1.5 by the text 1.5", 1.5, "1.5"],
    ["1e21 by its JSON text 1e+21", 1e21, "1e+21"],
  ])("a record holding %s matches with equals", async (_name, value, query) => {
    expect(await pathsFound({ falsy: value, other: "x" }, query, { match: "equals" })).toEqual({ falsy: [""] });
  });

  test("falsy values inside objects and lists are leaves too", async () => {
    const found = await pathsFound({ r: { count: 0, flags: [false, null, ""], empty: "" } }, "0", { match: "equals" });
    expect(found).toEqual({ r: ["count"] });
    expect(await pathsFound({ r: { flags: [false, null] } }, "null", { match: "equals" })).toEqual({ r: ["flags.1"] });
  });

  test("numbers match by their JSON text, not as written elsewhere: 1.0 is stored as 1", async () => {
    expect(await pathsFound({ n: 1 }, "1.0", { match: "equals" })).toEqual({});
    expect(await pathsFound({ n: 1234 }, "23")).toEqual({ n: [""] });
  });

  test("text is matched as is, not as JSON: a quote in the query is a quote", async () => {
    expect(await pathsFound({ a: 'say "hi"', b: "hi" }, '"hi"')).toEqual({ a: [""] });
    expect(await pathsFound({ a: "42" }, '"42"')).toEqual({});
  });

  test("empty lists and objects have nothing to match", async () => {
    expect(await pathsFound({ a: [], b: {}, c: { d: [] } }, "[]")).toEqual({});
    expect(await pathsFound({ a: [], b: {} }, "{}")).toEqual({});
  });

  test("object member names are not searched, only values", async () => {
    expect(await pathsFound({ a: { email: "x" } }, "email")).toEqual({});
  });
});

describe("searchRecords: field", () => {
  const order = {
    customer: { email: "ann@example.com", name: "Ann" },
    items: [
      { sku: "A-1", qty: 2 },
      { sku: "B-2", qty: 0 },
    ],
  };

  test("a dot path into objects searches only that member", async () => {
    expect(await pathsFound({ order, other: { customer: { name: "ann@x" } } }, "ann", { field: "customer.email" })).toEqual({
      order: ["customer.email"],
    });
  });

  test("a list position in the path reads that item", async () => {
    expect(await pathsFound({ order }, "B-2", { field: "items.1.sku" })).toEqual({ order: ["items.1.sku"] });
    expect(await pathsFound({ order }, "B-2", { field: "items.0.sku" })).toEqual({});
    expect(await pathsFound({ order }, "0", { field: "items.1.qty", match: "equals" })).toEqual({ order: ["items.1.qty"] });
  });

  test("a field holding a list or object is searched throughout, with full paths", async () => {
    expect(await pathsFound({ order }, "-", { field: "items" })).toEqual({ order: ["items.0.sku", "items.1.sku"] });
  });

  // Each query is what the path would find if it were read loosely (01 as 1, -1 from the end, length).
  test.each([
    ["items.01.sku", "B-2"],
    ["items.-1.sku", "B-2"],
    ["items.2.sku", "-"],
    ["items.length", "2"],
    ["items.1.5", "B"],
    ["customer.email.length", "15"],
  ])("a path %j that reaches nothing matches nothing, not even %j", async (field, query) => {
    expect(await pathsFound({ order }, query, { field })).toEqual({});
  });

  test.each(["__proto__", "constructor", "toString", "__proto__.polluted", "constructor.name", "hasOwnProperty"])(
    "the path %j never reaches a prototype",
    async (field) => {
      expect(await pathsFound({ a: { n: 1 }, b: [1], c: "Object" }, "o", { field })).toEqual({});
      expect(await pathsFound({ a: { n: 1 } }, "function", { field })).toEqual({});
    },
  );

  test("a member really named __proto__ is searched, as an own member", async () => {
    const value = JSON.parse('{"__proto__":{"polluted":"yes"},"n":"no"}') as JsonValue;
    expect(await pathsFound({ a: value }, "yes")).toEqual({ a: ["__proto__.polluted"] });
    expect(await pathsFound({ a: value }, "yes", { field: "__proto__.polluted" })).toEqual({ a: ["__proto__.polluted"] });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("a value that is not an object or list has no field", async () => {
    expect(await pathsFound({ a: "customer", b: 5 }, "c", { field: "customer" })).toEqual({});
  });
});

describe("searchRecords: which records, how many, and at what cost", () => {
  test("on an empty store: no matches, nothing scanned, one page read", async () => {
    const fake = await setupStore({});
    expect(await searchRecords(fake.store, "x")).toEqual({ matches: [], scanned: 0, truncated: false });
    expect(fake.controls.stats.calls.page).toBe(1);
    expect(fake.controls.stats.total).toBe(1);
  });

  test("reads the store once with the iterator: pages only, no get, no has, no keys()", async () => {
    const records = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, { n: i }]));
    const fake = await setupStore(records, { pageSize: 128 });
    const { matches, scanned } = await searchRecords(fake.store, "7", { limit: 10_000 });
    expect(scanned).toBe(300);
    expect(matches.length).toBeGreaterThan(0);
    expect(fake.controls.stats.calls).toEqual({ get: 0, set: 0, setTtl: 0, has: 0, delete: 0, keys: 0, clear: 0, page: 3 });
  });

  test("the package's __dskit: records are never searched nor counted", async () => {
    const found = await searchRecords((await setupStore({ "__dskit:limit:x": "ann", a: "ann" })).store, "ann");
    expect(found).toEqual({ matches: [{ key: "a", value: "ann", paths: [""] }], scanned: 1, truncated: false });
  });

  test("a prefix searches only its records, and scanned counts them", async () => {
    const fake = await setupStore({ "user:1": "ann", "user:2": "bob", "order:1": "ann" });
    expect(await searchRecords(fake.store, "ann", { prefix: "user:" })).toEqual({
      matches: [{ key: "user:1", value: "ann", paths: [""] }],
      scanned: 2,
      truncated: false,
    });
  });

  test("returns the value of each match with its key, sorted by key", async () => {
    const fake = await setupStore({ c: { t: "x" }, a: ["x"], b: "y" });
    const { matches } = await searchRecords(fake.store, "x");
    expect(matches).toEqual([
      { key: "a", value: ["x"], paths: ["0"] },
      { key: "c", value: { t: "x" }, paths: ["t"] },
    ]);
  });

  test("the limit keeps the first matches by key although the store yields them in another order, and says more matched", async () => {
    // Inserted from z down to a: the fake (like the platform) does not iterate in key order.
    const keys = Array.from({ length: 26 }, (_, i) => String.fromCharCode(122 - i));
    const fake = await setupStore(Object.fromEntries(keys.map((key) => [key, "hit"])), { pageSize: 5 });
    const result = await searchRecords(fake.store, "hit", { limit: 3 });
    expect(result.matches.map(({ key }) => key)).toEqual(["a", "b", "c"]);
    expect(result).toMatchObject({ scanned: 26, truncated: true });
  });

  test("exactly limit matches is not truncated", async () => {
    const fake = await setupStore({ b: "hit", a: "hit", c: "miss" });
    expect(await searchRecords(fake.store, "hit", { limit: 2 })).toMatchObject({ truncated: false, scanned: 3 });
  });

  test("matches past the limit are counted as truncated only when they match", async () => {
    const fake = await setupStore({ b: "hit", a: "hit", c: "miss", d: "miss" });
    expect((await searchRecords(fake.store, "hit", { limit: 2 })).truncated).toBe(false);
    expect((await searchRecords(fake.store, "miss", { limit: 1 })).truncated).toBe(true);
  });

  test("a key the iterator repeats is one match", async () => {
    const repeating = {
      async *[Symbol.asyncIterator]() {
        yield ["a", "hit"] as [string, JsonValue];
        yield ["b", "hit"] as [string, JsonValue];
        yield ["a", "hit"] as [string, JsonValue];
      },
    } as unknown as DataStore;
    const result = await searchRecords(repeating, "hit", { limit: 2 });
    expect(result).toEqual({
      matches: [
        { key: "a", value: "hit", paths: [""] },
        { key: "b", value: "hit", paths: [""] },
      ],
      scanned: 2,
      truncated: false,
    });
  });

  test("falsy values and __proto__ keys come back as stored", async () => {
    const fake = await setupStore({ zero: 0, no: false, nil: null, a: "0" });
    await fake.store.set("__proto__", { n: 0 });
    const { matches } = await searchRecords(fake.store, "0");
    expect(matches).toEqual([
      { key: "__proto__", value: { n: 0 }, paths: ["n"] },
      { key: "a", value: "0", paths: [""] },
      { key: "zero", value: 0, paths: [""] },
    ]);
  });

  describe("bad arguments are refused with an InvalidArgumentError, before any request", () => {
    test.each<[string, unknown, SearchOptions, string]>([
      ["an empty query", "", {}, "query"],
      ["a query that is not text", 5, {}, "query"],
      ["an unknown match", "x", { match: "like" as never }, "match"],
      ["a caseSensitive that is not boolean", "x", { caseSensitive: "true" as never }, "caseSensitive"],
      ["a limit of 0", "x", { limit: 0 }, "limit"],
      ["a limit over 10000", "x", { limit: 10_001 }, "limit"],
      ["a fractional limit", "x", { limit: 1.5 }, "limit"],
      ["a field with an empty part", "x", { field: "a..b" }, "field"],
      ["a field ending in a dot", "x", { field: "a." }, "field"],
      ["a field deeper than any value", "x", { field: Array.from({ length: 101 }, () => "a").join(".") }, "field"],
      ["a field that is not text", "x", { field: 3 as never }, "field"],
      ["a prefix that is not text", "x", { prefix: 3 as never }, "prefix"],
    ])("%s", async (_name, query, options, argument) => {
      const fake = await setupStore({ a: "x" });
      await expectLibraryRefusal(fake, () => searchRecords(fake.store, query as string, options), new RegExp(`^${argument} `), InvalidArgumentError);
      const error = await searchRecords(fake.store, query as string, options).catch((thrown: unknown) => thrown);
      expect((error as InvalidArgumentError).argument).toBe(argument);
      expect(fake.controls.stats.total).toBe(0);
    });
  });
});

describe("value paths", () => {
  test("parsePath splits on dots; the empty path is the value itself", () => {
    expect(parsePath("items.0.sku")).toEqual(["items", "0", "sku"]);
    expect(parsePath("")).toEqual([]);
  });

  test("valueAtPath reads own members and list positions only", () => {
    const value = JSON.parse('{"a":[{"b":0}],"__proto__":1}') as JsonValue;
    expect(valueAtPath(value, ["a", "0", "b"])).toBe(0);
    expect(valueAtPath(value, ["__proto__"])).toBe(1);
    expect(valueAtPath({ a: 1 }, ["__proto__"])).toBeUndefined();
    expect(valueAtPath({ a: [1] }, ["a", "length"])).toBeUndefined();
  });

  test("leavesOf walks 100,000 levels of nesting without overflowing the stack", () => {
    let value: JsonValue = "deep";
    for (let i = 0; i < 100_000; i++) value = [value];
    const leaves = [...leavesOf(value)];
    expect(leaves).toHaveLength(1);
    expect(leaves[0]!.text).toBe("deep");
    expect(leaves[0]!.path.split(".")).toHaveLength(100_000);
  });

  test("leavesOf lists leaves in document order, falsy ones included", () => {
    expect([...leavesOf({ a: 0, b: [false, { c: null }], d: "" })]).toEqual([
      { path: "a", text: "0" },
      { path: "b.0", text: "false" },
      { path: "b.1.c", text: "null" },
      { path: "d", text: "" },
    ]);
  });
});

describe("SmallestKeys", () => {
  test("keeps the smallest keys of any sequence, never more than its capacity", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 4 })), fc.integer({ min: 1, max: 20 }), (keys, capacity) => {
        const kept = new SmallestKeys<{ key: string }>(capacity);
        for (const key of keys) {
          kept.offer({ key });
          expect(kept.size).toBeLessThanOrEqual(capacity);
        }
        const expected = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).slice(0, capacity);
        expect(kept.sorted().map(({ key }) => key)).toEqual(expected);
      }),
    );
  });

  test("a key already kept is not kept twice", () => {
    const kept = new SmallestKeys<{ key: string; n: number }>(3);
    expect(kept.offer({ key: "a", n: 1 })).toBe(true);
    expect(kept.offer({ key: "a", n: 2 })).toBe(false);
    expect(kept.sorted()).toEqual([{ key: "a", n: 1 }]);
  });
});
