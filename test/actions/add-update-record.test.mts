import { describe, expect, test } from "@jest/globals";
import action from "../../actions/add-update-record/add-update-record.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

describe("add-update-record", () => {
  test("adds a new record and reports it as created", async () => {
    const fake = await setupStore();
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "greeting", value: "hello" });
    expect(returnValue).toEqual({ key: "greeting", value: "hello", ttl: null, created: true });
    expect(summary).toBe('Successfully added the record "greeting"');
    expect(await fake.store.get("greeting")).toBe("hello");
  });

  test("replaces an existing record and reports it as updated", async () => {
    const fake = await setupStore({ greeting: "hello" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "greeting", value: "hi" });
    expect(returnValue).toMatchObject({ created: false, value: "hi" });
    expect(summary).toBe('Successfully updated the record "greeting"');
  });

  test.each([
    ["42", 42],
    ['{"a":1}', { a: 1 }],
    ["[1,2]", [1, 2]],
    ["true", true],
    ["null", null],
    ['"quoted"', "quoted"],
    ["2024-12-31", "2024-12-31"],
    ["555-1234", "555-1234"],
    ["007", "007"],
    ["", ""],
    ["12345678901234567890", "12345678901234567890"],
  ])("valueType auto stores %j as %j", async (input, stored) => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "k", value: input });
    expect(await fake.store.get("k")).toEqual(stored);
  });

  test("valueType string stores text exactly as given", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "k", value: "42", valueType: "string" });
    expect(await fake.store.get("k")).toBe("42");
  });

  test("valueType json parses valid JSON text", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "k", value: '{"n": [1]}', valueType: "json" });
    expect(await fake.store.get("k")).toEqual({ n: [1] });
  });

  test("values that are not text are stored as they are, in every value type", async () => {
    const fake = await setupStore();
    for (const valueType of ["auto", "string", "json"]) {
      await runAction(action, { dataStore: fake.store, key: valueType, value: { count: "7" }, valueType });
      expect(await fake.store.get(valueType)).toEqual({ count: "7" });
    }
  });

  test.each([0, false, "", null])("the falsy value %j is stored as a real record", async (value) => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "falsy", value });
    expect(returnValue).toMatchObject({ value, created: true });
    expect(await fake.store.has("falsy")).toBe(true);
    expect(await fake.store.get("falsy")).toBe(value);
  });

  test("a ttl makes the record expire after that many seconds", async () => {
    const fake = await setupStore();
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "k", value: "v", ttl: 3600 });
    expect(returnValue).toMatchObject({ ttl: 3600 });
    expect(summary).toBe('Successfully added the record "k" (expires in 1 hour)');
    fake.clock.advanceSeconds(3599);
    expect(await fake.store.has("k")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("k")).toBe(false);
  });

  test("a ttl given as numeric text from an expression is accepted", async () => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", value: "v", ttl: "60" });
    expect(returnValue).toMatchObject({ ttl: 60 });
  });

  test.each([undefined, 0, ""])("ttl %j writes a record that never expires, even over one that had an expiry", async (ttl) => {
    const fake = await setupStore();
    await fake.store.set("k", "old", { ttl: 10 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", value: "new", ttl });
    expect(returnValue).toMatchObject({ ttl: null });
    fake.clock.advanceSeconds(365 * 86_400);
    expect(await fake.store.get("k")).toBe("new");
  });

  test("a new record without ttl costs two round trips: has and set", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "k", value: "v" });
    expect(fake.controls.stats.total).toBe(2);
  });

  test("__proto__ is stored as an ordinary key", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "__proto__", value: '{"polluted": true}' });
    expect(await fake.store.get("__proto__")).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["an empty key", { key: "", value: "v" }, /Key is empty/],
      ["a key of spaces", { key: "   ", value: "v" }, /Key is empty/],
      ["a key that is an object", { key: { a: 1 }, value: "v" }, /Key must be text/],
      ["a negative ttl", { key: "k", value: "v", ttl: -1 }, /TTL \(seconds\) must be a whole number/],
      ["a fractional ttl", { key: "k", value: "v", ttl: 1.5 }, /TTL \(seconds\) must be a whole number/],
      ["a ttl over two years", { key: "k", value: "v", ttl: 63_072_001 }, /two years/],
      ["a ttl that is not a number", { key: "k", value: "v", ttl: "soon" }, /TTL \(seconds\)/],
      ["a value whose expression gave nothing", { key: "k", value: undefined }, /Value is required/],
      ["a value that is a function", { key: "k", value: () => 1 }, /Value is a function/],
      ["a value holding a Map", { key: "k", value: { m: new Map() } }, /Value\.m is a Map/],
      ["a value holding NaN", { key: "k", value: [Number.NaN] }, /NaN/],
      ["invalid JSON with valueType json", { key: "k", value: "{oops", valueType: "json" }, /not valid JSON/],
      ["an unknown valueType", { key: "k", value: "v", valueType: "yaml" }, /Value Type must be one of "auto", "string", "json"/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ k: "original" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
    });
  });

  test("text is never evaluated as code", async () => {
    const fake = await setupStore();
    const code = "(() => { globalThis.__evaluated = true; return 1 })()";
    await runAction(action, { dataStore: fake.store, key: "k", value: code });
    expect(await fake.store.get("k")).toBe(code);
    expect((globalThis as Record<string, unknown>).__evaluated).toBeUndefined();
  });
});
