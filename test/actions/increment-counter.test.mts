import { describe, expect, test } from "@jest/globals";
import action from "../../actions/increment-counter/increment-counter.mjs";
import { readCounter } from "../../lib/counter/counter.mjs";
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
    ["text in exponent notation", "1e-7", 10.0000001],
    ["the text \"0\" (a read of the total)", "0", 10],
    ["an empty text (the default, 1)", "", 11],
    ["nothing from an expression (the default, 1)", undefined, 11],
  ])("an amount of %s is accepted", async (_name, amount, total) => {
    const fake = await setupStore({ k: 10 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "k", amount });
    expect(returnValue).toEqual({ key: "k", value: total, previous: 10 });
    expect(await fake.store.get("k")).toBe(total);
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
  });

  describe("ttl", () => {
    test("a ttl given as numeric text is passed on: the counter expires after it", async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, key: "k", ttl: "60" });
      fake.clock.advanceSeconds(60);
      expect(await fake.store.has("k")).toBe(false);
    });
  });

  test("concurrencySafe given as the text \"true\" turns the mode on", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "hits", concurrencySafe: "true" });
    expect(await fake.store.has("hits")).toBe(false);
    expect(await readCounter(fake.store, "hits", { concurrencySafe: true })).toBe(1);
  });

  test("the action adds no round trip of its own: an increment of an existing counter costs the library's get + set + setTtl", async () => {
    const fake = await setupStore({ k: 1 });
    await runAction(action, { dataStore: fake.store, key: "k" });
    expect(fake.controls.stats.total).toBe(3);
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

    test("a record under the key that is not a number, refused by the library", async () => {
      const fake = await setupStore({ k: "5" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, key: "k" }), /holds "5", not a number/);
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
  });
});
