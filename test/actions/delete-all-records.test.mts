import { describe, expect, test } from "@jest/globals";
import action from "../../actions/delete-all-records/delete-all-records.mjs";
import { runAction } from "../support/harness.mjs";
import rateLimit from "../../actions/rate-limit/rate-limit.mjs";
import deduplicate from "../../actions/deduplicate/deduplicate.mjs";
import incrementCounter from "../../actions/increment-counter/increment-counter.mjs";
import listRecords from "../../actions/list-records/list-records.mjs";
import { STORE_CONCURRENCY } from "../../lib/store/concurrency.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

type Fake = Awaited<ReturnType<typeof setupStore>>;

/** Package state from real use: a limiter that is full, a deduplication marker, a concurrency-safe counter's parts. */
async function usePackage(fake: Fake): Promise<void> {
  await runAction(rateLimit, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 3600 });
  await runAction(deduplicate, { dataStore: fake.store, key: "evt-1" });
  for (let i = 0; i < 3; i++) await runAction(incrementCounter, { dataStore: fake.store, key: "orders", concurrencySafe: true });
  fake.controls.resetStats();
}

const internalKeys = (fake: Fake) => fake.controls.records().map((record) => record.key).filter((key) => key.startsWith("__dskit:"));

describe("delete-all-records", () => {
  test('with confirm "DELETE" deletes every record and returns the count', async () => {
    const fake = await setupStore({ a: 1, b: { n: 2 }, c: "three" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, confirm: "DELETE" });
    expect(returnValue).toEqual({ deleted: 3, internalDeleted: 0 });
    expect(summary).toBe("Successfully deleted 3 records");
    expect(fake.controls.records()).toEqual([]);
  });

  test("without Include Package State the records are deleted one by one, never with clear(), a bounded number at once", async () => {
    const records = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    // A little latency (not time the test measures) so that deletes overlap and the bound shows.
    const fake = await setupStore(records, { latencyMs: 1 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, confirm: "DELETE" });
    expect(returnValue).toEqual({ deleted: 40, internalDeleted: 0 });
    expect(fake.controls.stats.calls).toMatchObject({ keys: 1, delete: 40, clear: 0 });
    expect(fake.controls.stats.peakInFlight).toBeGreaterThan(1);
    expect(fake.controls.stats.peakInFlight).toBeLessThanOrEqual(STORE_CONCURRENCY);
    expect(fake.controls.records()).toEqual([]);
  });

  test("with a prefix deletes only the matching records and returns their count", async () => {
    const fake = await setupStore({ "session:1": 1, "user:1": "al", "session:2": 2, sessions: "keep" });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, prefix: "session:", confirm: "DELETE" });
    expect(returnValue).toEqual({ deleted: 2, internalDeleted: 0 });
    expect(summary).toBe('Successfully deleted 2 records with keys starting "session:"');
    expect(fake.controls.records().map((record) => record.key)).toEqual(["sessions", "user:1"]);
    expect(fake.controls.stats.calls.clear).toBe(0);
  });

  test("a prefix of spaces is a prefix, never a reason to delete everything", async () => {
    const fake = await setupStore({ " padded": 1, plain: 2 });
    const { returnValue } = await runAction(action, { dataStore: fake.store, prefix: " ", confirm: "DELETE" });
    expect(returnValue).toEqual({ deleted: 1, internalDeleted: 0 });
    expect(fake.controls.records().map((record) => record.key)).toEqual(["plain"]);
  });

  test("a prefix that is not text is refused and nothing is deleted", async () => {
    const fake = await setupStore({ a: 1 });
    await expectRefusedUnchanged(
      fake,
      () => runAction(action, { dataStore: fake.store, prefix: { starts: "a" }, confirm: "DELETE" }),
      /Key Prefix must be text/,
    );
  });

  test("the summary of one record is singular", async () => {
    const fake = await setupStore({ a: 1 });
    const { summary } = await runAction(action, { dataStore: fake.store, confirm: "DELETE" });
    expect(summary).toBe("Successfully deleted 1 record");
  });

  test.each([
    ["without a prefix", {}],
    ["with a prefix", { prefix: "f:" }],
  ])("falsy-valued records are counted and deleted, %s", async (_name, props) => {
    const fake = await setupStore({ "f:zero": 0, "f:false": false, "f:empty": "", "f:null": null });
    const { returnValue } = await runAction(action, { dataStore: fake.store, confirm: "DELETE", ...props });
    expect(returnValue).toEqual({ deleted: 4, internalDeleted: 0 });
    expect(fake.controls.records()).toEqual([]);
  });

  describe("without exact confirmation nothing is deleted", () => {
    test.each(["delete", "yes", "", undefined, " DELETE", "DELETE "])("confirm %j is refused", async (confirm) => {
      const fake = await setupStore({ a: 1, "session:1": 2 });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, confirm }),
        /Nothing was deleted: set Confirm to exactly DELETE/,
      );
    });

    test("a prefix does not lift the need to confirm", async () => {
      const fake = await setupStore({ a: 1, "session:1": 2 });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, prefix: "session:", confirm: "yes" }),
        /set Confirm to exactly DELETE/,
      );
    });
  });

  describe("the package's own records (counter parts, limiter state, deduplication markers, caches)", () => {
    test("when List Records shows no record, Delete All reports 0 deleted and the package's state survives", async () => {
      const fake = await setupStore();
      await usePackage(fake);
      const before = internalKeys(fake);
      expect(before).toHaveLength(5);
      expect((await runAction(listRecords, { dataStore: fake.store })).returnValue).toEqual([]);
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, confirm: "DELETE" });
      expect(returnValue).toEqual({ deleted: 0, internalDeleted: 0 });
      expect(summary).toBe("Successfully deleted 0 records");
      expect(internalKeys(fake)).toEqual(before);
      // The limiter is still full and the marker still there.
      const limited = await runAction(rateLimit, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 3600 });
      expect(limited.exitReason).toMatch(/Rate limit reached for "api"/);
      expect((await runAction(deduplicate, { dataStore: fake.store, key: "evt-1" })).exitReason).toMatch(/^Duplicate/);
    });

    test("only the user's records are deleted and counted", async () => {
      const fake = await setupStore({ a: 1, orders: 10 });
      await usePackage(fake);
      const before = internalKeys(fake);
      const { returnValue } = await runAction(action, { dataStore: fake.store, confirm: "DELETE" });
      expect(returnValue).toEqual({ deleted: 2, internalDeleted: 0 });
      expect(fake.controls.records().map((record) => record.key)).toEqual(before);
    });

    test("with Include Package State every record goes with one clear(), and the summary says the state was reset", async () => {
      const fake = await setupStore({ a: 1, b: 2 });
      await usePackage(fake);
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, confirm: "DELETE", includeInternal: true });
      expect(returnValue).toEqual({ deleted: 2, internalDeleted: 5 });
      expect(summary).toBe("Successfully deleted 2 records and reset the package's state (5 internal records)");
      expect(fake.controls.records()).toEqual([]);
      expect(fake.controls.stats.calls).toMatchObject({ keys: 1, clear: 1, delete: 0 });
      const allowed = await runAction(rateLimit, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 3600 });
      expect(allowed.returnValue).toMatchObject({ allowed: true });
    });

    test("with Include Package State a reserved Key Prefix resets only that part of the state", async () => {
      const fake = await setupStore({ a: 1 });
      await usePackage(fake);
      const { returnValue, summary } = await runAction(action, {
        dataStore: fake.store,
        confirm: "DELETE",
        includeInternal: true,
        prefix: "__dskit:limit:",
      });
      expect(returnValue).toEqual({ deleted: 0, internalDeleted: 1 });
      expect(summary).toBe(
        'Successfully deleted 0 records with keys starting "__dskit:limit:" and reset the package\'s state (1 internal record)',
      );
      expect(fake.controls.stats.calls.clear).toBe(0);
      expect(internalKeys(fake).some((key) => key.startsWith("__dskit:limit:"))).toBe(false);
      expect(internalKeys(fake)).toHaveLength(4);
      expect(await fake.store.get("a")).toBe(1);
    });

    test("with Include Package State and a user's prefix, no package record matches and none is deleted", async () => {
      const fake = await setupStore({ "session:1": 1, other: 2 });
      await usePackage(fake);
      const { returnValue } = await runAction(action, { dataStore: fake.store, confirm: "DELETE", includeInternal: true, prefix: "session:" });
      expect(returnValue).toEqual({ deleted: 1, internalDeleted: 0 });
      expect(internalKeys(fake)).toHaveLength(5);
    });

    test("a reserved Key Prefix without Include Package State is refused, naming the prop that allows it", async () => {
      const fake = await setupStore({ a: 1 });
      await usePackage(fake);
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, confirm: "DELETE", prefix: "__dskit:" }),
        /^Key Prefix starts with "__dskit:".*Turn on Include Package State to delete them\.$/,
      );
    });

    test("an Include Package State that is not true or false is refused and nothing is deleted", async () => {
      const fake = await setupStore({ a: 1 });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, confirm: "DELETE", includeInternal: "yes" }),
        /^Include Package State must be true or false/,
      );
    });
  });
});
