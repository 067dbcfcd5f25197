import { describe, expect, test } from "@jest/globals";
import { bucketKey, periodLabel, type Bucket } from "../../lib/counter/buckets.mjs";
import { increment, MAX_COUNTER_AMOUNT, readCounter } from "../../lib/counter/counter.mjs";
import { addDecimals, sumDecimals } from "../../lib/counter/decimal.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import { InvalidArgumentError, StoredValueError } from "../../lib/errors.mjs";
import { expectLibraryRefusal, setupStore } from "../support/fixtures.mjs";

/** 2026-11-24T18:31:05Z, a Tuesday in ISO week 48. */
const AT = Date.UTC(2026, 10, 24, 18, 31, 5);
const COUNTER_PARTS = `${INTERNAL_KEY_PREFIX}counter:`;

describe("addDecimals and sumDecimals", () => {
  test("0.1 + 0.2 is exactly 0.3", () => {
    expect(addDecimals(0.1, 0.2)).toBe(0.3);
  });

  test("19.99 added three times is exactly 59.97", () => {
    expect(sumDecimals([19.99, 19.99, 19.99])).toBe(59.97);
  });

  test("amounts written with an exponent (1e-7) are summed exactly", () => {
    expect(addDecimals(1e-7, 2e-7)).toBe(3e-7);
    expect(sumDecimals(Array.from({ length: 10 }, () => 1e-7))).toBe(1e-6);
  });

  test("decimals with different numbers of places are summed exactly", () => {
    expect(addDecimals(0.3, 0.07)).toBe(0.37);
    expect(addDecimals(1.005, 2.1)).toBe(3.105);
  });

  test("negative amounts subtract exactly", () => {
    expect(addDecimals(0.3, -0.1)).toBe(0.2);
    expect(addDecimals(1.1, -2.5)).toBe(-1.4);
  });

  test("whole numbers are added as they are", () => {
    expect(addDecimals(100, 1)).toBe(101);
    expect(addDecimals(-3, 3)).toBe(0);
  });

  test("sumDecimals starts from its start value", () => {
    expect(sumDecimals([0.1, 0.2], 10)).toBe(10.3);
    expect(sumDecimals([], 7)).toBe(7);
  });
});

describe("periodLabel and bucketKey", () => {
  test.each([
    ["minute", "2026-11-24T18:31"],
    ["hour", "2026-11-24T18"],
    ["day", "2026-11-24"],
    ["week", "2026-W48"],
    ["month", "2026-11"],
  ] as Array<[Bucket, string]>)("the %s of the test clock's moment is labelled %s", async (bucket, label) => {
    const fake = await setupStore();
    fake.clock.set(AT);
    expect(periodLabel(bucket, Date.now())).toBe(label);
    expect(bucketKey("k", bucket, Date.now())).toBe(`k:${label}`);
  });

  test("bucket none has no label and keeps the key as it is", async () => {
    const fake = await setupStore();
    fake.clock.set(AT);
    expect(periodLabel("none", Date.now())).toBeUndefined();
    expect(bucketKey("k", "none", Date.now())).toBe("k");
  });

  test.each([
    ["2021-01-03 (a Sunday) is in the last week of 2020", Date.UTC(2021, 0, 3), "2020-W53"],
    ["2024-12-30 (a Monday) is in the first week of 2025", Date.UTC(2024, 11, 30), "2025-W01"],
    ["2027-01-01 (a Friday) is in the last week of 2026", Date.UTC(2027, 0, 1), "2026-W53"],
    ["2026-01-01 (a Thursday) is in the first week of 2026", Date.UTC(2026, 0, 1), "2026-W01"],
    ["2026-12-31 (a Thursday) is in week 53 of 2026", Date.UTC(2026, 11, 31, 12), "2026-W53"],
    ["2027-01-03 (the Sunday after) is still in week 53 of 2026", Date.UTC(2027, 0, 3, 12), "2026-W53"],
    ["2026-11-29 23:59:59 (a Sunday) is still week 48", Date.UTC(2026, 10, 29, 23, 59, 59), "2026-W48"],
    ["2026-11-30 00:00 (a Monday) starts week 49", Date.UTC(2026, 10, 30), "2026-W49"],
  ])("ISO week: %s", async (_name, ms, label) => {
    const fake = await setupStore();
    fake.clock.set(ms);
    expect(periodLabel("week", Date.now())).toBe(label);
  });

  test("periods are UTC: one millisecond before midnight is still the old day and month", async () => {
    const fake = await setupStore();
    fake.clock.set(Date.UTC(2026, 10, 30, 23, 59, 59, 999));
    expect(periodLabel("day", Date.now())).toBe("2026-11-30");
    expect(periodLabel("month", Date.now())).toBe("2026-11");
    fake.clock.advanceSeconds(0.001);
    expect(periodLabel("day", Date.now())).toBe("2026-12-01");
    expect(periodLabel("month", Date.now())).toBe("2026-12");
  });
});

describe("increment and readCounter, default mode", () => {
  test("a new counter starts from 0 and the first increment by default adds 1", async () => {
    const fake = await setupStore();
    expect(await increment(fake.store, "visits")).toEqual({ key: "visits", value: 1, previous: 0 });
    expect(await fake.store.get("visits")).toBe(1);
  });

  test("initialValue is the value before the first increment", async () => {
    const fake = await setupStore();
    expect(await increment(fake.store, "visits", { initialValue: 100 })).toEqual({ key: "visits", value: 101, previous: 100 });
    expect(await increment(fake.store, "visits", { initialValue: 100 })).toEqual({ key: "visits", value: 102, previous: 101 });
    expect(await fake.store.get("visits")).toBe(102);
  });

  test("initialValue is ignored once the counter holds a number", async () => {
    const fake = await setupStore({ visits: 5 });
    expect(await increment(fake.store, "visits", { initialValue: 100 })).toEqual({ key: "visits", value: 6, previous: 5 });
  });

  test("a stored 0 is a counter at 0, not a missing one", async () => {
    const fake = await setupStore({ visits: 0 });
    expect(await increment(fake.store, "visits", { initialValue: 100 })).toEqual({ key: "visits", value: 1, previous: 0 });
  });

  test("negative and decimal amounts are added", async () => {
    const fake = await setupStore({ balance: 10 });
    expect(await increment(fake.store, "balance", { amount: -2.5 })).toMatchObject({ value: 7.5, previous: 10 });
    expect(await increment(fake.store, "balance", { amount: 0.25 })).toMatchObject({ value: 7.75, previous: 7.5 });
    expect(await fake.store.get("balance")).toBe(7.75);
  });

  test("0.1 then 0.2 stores exactly 0.3", async () => {
    const fake = await setupStore();
    await increment(fake.store, "sum", { amount: 0.1 });
    expect(await increment(fake.store, "sum", { amount: 0.2 })).toMatchObject({ value: 0.3 });
    expect(await fake.store.get("sum")).toBe(0.3);
  });

  test("19.99 three times stores exactly 59.97", async () => {
    const fake = await setupStore();
    for (let i = 0; i < 3; i += 1) await increment(fake.store, "revenue", { amount: 19.99 });
    expect(await fake.store.get("revenue")).toBe(59.97);
  });

  test("amounts of 1e-7 are summed exactly", async () => {
    const fake = await setupStore();
    for (let i = 0; i < 3; i += 1) await increment(fake.store, "tiny", { amount: 1e-7 });
    expect(await fake.store.get("tiny")).toBe(3e-7);
  });

  test.each([
    ["text", "5", /holds "5", not a number/],
    ["an object", { n: 1 }, /holds \{"n":1\}, not a number/],
    ["null", null, /holds null, not a number/],
    ["false", false, /holds false, not a number/],
  ])("a record holding %s is refused with the library's own error and left unchanged", async (_name, value, message) => {
    const fake = await setupStore({ k: value });
    await expectLibraryRefusal(fake, () => increment(fake.store, "k"), message);
  });

  test.each([Number.NaN, Number.POSITIVE_INFINITY, "5" as unknown as number])(
    "an amount of %j is refused with the library's own error and nothing is written",
    async (amount) => {
      const fake = await setupStore({ k: 1 });
      await expectLibraryRefusal(fake, () => increment(fake.store, "k", { amount }), /amount must be a finite number/);
    },
  );

  test("an initialValue that is not a finite number is refused for a new counter", async () => {
    const fake = await setupStore();
    await expectLibraryRefusal(
      fake,
      () => increment(fake.store, "k", { initialValue: Number.NaN }),
      /initialValue must be a finite number/,
    );
  });

  test("with a ttl the counter expires that many seconds after its last increment", async () => {
    const fake = await setupStore();
    await increment(fake.store, "k", { ttlSeconds: 60 });
    fake.clock.advanceSeconds(50);
    await increment(fake.store, "k", { ttlSeconds: 60 });
    fake.clock.advanceSeconds(59);
    expect(await fake.store.get("k")).toBe(2);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("k")).toBe(false);
  });

  test("after it expired, a counter starts again from initialValue", async () => {
    const fake = await setupStore();
    await increment(fake.store, "k", { ttlSeconds: 60, initialValue: 10 });
    fake.clock.advanceSeconds(60);
    expect(await increment(fake.store, "k", { ttlSeconds: 60, initialValue: 10 })).toMatchObject({ value: 11, previous: 10 });
  });

  test("without a ttl the counter never expires, even when it had an expiry before", async () => {
    const fake = await setupStore();
    await fake.store.set("k", 5, { ttl: 10 });
    await increment(fake.store, "k");
    fake.clock.advanceSeconds(2 * 365 * 86_400);
    expect(await fake.store.get("k")).toBe(6);
  });

  test("with a bucket the count is kept under <key>:<period> and the result names that key", async () => {
    const fake = await setupStore();
    fake.clock.set(AT);
    expect(await increment(fake.store, "k", { bucket: "day" })).toEqual({ key: "k:2026-11-24", value: 1, previous: 0 });
    expect(await fake.store.get("k:2026-11-24")).toBe(1);
    expect(await fake.store.has("k")).toBe(false);
  });

  test("nowMs picks the bucket instead of the clock", async () => {
    const fake = await setupStore();
    fake.clock.set(AT);
    const result = await increment(fake.store, "k", { bucket: "month", nowMs: Date.UTC(2025, 0, 15) });
    expect(result.key).toBe("k:2025-01");
  });

  test("moving the clock into the next period starts a new count", async () => {
    const fake = await setupStore();
    fake.clock.set(Date.UTC(2026, 10, 24, 23, 59, 0));
    await increment(fake.store, "k", { bucket: "day" });
    await increment(fake.store, "k", { bucket: "day" });
    fake.clock.advanceSeconds(60);
    expect(await increment(fake.store, "k", { bucket: "day" })).toEqual({ key: "k:2026-11-25", value: 1, previous: 0 });
    expect(await fake.store.get("k:2026-11-24")).toBe(2);
  });

  test("readCounter returns the total without writing, in one round trip", async () => {
    const fake = await setupStore({ k: 7 });
    expect(await readCounter(fake.store, "k")).toBe(7);
    expect(fake.controls.stats.total).toBe(1);
    expect(fake.controls.stats.calls.get).toBe(1);
  });

  test("readCounter of a missing counter is its initialValue, and creates nothing", async () => {
    const fake = await setupStore();
    expect(await readCounter(fake.store, "k")).toBe(0);
    expect(await readCounter(fake.store, "k", { initialValue: 100 })).toBe(100);
    expect(fake.controls.records()).toEqual([]);
  });

  test("readCounter reads the current period of a bucketed counter", async () => {
    const fake = await setupStore();
    fake.clock.set(AT);
    await increment(fake.store, "k", { bucket: "hour", amount: 3 });
    expect(await readCounter(fake.store, "k", { bucket: "hour" })).toBe(3);
    fake.clock.advanceSeconds(3600);
    expect(await readCounter(fake.store, "k", { bucket: "hour" })).toBe(0);
  });

  test("readCounter refuses a record that is not a number", async () => {
    const fake = await setupStore({ k: "5" });
    await expect(readCounter(fake.store, "k")).rejects.toBeInstanceOf(StoredValueError);
  });

  test("an increment of an existing counter without ttl costs get + set + setTtl", async () => {
    const fake = await setupStore({ k: 1 });
    await increment(fake.store, "k");
    expect(fake.controls.stats.calls).toMatchObject({ get: 1, set: 1, setTtl: 1, keys: 0 });
    expect(fake.controls.stats.total).toBe(3);
  });

  test("an increment with a ttl costs get + set", async () => {
    const fake = await setupStore({ k: 1 });
    await increment(fake.store, "k", { ttlSeconds: 60 });
    expect(fake.controls.stats.calls).toMatchObject({ get: 1, set: 1, setTtl: 0 });
    expect(fake.controls.stats.total).toBe(2);
  });

  test("the first increment of a new counter without ttl costs get + set", async () => {
    const fake = await setupStore();
    await increment(fake.store, "k");
    expect(fake.controls.stats.calls).toMatchObject({ get: 1, set: 1, setTtl: 0 });
    expect(fake.controls.stats.total).toBe(2);
  });
});

describe("increment and readCounter, concurrency-safe mode", () => {
  test("50 concurrent increments lose none", async () => {
    const fake = await setupStore({}, { latencyMs: 2, jitterMs: 8 });
    const results = await Promise.all(
      Array.from({ length: 50 }, () => increment(fake.store, "k", { concurrencySafe: true })),
    );
    expect(await readCounter(fake.store, "k", { concurrencySafe: true })).toBe(50);
    expect(Math.max(...results.map((result) => result.value))).toBe(50);
  });

  test("50 concurrent increments in default mode lose some (why the safe mode exists)", async () => {
    const fake = await setupStore({}, { latencyMs: 2, jitterMs: 8 });
    await Promise.all(Array.from({ length: 50 }, () => increment(fake.store, "k")));
    expect(await readCounter(fake.store, "k")).toBeLessThan(50);
  });

  test("increments are parts under the reserved __dskit:counter: prefix, not the user's key", async () => {
    const fake = await setupStore();
    await increment(fake.store, "k", { concurrencySafe: true });
    await increment(fake.store, "k", { concurrencySafe: true, amount: 2 });
    const keys = fake.controls.records().map((record) => record.key);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.startsWith(`${COUNTER_PARTS}k:`)).toBe(true);
    expect(await fake.store.has("k")).toBe(false);
  });

  test("initialValue is the value before the first increment", async () => {
    const fake = await setupStore();
    const options = { concurrencySafe: true, initialValue: 100 };
    expect(await increment(fake.store, "k", options)).toEqual({ key: "k", value: 101, previous: 100 });
    expect(await increment(fake.store, "k", options)).toEqual({ key: "k", value: 102, previous: 101 });
  });

  test("a plain counter holding a number counts as the base", async () => {
    const fake = await setupStore({ k: 10 });
    expect(await increment(fake.store, "k", { concurrencySafe: true })).toEqual({ key: "k", value: 11, previous: 10 });
    expect(await fake.store.get("k")).toBe(10);
    expect(await readCounter(fake.store, "k", { concurrencySafe: true })).toBe(11);
  });

  test("a plain record that is not a number is refused and nothing is written", async () => {
    const fake = await setupStore({ k: "5" });
    await expectLibraryRefusal(fake, () => increment(fake.store, "k", { concurrencySafe: true }), /not a number/);
  });

  test("decimal parts are summed exactly", async () => {
    const fake = await setupStore();
    await increment(fake.store, "k", { concurrencySafe: true, amount: 0.1 });
    expect(await increment(fake.store, "k", { concurrencySafe: true, amount: 0.2 })).toMatchObject({ value: 0.3, previous: 0.1 });
    await increment(fake.store, "k", { concurrencySafe: true, amount: 1e-7 });
    expect(await readCounter(fake.store, "k", { concurrencySafe: true })).toBe(0.3000001);
  });

  test("negative amounts are parts too", async () => {
    const fake = await setupStore({ k: 10 });
    expect(await increment(fake.store, "k", { concurrencySafe: true, amount: -2.5 })).toEqual({ key: "k", value: 7.5, previous: 10 });
  });

  test("with a ttl each part expires on its own and the total drops back", async () => {
    const fake = await setupStore({ k: 100 });
    const options = { concurrencySafe: true, ttlSeconds: 60 };
    await increment(fake.store, "k", { ...options, amount: 1 });
    fake.clock.advanceSeconds(30);
    expect(await increment(fake.store, "k", { ...options, amount: 2 })).toMatchObject({ value: 103 });
    fake.clock.advanceSeconds(30);
    expect(await readCounter(fake.store, "k", { concurrencySafe: true })).toBe(102);
    fake.clock.advanceSeconds(30);
    expect(await readCounter(fake.store, "k", { concurrencySafe: true })).toBe(100);
  });

  test("without a ttl parts never expire", async () => {
    const fake = await setupStore();
    await increment(fake.store, "k", { concurrencySafe: true, amount: 4 });
    fake.clock.advanceSeconds(2 * 365 * 86_400);
    expect(await readCounter(fake.store, "k", { concurrencySafe: true })).toBe(4);
  });

  test("parts of one counter never count toward another whose key starts the same", async () => {
    const fake = await setupStore();
    await increment(fake.store, "a", { concurrencySafe: true, amount: 1 });
    await increment(fake.store, "a:b", { concurrencySafe: true, amount: 10 });
    await increment(fake.store, "a", { concurrencySafe: true, amount: 100, bucket: "day" });
    expect(await readCounter(fake.store, "a", { concurrencySafe: true })).toBe(1);
    expect(await readCounter(fake.store, "a:b", { concurrencySafe: true })).toBe(10);
    expect(await readCounter(fake.store, "a", { concurrencySafe: true, bucket: "day" })).toBe(100);
  });

  test("with a bucket, parts count per period and the result names <key>:<period>", async () => {
    const fake = await setupStore();
    fake.clock.set(AT);
    const options = { concurrencySafe: true, bucket: "minute" as Bucket };
    expect(await increment(fake.store, "k", options)).toEqual({ key: "k:2026-11-24T18:31", value: 1, previous: 0 });
    fake.clock.advanceSeconds(55);
    expect(await increment(fake.store, "k", options)).toEqual({ key: "k:2026-11-24T18:32", value: 1, previous: 0 });
  });

  test("an increment costs get + set + keys", async () => {
    const fake = await setupStore({ k: 1 });
    await increment(fake.store, "k", { concurrencySafe: true });
    expect(fake.controls.stats.calls).toMatchObject({ get: 1, set: 1, keys: 1, setTtl: 0 });
    expect(fake.controls.stats.total).toBe(3);
  });

  test("readCounter costs get + keys", async () => {
    const fake = await setupStore({ k: 1 });
    await readCounter(fake.store, "k", { concurrencySafe: true });
    expect(fake.controls.stats.calls).toMatchObject({ get: 1, keys: 1 });
    expect(fake.controls.stats.total).toBe(2);
  });
});

describe("totals stay finite numbers (issue 9)", () => {
  test.each([false, true])(
    "the repro: two increments of 1e308 are refused before anything is written (concurrency-safe %s)",
    async (concurrencySafe) => {
      const fake = await setupStore();
      for (let i = 0; i < 2; i++) {
        await expectLibraryRefusal(
          fake,
          () => increment(fake.store, "k", { amount: 1e308, concurrencySafe }),
          /^amount must be a finite number from -9007199254740991 to 9007199254740991; got 1e\+308\./,
        );
      }
      expect(await increment(fake.store, "k", { concurrencySafe })).toMatchObject({ value: 1 });
    },
  );

  test("MAX_COUNTER_AMOUNT is 2^53 - 1, and it is accepted either sign", async () => {
    expect(MAX_COUNTER_AMOUNT).toBe(Number.MAX_SAFE_INTEGER);
    const fake = await setupStore();
    await increment(fake.store, "k", { amount: MAX_COUNTER_AMOUNT });
    expect(await increment(fake.store, "k", { amount: -MAX_COUNTER_AMOUNT })).toMatchObject({ value: 0 });
  });

  test.each([false, true])("an initialValue beyond the range is refused (concurrency-safe %s)", async (concurrencySafe) => {
    const fake = await setupStore();
    await expectLibraryRefusal(
      fake,
      () => increment(fake.store, "k", { initialValue: -1e300, concurrencySafe }),
      /^initialValue must be a finite number from/,
    );
    await expect(readCounter(fake.store, "k", { initialValue: Number.NaN })).rejects.toThrow(/^initialValue must be/);
  });

  test.each([Number.NaN, Number.POSITIVE_INFINITY, 1e20])("a nowMs of %p is refused, not a RangeError", async (nowMs) => {
    const fake = await setupStore();
    await expectLibraryRefusal(fake, () => increment(fake.store, "k", { nowMs, bucket: "day" }), /^nowMs must be a time in ms/);
    await expect(readCounter(fake.store, "k", { nowMs, bucket: "day" })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  test.each([false, true])(
    "a counter already holding the largest double stays finite when the largest amount is added (concurrency-safe %s)",
    async (concurrencySafe) => {
      const fake = await setupStore({ k: Number.MAX_VALUE });
      const result = await increment(fake.store, "k", { amount: MAX_COUNTER_AMOUNT, concurrencySafe });
      expect(result.value).toBe(Number.MAX_VALUE);
      expect(await fake.store.get("k")).toBe(Number.MAX_VALUE);
    },
  );

  test("parts under the counter's prefix that increment would never write are not counted", async () => {
    const fake = await setupStore({
      [`${COUNTER_PARTS}k:forged-1:1e308`]: 0,
      [`${COUNTER_PARTS}k:forged-2:1e308`]: 0,
      [`${COUNTER_PARTS}k:forged-3:NaN`]: 0,
    });
    expect(await increment(fake.store, "k", { concurrencySafe: true, amount: 2 })).toMatchObject({ value: 2, previous: 0 });
    expect(await readCounter(fake.store, "k", { concurrencySafe: true })).toBe(2);
  });
});
