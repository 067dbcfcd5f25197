import { describe, expect, jest, test } from "@jest/globals";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import rateLimitAction from "../../actions/rate-limit/rate-limit.mjs";
import source from "../../sources/new-or-updated-record/new-or-updated-record.mjs";
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

describe("new-or-updated-record source", () => {
  test("a record added after deploy is emitted as { key, value, change: created } with the summary New record: <key>", async () => {
    const { fake, deployment } = await deployed();
    await fake.store.set("order-1", { total: 42 });
    const delivered = await deployment.poll();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.event).toStrictEqual({ key: "order-1", value: { total: 42 }, change: "created" });
    expect(delivered[0]!.meta.summary).toBe("New record: order-1");
  });

  test("a record added to a store that was empty at deploy is emitted as created", async () => {
    const { fake, deployment } = await deployed({});
    await fake.store.set("first", 1);
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key: "first", value: 1, change: "created" }]);
  });

  test("a changed value is emitted as { key, value, change: updated } with the new value and the summary Updated record: <key>", async () => {
    const { fake, deployment } = await deployed({ "order-1": { total: 42 } });
    await fake.store.set("order-1", { total: 43 });
    const delivered = await deployment.poll();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.event).toStrictEqual({ key: "order-1", value: { total: 43 }, change: "updated" });
    expect(delivered[0]!.meta.summary).toBe("Updated record: order-1");
  });

  test("records already in the store at deploy are the baseline and are not emitted", async () => {
    const { fake, deployment } = await deployed({ a: 1, b: "two", c: { three: 3 } });
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    expect(deployment.emitted).toEqual([]);
  });

  test("a second poll with no change emits nothing", async () => {
    const { fake, deployment } = await deployed({ a: 1 });
    await fake.store.set("a", 2);
    await fake.store.set("b", 1);
    expect(await deployment.poll()).toHaveLength(2);
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    expect(deployment.emitted).toHaveLength(2);
  });

  test("each poll emits only the creations and updates since the last poll", async () => {
    const { fake, deployment } = await deployed({ a: 1, b: 1 });
    await fake.store.set("a", 2);
    await fake.store.set("c", 1);
    expect((await deployment.poll()).map((e) => e.event)).toEqual([
      { key: "a", value: 2, change: "updated" },
      { key: "c", value: 1, change: "created" },
    ]);
    nextInterval(fake);
    await fake.store.set("b", 2);
    expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "b", value: 2, change: "updated" }]);
  });

  test("writing the same value again is not an update", async () => {
    const { fake, deployment } = await deployed({ a: { n: 1 } });
    await fake.store.set("a", { n: 1 });
    expect(await deployment.poll()).toEqual([]);
  });

  test("a deleted record emits nothing", async () => {
    const { fake, deployment } = await deployed({ a: 1 });
    await fake.store.delete("a");
    expect(await deployment.poll()).toEqual([]);
  });

  test("a change deep inside a value is an update", async () => {
    const { fake, deployment } = await deployed({ a: { items: [{ sku: "x", qty: 1 }] } });
    await fake.store.set("a", { items: [{ sku: "x", qty: 2 }] });
    expect((await deployment.poll()).map((e) => e.event)).toEqual([
      { key: "a", value: { items: [{ sku: "x", qty: 2 }] }, change: "updated" },
    ]);
  });

  describe("one pass per poll", () => {
    test("300 records: one for await pass of ceil(300/128) = 3 pages, no get and no keys()", async () => {
      const { fake, deployment } = await deployed(manyRecords(300));
      await fake.store.set(key32(5), "changed");
      fake.controls.resetStats();
      expect(await deployment.poll()).toHaveLength(1);
      expect(fake.controls.stats.calls).toMatchObject({ page: Math.ceil(300 / 128), get: 0, keys: 0, has: 0 });
      expect(fake.controls.stats.total).toBe(3);
    });

    test("the deploy hook reads the store in one for await pass, with no get and no keys()", async () => {
      const fake = await setupStore(manyRecords(300));
      await deploySource(source, { dataStore: fake.store });
      expect(fake.controls.stats.calls).toMatchObject({ page: 3, get: 0, keys: 0 });
      expect(fake.controls.stats.total).toBe(3);
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

    test("replacing a small value with a 10 KB one does not grow the db", async () => {
      const { fake, deployment } = await deployed({ a: 1 });
      const before = deployment.db.sizeBytes;
      await fake.store.set("a", "y".repeat(10 * 1024));
      expect(await deployment.poll()).toHaveLength(1);
      expect(deployment.db.sizeBytes - before).toBeLessThan(10);
    });

    test("the db never contains a record's value", async () => {
      const db = new RecordingDb();
      const { fake, deployment } = await deployed({ existing: "SECRET-AT-DEPLOY-6f1c" }, db);
      await fake.store.set("added", { token: "SECRET-AFTER-DEPLOY-93ab" });
      await fake.store.set("existing", "SECRET-UPDATED-2d7e");
      expect(await deployment.poll()).toHaveLength(2);
      expect(db.written.length).toBeGreaterThanOrEqual(2);
      expect(db.written.join("\n")).not.toMatch(/SECRET-/);
    });

    test("holds 1,000 keys of 32 characters with their digests within 60 KB, across deploy and polls with changes", async () => {
      const { fake, deployment } = await deployed(manyRecords(1000));
      expect(deployment.db.sizeBytes).toBeLessThanOrEqual(SERVICE_DB_LIMIT_BYTES);
      for (let i = 0; i < 10; i++) await fake.store.delete(key32(i));
      for (let i = 10; i < 20; i++) await fake.store.set(key32(i), { n: i, note: "changed" });
      for (let i = 0; i < 10; i++) await fake.store.set(key32(i, "new-"), i);
      const delivered = await deployment.poll();
      expect(delivered.filter((e) => (e.event as { change: string }).change === "updated")).toHaveLength(10);
      expect(delivered.filter((e) => (e.event as { change: string }).change === "created")).toHaveLength(10);
      expect(deployment.db.sizeBytes).toBeLessThanOrEqual(61_440);
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
    });
  });

  describe("event metadata and ids", () => {
    test("every event has meta with an id, the summary and ts, the poll time in ms", async () => {
      const { fake, deployment } = await deployed({ u: 1 });
      await fake.store.set("a", 1);
      await fake.store.set("u", 2);
      fake.clock.advanceSeconds(1234);
      const pollTime = fake.clock.now();
      const delivered = await deployment.poll();
      expect(delivered.map((e) => e.meta)).toStrictEqual([
        { id: expect.any(String), summary: "Updated record: u", ts: pollTime },
        { id: expect.any(String), summary: "New record: a", ts: pollTime },
      ]);
      expect(new Set(delivered.map((e) => e.meta.id)).size).toBe(2);
    });

    test("a key deleted and created again with the same value is emitted again as created, and delivered", async () => {
      const { fake, deployment } = await deployed();
      await fake.store.set("a", 1);
      const [first] = await deployment.poll();
      await fake.store.delete("a");
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
      await fake.store.set("a", 1);
      nextInterval(fake);
      const again = await deployment.poll();
      expect(again.map((e) => e.event)).toEqual([{ key: "a", value: 1, change: "created" }]);
      expect(again[0]!.meta.id).not.toBe(first!.meta.id);
    });

    test("a value that changes back to an earlier one is still a change: 1, then 2, then 1 again gives three delivered events", async () => {
      const { fake, deployment } = await deployed();
      const deliveredEvents: unknown[] = [];
      for (const value of [1, 2, 1]) {
        await fake.store.set("a", value);
        nextInterval(fake);
        deliveredEvents.push(...(await deployment.poll()).map((e) => e.event));
      }
      expect(deliveredEvents).toEqual([
        { key: "a", value: 1, change: "created" },
        { key: "a", value: 2, change: "updated" },
        { key: "a", value: 1, change: "updated" },
      ]);
      expect(new Set(deployment.emitted.map((e) => e.meta.id)).size).toBe(3);
    });

    test("a poll retried after its state save failed emits the same ids, and dedupe drops them", async () => {
      const { fake, deployment } = await deployed({ u: 1 });
      await fake.store.set("a", 1);
      await fake.store.set("u", 2);
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

    test("a value that changed again before the retry of a failed poll is a new event, delivered", async () => {
      const { fake, deployment } = await deployed({ a: 1 });
      await fake.store.set("a", 2);
      jest.spyOn(deployment.db, "set").mockImplementationOnce(() => {
        throw new Error("$.service.db write failed");
      });
      await expect(deployment.poll()).rejects.toThrow("$.service.db write failed");
      expect(deployment.emitted.map((e) => e.event)).toEqual([{ key: "a", value: 2, change: "updated" }]);
      await fake.store.set("a", 3);
      nextInterval(fake);
      expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "a", value: 3, change: "updated" }]);
    });
  });

  describe("the package's own records", () => {
    test("rate limiter state written and updated by the rate-limit action never triggers an event", async () => {
      const { fake, deployment } = await deployed();
      await runAction(rateLimitAction, { dataStore: fake.store, key: "api", limit: 5, windowSeconds: 60, algorithm: "token-bucket" });
      const internal = () => fake.controls.records().filter((r) => r.key.startsWith(INTERNAL_KEY_PREFIX));
      const written = internal();
      expect(written.length).toBeGreaterThan(0);
      expect(await deployment.poll()).toEqual([]);
      fake.clock.advanceSeconds(5);
      await runAction(rateLimitAction, { dataStore: fake.store, key: "api", limit: 5, windowSeconds: 60, algorithm: "token-bucket" });
      expect(internal().map((r) => r.value)).not.toEqual(written.map((r) => r.value));
      expect(await deployment.poll()).toEqual([]);
    });

    test("a key under the reserved __dskit: prefix never triggers an event when created or updated", async () => {
      const { fake, deployment } = await deployed({ [`${INTERNAL_KEY_PREFIX}limit:old`]: { count: 1 } });
      await fake.store.set(`${INTERNAL_KEY_PREFIX}limit:x`, { count: 1 });
      await fake.store.set(`${INTERNAL_KEY_PREFIX}limit:old`, { count: 2 });
      await fake.store.set("user", 1);
      expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "user", value: 1, change: "created" }]);
      await fake.store.set(`${INTERNAL_KEY_PREFIX}limit:x`, { count: 2 });
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
    });
  });

  describe("falsy values are records", () => {
    test.each([0, false, "", null])("creating a record holding %j is emitted", async (value) => {
      const { fake, deployment } = await deployed();
      await fake.store.set("falsy", value);
      expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key: "falsy", value, change: "created" }]);
    });

    test.each([
      [0, false],
      [false, ""],
      ["", null],
      [null, 0],
      [0, "0"],
      [null, "null"],
      [false, "false"],
    ])("an update from %j to %j is emitted", async (before, after) => {
      const { fake, deployment } = await deployed({ falsy: before });
      await fake.store.set("falsy", after);
      expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key: "falsy", value: after, change: "updated" }]);
    });
  });

  test.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("%s is an ordinary key: its creation and update are emitted", async (key) => {
    const { fake, deployment } = await deployed();
    await fake.store.set(key, { polluted: true });
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key, value: { polluted: true }, change: "created" }]);
    await fake.store.set(key, { polluted: false });
    nextInterval(fake);
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key, value: { polluted: false }, change: "updated" }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test.each(["__proto__", "constructor"])("%s present at deploy is part of the baseline", async (key) => {
    const fake = await setupStore();
    await fake.store.set(key, 1);
    const deployment = await deploySource(source, { dataStore: fake.store });
    expect(await deployment.poll()).toEqual([]);
  });

  test("without a deploy, the first poll records a baseline and emits nothing; the next emits what changed", async () => {
    const fake = await setupStore({ a: 1, b: 2 });
    const undeployed = await deploySource({ ...source, hooks: {} }, { dataStore: fake.store });
    expect(await undeployed.poll()).toEqual([]);
    await fake.store.set("a", 10);
    nextInterval(fake);
    expect((await undeployed.poll()).map((e) => e.event)).toEqual([{ key: "a", value: 10, change: "updated" }]);
  });
});
