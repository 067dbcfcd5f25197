/**
 * The three record sources on 100,000 records of 32-character keys: no capacity error, a poll with
 * 1% of records created, changed and deleted emits exactly those, and costs one pass plus the
 * state records it reads and rewrites (plus one `get` per new record), counted by the fake store.
 */
import { describe, expect, test } from "@jest/globals";
import type { OperationCall } from "../../stores/memory-data-store.mjs";
import { watchStateSummary, type WatchKind } from "../../lib/watch/watch-records.mjs";
import { key32, manyRecords, pollOnce, watched } from "../support/source-fixtures.mjs";

const RECORDS = 100_000;
const ONE_PERCENT = RECORDS / 100;

describe.each<WatchKind>(["created", "created-or-updated", "deleted"])("%s on 100,000 records", (kind) => {
  test("a poll with 1% created, 1% changed and 1% deleted emits exactly those, reading and rewriting only state records", async () => {
    const { fake, db } = await watched(kind, manyRecords(RECORDS));
    const before = watchStateSummary(db)!;
    expect(before.shardCount).toBeGreaterThanOrEqual(128);
    const expected: string[] = [];
    for (let i = 0; i < ONE_PERCENT; i++) {
      await fake.store.delete(key32(i));
      await fake.store.set(key32(ONE_PERCENT + i), { changed: i });
      await fake.store.set(key32(i, "new-"), i);
      if (kind === "deleted") expected.push(`deleted:${key32(i)}`);
      if (kind !== "deleted") expected.push(`created:${key32(i, "new-")}`);
      if (kind === "created-or-updated") expected.push(`updated:${key32(ONE_PERCENT + i)}`);
    }
    const calls: OperationCall[] = [];
    fake.controls.failWhen((call) => {
      calls.push(call); // a spy: records every call, fails none
      return false;
    });
    fake.controls.resetStats();

    const emitted = await pollOnce(fake.store, db, kind);
    expect(emitted.map(({ change }) => `${change.change}:${change.key}`).sort()).toEqual(expected.sort());

    const after = watchStateSummary(db)!;
    const isState = (key?: string) => key !== undefined && key.includes(":state:");
    const of = (op: string) => calls.filter((call) => call.op === op);
    // The pass: one keys(), or one page per 128 records (the store's own records included).
    if (kind === "created-or-updated") expect(of("page")).toHaveLength(Math.ceil((RECORDS + 1 + before.stateRecords.length) / 128));
    else expect(of("keys")).toHaveLength(1);
    // Reads: each saved state record once (1% changes touch every shard), plus one get per new record (New Record).
    const stateReads = of("get").filter((call) => isState(call.key)).map((call) => call.key);
    expect(stateReads.sort()).toEqual([...before.stateRecords].sort());
    expect(of("get").length - stateReads.length).toBe(kind === "created" ? ONE_PERCENT : 0); // created-or-updated has the values from its pass
    // Writes: only state records, each once, under names no earlier state had; the header's are among them.
    const writes = of("set").map((call) => call.key);
    expect(writes.every(isState)).toBe(true);
    expect(new Set(writes).size).toBe(writes.length);
    expect(writes).toEqual(expect.arrayContaining(after.stateRecords));
    const batches = Math.ceil(emitted.length / 100);
    expect(writes.length).toBeLessThanOrEqual(after.stateRecords.length + batches); // one partly emitted shard per batch
    // Deletes: every state record the new header does not name, and nothing else.
    const deletes = of("delete").map((call) => call.key!);
    expect(deletes.sort()).toEqual([...before.stateRecords, ...writes.map(String)].filter((key) => !after.stateRecords.includes(key)).sort());
    expect(calls).toHaveLength(calls.filter((call) => ["keys", "page", "get", "set", "delete"].includes(call.op)).length);
    const stateNow = fake.controls.records().filter(({ key }) => isState(key));
    expect(stateNow.map(({ key }) => key).sort()).toEqual([...after.stateRecords].sort());
    for (const { value } of stateNow) expect(Buffer.byteLength(JSON.stringify(value))).toBeLessThanOrEqual(50 * 1024);
    expect(db.sizeBytes).toBeLessThan(4 * 1024);

    // One more change: one state record read and rewritten, the old one deleted.
    calls.length = 0;
    await fake.store.delete(key32(RECORDS - 1));
    await fake.store.set(key32(RECORDS - 2), "changed again");
    await fake.store.set("one-more-new-record-key-00000000", 1);
    calls.length = 0;
    expect(await pollOnce(fake.store, db, kind)).toHaveLength(kind === "created-or-updated" ? 2 : 1);
    const changedShards = new Set(of("set").map((call) => call.key)).size;
    expect(changedShards).toBeGreaterThanOrEqual(1);
    expect(changedShards).toBeLessThanOrEqual(3);
    expect(of("get").filter((call) => isState(call.key))).toHaveLength(changedShards);
    expect(of("delete")).toHaveLength(changedShards);
  }, 60_000);
});
