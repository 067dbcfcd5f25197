/**
 * Event ids that Pipedream's `unique` dedupe (first 64 characters, last 100 ids) can rely on, and
 * polls of more than 100 changes emitted in batches with the state saved after each.
 */
import { describe, expect, test } from "@jest/globals";
import type { DataStore } from "../../lib/store/data-store.mjs";
import { eventId } from "../../lib/watch/event-ids.mjs";
import { EMIT_BATCH_SIZE, EVENT_ID_MAX_LENGTH, pollChanges, type RecordChange, type WatchKind } from "../../lib/watch/watch-records.mjs";
import { failureOf, key32, longKeys, manyRecords, pollOnce, RecordingDb, watched } from "../support/source-fixtures.mjs";

const KINDS: WatchKind[] = ["created", "created-or-updated", "deleted"];

describe("eventId", () => {
  test("is at most 64 characters for a 2,000-character key and a poll count of 10^15", () => {
    expect(eventId(10 ** 15, "updated", "k".repeat(2000), { big: "v".repeat(5000) }).length).toBeLessThanOrEqual(EVENT_ID_MAX_LENGTH);
    expect(EVENT_ID_MAX_LENGTH).toBe(64);
  });

  test("differs in its first 64 characters for keys that share a 100-character prefix", () => {
    const [first, second] = longKeys(2) as [string, string];
    expect(first.slice(0, 100)).toBe(second.slice(0, 100));
    for (const change of ["created", "updated", "deleted"] as const) {
      expect(eventId(7, change, first, 1).slice(0, 64)).not.toBe(eventId(7, change, second, 1).slice(0, 64));
    }
  });

  test("is the same for the same poll, change, key and value, and differs when any of them differs", () => {
    const id = eventId(3, "updated", "a", { n: 1 });
    expect(eventId(3, "updated", "a", { n: 1 })).toBe(id);
    const others = [
      eventId(4, "updated", "a", { n: 1 }),
      eventId(3, "created", "a", { n: 1 }),
      eventId(3, "updated", "b", { n: 1 }),
      eventId(3, "updated", "a", { n: 2 }),
    ];
    expect(new Set([id, ...others]).size).toBe(5);
  });

  test("does not contain the key's text", () => {
    expect(eventId(1, "deleted", "customer-4711")).not.toContain("customer");
  });

  test("keeps key and value apart: key 'ab' with value 'c' is not key 'a' with value 'bc'", () => {
    expect(eventId(1, "created", "ab", "c")).not.toBe(eventId(1, "created", "a", "bc"));
  });
});

describe("long keys that share a 100-character prefix", () => {
  test.each(KINDS)("changed in one poll, every id is at most 64 characters and their first 64 characters differ (%s)", async (kind) => {
    const keys = longKeys(5);
    const { fake, db } = await watched(kind, kind === "created" ? {} : Object.fromEntries(keys.map((key) => [key, 1])));
    for (const key of keys) await (kind === "deleted" ? fake.store.delete(key) : fake.store.set(key, 2));
    const ids = (await pollOnce(fake.store, db, kind)).map((e) => e.id);
    expect(ids).toHaveLength(5);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(64);
    expect(new Set(ids.map((id) => id.slice(0, 64))).size).toBe(5);
  });
});

/** The store changes that give `count` events of `kind` on a store holding manyRecords(count). */
async function makeChanges(store: DataStore, kind: WatchKind, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (kind === "deleted") await store.delete(key32(i));
    else if (kind === "created") await store.set(key32(i, "new-"), i);
    else await store.set(key32(i), { changed: i });
  }
}

/** Each change as `change:key`, to compare what two polls emitted. */
const described = (emitted: Array<{ change: RecordChange }>) => emitted.map(({ change }) => `${change.change}:${change.key}`);

describe("a poll of more than 100 changes", () => {
  test.each(KINDS)("emits in batches of 100 and saves the state before each batch and after the last (%s, 250 changes)", async (kind) => {
    const { fake, db } = await watched(kind, manyRecords(250), new RecordingDb());
    await makeChanges(fake.store, kind, 250);
    const savesBefore = db.written.length;
    const emittedAtSave: number[] = [];
    let emitted = 0;
    const save = db.set.bind(db);
    db.set = (key, value) => {
      emittedAtSave.push(emitted);
      save(key, value);
    };
    await pollChanges(fake.store, db, kind, () => void emitted++);
    expect(EMIT_BATCH_SIZE).toBe(100);
    expect(emitted).toBe(250);
    expect(emittedAtSave).toEqual([0, 100, 200, 250]);
    expect(db.written.length - savesBefore).toBe(4);
  });

  test.each(KINDS)("a poll of 100 changes or fewer saves its state once, after emitting (%s)", async (kind) => {
    const { fake, db } = await watched(kind, manyRecords(100), new RecordingDb());
    await makeChanges(fake.store, kind, 100);
    const savesBefore = db.written.length;
    expect(await pollOnce(fake.store, db, kind)).toHaveLength(100);
    expect(db.written.length - savesBefore).toBe(1);
  });

  test.each(KINDS)(
    "a save failing after the second batch: the retry emits that batch first with the same ids, then the rest, each change once in all (%s)",
    async (kind) => {
      const { fake, db } = await watched(kind, manyRecords(250), new RecordingDb());
      await makeChanges(fake.store, kind, 250);
      const attempt: Array<{ change: RecordChange; id: string }> = [];
      db.failWrite(3); // the saves before batch 1, before batch 2, then this one, after batch 2
      const error = await failureOf(() => pollChanges(fake.store, db, kind, (change, id) => void attempt.push({ change, id })));
      expect((error as Error).message).toBe("$.service.db write failed");
      expect(attempt).toHaveLength(200);
      const retry = await pollOnce(fake.store, db, kind);
      expect(retry).toHaveLength(150);
      expect(retry.slice(0, 100).map((e) => e.id)).toEqual(attempt.slice(100).map((e) => e.id));
      const delivered = [...described(attempt.slice(0, 100)), ...described(retry)];
      expect(delivered).toHaveLength(250);
      expect(new Set(delivered).size).toBe(250);
      expect(await pollOnce(fake.store, db, kind)).toEqual([]);
    },
  );

  test("changes made before the retry come after the batch that was in flight, whatever the store's order (created-or-updated)", async () => {
    const { fake, db } = await watched("created-or-updated", manyRecords(250), new RecordingDb());
    await makeChanges(fake.store, "created-or-updated", 250);
    const attempt: string[] = [];
    db.failWrite(3);
    await failureOf(() => pollChanges(fake.store, db, "created-or-updated", (_change, id) => void attempt.push(id)));
    // key 0 comes first in the store's order; batch 1 had it, so its new value is a new change.
    await fake.store.set(key32(0), "changed again");
    const retry = await pollOnce(fake.store, db, "created-or-updated");
    expect(retry.slice(0, 100).map((e) => e.id)).toEqual(attempt.slice(100));
    expect(described(retry.slice(100))).toEqual([`updated:${key32(0)}`, ...Array.from({ length: 50 }, (_, i) => `updated:${key32(200 + i)}`)]);
  });

  test.each(KINDS)("every state saved between batches is a small header, and state records of at most 50 KB (%s, 5,000 records, 600 created and 600 deleted)", async (kind) => {
    const { fake, db } = await watched(kind, manyRecords(5000), new RecordingDb());
    for (let i = 0; i < 600; i++) await fake.store.delete(key32(i));
    for (let i = 0; i < 600; i++) await fake.store.set(key32(i, "new-"), i);
    const savesBefore = db.written.length;
    const largest = { bytes: 0 };
    const set = fake.store.set.bind(fake.store);
    fake.store.set = async (key, value, options) => {
      if (key.includes(":state:")) largest.bytes = Math.max(largest.bytes, Buffer.byteLength(JSON.stringify(value)));
      return set(key, value, options);
    };
    expect(await pollOnce(fake.store, db, kind)).toHaveLength(600);
    const saves = db.written.slice(savesBefore);
    expect(saves).toHaveLength(7);
    for (const save of saves) expect(Buffer.byteLength(save)).toBeLessThanOrEqual(2 * 1024);
    expect(largest.bytes).toBeGreaterThan(0);
    expect(largest.bytes).toBeLessThanOrEqual(50 * 1024);
  });
});
