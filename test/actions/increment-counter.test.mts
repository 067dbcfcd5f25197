import { describe, expect, test } from "@jest/globals";
import action from "../../actions/increment-counter/increment-counter.mjs";
import { readCounter } from "../../lib/counter/counter.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

/** 2026-11-24T18:31:05Z, a Tuesday in ISO week 48. */
const AT = Date.UTC(2026, 10, 24, 18, 31, 5);

describe("increment-counter", () => {
  test("a new counter starts from 0 and the default amount is 1", async () => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "visits" });
    expect(returnValue).toEqual({ key: "visits", value: 1, previous: 0 });
    expect(await fake.store.get("visits")).toBe(1);
  });

  test("initialValue is the value before the first increment: 100 then 101, 102", async () => {
    const fake = await setupStore();
    const props = { dataStore: fake.store, key: "visits", initialValue: "100", amount: "1" };
    expect((await runAction(action, props)).returnValue).toEqual({ key: "visits", value: 101, previous: 100 });
    expect((await runAction(action, props)).returnValue).toEqual({ key: "visits", value: 102, previous: 101 });
    expect(await fake.store.get("visits")).toBe(102);
  });

  test("the summary names the counter, its total and the change", async () => {
    const fake = await setupStore();
    const { summary } = await runAction(action, { dataStore: fake.store, key: "visits", initialValue: "100" });
    expect(summary).toBe('Counter "visits" is now 101 (+1)');
  });

  test("the summary of a subtraction shows the negative amount", async () => {
    const fake = await setupStore({ stock: 10 });
    const { summary } = await runAction(action, { dataStore: fake.store, key: "stock", amount: "-2.5" });
    expect(summary).toBe('Counter "stock" is now 7.5 (-2.5)');
  });

  test("the summary of a bucketed counter names the key actually written", async () => {
    const fake = await setupStore();
    fake.clock.set(AT);
    const { summary } = await runAction(action, { dataStore: fake.store, key: "signups", bucket: "day" });
    expect(summary).toBe('Counter "signups:2026-11-24" is now 1 (+1)');
  });

  test.each([
    ["the number 5", 5, 15],
    ["the text \"5\"", "5", 15],
    ["the text \"-2.5\"", "-2.5", 7.5],
    ["a negative number", -3, 7],
    ["a decimal number", 0.25, 10.25],
    ["text with spaces around it", " 4 ", 14],
    ["an empty text (the default, 1)", "", 11],
    ["nothing from an expression (the default, 1)", undefined, 11],
  ])("an amount of %s is accepted", async (_name, amount, total) => {
    const fake = await setupStore({ k: 10 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", amount });
    expect(returnValue).toEqual({ key: "k", value: total, previous: 10 });
    expect(await fake.store.get("k")).toBe(total);
  });

  test("0.1 then 0.2 stores exactly 0.3", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "sum", amount: "0.1" });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "sum", amount: "0.2" });
    expect(returnValue).toMatchObject({ value: 0.3 });
    expect(await fake.store.get("sum")).toBe(0.3);
  });

  test("19.99 three times stores exactly 59.97", async () => {
    const fake = await setupStore();
    for (let i = 0; i < 3; i += 1) await runAction(action, { dataStore: fake.store, key: "revenue", amount: "19.99" });
    expect(await fake.store.get("revenue")).toBe(59.97);
  });

  test("amounts of 1e-7 are summed exactly", async () => {
    const fake = await setupStore();
    for (let i = 0; i < 3; i += 1) await runAction(action, { dataStore: fake.store, key: "tiny", amount: "1e-7" });
    expect(await fake.store.get("tiny")).toBe(3e-7);
  });

  test("an existing counter ignores initialValue", async () => {
    const fake = await setupStore({ visits: 5 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "visits", initialValue: "100" });
    expect(returnValue).toEqual({ key: "visits", value: 6, previous: 5 });
  });

  describe("bucket counts per UTC period under <key>:<period>", () => {
    test.each([
      ["minute", "k:2026-11-24T18:31"],
      ["hour", "k:2026-11-24T18"],
      ["day", "k:2026-11-24"],
      ["week", "k:2026-W48"],
      ["month", "k:2026-11"],
    ])("%s writes %s and the result names it", async (bucket, key) => {
      const fake = await setupStore();
      fake.clock.set(AT);
      const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", bucket });
      expect(returnValue).toEqual({ key, value: 1, previous: 0 });
      expect(fake.controls.records().map((record) => [record.key, record.value])).toEqual([[key, 1]]);
    });

    test.each([
      ["minute", 60],
      ["hour", 3600],
      ["day", 86_400],
      ["week", 7 * 86_400],
      ["month", 31 * 86_400],
    ])("moving the clock into the next %s starts a new count", async (bucket, seconds) => {
      const fake = await setupStore();
      fake.clock.set(AT);
      const props = { dataStore: fake.store, key: "k", bucket };
      await runAction(action, props);
      const second = await runAction(action, props);
      expect(second.returnValue).toMatchObject({ value: 2 });
      fake.clock.advanceSeconds(seconds);
      const next = await runAction(action, props);
      expect(next.returnValue).toMatchObject({ value: 1, previous: 0 });
      expect((next.returnValue as { key: string }).key).not.toBe((second.returnValue as { key: string }).key);
    });

    test.each([
      ["2021-01-03", Date.UTC(2021, 0, 3, 12), "k:2020-W53"],
      ["2024-12-30", Date.UTC(2024, 11, 30, 12), "k:2025-W01"],
      ["2027-01-01", Date.UTC(2027, 0, 1, 12), "k:2026-W53"],
    ])("ISO week: on %s the key is %s", async (_day, ms, key) => {
      const fake = await setupStore();
      fake.clock.set(ms);
      const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", bucket: "week" });
      expect(returnValue).toMatchObject({ key });
      expect(await fake.store.get(key)).toBe(1);
    });

    test("the same week counts on across the new year", async () => {
      const fake = await setupStore();
      fake.clock.set(Date.UTC(2026, 11, 31, 12)); // Thursday of 2026-W53
      await runAction(action, { dataStore: fake.store, key: "k", bucket: "week" });
      fake.clock.advanceSeconds(3 * 86_400); // Sunday 2027-01-03, still 2026-W53
      const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", bucket: "week" });
      expect(returnValue).toEqual({ key: "k:2026-W53", value: 2, previous: 1 });
    });
  });

  describe("ttl", () => {
    test("the counter expires ttl seconds after its last increment", async () => {
      const fake = await setupStore();
      const props = { dataStore: fake.store, key: "k", ttl: 60 };
      await runAction(action, props);
      fake.clock.advanceSeconds(50);
      await runAction(action, props);
      fake.clock.advanceSeconds(59);
      expect(await fake.store.get("k")).toBe(2);
      fake.clock.advanceSeconds(1);
      expect(await fake.store.has("k")).toBe(false);
    });

    test("without ttl the counter never expires, even when it had an expiry before", async () => {
      const fake = await setupStore();
      await fake.store.set("k", 5, { ttl: 10 });
      await runAction(action, { dataStore: fake.store, key: "k" });
      fake.clock.advanceSeconds(2 * 365 * 86_400);
      expect(await fake.store.get("k")).toBe(6);
    });

    test("a ttl given as numeric text is accepted", async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, key: "k", ttl: "60" });
      fake.clock.advanceSeconds(60);
      expect(await fake.store.has("k")).toBe(false);
    });
  });

  describe("concurrencySafe", () => {
    test("50 concurrent executions lose no increment", async () => {
      const fake = await setupStore({}, { latencyMs: 2, jitterMs: 8 });
      const runs = await Promise.all(
        Array.from({ length: 50 }, () => runAction(action, { dataStore: fake.store, key: "hits", concurrencySafe: true })),
      );
      const values = runs.map((run) => (run.returnValue as { value: number }).value);
      expect(Math.max(...values)).toBe(50);
      expect(await readCounter(fake.store, "hits", { concurrencySafe: true })).toBe(50);
      const check = await runAction(action, { dataStore: fake.store, key: "hits", amount: "0", concurrencySafe: true });
      expect(check.returnValue).toEqual({ key: "hits", value: 50, previous: 50 });
    });

    test("without it, the same 50 concurrent executions lose increments (why the mode exists)", async () => {
      const fake = await setupStore({}, { latencyMs: 2, jitterMs: 8 });
      await Promise.all(Array.from({ length: 50 }, () => runAction(action, { dataStore: fake.store, key: "hits" })));
      expect(await readCounter(fake.store, "hits")).toBeLessThan(50);
    });

    test("concurrencySafe given as the text \"true\" turns the mode on", async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, key: "hits", concurrencySafe: "true" });
      expect(await fake.store.has("hits")).toBe(false);
      expect(await readCounter(fake.store, "hits", { concurrencySafe: true })).toBe(1);
    });

    test("parts live under the reserved __dskit:counter: prefix, not under the user's key", async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, key: "hits", concurrencySafe: true });
      await runAction(action, { dataStore: fake.store, key: "hits", concurrencySafe: true });
      const keys = fake.controls.records().map((record) => record.key);
      expect(keys).toHaveLength(2);
      for (const key of keys) expect(key.startsWith(`${INTERNAL_KEY_PREFIX}counter:hits:`)).toBe(true);
      expect(await fake.store.has("hits")).toBe(false);
    });

    test("a plain counter at 10 switched to safe mode and incremented by 1 gives 11", async () => {
      const fake = await setupStore({ hits: 10 });
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "hits", concurrencySafe: true });
      expect(returnValue).toEqual({ key: "hits", value: 11, previous: 10 });
      expect(summary).toBe('Counter "hits" is now 11 (+1)');
      expect(await fake.store.get("hits")).toBe(10);
    });

    test("initialValue is the value before the first increment", async () => {
      const fake = await setupStore();
      const props = { dataStore: fake.store, key: "hits", initialValue: "100", concurrencySafe: true };
      expect((await runAction(action, props)).returnValue).toEqual({ key: "hits", value: 101, previous: 100 });
      expect((await runAction(action, props)).returnValue).toEqual({ key: "hits", value: 102, previous: 101 });
    });

    test("with a ttl each part expires on its own and the total drops back", async () => {
      const fake = await setupStore({ hits: 10 });
      const props = { dataStore: fake.store, key: "hits", ttl: 60, concurrencySafe: true };
      await runAction(action, { ...props, amount: "1" });
      fake.clock.advanceSeconds(30);
      expect((await runAction(action, { ...props, amount: "2" })).returnValue).toMatchObject({ value: 13 });
      fake.clock.advanceSeconds(30);
      expect(await readCounter(fake.store, "hits", { concurrencySafe: true })).toBe(12);
      fake.clock.advanceSeconds(30);
      expect(await readCounter(fake.store, "hits", { concurrencySafe: true })).toBe(10);
    });

    test("with a bucket the result names <key>:<period>", async () => {
      const fake = await setupStore();
      fake.clock.set(AT);
      const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", bucket: "hour", concurrencySafe: true });
      expect(returnValue).toEqual({ key: "k:2026-11-24T18", value: 1, previous: 0 });
    });
  });

  describe("round trips", () => {
    test("default mode without ttl on an existing counter: get + set + setTtl", async () => {
      const fake = await setupStore({ k: 1 });
      await runAction(action, { dataStore: fake.store, key: "k" });
      expect(fake.controls.stats.calls).toEqual({ get: 1, set: 1, setTtl: 1, has: 0, delete: 0, keys: 0, clear: 0, page: 0 });
      expect(fake.controls.stats.total).toBe(3);
    });

    test("default mode without ttl on a new counter: get + set", async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, key: "k" });
      expect(fake.controls.stats.calls).toEqual({ get: 1, set: 1, setTtl: 0, has: 0, delete: 0, keys: 0, clear: 0, page: 0 });
      expect(fake.controls.stats.total).toBe(2);
    });

    test("default mode with ttl: get + set", async () => {
      const fake = await setupStore({ k: 1 });
      await runAction(action, { dataStore: fake.store, key: "k", ttl: 60 });
      expect(fake.controls.stats.calls).toEqual({ get: 1, set: 1, setTtl: 0, has: 0, delete: 0, keys: 0, clear: 0, page: 0 });
      expect(fake.controls.stats.total).toBe(2);
    });

    test("concurrency-safe: get + set + keys", async () => {
      const fake = await setupStore({ k: 1 });
      await runAction(action, { dataStore: fake.store, key: "k", concurrencySafe: true });
      expect(fake.controls.stats.calls).toEqual({ get: 1, set: 1, setTtl: 0, has: 0, delete: 0, keys: 1, clear: 0, page: 0 });
      expect(fake.controls.stats.total).toBe(3);
    });
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["an amount of letters", { amount: "abc" }, /Amount must be a number/],
      ["a hexadecimal amount", { amount: "0x10" }, /Amount must be a number/],
      ["an amount that is an object", { amount: { n: 1 } }, /Amount must be a number/],
      ["an amount of true", { amount: true }, /Amount must be a number/],
      ["an amount of NaN", { amount: Number.NaN }, /Amount must be a number/],
      ["an amount too large to be finite", { amount: "1e400" }, /Amount must be a number/],
      ["an initial value that is not a number", { initialValue: "lots" }, /Initial Value must be a number/],
      ["an unknown bucket", { bucket: "year" }, /Bucket must be one of "none", "minute", "hour", "day", "week", "month"/],
      ["a negative ttl", { ttl: -1 }, /TTL \(seconds\) must be a whole number/],
      ["a concurrencySafe that is not a boolean", { concurrencySafe: "yes" }, /Concurrency Safe must be true or false/],
      ["an empty key", { key: "" }, /Key is empty/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ k: 1 });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, key: "k", ...props }), message);
    });

    test.each([
      ["text", "5", /holds "5", not a number/],
      ["an object", { n: 1 }, /holds \{"n":1\}, not a number/],
      ["null", null, /holds null, not a number/],
      ["false", false, /holds false, not a number/],
    ])("a record holding %s under the key", async (_name, value, message) => {
      const fake = await setupStore({ k: value });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, key: "k" }), message);
    });

    test("a record holding text under the key, in concurrency-safe mode", async () => {
      const fake = await setupStore({ k: "5" });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, key: "k", concurrencySafe: true }),
        /holds "5", not a number/,
      );
    });
  });

  describe("no total is ever NaN or Infinity, and no amount is rounded away (issue 9)", () => {
    test.each([false, true])(
      "the repro: two increments of 1e308 (concurrency-safe %s) are refused naming Amount, the store unchanged",
      async (concurrencySafe) => {
        const fake = await setupStore({ k: 1 });
        for (let i = 0; i < 2; i++) {
          await expectRefusedUnchanged(
            fake,
            () => runAction(action, { dataStore: fake.store, key: "k", amount: "1e308", concurrencySafe }),
            /^Amount must be a number from -9007199254740991 to 9007199254740991/,
          );
        }
        expect((await runAction(action, { dataStore: fake.store, key: "k", concurrencySafe })).returnValue).toMatchObject({
          value: 2,
        });
      },
    );

    test.each([
      ["an amount beyond 2^53 - 1", { amount: 9007199254740992 }, /^Amount must be a number from -9007199254740991/],
      ["an amount of whole digits too long to hold exactly", { amount: "12345678901234567890" }, /^Amount must be a number from/],
      ["a negative amount beyond -(2^53 - 1)", { amount: "-1e16" }, /^Amount must be a number from -9007199254740991/],
      ["an initial value of 1e308", { initialValue: "1e308" }, /^Initial Value must be a number from -9007199254740991/],
      ["an amount of Infinity", { amount: Number.POSITIVE_INFINITY }, /^Amount must be a number/],
      ["an amount of \"Infinity\"", { amount: "Infinity" }, /^Amount must be a number/],
    ])("%s is refused, the store unchanged", async (_name, props, message) => {
      const fake = await setupStore({ k: 1 });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, key: "k", ...props }), message);
    });

    test.each([false, true])("the largest amount is accepted (concurrency-safe %s)", async (concurrencySafe) => {
      const fake = await setupStore();
      const { returnValue } = await runAction(action, {
        dataStore: fake.store,
        key: "k",
        amount: "9007199254740991",
        concurrencySafe,
      });
      expect(returnValue).toMatchObject({ value: 9007199254740991, previous: 0 });
    });

    test.each([false, true])(
      "a counter already holding the largest double stays finite when the largest amount is added (concurrency-safe %s)",
      async (concurrencySafe) => {
        const fake = await setupStore({ k: Number.MAX_VALUE });
        const { returnValue } = await runAction(action, {
          dataStore: fake.store,
          key: "k",
          amount: "9007199254740991",
          concurrencySafe,
        });
        expect((returnValue as { value: number }).value).toBe(Number.MAX_VALUE);
        expect(await fake.store.get("k")).toBe(Number.MAX_VALUE);
      },
    );
  });
});
