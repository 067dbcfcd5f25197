/**
 * copyRecords and the store-pair rule: one `keys()` of the target against one `has` per record
 * (measured here, the reason for the choice), the same store recognised through two objects (on
 * the fake and on the SQLite store), and a move that deletes only what it copied, after the pass.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { copyRecords } from "../../lib/copy/copy-records.mjs";
import { isDataStore, isSameDataStore } from "../../lib/copy/store-pair.mjs";
import { isInternalKey } from "../../lib/store/reserved-keys.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";
import { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { forwardingTo } from "../support/fixtures.mjs";

async function fakeWith(records: Record<string, JsonValue>, pageSize = 128) {
  const fake = createFakeDataStore({ pageSize });
  for (const [key, value] of Object.entries(records)) await fake.store.set(key, value);
  fake.controls.resetStats();
  return fake;
}


const numbered = (count: number, from = 0) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${String(from + i).padStart(4, "0")}`, i]));

describe("what exists in the target: one keys() call, not one has() per record", () => {
  test("300 records against a target holding 100 of them: keys() costs 1 request where has() would cost 300", async () => {
    const source = await fakeWith(numbered(300));
    const target = await fakeWith(numbered(100));
    const report = await copyRecords(source.store, target.store);
    expect(report).toEqual({ copied: 200, skippedExisting: 100, deleted: 0, keptChanged: 0 });
    // The chosen way: the probe (set, delete; has on the source), 1 keys(), 1 set per copy, no has per key.
    expect(target.controls.stats.calls).toMatchObject({ keys: 1, has: 0, set: 1 + 200, setTtl: 0, delete: 1, get: 0 });
    expect(source.controls.stats.calls).toMatchObject({ page: 3, has: 1, get: 0, keys: 0, set: 0, delete: 0 });

    // The alternative, measured on the same stores: a has() per source record before its copy.
    const alternative = await fakeWith(numbered(100));
    for await (const [key] of source.store) await alternative.store.has(key);
    const existenceRequests = { chosen: target.controls.stats.calls.keys + target.controls.stats.calls.has, perKey: alternative.controls.stats.calls.has };
    expect(existenceRequests).toEqual({ chosen: 1, perKey: 300 });
  });

  test("overwrite with a TTL needs no keys(): every copy is one set with the TTL", async () => {
    const source = await fakeWith(numbered(20));
    const target = await fakeWith(numbered(5));
    await copyRecords(source.store, target.store, { existing: "overwrite", ttlSeconds: 60 });
    expect(target.controls.stats.calls).toMatchObject({ keys: 0, set: 1 + 20, setTtl: 0 });
  });

  test("a permanent overwrite clears the expiry of records the target had, and sends setTtl only for those", async () => {
    const source = await fakeWith({ a: 1, b: 2, c: 3 });
    const target = createFakeDataStore();
    await target.store.set("a", "old", { ttl: 60 });
    target.controls.resetStats();
    await copyRecords(source.store, target.store, { existing: "overwrite" });
    expect(target.controls.records()).toEqual([
      { key: "a", value: 1, expiresAt: null },
      { key: "b", value: 2, expiresAt: null },
      { key: "c", value: 3, expiresAt: null },
    ]);
    expect(target.controls.stats.calls).toMatchObject({ keys: 1, set: 1 + 3, setTtl: 1 });
  });
});

describe("writes", () => {
  test("keep at most 10 requests in flight, with latency and jitter", async () => {
    const source = await fakeWith(numbered(250));
    const target = await fakeWith(numbered(50, 1000));
    target.controls.setLatency(2, 3);
    await copyRecords(source.store, target.store, { existing: "overwrite" });
    expect(target.controls.stats.peakInFlight).toBeLessThanOrEqual(10);
    expect(target.controls.stats.peakInFlight).toBeGreaterThan(1);
    expect(target.controls.records()).toHaveLength(300);
  });

  test("a failed write stops the copy and a move deletes nothing", async () => {
    const source = await fakeWith(numbered(250));
    const target = createFakeDataStore();
    target.controls.failWhen(({ op, key }) => op === "set" && key === "k0150");
    await expect(copyRecords(source.store, target.store, { deleteAfterCopy: true })).rejects.toThrow(/injected/);
    expect(source.controls.records()).toHaveLength(250);
    expect(source.controls.stats.calls.delete).toBe(0);
  });
});

describe("a move (deleteAfterCopy)", () => {
  test("deletes every copied record after the pass, so the paged iterator skips none (300 records, pages of 7)", async () => {
    const source = await fakeWith(numbered(300), 7);
    const target = createFakeDataStore();
    const report = await copyRecords(source.store, target.store, { deleteAfterCopy: true });
    expect(report).toEqual({ copied: 300, skippedExisting: 0, deleted: 300, keptChanged: 0 });
    expect(source.controls.records()).toEqual([]);
    expect(target.controls.records()).toHaveLength(300);
  });

  test("keeps a record changed after its copy was written, and deletes the others", async () => {
    const source = await fakeWith({ a: 1, b: 2, c: 3 });
    const target = createFakeDataStore();
    // Another execution writes to the source right after "b" was copied.
    const watched: DataStore = {
      ...forwardingTo(target.store),
      set: async (key, value, options) => {
        await target.store.set(key, value, options);
        if (key === "b") await source.store.set("b", 20);
      },
    };
    const report = await copyRecords(source.store, watched, { deleteAfterCopy: true });
    expect(report).toEqual({ copied: 3, skippedExisting: 0, deleted: 2, keptChanged: 1 });
    expect(source.controls.records().map(({ key, value }) => [key, value])).toEqual([["b", 20]]);
  });

  test("in skip mode keeps the records the target already had, in both stores", async () => {
    const source = await fakeWith({ a: 1, b: 2 });
    const target = await fakeWith({ b: "theirs" });
    const report = await copyRecords(source.store, target.store, { deleteAfterCopy: true });
    expect(report).toEqual({ copied: 1, skippedExisting: 1, deleted: 1, keptChanged: 0 });
    expect(source.controls.records().map(({ key, value }) => [key, value])).toEqual([["b", 2]]);
    expect(target.controls.records().map(({ key, value }) => [key, value])).toEqual([["a", 1], ["b", "theirs"]]);
  });
});

describe("the same store twice", () => {
  test("the same object is refused with no request at all", async () => {
    const fake = await fakeWith({ a: 1 });
    await expect(copyRecords(fake.store, fake.store, { deleteAfterCopy: true })).rejects.toMatchObject({ name: "InvalidArgumentError", argument: "target" });
    expect(fake.controls.stats.total).toBe(0);
  });

  test("two objects for one store are recognised by the probe, which leaves no record behind", async () => {
    const fake = await fakeWith({ a: 1, "__dskit:limit:x": 2 });
    const before = fake.controls.records();
    await expect(copyRecords(fake.store, forwardingTo(fake.store), { deleteAfterCopy: true })).rejects.toMatchObject({ argument: "target" });
    expect(fake.controls.records()).toEqual(before);
    expect(fake.controls.stats.calls).toMatchObject({ set: 1, has: 1, delete: 1, page: 0, keys: 0, get: 0 });
  });

  test("two stores are told apart by the probe, and the target ends as it was", async () => {
    const a = await fakeWith({ k: 1 });
    const b = await fakeWith({ k: 1 });
    expect(await isSameDataStore(a.store, b.store)).toBe(false);
    expect(b.controls.records()).toEqual([{ key: "k", value: 1, expiresAt: null }]);
    expect(a.controls.stats.calls.has).toBe(1);
    expect(b.controls.stats.calls).toMatchObject({ set: 1, delete: 1 });
  });

  test("the probe is deleted even when the lookup fails", async () => {
    const a = createFakeDataStore();
    const b = createFakeDataStore();
    a.controls.failWhen(({ op }) => op === "has");
    await expect(isSameDataStore(a.store, b.store)).rejects.toThrow(/injected/);
    expect(b.controls.records()).toEqual([]);
  });

  describe("on the SQLite store, where one name opened twice gives two objects", () => {
    let folder: string | undefined;
    afterEach(() => {
      if (folder) rmSync(folder, { recursive: true, force: true });
      folder = undefined;
    });

    test("the same name is one store, another name is not, and no probe is left", async () => {
      folder = mkdtempSync(join(tmpdir(), "dskit-pair-"));
      const file = StoreFile.open(join(folder, "stores.db"));
      try {
        const [a1, a2, b] = [file.dataStore("a"), file.dataStore("a"), file.dataStore("b")];
        expect(a1).not.toBe(a2);
        expect(await isSameDataStore(a1, a2)).toBe(true);
        expect(await isSameDataStore(a1, b)).toBe(false);
        expect([...(await a1.keys()), ...(await b.keys())]).toEqual([]);
      } finally {
        file.close();
      }
    });
  });
});

describe("isDataStore", () => {
  test("accepts the fake, refuses what only looks like one", () => {
    expect(isDataStore(createFakeDataStore().store)).toBe(true);
    for (const value of [undefined, null, "a", {}, { get: 1 }, { get() {}, set() {}, setTtl() {}, has() {}, delete() {}, keys() {} }]) {
      expect(isDataStore(value)).toBe(false);
    }
  });
});

test("copies exactly the user records under the prefix, whatever the stores hold (100 random runs)", async () => {
  const key = fc.oneof(fc.string({ minLength: 1, maxLength: 4 }), fc.constantFrom("__proto__", "__dskit:limit:x", "user:1", "user:2"));
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>, fc.constantFrom<JsonValue>(0, false, "", null));
  const records = fc.uniqueArray(fc.tuple(key, value), { selector: ([name]) => name, maxLength: 30 });
  await fc.assert(
    fc.asyncProperty(records, records, fc.constantFrom("skip", "overwrite") as fc.Arbitrary<"skip" | "overwrite">, fc.constantFrom("", "user:"), fc.boolean(), async (mine, theirs, existing, prefix, deleteAfterCopy) => {
      const source = await fakeWith(Object.fromEntries(mine), 5);
      const target = await fakeWith(Object.fromEntries(theirs), 5);
      const sourceBefore = source.controls.records();
      const targetBefore = new Map(target.controls.records().map(({ key: name, value: stored }) => [name, stored]));
      const report = await copyRecords(source.store, target.store, { existing, prefix, deleteAfterCopy });

      const copyable = sourceBefore.filter(({ key: name }) => name.startsWith(prefix) && !isInternalKey(name));
      const toCopy = copyable.filter(({ key: name }) => existing === "overwrite" || !targetBefore.has(name));
      const expectedTarget = new Map(targetBefore);
      for (const { key: name, value: stored } of toCopy) expectedTarget.set(name, stored);
      expect(new Map(target.controls.records().map(({ key: name, value: stored }) => [name, stored]))).toEqual(expectedTarget);
      const copiedKeys = new Set(toCopy.map(({ key: name }) => name));
      const expectedSource = deleteAfterCopy ? sourceBefore.filter(({ key: name }) => !copiedKeys.has(name)) : sourceBefore;
      expect(source.controls.records()).toEqual(expectedSource);
      expect(report).toEqual({ copied: toCopy.length, skippedExisting: copyable.length - toCopy.length, deleted: deleteAfterCopy ? toCopy.length : 0, keptChanged: 0 });
    }),
    { numRuns: 100, seed: 20_261_202 },
  );
});
