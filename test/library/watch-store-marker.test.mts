/**
 * Which store a source's state belongs to: the marker record written at each baseline, checked by
 * `activate` (which Pipedream runs after deploy and on every change of props), and put back by a
 * poll when the store was cleared.
 */
import { describe, expect, test } from "@jest/globals";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import { activateWatch, recordBaseline, sourceMarkerKey, watchStateSummary, type WatchKind } from "../../lib/watch/watch-records.mjs";
import { setupStore } from "../support/fixtures.mjs";
import { pollOnce, watched } from "../support/source-fixtures.mjs";
import { ServiceDb } from "../support/source-harness.mjs";

const KINDS: WatchKind[] = ["created", "created-or-updated", "deleted"];

/** The keys of the markers in a store (not the sources' state records, `…:state:…`). */
async function markers(store: { keys(): Promise<string[]> }): Promise<string[]> {
  return (await store.keys()).filter((key) => key.startsWith(`${INTERNAL_KEY_PREFIX}source:`) && !key.includes(":state:"));
}

/** A change on `key` that a source of `kind` emits, on a store where `key` holds 1. */
const changeFor = (kind: WatchKind) => (kind === "deleted" ? { key: "a", change: "deleted" } : { key: "new", change: "created" });

describe("the baseline's marker", () => {
  test.each(KINDS)("a baseline writes one marker record under the reserved prefix, and it is never a change (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1 });
    expect(await markers(fake.store)).toHaveLength(1);
    expect(await pollOnce(fake.store, db, kind)).toEqual([]);
  });

  test("two sources on one store keep two markers, and neither takes the other's for its own", async () => {
    const fake = await setupStore({ a: 1 });
    const [first, second] = [new ServiceDb(), new ServiceDb()];
    await recordBaseline(fake.store, first, "created");
    await recordBaseline(fake.store, second, "deleted");
    expect(await markers(fake.store)).toHaveLength(2);
    expect(await activateWatch(fake.store, first, "created")).toBe(false);
    expect(await activateWatch(fake.store, second, "deleted")).toBe(false);
  });

  test("two sources on one store keep their state in records of their own, each under its own source id", async () => {
    const fake = await setupStore({ a: 1 });
    const [first, second] = [new ServiceDb(), new ServiceDb()];
    await recordBaseline(fake.store, first, "created");
    await recordBaseline(fake.store, second, "created");
    const [one, two] = [watchStateSummary(first)!, watchStateSummary(second)!];
    expect(one.source).not.toBe(two.source);
    expect(one.stateRecords).toHaveLength(1);
    expect(two.stateRecords).toHaveLength(1);
    expect(one.stateRecords[0]).not.toBe(two.stateRecords[0]);
    for (const key of one.stateRecords) expect(key.startsWith(`${sourceMarkerKey(one.source)}:state:`)).toBe(true);
  });

  test("a redeploy keeps the source's marker key: the store holds one marker, not one per deploy", async () => {
    const { fake, db } = await watched("created", { a: 1 });
    await recordBaseline(fake.store, db, "created");
    expect(await markers(fake.store)).toHaveLength(1);
  });
});

describe("activateWatch", () => {
  test.each(KINDS)("on the store of the baseline, takes no new baseline: a change made before it is emitted after (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1 });
    await (kind === "deleted" ? fake.store.delete("a") : fake.store.set("new", 2));
    fake.controls.resetStats();
    expect(await activateWatch(fake.store, db, kind)).toBe(false);
    expect(fake.controls.stats.calls).toMatchObject({ get: 1, keys: 0, page: 0, set: 0 });
    expect((await pollOnce(fake.store, db, kind)).map((e) => e.change)).toMatchObject([changeFor(kind)]);
  });

  test.each(KINDS)("on another store, takes a new baseline there: its records are not emitted, its later changes are (%s)", async (kind) => {
    const { db } = await watched(kind, { a: 1 });
    const other = await setupStore({ x: 1, y: 2, a: 3 });
    expect(await activateWatch(other.store, db, kind)).toBe(true);
    expect(await pollOnce(other.store, db, kind)).toEqual([]);
    await (kind === "deleted" ? other.store.delete("a") : other.store.set("new", 4));
    expect((await pollOnce(other.store, db, kind)).map((e) => e.change)).toMatchObject([changeFor(kind)]);
  });

  test.each(KINDS)("back on the first store after another, takes a new baseline again: the marker there is from an older baseline (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1 });
    const other = await setupStore({ x: 1 });
    await activateWatch(other.store, db, kind);
    await fake.store.set("while-away", 1);
    await fake.store.delete("a");
    expect(await activateWatch(fake.store, db, kind)).toBe(true);
    expect(await pollOnce(fake.store, db, kind)).toEqual([]);
  });

  test("the new baseline keeps counting polls, so ids on the new store never repeat ids of the old one", async () => {
    const { fake, db } = await watched("created");
    await fake.store.set("a", 1);
    const before = await pollOnce(fake.store, db, "created");
    const other = await setupStore();
    await activateWatch(other.store, db, "created");
    await other.store.set("a", 1);
    const after = await pollOnce(other.store, db, "created");
    expect(after).toHaveLength(1);
    expect(after[0]!.id).not.toBe(before[0]!.id);
  });

  test.each(KINDS)("without a saved state, takes a baseline (%s)", async (kind) => {
    const fake = await setupStore({ a: 1 });
    const db = new ServiceDb();
    expect(await activateWatch(fake.store, db, kind)).toBe(true);
    expect(await pollOnce(fake.store, db, kind)).toEqual([]);
  });

  test("a state saved by version 0.1 (no marker) is adopted, not replaced: the change since its last poll is still emitted", async () => {
    const fake = await setupStore({ a: 1 });
    const db = new ServiceDb();
    db.set("watchState", { epoch: 4, records: { a: "" } });
    await fake.store.set("b", 2);
    expect(await activateWatch(fake.store, db, "created")).toBe(false);
    expect(await markers(fake.store)).toHaveLength(1);
    expect((await pollOnce(fake.store, db, "created")).map((e) => e.change)).toStrictEqual([{ key: "b", value: 2, change: "created" }]);
    expect(await activateWatch(fake.store, db, "created")).toBe(false);
  });
});

describe("a cleared store", () => {
  test.each(KINDS)("the next poll puts the marker back, so a later change of props takes no new baseline and loses no change (%s)", async (kind) => {
    const { fake, db } = await watched(kind, { a: 1 });
    await fake.store.clear();
    await pollOnce(fake.store, db, kind);
    expect(await markers(fake.store)).toHaveLength(1);
    await fake.store.set("after-clear", 1);
    if (kind === "deleted") {
      await pollOnce(fake.store, db, kind);
      await fake.store.delete("after-clear");
    }
    expect(await activateWatch(fake.store, db, kind)).toBe(false);
    const expected = { key: "after-clear", change: kind === "deleted" ? "deleted" : "created" };
    expect((await pollOnce(fake.store, db, kind)).map((e) => e.change)).toMatchObject([expected]);
  });

  test("the marker is put back under the same key with the same baseline id", async () => {
    const { fake, db } = await watched("deleted", { a: 1 });
    const [marker] = await markers(fake.store);
    const value = await fake.store.get(marker!);
    await fake.store.clear();
    await pollOnce(fake.store, db, "deleted");
    expect(await markers(fake.store)).toEqual([marker]);
    expect(await fake.store.get(marker!)).toBe(value);
  });
});
