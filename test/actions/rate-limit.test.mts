import { describe, expect, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import action from "../../actions/rate-limit/rate-limit.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import { ALGORITHMS } from "../../lib/rate-limit/rate-limit.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

type Fake = Awaited<ReturnType<typeof setupStore>>;

/** 2026-11-24T18:31:50Z: 10 s before the next whole minute. */
const AT_18_31_50 = Date.UTC(2026, 10, 24, 18, 31, 50);
const LIMIT_STATE = `${INTERNAL_KEY_PREFIX}limit:`;

/** Runs the action and returns the error it failed with (undefined when it did not fail). */
async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

/** Uses up a limit of 1 per 60 s for "api" at 18:31:50, so the next call is denied with 10 s to wait. */
async function exhaustedLimiter(): Promise<Fake> {
  const fake = await setupStore();
  fake.clock.set(AT_18_31_50);
  await runAction(action, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60 });
  return fake;
}

describe("rate-limit", () => {
  test("an admitted call returns the numbers and says how many calls are left", async () => {
    const fake = await setupStore();
    fake.clock.set(AT_18_31_50);
    const { returnValue, summary, exitReason } = await runAction(action, {
      dataStore: fake.store,
      key: "api",
      limit: 3,
      windowSeconds: 60,
    });
    expect(exitReason).toBeUndefined();
    expect(returnValue).toStrictEqual({ allowed: true, limit: 3, remaining: 2, resetInSeconds: 10, retryAfterSeconds: 0 });
    expect(summary).toBe('Allowed: 2 calls left for "api" (limit 3 per 60s)');
  });

  test("the default algorithm is fixed-window: windows align to the minute", async () => {
    const fake = await setupStore();
    fake.clock.set(AT_18_31_50);
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "api", limit: 3, windowSeconds: 60 });
    expect(returnValue).toMatchObject({ resetInSeconds: 10 }); // sliding-window would read 60, token-bucket 20
  });

  test("limit and windowSeconds given as numeric text from an expression are accepted", async () => {
    const fake = await setupStore();
    fake.clock.set(AT_18_31_50);
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "api", limit: "3", windowSeconds: "60" });
    expect(returnValue).toMatchObject({ allowed: true, limit: 3, resetInSeconds: 10 });
  });

  test.each([
    ["when whenLimited is left at its default", {}],
    ["with whenLimited exit", { whenLimited: "exit" }],
    ["when an expression left whenLimited empty", { whenLimited: "" }],
  ])("a limited call ends the workflow with a reason that says when to retry, %s", async (_name, props) => {
    const fake = await exhaustedLimiter();
    const { returnValue, exitReason, summary } = await runAction(action, {
      dataStore: fake.store,
      key: "api",
      limit: 1,
      windowSeconds: 60,
      ...props,
    });
    expect(returnValue).toBeUndefined();
    expect(exitReason).toBe('Rate limit reached for "api" (1 per 60s); retry in 10 seconds');
    expect(summary).toBe(exitReason);
  });

  test("a limited call with whenLimited error throws an error naming the key, not a ConfigurationError", async () => {
    const fake = await exhaustedLimiter();
    const error = await failureOf(() =>
      runAction(action, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60, whenLimited: "error" }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/"api"/);
    expect((error as Error).message).toMatch(/retry in 10 seconds/);
  });

  test.each([
    ["fixed-window", { allowed: false, limit: 1, remaining: 0, resetInSeconds: 10, retryAfterSeconds: 10 }],
    ["sliding-window", { allowed: false, limit: 1, remaining: 0, resetInSeconds: 60, retryAfterSeconds: 60 }],
    ["token-bucket", { allowed: false, limit: 1, remaining: 0, resetInSeconds: 60, retryAfterSeconds: 60 }],
  ])("%s: a limited call with whenLimited continue returns allowed false with the numbers", async (algorithm, expected) => {
    const fake = await setupStore();
    fake.clock.set(AT_18_31_50);
    const props = { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60, algorithm, whenLimited: "continue" };
    await runAction(action, props);
    const { returnValue, exitReason, summary } = await runAction(action, props);
    expect(exitReason).toBeUndefined();
    expect(returnValue).toStrictEqual(expected);
    expect(summary).toMatch(new RegExp(`retry in ${expected.retryAfterSeconds} seconds`));
  });

  test.each(ALGORITHMS)("%s with concurrencySafe true is decided by claims: the call writes a claim for that algorithm", async (algorithm) => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60, algorithm, concurrencySafe: true });
    const keys = fake.controls.records().map((record) => record.key);
    expect(keys.some((key) => key.startsWith(`${LIMIT_STATE}${algorithm}-claims:api:`))).toBe(true);
  });

  test("the action adds no round trip of its own: an admitted call costs the library's get + set", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60 });
    expect(fake.controls.stats.total).toBe(2);
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    const base = { key: "api", limit: 10, windowSeconds: 60 };
    test.each([
      ["limit 0", { ...base, limit: 0 }, /Limit must be a whole number from 1 to/],
      ["limit -1", { ...base, limit: -1 }, /Limit must be a whole number from 1 to/],
      ["limit 1.5", { ...base, limit: 1.5 }, /Limit must be a whole number from 1 to/],
      ["an empty limit", { ...base, limit: "" }, /Limit is required/],
      ["windowSeconds 0", { ...base, windowSeconds: 0 }, /Window \(seconds\) must be a whole number from 1 to 63072000/],
      ["an empty windowSeconds", { ...base, windowSeconds: "" }, /Window \(seconds\) is required/],
      ["windowSeconds over two years", { ...base, windowSeconds: 63_072_001 }, /Window \(seconds\) must be a whole number from 1 to 63072000/],
      ["algorithm leaky", { ...base, algorithm: "leaky" }, /Algorithm must be one of "fixed-window", "sliding-window", "token-bucket"/],
      ["whenLimited ignore", { ...base, whenLimited: "ignore" }, /When Limited must be one of "exit", "error", "continue"/],
      ["an empty key", { ...base, key: "" }, /Limiter Key is empty/],
      ["sliding-window with limit 10001", { ...base, algorithm: "sliding-window", limit: 10_001 }, /at most 10000/],
    ])("%s", async (_name, props, message) => {
      for (const concurrencySafe of [false, true]) {
        const fake = await setupStore({ api: "mine" });
        await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props, concurrencySafe }), message);
      }
    });
  });
});
