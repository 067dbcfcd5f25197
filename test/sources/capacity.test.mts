/**
 * Every source keeps its state within the 60 KB Pipedream gives its `$.service.db`, and past that
 * fails loudly, naming the limit, rather than miss changes: at deploy, and when the store grows.
 */
import { describe, expect, test } from "@jest/globals";
import type { DataStore } from "../../lib/store/data-store.mjs";
import newDeletedRecord from "../../sources/new-deleted-record/new-deleted-record.mjs";
import newOrUpdatedRecord from "../../sources/new-or-updated-record/new-or-updated-record.mjs";
import newRecord from "../../sources/new-record/new-record.mjs";
import { setupStore } from "../support/fixtures.mjs";
import { deployOn, failureOf, key32, manyRecords } from "../support/source-fixtures.mjs";
import { deploySource, ServiceDb } from "../support/source-harness.mjs";

/** Each source, and a change it would emit an event for (besides 1,000 new records). */
const sources: [string, object, (store: DataStore) => Promise<unknown>][] = [
  ["new-record", newRecord, (store) => store.set("one-more", 1)],
  ["new-or-updated-record", newOrUpdatedRecord, (store) => store.set(key32(0), "an update too")],
  ["new-deleted-record", newDeletedRecord, (store) => store.delete(key32(0))],
];

describe.each(sources)("%s", (_name, source, change) => {
  test("deploying on a store past capacity (2,000 keys of 32 characters) fails with an error naming the 60 KB limit", async () => {
    const fake = await setupStore(manyRecords(2000));
    const db = new ServiceDb();
    const error = await failureOf(() => deploySource(source, { dataStore: fake.store }, db));
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("60 KB");
    expect(db.sizeBytes).toBe(0);
  });

  test("a poll after the store grew past capacity fails with an error naming the 60 KB limit and emits nothing", async () => {
    const { fake, deployment } = await deployOn(source, manyRecords(1000));
    for (const [key, value] of Object.entries(manyRecords(1000, "more-"))) await fake.store.set(key, value);
    await change(fake.store);
    const error = await failureOf(() => deployment.poll());
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("60 KB");
    expect(deployment.emitted).toEqual([]);
  });
});

test("new-record past capacity fails after one keys() call, before reading any value", async () => {
  const { fake, deployment } = await deployOn(newRecord, manyRecords(1000));
  for (const [key, value] of Object.entries(manyRecords(1000, "more-"))) await fake.store.set(key, value);
  fake.controls.resetStats();
  expect(await failureOf(() => deployment.poll())).toBeInstanceOf(Error);
  expect(fake.controls.stats.calls).toMatchObject({ keys: 1, get: 0 });
});
