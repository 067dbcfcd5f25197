import { describe, expect, jest, test } from "@jest/globals";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import rateLimitAction from "../../actions/rate-limit/rate-limit.mjs";
import source from "../../sources/new-record/new-record.mjs";
import { runAction } from "../support/harness.mjs";
import { setupStore } from "../support/fixtures.mjs";
import { deployOn, key32, manyRecords, nextInterval, RecordingDb } from "../support/source-fixtures.mjs";
import { deploySource, SERVICE_DB_LIMIT_BYTES, ServiceDb } from "../support/source-harness.mjs";

/** A key of exactly 32 characters, e.g. `key-0000000000000000000000000007`. */
/** `count` records under 32-character keys, each with a small value. */
/** A fake store holding `records`, and the source deployed on it (the deploy hook has run). */
/** A $.service.db that keeps the text of every write, to show what the source stores. */
/** Advances the clock by one polling interval, as the timer would. */

/** A fake store holding `records`, and the source deployed on it (the deploy hook has run). */
const deployed = (records: Record<string, JsonValue> = {}, db?: ServiceDb) => deployOn(source, records, db);

describe("new-record source", () => {
  test("a record added after deploy is emitted as { key, value } with the summary New record: <key>", async () => {
    const { fake, deployment } = await deployed();
    await fake.store.set("order-1", { total: 42 });
    nextInterval(fake);
    const delivered = await deployment.poll();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.event).toStrictEqual({ key: "order-1", value: { total: 42 } });
    expect(delivered[0]!.meta.summary).toBe("New record: order-1");
  });

  test("records already in the store at deploy are the baseline and are not emitted", async () => {
    const { fake, deployment } = await deployed({ a: 1, b: "two", c: { three: 3 } });
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    expect(deployment.emitted).toEqual([]);
  });

  test("a second poll with no change emits nothing", async () => {
    const { fake, deployment } = await deployed();
    await fake.store.set("a", 1);
    expect(await deployment.poll()).toHaveLength(1);
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    expect(deployment.emitted).toHaveLength(1);
  });

  test("each poll emits only the records added since the last poll", async () => {
    const { fake, deployment } = await deployed({ old: 0 });
    await fake.store.set("a", 1);
    await fake.store.set("b", 2);
    expect((await deployment.poll()).map((e) => e.event)).toEqual([
      { key: "a", value: 1 },
      { key: "b", value: 2 },
    ]);
    nextInterval(fake);
    await fake.store.set("c", 3);
    expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "c", value: 3 }]);
  });

  test("an updated value is not a new record", async () => {
    const { fake, deployment } = await deployed({ a: 1 });
    await fake.store.set("a", 2);
    expect(await deployment.poll()).toEqual([]);
  });

  test("a deleted record emits nothing", async () => {
    const { fake, deployment } = await deployed({ a: 1 });
    await fake.store.delete("a");
    expect(await deployment.poll()).toEqual([]);
  });

  test("the event holds the value as read when polled, not as first written", async () => {
    const { fake, deployment } = await deployed();
    await fake.store.set("a", "first");
    await fake.store.set("a", "second");
    expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "a", value: "second" }]);
  });

  describe("one pass per poll", () => {
    test("200 existing keys and 2 new ones: one keys() call and a get for each new key only", async () => {
      const { fake, deployment } = await deployed(manyRecords(200));
      await fake.store.set("new-1", 1);
      await fake.store.set("new-2", 2);
      fake.controls.resetStats();
      expect(await deployment.poll()).toHaveLength(2);
      expect(fake.controls.stats.calls).toMatchObject({ keys: 1, get: 2, page: 0, has: 0 });
      expect(fake.controls.stats.total).toBe(3);
    });

    test("a poll with no new key makes exactly one keys() call and nothing else", async () => {
      const { fake, deployment } = await deployed(manyRecords(200));
      fake.controls.resetStats();
      await deployment.poll();
      expect(fake.controls.stats.calls.keys).toBe(1);
      expect(fake.controls.stats.total).toBe(1);
    });

    test("the deploy hook reads the store with one keys() call", async () => {
      const fake = await setupStore(manyRecords(200));
      await deploySource(source, { dataStore: fake.store });
      expect(fake.controls.stats.calls.keys).toBe(1);
      expect(fake.controls.stats.total).toBe(1);
    });
  });

  describe("compact state", () => {
    test("a 10 KB value does not grow the db by 10 KB", async () => {
      const { fake, deployment } = await deployed({ a: 1 });
      const before = deployment.db.sizeBytes;
      await fake.store.set("big", "x".repeat(10 * 1024));
      expect(await deployment.poll()).toHaveLength(1);
      expect(deployment.db.sizeBytes - before).toBeLessThan(100);
    });

    test("the db never contains a record's value", async () => {
      const db = new RecordingDb();
      const { fake, deployment } = await deployed({ existing: "SECRET-AT-DEPLOY-6f1c" }, db);
      await fake.store.set("added", { token: "SECRET-AFTER-DEPLOY-93ab" });
      expect(await deployment.poll()).toHaveLength(1);
      expect(db.written.length).toBeGreaterThanOrEqual(2);
      expect(db.written.join("\n")).not.toMatch(/SECRET-/);
    });

    test("holds 1,000 keys of 32 characters within 60 KB, across deploy and polls with changes", async () => {
      const { fake, deployment } = await deployed(manyRecords(1000));
      expect(deployment.db.sizeBytes).toBeLessThanOrEqual(SERVICE_DB_LIMIT_BYTES);
      for (let i = 0; i < 10; i++) await fake.store.delete(key32(i));
      for (let i = 0; i < 10; i++) await fake.store.set(key32(i, "new-"), i);
      const delivered = await deployment.poll();
      expect(delivered.map((e) => e.event)).toEqual(Array.from({ length: 10 }, (_, i) => ({ key: key32(i, "new-"), value: i })));
      expect(deployment.db.sizeBytes).toBeLessThanOrEqual(61_440);
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
    });
  });

  describe("event metadata and ids", () => {
    test("every event has meta with an id, the summary and ts, the poll time in ms", async () => {
      const { fake, deployment } = await deployed();
      await fake.store.set("a", 1);
      fake.clock.advanceSeconds(1234);
      const pollTime = fake.clock.now();
      const [event] = await deployment.poll();
      expect(event!.meta).toStrictEqual({ id: expect.any(String), summary: "New record: a", ts: pollTime });
      expect(event!.meta.id).not.toBe("");
    });

    test("records created in one poll get distinct ids, so dedupe delivers them all", async () => {
      const { fake, deployment } = await deployed();
      for (const key of ["a", "b", "c"]) await fake.store.set(key, key);
      const delivered = await deployment.poll();
      expect(delivered).toHaveLength(3);
      expect(new Set(delivered.map((e) => e.meta.id)).size).toBe(3);
    });

    test("a key deleted and created again is emitted again, and delivered", async () => {
      const { fake, deployment } = await deployed();
      await fake.store.set("a", 1);
      const [first] = await deployment.poll();
      await fake.store.delete("a");
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
      await fake.store.set("a", 1);
      nextInterval(fake);
      const again = await deployment.poll();
      expect(again.map((e) => e.event)).toEqual([{ key: "a", value: 1 }]);
      expect(again[0]!.meta.id).not.toBe(first!.meta.id);
    });

    test("a poll retried after its state save failed emits the same ids, and dedupe drops them", async () => {
      const { fake, deployment } = await deployed();
      await fake.store.set("a", 1);
      await fake.store.set("b", 2);
      const set = jest.spyOn(deployment.db, "set").mockImplementationOnce(() => {
        throw new Error("$.service.db write failed");
      });
      await expect(deployment.poll()).rejects.toThrow("$.service.db write failed");
      expect(set).toHaveBeenCalled();
      const firstIds = deployment.emitted.map((e) => e.meta.id);
      expect(firstIds).toHaveLength(2);
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
      expect(deployment.emitted.map((e) => e.meta.id)).toEqual([...firstIds, ...firstIds]);
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
      expect(deployment.emitted).toHaveLength(4);
    });
  });

  describe("the package's own records", () => {
    test("rate limiter state written by the rate-limit action never triggers an event", async () => {
      const { fake, deployment } = await deployed();
      await runAction(rateLimitAction, { dataStore: fake.store, key: "api", limit: 5, windowSeconds: 60 });
      await runAction(rateLimitAction, { dataStore: fake.store, key: "api", limit: 5, windowSeconds: 60, algorithm: "token-bucket" });
      expect(fake.controls.records().some((r) => r.key.startsWith(INTERNAL_KEY_PREFIX))).toBe(true);
      expect(await deployment.poll()).toEqual([]);
    });

    test("a key under the reserved __dskit: prefix never triggers an event, even next to a user's record", async () => {
      const { fake, deployment } = await deployed();
      await fake.store.set(`${INTERNAL_KEY_PREFIX}limit:x`, { count: 1 });
      await fake.store.set("user", 1);
      expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "user", value: 1 }]);
    });
  });

  test.each([0, false, "", null])("the falsy value %j is a new record", async (value) => {
    const { fake, deployment } = await deployed();
    await fake.store.set("falsy", value);
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key: "falsy", value }]);
  });

  test.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("%s is an ordinary key: its creation is emitted", async (key) => {
    const { fake, deployment } = await deployed();
    await fake.store.set(key, { polluted: true });
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key, value: { polluted: true } }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each(["__proto__", "constructor"])("%s present at deploy is part of the baseline", async (key) => {
    const fake = await setupStore();
    await fake.store.set(key, 1);
    const deployment = await deploySource(source, { dataStore: fake.store });
    expect(await deployment.poll()).toEqual([]);
  });

  test("without a deploy, the first poll records a baseline and emits nothing; the next emits what is new", async () => {
    const fake = await setupStore({ a: 1, b: 2 });
    const undeployed = await deploySource({ ...source, hooks: {} }, { dataStore: fake.store });
    expect(await undeployed.poll()).toEqual([]);
    await fake.store.set("c", 3);
    nextInterval(fake);
    expect((await undeployed.poll()).map((e) => e.event)).toEqual([{ key: "c", value: 3 }]);
  });
});
