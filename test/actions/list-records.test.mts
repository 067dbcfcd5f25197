import { describe, expect, test } from "@jest/globals";
import action from "../../actions/list-records/list-records.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

describe("list-records", () => {
  test("array output lists { key, value } sorted by key", async () => {
    const fake = await setupStore({ c: 3, a: "one", b: { n: [2] } });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store });
    expect(returnValue).toEqual([
      { key: "a", value: "one" },
      { key: "b", value: { n: [2] } },
      { key: "c", value: 3 },
    ]);
    expect(summary).toBe("Successfully listed 3 records");
  });

  test("object output maps each key to its value", async () => {
    const fake = await setupStore({ c: 3, a: "one", b: { n: [2] } });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, output: "object" });
    expect(returnValue).toEqual({ a: "one", b: { n: [2] }, c: 3 });
    expect(summary).toBe("Successfully listed 3 records");
  });

  test("keys output lists the keys sorted", async () => {
    const fake = await setupStore({ c: 3, a: "one", b: { n: [2] } });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, output: "keys" });
    expect(returnValue).toEqual(["a", "b", "c"]);
    expect(summary).toBe("Successfully listed 3 keys");
  });

  test("a prefix lists only the records whose key starts with it", async () => {
    const fake = await setupStore({ "user:2": "bo", "order:1": 10, "user:1": "al", users: "all" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, prefix: "user:" });
    expect(returnValue).toEqual([
      { key: "user:1", value: "al" },
      { key: "user:2", value: "bo" },
    ]);
    expect(summary).toBe('Successfully listed 2 records with keys starting "user:"');
  });

  test("a limit returns the first records by key", async () => {
    const fake = await setupStore({ d: 4, b: 2, a: 1, c: 3 });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, limit: 2 });
    expect(returnValue).toEqual([
      { key: "a", value: 1 },
      { key: "b", value: 2 },
    ]);
    expect(summary).toBe("Successfully listed 2 records");
  });

  test.each([
    ["array", [{ key: "user:1", value: 1 }, { key: "user:2", value: 2 }], 'Successfully listed 2 records with keys starting "user:"'],
    ["object", { "user:1": 1, "user:2": 2 }, 'Successfully listed 2 records with keys starting "user:"'],
    ["keys", ["user:1", "user:2"], 'Successfully listed 2 keys with keys starting "user:"'],
  ])("prefix and limit together in %s output give the first matching records by key", async (output, expected, message) => {
    const fake = await setupStore({ "user:3": 3, "a:0": 0, "user:1": 1, "order:1": 9, "user:2": 2 });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, prefix: "user:", limit: 2, output });
    expect(returnValue).toEqual(expected);
    expect(summary).toBe(message);
  });

  test.each([0, false, "", null])("a record holding the falsy value %j is listed", async (value) => {
    const fake = await setupStore({ falsy: value, other: 1 });
    const array = await runAction(action, { dataStore: fake.store });
    expect(array.returnValue).toEqual([
      { key: "falsy", value },
      { key: "other", value: 1 },
    ]);
    const object = (await runAction(action, { dataStore: fake.store, output: "object" })).returnValue as Record<string, unknown>;
    expect(Object.hasOwn(object, "falsy")).toBe(true);
    expect(object.falsy).toBe(value);
  });

  test("__proto__ is listed in object output as an own property holding its value", async () => {
    const fake = await setupStore({ a: 1 });
    await fake.store.set("__proto__", { polluted: true });
    fake.controls.resetStats();
    const { returnValue } = await runAction(action, { dataStore: fake.store, output: "object" });
    const result = returnValue as Record<string, unknown>;
    expect(Object.hasOwn(result, "__proto__")).toBe(true);
    expect(result["__proto__"]).toEqual({ polluted: true });
    expect(result.a).toBe(1);
    expect(result.polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("__proto__ is listed in array output", async () => {
    const fake = await setupStore({ a: 1 });
    await fake.store.set("__proto__", { polluted: true });
    fake.controls.resetStats();
    const { returnValue } = await runAction(action, { dataStore: fake.store });
    expect(returnValue).toEqual([
      { key: "__proto__", value: { polluted: true } },
      { key: "a", value: 1 },
    ]);
  });

  test.each([
    ["array", [{ key: "permanent", value: 1 }]],
    ["keys", ["permanent"]],
  ])("expired records are not listed in %s output", async (output, expected) => {
    const fake = await setupStore({ permanent: 1 });
    await fake.store.set("temporary", 2, { ttl: 60 });
    fake.controls.resetStats();
    fake.clock.advanceSeconds(60);
    const { returnValue } = await runAction(action, { dataStore: fake.store, output });
    expect(returnValue).toEqual(expected);
  });

  test("values are read by iterating the store once: one round trip per page, no get and no keys()", async () => {
    const records = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${String(299 - i).padStart(3, "0")}`, i]));
    const fake = await setupStore(records, { pageSize: 128 });
    const { returnValue } = await runAction(action, { dataStore: fake.store });
    expect(returnValue).toHaveLength(300);
    expect((returnValue as { key: string }[])[0]).toEqual({ key: "k000", value: 299 });
    expect(fake.controls.stats.calls.get).toBe(0);
    expect(fake.controls.stats.calls.page).toBe(Math.ceil(300 / 128));
    expect(fake.controls.stats.calls.keys).toBe(0);
  });

  test("keys output reads the keys with exactly one keys() call and no pages", async () => {
    const records = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${String(i).padStart(3, "0")}`, i]));
    const fake = await setupStore(records, { pageSize: 128 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, output: "keys" });
    expect(returnValue).toHaveLength(300);
    expect(fake.controls.stats.calls.keys).toBe(1);
    expect(fake.controls.stats.calls.page).toBe(0);
    expect(fake.controls.stats.calls.get).toBe(0);
  });

  test.each([
    [{}, {}, "Successfully listed 0 records"],
    [{ a: 1 }, {}, "Successfully listed 1 record"],
    [{ a: 1 }, { output: "keys" }, "Successfully listed 1 key"],
    [{ "user:1": 1, other: 2 }, { prefix: "user:", output: "object" }, 'Successfully listed 1 record with keys starting "user:"'],
    [{ other: 2 }, { prefix: "user:", output: "keys" }, 'Successfully listed 0 keys with keys starting "user:"'],
  ])("with records %j and props %j the summary is %j", async (records, props, message) => {
    const fake = await setupStore(records);
    const { summary } = await runAction(action, { dataStore: fake.store, ...props });
    expect(summary).toBe(message);
  });

  describe("Keys: the records of chosen keys", () => {
    test.each([
      ["array", [{ key: "c", value: 3 }, { key: "a", value: "one" }]],
      ["object", { c: 3, a: "one" }],
      ["keys", ["c", "a"]],
    ])("%s output lists the records that exist, in the order given", async (output, expected) => {
      const fake = await setupStore({ c: 3, a: "one", b: 2 });
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, keys: ["c", "missing", "a"], output });
      expect(returnValue).toEqual(expected);
      if (output === "object") expect(Object.keys(returnValue as object)).toEqual(["c", "a"]);
      expect(summary).toBe(`Successfully listed 2 ${output === "keys" ? "keys" : "records"} of 3; 1 key had no record: "missing"`);
    });

    test.each([0, false, "", null])("a record holding the falsy value %j is found", async (value) => {
      const fake = await setupStore({ falsy: value });
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, keys: ["falsy"] });
      expect(returnValue).toEqual([{ key: "falsy", value }]);
      expect(summary).toBe("Successfully listed 1 record of 1");
    });

    test("__proto__ as a chosen key is an own member of the object output", async () => {
      const fake = await setupStore({ a: 1 });
      await fake.store.set("__proto__", { polluted: true });
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["__proto__", "a"], output: "object" });
      const result = returnValue as Record<string, unknown>;
      expect(Object.hasOwn(result, "__proto__")).toBe(true);
      expect(result["__proto__"]).toEqual({ polluted: true });
      expect(JSON.parse(JSON.stringify(result))).toEqual(JSON.parse('{"__proto__":{"polluted":true},"a":1}'));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    test("one get per key for records, one has per key for keys output: no pages, no keys()", async () => {
      const records = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]));
      const fake = await setupStore(records, { pageSize: 128 });
      await runAction(action, { dataStore: fake.store, keys: ["k1", "k2", "nope"] });
      expect(fake.controls.stats.calls).toEqual({ get: 3, set: 0, setTtl: 0, has: 0, delete: 0, keys: 0, clear: 0, page: 0 });
      fake.controls.resetStats();
      await runAction(action, { dataStore: fake.store, keys: ["k1", "k2", "nope"], output: "keys" });
      expect(fake.controls.stats.calls).toEqual({ get: 0, set: 0, setTtl: 0, has: 3, delete: 0, keys: 0, clear: 0, page: 0 });
    });

    test("reads at most 10 keys at once", async () => {
      const keys = Array.from({ length: 50 }, (_, i) => `k${i}`);
      const fake = await setupStore(Object.fromEntries(keys.map((key) => [key, 1])), { latencyMs: 2 });
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys });
      expect(returnValue).toHaveLength(50);
      expect(fake.controls.stats.peakInFlight).toBe(10);
    });

    test("a key given twice is listed once", async () => {
      const fake = await setupStore({ a: 1, b: 2 });
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["b", "a", "b"], output: "keys" });
      expect(returnValue).toEqual(["b", "a"]);
      expect(fake.controls.stats.calls.has).toBe(2);
    });

    test("one key as text and a JSON list in text both work", async () => {
      const fake = await setupStore({ a: 1, b: 2 });
      expect((await runAction(action, { dataStore: fake.store, keys: "b" })).returnValue).toEqual([{ key: "b", value: 2 }]);
      expect((await runAction(action, { dataStore: fake.store, keys: '["b","a"]', output: "keys" })).returnValue).toEqual(["b", "a"]);
    });

    test("the summary names at most 10 missing keys, then how many more", async () => {
      const missing = Array.from({ length: 13 }, (_, i) => `m${i}`);
      const fake = await setupStore({ a: 1 });
      const { summary } = await runAction(action, { dataStore: fake.store, keys: ["a", ...missing] });
      const named = missing.slice(0, 10).map((key) => `"${key}"`).join(", ");
      expect(summary).toBe(`Successfully listed 1 record of 14; 13 keys had no record: ${named} and 3 more`);
    });

    test("Key Prefix and Limit do not apply, and the summary says they were ignored", async () => {
      const fake = await setupStore({ "user:1": 1, b: 2, c: 3 });
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, keys: ["c", "b"], prefix: "user:", limit: 1 });
      expect(returnValue).toEqual([
        { key: "c", value: 3 },
        { key: "b", value: 2 },
      ]);
      expect(summary).toBe("Successfully listed 2 records of 2; Key Prefix and Limit ignored, as Keys was given");
    });

    test("an empty list of keys lists nothing, not the whole store", async () => {
      const fake = await setupStore({ a: 1 });
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, keys: [] });
      expect(returnValue).toEqual([]);
      expect(summary).toBe("Successfully listed 0 records of 0");
      expect(fake.controls.stats.total).toBe(0);
    });

    test("Keys left empty lists by prefix as before", async () => {
      const fake = await setupStore({ b: 2, a: 1 });
      expect((await runAction(action, { dataStore: fake.store, keys: "" })).returnValue).toEqual([
        { key: "a", value: 1 },
        { key: "b", value: 2 },
      ]);
    });

    test("a reserved key is listed only with Include Internal Records", async () => {
      const fake = await setupStore({ "__dskit:limit:api": { count: 1 }, a: 1 });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, keys: ["a", "__dskit:limit:api"] }),
        /^Keys item 2 starts with "__dskit:".*Turn on Include Internal Records to list them\.$/,
      );
      const { returnValue } = await runAction(action, { dataStore: fake.store, keys: ["__dskit:limit:api"], includeInternal: true });
      expect(returnValue).toEqual([{ key: "__dskit:limit:api", value: { count: 1 } }]);
    });

    test.each([
      ["a list holding an empty key", { keys: ["a", ""] }, /^Keys item 2 is empty/],
      ["a key that is an object", { keys: [{ a: 1 }] }, /^Keys item 1 must be text/],
      ["a JSON list in text that is empty", { keys: "[]" }, /^Keys is empty/],
    ])("%s is refused with the store untouched", async (_name, props, message) => {
      const fake = await setupStore({ a: 1 });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
      expect(fake.controls.stats.total).toBe(0);
    });
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["a limit of 0", { limit: 0 }, /Limit must be a whole number from 1/],
      ["a negative limit", { limit: -1 }, /Limit must be a whole number from 1/],
      ["a fractional limit", { limit: 1.5 }, /Limit must be a whole number from 1/],
      ["a limit that is not a number", { limit: "ten" }, /Limit must be a whole number/],
      ["an unknown output", { output: "csv" }, /Output must be one of "array", "object", "keys"/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ k: "original" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
    });
  });
  describe("the package's internal records (rate limiter state, dedupe markers, cache entries)", () => {
    const records = { "user:1": "ann", "__dskit:limit:fixed-window:api": { windowStartMs: 0, count: 1 }, zeta: 0 };

    test.each(["array", "object", "keys"])("are left out of %s output by default", async (output) => {
      const fake = await setupStore(records);
      const { returnValue } = await runAction(action, { dataStore: fake.store, output });
      expect(JSON.stringify(returnValue)).not.toContain("__dskit:");
      expect(JSON.stringify(returnValue)).toContain("user:1");
    });

    test("are listed with Include Internal Records", async () => {
      const fake = await setupStore(records);
      const { returnValue } = await runAction(action, { dataStore: fake.store, output: "keys", includeInternal: true });
      expect(returnValue).toEqual(["__dskit:limit:fixed-window:api", "user:1", "zeta"]);
    });

    // A prefix is no way around the opt-in: a "__dskit:" prefix alone is refused, not an empty list.
    test.each(["array", "object", "keys"])("a Key Prefix under __dskit: is refused in %s output, naming Include Internal Records", async (output) => {
      const fake = await setupStore(records);
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, prefix: "__dskit:limit:", output }),
        /^Key Prefix starts with "__dskit:".*Turn on Include Internal Records to list them\.$/,
      );
      expect(fake.controls.stats.total).toBe(0);
    });

    test("with Include Internal Records, a Key Prefix under __dskit: lists only that part of the package's state", async () => {
      const fake = await setupStore({ ...records, "__dskit:dedupe:evt-1": { firstSeenAt: "2026-11-24T18:31:00.000Z" } });
      const { returnValue, summary } = await runAction(action, {
        dataStore: fake.store,
        prefix: "__dskit:limit:",
        includeInternal: true,
      });
      expect(returnValue).toEqual([{ key: "__dskit:limit:fixed-window:api", value: { windowStartMs: 0, count: 1 } }]);
      expect(summary).toBe('Successfully listed 1 record with keys starting "__dskit:limit:"');
    });

    test("a Key Prefix that only begins the reserved prefix still skips the package's records", async () => {
      const fake = await setupStore({ ...records, "__dsk-user": 1 });
      const { returnValue } = await runAction(action, { dataStore: fake.store, prefix: "__dsk", output: "keys" });
      expect(returnValue).toEqual(["__dsk-user"]);
    });
  });
});
