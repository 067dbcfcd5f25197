import { describe, expect, test } from "@jest/globals";
import action from "../../actions/add-update-multiple-records/add-update-multiple-records.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

describe("add-update-multiple-records", () => {
  test("stores an object map of keys and values and reports the count and keys", async () => {
    const fake = await setupStore({ b: "old" });
    const { returnValue, summary } = await runAction(action, {
      dataStore: fake.store,
      records: { a: 1, b: "two", c: { nested: [3] } },
    });
    expect(returnValue).toEqual({ count: 3, keys: ["a", "b", "c"] });
    expect(summary).toBe("Successfully added or updated 3 records");
    expect(await fake.store.get("a")).toBe(1);
    expect(await fake.store.get("b")).toBe("two");
    expect(await fake.store.get("c")).toEqual({ nested: [3] });
  });

  test("stores an array of { key, value } records, keys reported in input order", async () => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, {
      dataStore: fake.store,
      records: [
        { key: "z", value: "last letter" },
        { key: "a", value: [1, 2] },
      ],
    });
    expect(returnValue).toEqual({ count: 2, keys: ["z", "a"] });
    expect(await fake.store.get("z")).toBe("last letter");
    expect(await fake.store.get("a")).toEqual([1, 2]);
  });

  test("stores records given as JSON text of an object map", async () => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, { dataStore: fake.store, records: '{"a": 1, "b": {"x": true}}' });
    expect(returnValue).toEqual({ count: 2, keys: ["a", "b"] });
    expect(await fake.store.get("a")).toBe(1);
    expect(await fake.store.get("b")).toEqual({ x: true });
  });

  test("stores records given as JSON text of an array, with its ttl", async () => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, {
      dataStore: fake.store,
      records: '[{"key": "a", "value": 1, "ttl": 60}, {"key": "b", "value": "x"}]',
    });
    expect(returnValue).toEqual({ count: 2, keys: ["a", "b"] });
    expect(await fake.store.get("a")).toBe(1);
    expect(await fake.store.get("b")).toBe("x");
    fake.clock.advanceSeconds(60);
    expect(await fake.store.has("a")).toBe(false);
    expect(await fake.store.get("b")).toBe("x");
  });

  test("valueType auto reads numeric text as a number and keeps other text, in both forms", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, records: { n: "42", zip: "007", obj: '{"a":1}' } });
    await runAction(action, { dataStore: fake.store, records: [{ key: "m", value: "42" }, { key: "code", value: "007" }] });
    expect(await fake.store.get("n")).toBe(42);
    expect(await fake.store.get("zip")).toBe("007");
    expect(await fake.store.get("obj")).toEqual({ a: 1 });
    expect(await fake.store.get("m")).toBe(42);
    expect(await fake.store.get("code")).toBe("007");
  });

  test("valueType string keeps text exactly as given", async () => {
    const fake = await setupStore();
    await runAction(action, {
      dataStore: fake.store,
      records: [{ key: "n", value: "42" }, { key: "obj", value: '{"a":1}' }],
      valueType: "string",
    });
    expect(await fake.store.get("n")).toBe("42");
    expect(await fake.store.get("obj")).toBe('{"a":1}');
  });

  test("a record's own ttl overrides the action ttl, which applies to records without one", async () => {
    const fake = await setupStore();
    await runAction(action, {
      dataStore: fake.store,
      records: [
        { key: "short", value: 1, ttl: 10 },
        { key: "default", value: 2 },
        { key: "long", value: 3, ttl: 1000 },
      ],
      ttl: 100,
    });
    fake.clock.advanceSeconds(9);
    expect(await fake.store.has("short")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("short")).toBe(false);
    expect(await fake.store.has("default")).toBe(true);
    fake.clock.advanceSeconds(89);
    expect(await fake.store.has("default")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("default")).toBe(false);
    expect(await fake.store.has("long")).toBe(true);
    fake.clock.advanceSeconds(899);
    expect(await fake.store.has("long")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("long")).toBe(false);
  });

  test("a record's own ttl of 0 means no expiry, even when the action has a ttl", async () => {
    const fake = await setupStore();
    await runAction(action, {
      dataStore: fake.store,
      records: [{ key: "forever", value: 1, ttl: 0 }, { key: "brief", value: 2 }],
      ttl: 60,
    });
    fake.clock.advanceSeconds(365 * 86_400);
    expect(await fake.store.get("forever")).toBe(1);
    expect(await fake.store.has("brief")).toBe(false);
  });

  test("the action ttl applies to every record of an object map", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, records: { a: 1, b: 2 }, ttl: 3600 });
    fake.clock.advanceSeconds(3599);
    expect(await fake.store.has("a")).toBe(true);
    expect(await fake.store.has("b")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("a")).toBe(false);
    expect(await fake.store.has("b")).toBe(false);
  });

  test("records without a ttl never expire, even over records that had an expiry", async () => {
    const fake = await setupStore();
    await fake.store.set("a", "old", { ttl: 10 });
    await runAction(action, { dataStore: fake.store, records: { a: "new" } });
    fake.clock.advanceSeconds(365 * 86_400);
    expect(await fake.store.get("a")).toBe("new");
  });

  test.each([
    ["an object map", { ["__proto__"]: { polluted: true }, constructor: "c" }],
    ["an array", [{ key: "__proto__", value: { polluted: true } }, { key: "constructor", value: "c" }]],
    ["JSON text", '{"__proto__": {"polluted": true}, "constructor": "c"}'],
  ])("__proto__ and constructor are stored as ordinary keys, from %s", async (_form, records) => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, { dataStore: fake.store, records });
    expect(returnValue).toEqual({ count: 2, keys: ["__proto__", "constructor"] });
    expect(await fake.store.get("__proto__")).toEqual({ polluted: true });
    expect(await fake.store.get("constructor")).toBe("c");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    expect({}.constructor).toBe(Object);
  });

  test.each([
    ["an object map", { zero: 0, no: false, empty: "", nothing: null }],
    [
      "an array",
      [
        { key: "zero", value: 0 },
        { key: "no", value: false },
        { key: "empty", value: "" },
        { key: "nothing", value: null },
      ],
    ],
  ])("the falsy values 0, false, \"\" and null are stored as real records, from %s", async (_form, records) => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, { dataStore: fake.store, records });
    expect(returnValue).toEqual({ count: 4, keys: ["zero", "no", "empty", "nothing"] });
    const expected = { zero: 0, no: false, empty: "", nothing: null };
    for (const [key, value] of Object.entries(expected)) {
      expect(await fake.store.has(key)).toBe(true);
      expect(await fake.store.get(key)).toBe(value);
    }
  });

  test.each([
    ["latency", { latencyMs: 5 }],
    ["latency with jitter", { latencyMs: 2, jitterMs: 5, seed: 7 }],
  ])("writes 50 records concurrently but at most 10 at once, with %s", async (_name, options) => {
    const fake = await setupStore({}, options);
    const records = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`key-${index}`, index]));
    const { returnValue } = await runAction(action, { dataStore: fake.store, records });
    expect(returnValue).toMatchObject({ count: 50 });
    expect(fake.controls.stats.peakInFlight).toBeLessThanOrEqual(10);
    expect(fake.controls.stats.peakInFlight).toBeGreaterThan(1);
    expect(fake.controls.records()).toHaveLength(50);
    expect(await fake.store.get("key-49")).toBe(49);
  });

  describe("every record is checked before any is written: a bad last record refuses the batch", () => {
    const good = [
      { key: "a", value: "new" },
      { key: "b", value: 2 },
    ];
    test.each([
      ["an empty key", { key: "", value: 1 }, /Records item 3 "key" is empty/],
      ["a key of spaces", { key: "  ", value: 1 }, /Records item 3 "key" is empty/],
      ["no key", { value: 1 }, /Records item 3 "key" must be text/],
      ["a negative ttl", { key: "c", value: 1, ttl: -1 }, /Records item 3 "ttl" must be a whole number/],
      ["a fractional ttl", { key: "c", value: 1, ttl: 1.5 }, /Records item 3 "ttl" must be a whole number/],
      ["a ttl that is not a number", { key: "c", value: 1, ttl: "soon" }, /Records item 3 "ttl" must be a whole number/],
      ["an unknown field", { key: "c", value: 1, tll: 60 }, /Records item 3 has an unknown field "tll"/],
      ["a missing value", { key: "c" }, /Records item 3 has no "value"/],
      ["a duplicate key", { key: "a", value: 3 }, /Records has the key "a" more than once/],
      ["a value that is a function", { key: "c", value: () => 1 }, /Records item 3 "value" is a function/],
      ["a value holding NaN", { key: "c", value: { n: Number.NaN } }, /NaN/],
      ["a value that is undefined", { key: "c", value: undefined }, /Records item 3 "value" is required/],
    ])("%s", async (_name, last, message) => {
      const fake = await setupStore({ a: "original" });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, records: [...good, last] }),
        message,
      );
    });

    test.each([
      ["a function value", { a: "new", b: 2, c: () => 1 }, /Records value of "c" is a function/],
      ["an undefined value", { a: "new", b: 2, c: undefined }, /Records value of "c" is required/],
      ["an empty key", { a: "new", b: 2, "": 1 }, /Records key is empty/],
    ])("in an object map, %s", async (_name, records, message) => {
      const fake = await setupStore({ a: "original" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, records }), message);
    });

    test("in JSON text, a bad last record", async () => {
      const fake = await setupStore({ a: "original" });
      const records = '[{"key": "a", "value": "new"}, {"key": "b", "value": 2}, {"key": "c", "value": 3, "ttl": -1}]';
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, records }),
        /Records item 3 "ttl" must be a whole number/,
      );
    });

    test("with valueType json, text that is not JSON in the last record", async () => {
      const fake = await setupStore({ a: "original" });
      await expectRefusedUnchanged(
        fake,
        () =>
          runAction(action, {
            dataStore: fake.store,
            records: [...good.map((record) => ({ ...record, value: "1" })), { key: "c", value: "{oops" }],
            valueType: "json",
          }),
        /Records item 3 "value" is not valid JSON/,
      );
    });
  });

  describe("malformed records are refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["invalid JSON text", { records: "{oops" }, /Records is not valid JSON/],
      ["empty text", { records: "" }, /Records is not valid JSON/],
      ["a number", { records: 42 }, /Records must be an object like .* or a list like/],
      ["JSON text of a number", { records: "42" }, /Records must be an object like/],
      ["null", { records: null }, /Records must be an object like/],
      ["true", { records: true }, /Records must be an object like/],
      ["an empty object", { records: {} }, /Records is empty/],
      ["an empty array", { records: [] }, /Records is empty/],
      ["JSON text of an empty array", { records: "[]" }, /Records is empty/],
      ["an array item that is a number", { records: [{ key: "a", value: 1 }, 5] }, /Records item 2 must be an object with "key" and "value"/],
      ["an array item that is text", { records: ["a"] }, /Records item 1 must be an object with "key" and "value"/],
      ["an array item that is a list", { records: [[{ key: "a", value: 1 }]] }, /Records item 1 must be an object/],
      ["an array item that is null", { records: [null] }, /Records item 1 must be an object/],
      ["an unknown valueType", { records: { a: "1" }, valueType: "yaml" }, /Value Type must be one of "auto", "string", "json"/],
      ["a negative action ttl", { records: { a: "1" }, ttl: -1 }, /TTL \(seconds\) must be a whole number/],
      ["a fractional action ttl", { records: { a: "1" }, ttl: 1.5 }, /TTL \(seconds\) must be a whole number/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ a: "original" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
    });
  });

  describe("values and numbers (issue 9): every record is checked in full before the first write", () => {
    const twelveGood = Array.from({ length: 12 }, (_, index) => ({ key: `good-${index + 1}`, value: index }));
    let deep: unknown = "bottom";
    for (let i = 0; i < 3000; i++) deep = { level: deep };

    test.each([
      ["a list", [...twelveGood, { key: "deep", value: deep }], /^Records item 13 "value" is nested deeper than 100 levels/],
      [
        "an object map",
        { ...Object.fromEntries(twelveGood.map(({ key, value }) => [key, value])), deep },
        /^Records value of "deep" is nested deeper than 100 levels/,
      ],
      [
        "JSON text of a list",
        JSON.stringify([...twelveGood, { key: "deep", value: deep }]),
        /^Records holds a value nested deeper than 100 levels/,
      ],
      [
        "JSON text of an object map, the value as JSON text",
        JSON.stringify({ ...Object.fromEntries(twelveGood.map(({ key, value }) => [key, value])), deep: JSON.stringify(deep) }),
        /^Records value of "deep" is nested deeper than 100 levels/,
      ],
    ])("the repro: 12 good records and a 13th nested 3,000 levels deep, as %s, write nothing", async (_form, records, message) => {
      const fake = await setupStore({ "good-1": "original" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, records }), message);
    });

    test.each([
      ["a NaN", { n: Number.NaN }, /^Records item 13 "value"\.n is NaN/],
      ["a BigInt", { id: 1n }, /^Records item 13 "value"\.id is a BigInt/],
      ["a class instance", new Set([1]), /^Records item 13 "value" is a Set/],
    ])("12 good records and a 13th holding %s write nothing", async (_name, value, message) => {
      const fake = await setupStore();
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, records: [...twelveGood, { key: "bad", value }] }),
        message,
      );
    });

    test('the repro: {"id": 12345678901234567890} in JSON text keeps every digit, as text', async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, records: '{"id": 12345678901234567890, "list": [{"key": 1}]}' });
      expect(await fake.store.get("id")).toBe("12345678901234567890");
      await runAction(action, { dataStore: fake.store, records: '[{"key": "nested", "value": {"id": 12345678901234567890}}]' });
      expect(await fake.store.get("nested")).toEqual({ id: "12345678901234567890" });
    });

    test("with Value Type string, a whole number too large for JSON in the Records text is kept as text too", async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, records: '{"id": 12345678901234567890, "n": 5}', valueType: "string" });
      expect(await fake.store.get("id")).toBe("12345678901234567890");
      expect(await fake.store.get("n")).toBe(5);
    });

    test("with Value Type json, such a number in the Records text is refused, suggesting Value Type auto", async () => {
      const fake = await setupStore({ id: "original" });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, records: '{"ok": 1, "id": 12345678901234567890}', valueType: "json" }),
        /^Records holds the whole number 12345678901234567890, .*Put it in quotes to keep every digit as text, or set Value Type to "auto"/,
      );
    });

    test("a number that would overflow to Infinity in the Records text is refused without a Value Type hint", async () => {
      const fake = await setupStore();
      const { error } = await runAction(action, { dataStore: fake.store, records: '{"a": 1, "b": 1e400}' }).then(
        () => ({ error: undefined }),
        (thrown: unknown) => ({ error: thrown as Error }),
      );
      expect(error?.message).toMatch(/^Records holds the number 1e400, which is too large/);
      expect(error?.message).not.toMatch(/Value Type|or set /);
      expect(fake.controls.records()).toEqual([]);
    });

    test("Records text with keys nested one level around values of the full depth is accepted", async () => {
      const fake = await setupStore();
      const value = `${"[".repeat(100)}${"]".repeat(100)}`;
      await runAction(action, { dataStore: fake.store, records: `[{"key": "a", "value": ${value}}]` });
      await runAction(action, { dataStore: fake.store, records: `{"b": ${value}}` });
      expect(JSON.stringify(await fake.store.get("a"))).toBe(value);
      expect(JSON.stringify(await fake.store.get("b"))).toBe(value);
    });

    test.each([
      ["a record ttl", [{ key: "a", value: 1, ttl: "0x10" }], /^Records item 1 "ttl" must be a whole number/],
      ["a record ttl in exponent form", [{ key: "a", value: 1, ttl: "1e3" }], /^Records item 1 "ttl" must be a whole number/],
    ])("%s of hex or exponent text is refused", async (_name, records, message) => {
      const fake = await setupStore();
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, records }), message);
    });

    test('prototype-named record keys "toString" and "hasOwnProperty" from JSON text are ordinary records', async () => {
      const fake = await setupStore();
      const { returnValue } = await runAction(action, { dataStore: fake.store, records: '{"toString": 1, "hasOwnProperty": 2}' });
      expect(returnValue).toEqual({ count: 2, keys: ["toString", "hasOwnProperty"] });
      expect(await fake.store.get("toString")).toBe(1);
      expect(await fake.store.get("hasOwnProperty")).toBe(2);
    });

    test('a record of a list whose item holds "__proto__" from JSON text is refused as an unknown field, polluting nothing', async () => {
      const fake = await setupStore();
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, records: '[{"key": "a", "value": 1, "__proto__": {"polluted": 1}}]' }),
        /^Records item 1 has an unknown field "__proto__"/,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });
});
