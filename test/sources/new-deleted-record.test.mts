import { describe, expect, jest, test } from "@jest/globals";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import rateLimitAction from "../../actions/rate-limit/rate-limit.mjs";
import source from "../../sources/new-deleted-record/new-deleted-record.mjs";
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

describe("new-deleted-record source", () => {
  test("a deleted record is emitted as { key } with the summary Deleted record: <key>", async () => {
    const { fake, deployment } = await deployed({ "order-1": { total: 42 }, keep: 1 });
    await fake.store.delete("order-1");
    const delivered = await deployment.poll();
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.event).toStrictEqual({ key: "order-1" });
    expect(delivered[0]!.meta.summary).toBe("Deleted record: order-1");
  });

  test("a record present at deploy that expires (its ttl passes) is emitted as deleted", async () => {
    const fake = await setupStore({ keep: 1 });
    await fake.store.set("session", "s", { ttl: 60 });
    const deployment = await deploySource(source, { dataStore: fake.store });
    fake.clock.advanceSeconds(59);
    expect(await deployment.poll()).toEqual([]);
    fake.clock.advanceSeconds(1);
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key: "session" }]);
  });

  test("a record added after deploy, seen by a poll, then expired is emitted as deleted", async () => {
    const { fake, deployment } = await deployed();
    await fake.store.set("session", "s", { ttl: 600 });
    expect(await deployment.poll()).toEqual([]);
    fake.clock.advanceSeconds(601);
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key: "session" }]);
  });

  test("nothing is emitted at deploy or by a first poll with no deletion", async () => {
    const { fake, deployment } = await deployed({ a: 1, b: "two" });
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    expect(deployment.emitted).toEqual([]);
  });

  test("a second poll with no change emits nothing", async () => {
    const { fake, deployment } = await deployed({ a: 1, b: 2 });
    await fake.store.delete("a");
    expect(await deployment.poll()).toHaveLength(1);
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    expect(deployment.emitted).toHaveLength(1);
  });

  test("each poll emits only the deletions since the last poll", async () => {
    const { fake, deployment } = await deployed({ a: 1, b: 2, c: 3, d: 4 });
    await fake.store.delete("a");
    await fake.store.delete("b");
    expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "a" }, { key: "b" }]);
    nextInterval(fake);
    await fake.store.delete("c");
    expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "c" }]);
  });

  test("new and updated records are not deletions", async () => {
    const { fake, deployment } = await deployed({ a: 1 });
    await fake.store.set("a", 2);
    await fake.store.set("b", 1);
    expect(await deployment.poll()).toEqual([]);
  });

  test("a record added after deploy and later deleted is emitted", async () => {
    const { fake, deployment } = await deployed();
    await fake.store.set("a", 1);
    expect(await deployment.poll()).toEqual([]);
    await fake.store.delete("a");
    nextInterval(fake);
    expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "a" }]);
  });

  test("clearing the store emits every record", async () => {
    const { fake, deployment } = await deployed({ a: 1, b: 2, c: 3 });
    await fake.store.clear();
    expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "a" }, { key: "b" }, { key: "c" }]);
  });

  describe("one pass per poll", () => {
    test("a poll makes exactly one keys() call and no get or page", async () => {
      const { fake, deployment } = await deployed(manyRecords(200));
      await fake.store.delete(key32(3));
      await fake.store.set("new", 1);
      fake.controls.resetStats();
      expect(await deployment.poll()).toHaveLength(1);
      expect(fake.controls.stats.calls).toMatchObject({ keys: 1, get: 0, page: 0, has: 0 });
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
      expect(await deployment.poll()).toEqual([]);
      expect(deployment.db.sizeBytes - before).toBeLessThan(100);
    });

    test("the db never contains a record's value", async () => {
      const db = new RecordingDb();
      const { fake, deployment } = await deployed({ existing: "SECRET-AT-DEPLOY-6f1c", gone: "SECRET-GONE-11aa" }, db);
      await fake.store.set("added", { token: "SECRET-AFTER-DEPLOY-93ab" });
      await fake.store.delete("gone");
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
      expect(delivered.map((e) => e.event)).toEqual(Array.from({ length: 10 }, (_, i) => ({ key: key32(i) })));
      expect(deployment.db.sizeBytes).toBeLessThanOrEqual(61_440);
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
    });
  });

  describe("event metadata and ids", () => {
    test("every event has meta with an id, the summary and ts, the poll time in ms", async () => {
      const { fake, deployment } = await deployed({ a: 1, b: 2 });
      await fake.store.delete("a");
      await fake.store.delete("b");
      fake.clock.advanceSeconds(1234);
      const pollTime = fake.clock.now();
      const delivered = await deployment.poll();
      expect(delivered.map((e) => e.meta)).toStrictEqual([
        { id: expect.any(String), summary: "Deleted record: a", ts: pollTime },
        { id: expect.any(String), summary: "Deleted record: b", ts: pollTime },
      ]);
      expect(new Set(delivered.map((e) => e.meta.id)).size).toBe(2);
    });

    test("a key deleted, created again and deleted again is emitted twice, and both are delivered", async () => {
      const { fake, deployment } = await deployed({ a: 1 });
      await fake.store.delete("a");
      const [first] = await deployment.poll();
      await fake.store.set("a", 1);
      nextInterval(fake);
      expect(await deployment.poll()).toEqual([]);
      await fake.store.delete("a");
      nextInterval(fake);
      const again = await deployment.poll();
      expect(again.map((e) => e.event)).toEqual([{ key: "a" }]);
      expect(again[0]!.meta.id).not.toBe(first!.meta.id);
    });

    test("a poll retried after its state save failed emits the same ids, and dedupe drops them", async () => {
      const { fake, deployment } = await deployed({ a: 1, b: 2, c: 3 });
      await fake.store.delete("a");
      await fake.store.delete("b");
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
    test("rate limiter state written by the rate-limit action never triggers an event when it expires or is deleted", async () => {
      const { fake, deployment } = await deployed({ user: 1 });
      await runAction(rateLimitAction, { dataStore: fake.store, key: "api", limit: 5, windowSeconds: 60 });
      const internal = fake.controls.records().filter((r) => r.key.startsWith(INTERNAL_KEY_PREFIX));
      expect(internal.length).toBeGreaterThan(0);
      expect(await deployment.poll()).toEqual([]);
      fake.clock.advanceSeconds(2 * 86_400);
      for (const { key } of internal) await fake.store.delete(key);
      expect(fake.controls.records().map((r) => r.key)).toEqual(["user"]);
      expect(await deployment.poll()).toEqual([]);
    });

    test("a key under the reserved __dskit: prefix never triggers an event when deleted", async () => {
      const { fake, deployment } = await deployed({ [`${INTERNAL_KEY_PREFIX}limit:old`]: { count: 1 }, user: 1 });
      await fake.store.set(`${INTERNAL_KEY_PREFIX}limit:x`, { count: 1 });
      expect(await deployment.poll()).toEqual([]);
      await fake.store.delete(`${INTERNAL_KEY_PREFIX}limit:old`);
      await fake.store.delete(`${INTERNAL_KEY_PREFIX}limit:x`);
      await fake.store.delete("user");
      nextInterval(fake);
      expect((await deployment.poll()).map((e) => e.event)).toEqual([{ key: "user" }]);
    });
  });

  test.each([0, false, "", null])("deleting a record holding the falsy value %j is emitted", async (value) => {
    const { fake, deployment } = await deployed({ falsy: value, keep: 1 });
    await fake.store.delete("falsy");
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key: "falsy" }]);
  });

  test.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("%s is an ordinary key: its deletion is emitted", async (key) => {
    const fake = await setupStore({ keep: 1 });
    await fake.store.set(key, { polluted: true });
    const deployment = await deploySource(source, { dataStore: fake.store });
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    await fake.store.delete(key);
    nextInterval(fake);
    expect((await deployment.poll()).map((e) => e.event)).toStrictEqual([{ key }]);
  });

  test("without a deploy, the first poll records a baseline and emits nothing; the next emits what was deleted", async () => {
    const fake = await setupStore({ a: 1, b: 2 });
    const undeployed = await deploySource({ ...source, hooks: {} }, { dataStore: fake.store });
    await fake.store.delete("a");
    expect(await undeployed.poll()).toEqual([]);
    await fake.store.delete("b");
    nextInterval(fake);
    expect((await undeployed.poll()).map((e) => e.event)).toEqual([{ key: "b" }]);
  });
});
