import { describe, expect, test } from "@jest/globals";
import action from "../../actions/get-record/get-record.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

describe("get-record", () => {
  test("a stored record is found and returned, and nothing is created", async () => {
    const fake = await setupStore({ greeting: { text: "hello" } });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "greeting" });
    expect(returnValue).toEqual({ key: "greeting", found: true, value: { text: "hello" }, created: false });
    expect(summary).toBe('Successfully retrieved the record "greeting"');
  });

  test.each([0, false, "", null])("the stored falsy value %j is found, not replaced by the default", async (value) => {
    const fake = await setupStore({ falsy: value });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "falsy", defaultValue: "fallback" });
    expect(returnValue).toEqual({ key: "falsy", found: true, value, created: false });
  });

  test("a missing key without a default value gives null and writes nothing", async () => {
    const fake = await setupStore();
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "missing" });
    expect(returnValue).toEqual({ key: "missing", found: false, value: null, created: false });
    expect(summary).toBe('No record found for "missing"; returned null');
    expect(fake.controls.stats.calls.set).toBe(0);
    expect(fake.controls.stats.calls.setTtl).toBe(0);
    expect(await fake.store.has("missing")).toBe(false);
  });

  test("a missing key gives the default value, read like auto, and writes nothing", async () => {
    const fake = await setupStore();
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "missing", defaultValue: "42" });
    expect(returnValue).toEqual({ key: "missing", found: false, value: 42, created: false });
    expect(summary).toBe('No record found for "missing"; returned the default value');
    expect(fake.controls.stats.calls.set).toBe(0);
    expect(await fake.store.has("missing")).toBe(false);
  });

  test.each([
    ["42", 42],
    ['{"a":1}', { a: 1 }],
    ["007", "007"],
    ["2024-12-31", "2024-12-31"],
    ["plain text", "plain text"],
  ])("the default value %j is returned as %j", async (defaultValue, expected) => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "missing", defaultValue });
    expect(returnValue).toMatchObject({ found: false, value: expected });
  });

  test("createIfMissing stores the default value under a missing key, without expiry", async () => {
    const fake = await setupStore();
    const { returnValue, summary } = await runAction(action, {
      dataStore: fake.store,
      key: "counter",
      defaultValue: "0",
      createIfMissing: true,
    });
    expect(returnValue).toEqual({ key: "counter", found: false, value: 0, created: true });
    expect(summary).toBe('Created the missing record "counter" with the default value');
    expect(await fake.store.get("counter")).toBe(0);
    fake.clock.advanceSeconds(365 * 86_400);
    expect(await fake.store.get("counter")).toBe(0);
  });

  test("createIfMissing given as text from an expression is accepted", async () => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, {
      dataStore: fake.store,
      key: "k",
      defaultValue: "v",
      createIfMissing: "true",
    });
    expect(returnValue).toMatchObject({ created: true });
    expect(await fake.store.get("k")).toBe("v");
  });

  test("a record created with a ttl expires after that many seconds", async () => {
    const fake = await setupStore();
    const { summary } = await runAction(action, {
      dataStore: fake.store,
      key: "k",
      defaultValue: '{"fresh": true}',
      createIfMissing: true,
      ttl: 3600,
    });
    expect(summary).toBe('Created the missing record "k" with the default value (expires in 1 hour)');
    expect(await fake.store.get("k")).toEqual({ fresh: true });
    fake.clock.advanceSeconds(3599);
    expect(await fake.store.has("k")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("k")).toBe(false);
  });

  test("createIfMissing on an existing key returns it and does not overwrite it", async () => {
    const fake = await setupStore({ k: "kept" });
    const { returnValue, summary } = await runAction(action, {
      dataStore: fake.store,
      key: "k",
      defaultValue: "new",
      createIfMissing: true,
      ttl: 60,
    });
    expect(returnValue).toEqual({ key: "k", found: true, value: "kept", created: false });
    expect(summary).toBe('Successfully retrieved the record "k"');
    expect(fake.controls.stats.calls.set).toBe(0);
    expect(fake.controls.stats.calls.setTtl).toBe(0);
    fake.clock.advanceSeconds(365 * 86_400);
    expect(await fake.store.get("k")).toBe("kept");
  });

  test("createIfMissing on an expired key creates it again", async () => {
    const fake = await setupStore();
    await fake.store.set("k", "old", { ttl: 10 });
    fake.clock.advanceSeconds(10);
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", defaultValue: "new", createIfMissing: true });
    expect(returnValue).toEqual({ key: "k", found: false, value: "new", created: true });
    expect(await fake.store.get("k")).toBe("new");
  });

  test("a key given as a number from an expression is read as text", async () => {
    const fake = await setupStore({ "7": "seven" });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: 7 });
    expect(returnValue).toEqual({ key: "7", found: true, value: "seven", created: false });
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["createIfMissing without a default value", { key: "missing", createIfMissing: true }, /Create If Missing needs a Default Value/],
      ["an empty key", { key: "", defaultValue: "v", createIfMissing: true }, /Key is empty/],
      ["a key of spaces", { key: "   ", defaultValue: "v", createIfMissing: true }, /Key is empty/],
      ["a key that is an object", { key: { a: 1 }, defaultValue: "v", createIfMissing: true }, /Key must be text/],
      ["a negative ttl", { key: "missing", defaultValue: "v", createIfMissing: true, ttl: -1 }, /TTL \(seconds\) must be a whole number/],
      ["a fractional ttl", { key: "missing", defaultValue: "v", createIfMissing: true, ttl: 1.5 }, /TTL \(seconds\) must be a whole number/],
      ["a ttl over two years", { key: "missing", defaultValue: "v", createIfMissing: true, ttl: 63_072_001 }, /two years/],
      ["createIfMissing \"maybe\"", { key: "missing", defaultValue: "v", createIfMissing: "maybe" }, /Create If Missing must be true or false/],
      ["a default value that is a function", { key: "missing", defaultValue: () => 1, createIfMissing: true }, /Default Value is a function/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ k: "original" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
    });
  });
});
