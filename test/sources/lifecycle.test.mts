/**
 * The sources through the runtime's model of Pipedream (runtime/run-source.mts): deploy, a change
 * of props (deactivate, then activate; not deploy), and polls whose events pass the platform's
 * `unique` dedupe, which compares 64 characters of an id and remembers the last 100 ids.
 */
import { describe, expect, test } from "@jest/globals";
import { setupStore } from "../support/fixtures.mjs";
import { SOURCE_CASES, SOURCES } from "../support/source-cases.mjs";
import { deployOn, failureOf, key32, longKeys, manyRecords, nextInterval, RecordingDb } from "../support/source-fixtures.mjs";

describe.each(SOURCE_CASES)("$name", ({ source, atDeploy, keys: [first], change, expected }) => {
  test("switched to another data store that already holds records: the next poll emits none of them, and later changes there are emitted", async () => {
    const { deployment } = await deployOn(source, { ...atDeploy, onlyInTheFirstStore: 1 });
    const other = await setupStore({ a: "already in the other store", b: "here too", only: "not in the first store" });
    await deployment.reconfigure({ dataStore: other.store });
    expect(await deployment.poll()).toEqual([]);
    await change(other.store, first);
    nextInterval(other);
    const delivered = await deployment.poll();
    expect(delivered.map(({ event, meta }) => ({ event, summary: meta.summary }))).toStrictEqual([expected(first)]);
  });

  test("props changed but the same data store: no new baseline, so a change made before is still emitted", async () => {
    const { fake, deployment } = await deployOn(source, atDeploy);
    await change(fake.store, first);
    await deployment.reconfigure({ dataStore: fake.store, timer: { intervalSeconds: 60 } });
    const delivered = await deployment.poll();
    expect(delivered.map(({ event, meta }) => ({ event, summary: meta.summary }))).toStrictEqual([expected(first)]);
  });
});

describe.each(SOURCES)("%s", (name, source) => {
  const deletes = name === "new-deleted-record";

  test("two keys sharing a 100-character prefix, changed in one poll: both delivered, ids at most 64 characters", async () => {
    const keys = longKeys(2);
    const { fake, deployment } = await deployOn(source, deletes ? Object.fromEntries(keys.map((key) => [key, 1])) : {});
    for (const key of keys) await (deletes ? fake.store.delete(key) : fake.store.set(key, 2));
    const delivered = await deployment.poll();
    expect(delivered.map(({ event }) => (event as { key: string }).key).sort()).toEqual(keys);
    for (const { meta } of delivered) expect(meta.id.length).toBeLessThanOrEqual(64);
  });

  test("250 changes, the save after the second batch fails, then the retry: every change delivered exactly once in all", async () => {
    const db = new RecordingDb();
    const { fake, deployment } = await deployOn(source, manyRecords(250), db);
    for (let i = 0; i < 250; i++) await (deletes ? fake.store.delete(key32(i)) : fake.store.set(key32(i, "new-"), i));
    db.failWrite(3);
    expect(await failureOf(() => deployment.poll())).toMatchObject({ message: "$.service.db write failed" });
    expect(deployment.emitted).toHaveLength(200);
    nextInterval(fake);
    expect(await deployment.poll()).toHaveLength(50);
    expect(deployment.emitted).toHaveLength(350); // the second batch again, which dedupe drops, then the last 50
    const keysDelivered = deployment.delivered.map(({ event }) => (event as { key: string }).key);
    expect(keysDelivered).toHaveLength(250);
    expect(new Set(keysDelivered).size).toBe(250);
    expect(await deployment.poll()).toEqual([]);
  });
});
