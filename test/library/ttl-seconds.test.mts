/**
 * Code steps call the library with a `ttlSeconds` of their own: 0 or null means no expiry, as in
 * the actions, and anything else that is not a whole number of seconds up to two years (text
 * included: the library parses nothing) is refused with an InvalidArgumentError before the store
 * is touched. The builder's text is read by the prop layer (components/common/ttl.mts).
 */
import { describe, expect, test } from "@jest/globals";
import { increment } from "../../lib/counter/counter.mjs";
import { deduplicate } from "../../lib/dedupe/dedupe.mjs";
import { getOrSet } from "../../lib/cache/cache.mjs";
import { appendToList, putRecord, updateTtl } from "../../lib/records/records.mjs";
import { InvalidArgumentError } from "../../lib/errors.mjs";
import { parseTtlSeconds } from "../../components/common/ttl.mjs";
import { expectLibraryRefusal, setupStore } from "../support/fixtures.mjs";

type Fake = Awaited<ReturnType<typeof setupStore>>;

const calls: [string, (fake: Fake, ttlSeconds: number | null) => Promise<unknown>][] = [
  ["putRecord", (fake, ttlSeconds) => putRecord(fake.store, { key: "k", value: 1, ttlSeconds })],
  ["appendToList", (fake, ttlSeconds) => appendToList(fake.store, "k", 1, { ttlSeconds })],
  ["increment", (fake, ttlSeconds) => increment(fake.store, "k", { ttlSeconds })],
  ["increment, concurrency-safe", (fake, ttlSeconds) => increment(fake.store, "k", { ttlSeconds, concurrencySafe: true })],
  ["deduplicate", (fake, ttlSeconds) => deduplicate(fake.store, "k", { ttlSeconds })],
  ["getOrSet", (fake, ttlSeconds) => getOrSet(fake.store, "k", ttlSeconds, () => 1)],
];

describe.each(calls)("%s", (_name, call) => {
  test.each([0, null])("ttlSeconds %j means no expiry", async (ttlSeconds) => {
    const fake = await setupStore();
    await call(fake, ttlSeconds);
    expect(fake.controls.records().length).toBeGreaterThan(0);
    expect(fake.controls.records().every((record) => record.expiresAt === null)).toBe(true);
  });

  test.each([-1, 1.5, 63_072_001, Number.NaN, Number.POSITIVE_INFINITY])("ttlSeconds %j is refused before anything is written", async (ttlSeconds) => {
    const fake = await setupStore();
    await expectLibraryRefusal(fake, () => call(fake, ttlSeconds), /ttlSeconds must be a whole number/, InvalidArgumentError);
  });
});

test("updateTtl refuses a negative ttlSeconds and leaves the record's expiry alone", async () => {
  const fake = await setupStore({ k: 1 });
  await expectLibraryRefusal(fake, () => updateTtl(fake.store, "k", -5), /ttlSeconds/, InvalidArgumentError);
});

test.each(["60", "0x10", "1e3"])("a code step's ttlSeconds %j (text, not a number) is refused: the library parses nothing", async (text) => {
  const fake = await setupStore();
  await expectLibraryRefusal(
    fake,
    () => putRecord(fake.store, { key: "k", value: 1, ttlSeconds: text as unknown as number }),
    /^ttlSeconds must be a whole number of seconds from 0 \(no expiry\) to 63072000 \(two years\); got "/,
    InvalidArgumentError,
  );
});

test("the refusal names the argument, for a code step to catch", async () => {
  const fake = await setupStore();
  const error = await updateTtl(fake.store, "k", 1.5).catch((thrown: unknown) => thrown);
  expect(error).toMatchObject({ name: "InvalidArgumentError", argument: "ttlSeconds" });
});

describe("the prop layer's parseTtlSeconds reads decimal digits only, like every integer prop", () => {
  test.each([
    ["0x10", "hex"],
    ["1e3", "an exponent"],
    ["60.0", "a fraction"],
    ["1_000", "separators"],
    ["0b11", "binary"],
    ["Infinity", "Infinity"],
  ])("%j (%s) is refused, not read as a number", (text) => {
    expect(() => parseTtlSeconds(text)).toThrow(/^TTL \(seconds\) must be a whole number of seconds/);
  });

  test.each([
    [" 60 ", 60],
    ["+60", 60],
    ["0060", 60],
    [60, 60],
    [60.0, 60],
    ["0", null],
    ["-0", null],
  ])("%j is %j", (input, seconds) => {
    expect(parseTtlSeconds(input)).toBe(seconds);
  });
});
