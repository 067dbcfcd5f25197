import { describe, expect, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import action from "../../actions/rate-limit/rate-limit.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import { ALGORITHMS, type RateLimitResult } from "../../lib/rate-limit/rate-limit.mjs";
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

  test.each(ALGORITHMS.flatMap((algorithm) => [false, true].map((concurrencySafe) => [algorithm, concurrencySafe] as const)))(
    "%s (concurrencySafe %s): the state lives under __dskit:limit:, a user record under the same key is untouched",
    async (algorithm, concurrencySafe) => {
      const fake = await setupStore({ api: "mine" });
      const props = { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60, algorithm, concurrencySafe, whenLimited: "continue" };
      await runAction(action, props);
      fake.clock.advanceSeconds(1);
      await runAction(action, props);
      const records = fake.controls.records();
      expect(records.find((record) => record.key === "api")).toEqual({ key: "api", value: "mine", expiresAt: null });
      const written = records.filter((record) => record.key !== "api").map((record) => record.key);
      expect(written.length).toBeGreaterThan(0);
      for (const key of written) expect(key.startsWith(LIMIT_STATE)).toBe(true);
    },
  );

  describe("round trips", () => {
    test.each(ALGORITHMS)("%s, default mode: an admitted call costs get + set", async (algorithm) => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60, algorithm });
      expect(fake.controls.stats.calls).toMatchObject({ get: 1, set: 1 });
      expect(fake.controls.stats.total).toBe(2);
    });

    test.each(ALGORITHMS)("%s, default mode: a denied call costs a get only", async (algorithm) => {
      const fake = await setupStore();
      const props = { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60, algorithm, whenLimited: "continue" };
      await runAction(action, props);
      fake.controls.resetStats();
      const { returnValue } = await runAction(action, props);
      expect(returnValue).toMatchObject({ allowed: false });
      expect(fake.controls.stats.calls).toMatchObject({ get: 1 });
      expect(fake.controls.stats.total).toBe(1);
    });

    // The token bucket also reads its checkpoint and, when admitting, writes it (see rate-limit.mts).
    const SAFE_MODE_COSTS: [string, Record<string, number>, Record<string, number>][] = [
      ["fixed-window", { set: 1, keys: 1 }, { set: 1, keys: 1, delete: 1 }],
      ["sliding-window", { set: 1, keys: 1 }, { set: 1, keys: 1, delete: 1 }],
      ["token-bucket", { set: 2, keys: 1, get: 1 }, { set: 1, keys: 1, get: 1, delete: 1 }],
    ];

    test.each(SAFE_MODE_COSTS)("%s, concurrency-safe mode: an admitted call costs %j", async (algorithm, admittedCost) => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 60, algorithm, concurrencySafe: true });
      expect(fake.controls.stats.calls).toMatchObject(admittedCost);
      expect(fake.controls.stats.total).toBe(Object.values(admittedCost).reduce((sum, count) => sum + count, 0));
    });

    test.each(SAFE_MODE_COSTS)("%s, concurrency-safe mode: a denied call costs %j", async (algorithm, _admittedCost, deniedCost) => {
      const fake = await setupStore();
      const props = {
        dataStore: fake.store,
        key: "api",
        limit: 1,
        windowSeconds: 60,
        algorithm,
        concurrencySafe: true,
        whenLimited: "continue",
      };
      await runAction(action, props);
      fake.clock.advanceSeconds(1); // a later moment, so the call is denied whatever the claims' order
      fake.controls.resetStats();
      const { returnValue } = await runAction(action, props);
      expect(returnValue).toMatchObject({ allowed: false });
      expect(fake.controls.stats.calls).toMatchObject(deniedCost);
      expect(fake.controls.stats.total).toBe(Object.values(deniedCost).reduce((sum, count) => sum + count, 0));
    });
  });

  describe("30 concurrent executions, limit 10 (latency 2 ms + up to 8 ms jitter)", () => {
    const SEEDS = [1, 2, 3, 4, 5];

    /** Runs 30 executions at once against a fresh store with `seed`; their results and the store. */
    async function burst(algorithm: string, concurrencySafe: boolean, seed: number) {
      const fake = await setupStore({}, { latencyMs: 2, jitterMs: 8, seed });
      const props = { dataStore: fake.store, key: "api", limit: 10, windowSeconds: 60, algorithm, concurrencySafe, whenLimited: "continue" };
      const runs = await Promise.all(Array.from({ length: 30 }, () => runAction(action, props)));
      const results = runs.map((run) => run.returnValue as RateLimitResult);
      return { fake, results, admitted: results.filter((result) => result.allowed).length };
    }

    test.each(ALGORITHMS)("%s, default mode: every execution reports a result, and at least the limit get through", async (algorithm) => {
      for (const seed of SEEDS) {
        const { results, admitted } = await burst(algorithm, false, seed);
        for (const result of results) expect(result).toMatchObject({ allowed: expect.any(Boolean), limit: 10 });
        // Read-modify-write is not atomic: how many get through is not promised, but never fewer than the limit.
        expect(admitted).toBeGreaterThanOrEqual(10);
        expect(admitted).toBeLessThanOrEqual(30);
      }
    });

    test.each(ALGORITHMS)("%s, concurrency-safe mode: every denied claim is deleted (claims left = admitted)", async (algorithm) => {
      // All 30 claims share one Date.now() (the test clock stands still during the burst), so their
      // order is the random id's and safe mode can admit more than 10 here: measured 10-14 per seed.
      // How far over is the benchmark's to measure (README); this test checks the bookkeeping.
      for (const seed of SEEDS) {
        const { fake, results, admitted } = await burst(algorithm, true, seed);
        for (const result of results) expect(result).toMatchObject({ allowed: expect.any(Boolean), limit: 10 });
        expect(admitted).toBeGreaterThanOrEqual(1);
        const claims = fake.controls.records().filter((record) => record.key.startsWith(`${LIMIT_STATE}${algorithm}-claims:`));
        expect(claims).toHaveLength(admitted);
      }
    });
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
