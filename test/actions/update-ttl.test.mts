import { describe, expect, test } from "@jest/globals";
import action from "../../actions/update-ttl/update-ttl.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

describe("update-ttl", () => {
  test("sets an expiry on a permanent record: gone after ttl seconds, present one second before", async () => {
    const fake = await setupStore({ k: "v" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "k", ttl: 3600 });
    expect(returnValue).toEqual({ key: "k", found: true, ttl: 3600 });
    expect(summary).toBe('Successfully set "k" to expire in 1 hour');
    fake.clock.advanceSeconds(3599);
    expect(await fake.store.has("k")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("k")).toBe(false);
  });

  test.each([0, "0"])("ttl %j removes an existing expiry", async (ttl) => {
    const fake = await setupStore();
    await fake.store.set("k", "v", { ttl: 10 });
    fake.controls.resetStats();
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "k", ttl });
    expect(returnValue).toEqual({ key: "k", found: true, ttl: null });
    expect(summary).toBe('Successfully removed the expiry of "k"');
    fake.clock.advanceSeconds(365 * 86_400);
    expect(await fake.store.get("k")).toBe("v");
  });

  test("replaces an earlier expiry with a longer one, counted from now", async () => {
    const fake = await setupStore();
    await fake.store.set("k", "v", { ttl: 60 });
    fake.controls.resetStats();
    fake.clock.advanceSeconds(30);
    await runAction(action, { dataStore: fake.store, key: "k", ttl: 3600 });
    fake.clock.advanceSeconds(3599);
    expect(await fake.store.has("k")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("k")).toBe(false);
  });

  test("replaces an earlier expiry with a shorter one", async () => {
    const fake = await setupStore();
    await fake.store.set("k", "v", { ttl: 3600 });
    fake.controls.resetStats();
    await runAction(action, { dataStore: fake.store, key: "k", ttl: 60 });
    fake.clock.advanceSeconds(59);
    expect(await fake.store.has("k")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("k")).toBe(false);
  });

  test.each([60, 0])("a missing key is reported as not found and not created (ttl %j)", async (ttl) => {
    const fake = await setupStore({ other: 1 });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "missing", ttl });
    expect(returnValue).toEqual({ key: "missing", found: false, ttl: ttl === 0 ? null : ttl });
    expect(summary).toBe('No record found for "missing"; nothing changed');
    expect(await fake.store.has("missing")).toBe(false);
    expect(fake.controls.stats.calls.setTtl).toBe(0);
    expect(fake.controls.stats.calls.set).toBe(0);
  });

  test("an expired record counts as missing", async () => {
    const fake = await setupStore();
    await fake.store.set("k", "v", { ttl: 10 });
    fake.controls.resetStats();
    fake.clock.advanceSeconds(10);
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", ttl: 0 });
    expect(returnValue).toEqual({ key: "k", found: false, ttl: null });
    expect(await fake.store.has("k")).toBe(false);
  });

  test.each(["text", { a: [1, { b: null }] }, [1, 2], 0, false, "", null])(
    "the value %j is unchanged by an update",
    async (value) => {
      const fake = await setupStore({ k: value });
      const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", ttl: 60 });
      expect(returnValue).toMatchObject({ found: true });
      expect(await fake.store.has("k")).toBe(true);
      expect(await fake.store.get("k")).toEqual(value);
      expect(fake.controls.stats.calls.set).toBe(0);
    },
  );

  test("a ttl of exactly two years is accepted", async () => {
    const fake = await setupStore({ k: "v" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "k", ttl: 63_072_000 });
    expect(returnValue).toEqual({ key: "k", found: true, ttl: 63_072_000 });
    expect(summary).toBe('Successfully set "k" to expire in 730 days');
  });

  test.each([
    [90, "90 seconds"],
    [120, "2 minutes"],
    [86_400, "1 day"],
  ])("the summary of ttl %j reads %j", async (ttl, words) => {
    const fake = await setupStore({ k: "v" });
    const { summary } = await runAction(action, { dataStore: fake.store, key: "k", ttl });
    expect(summary).toBe(`Successfully set "k" to expire in ${words}`);
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["an empty key", { key: "", ttl: 60 }, /Key is empty/],
      ["a key that is an object", { key: { a: 1 }, ttl: 60 }, /Key must be text/],
      ["a negative ttl", { key: "k", ttl: -1 }, /TTL \(seconds\) must be a whole number/],
      ["a fractional ttl", { key: "k", ttl: 1.5 }, /TTL \(seconds\) must be a whole number/],
      ["a ttl over two years", { key: "k", ttl: 63_072_001 }, /two years/],
      ["a ttl that is not a number", { key: "k", ttl: "soon" }, /TTL \(seconds\)/],
      ["an empty ttl", { key: "k", ttl: "" }, /TTL \(seconds\) is required/],
      ["a ttl whose expression gave nothing", { key: "k", ttl: undefined }, /TTL \(seconds\) is required/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore();
      await fake.store.set("k", "original", { ttl: 600 });
      fake.controls.resetStats();
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
    });
  });
});
