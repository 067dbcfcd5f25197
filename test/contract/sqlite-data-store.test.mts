import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "@jest/globals";
import Database from "better-sqlite3";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { tempStoreFiles } from "../support/store-files.mjs";
import { TestClock } from "../support/clock.mjs";
import { dataStoreContract } from "./data-store-contract.mjs";

const { folder, freshPath, open } = tempStoreFiles("dskit-sqlite-");

async function readAll(store: DataStore): Promise<Array<[string, JsonValue]>> {
  const records: Array<[string, JsonValue]> = [];
  for await (const record of store) records.push(record);
  return records;
}

dataStoreContract("SQLite file", (clock) => open(freshPath(), { now: clock.now }).dataStore("contract"));
dataStoreContract("SQLite file with small pages", (clock) => open(freshPath(), { now: clock.now, pageSize: 7 }).dataStore("contract"));
dataStoreContract("SQLite file shared with another named store", async (clock) => {
  const file = open(freshPath(), { now: clock.now, pageSize: 5 });
  const neighbour = file.dataStore("neighbour");
  for (let i = 0; i < 12; i++) await neighbour.set(`key-${i}`, i);
  await neighbour.set("k", "the neighbour's");
  return file.dataStore("contract");
});

describe("SQLite store file", () => {
  test("opening creates the parent folder, WAL mode and the schema version", () => {
    const path = join(folder, "nested", "deeper", "store.db");
    open(path);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(raw.pragma("user_version", { simple: true })).toBe(2);
    } finally {
      raw.close();
    }
  });

  test("a file from a newer schema version is refused, with the versions in the error", () => {
    const path = freshPath();
    const raw = new Database(path);
    raw.pragma("user_version = 99");
    raw.close();
    expect(() => StoreFile.open(path)).toThrow(/schema version 99.*up to 2/);
  });

  test("a page size that is not a whole number of 1 or more is refused", () => {
    expect(() => StoreFile.open(freshPath(), { pageSize: 0 })).toThrow(TypeError);
    expect(() => StoreFile.open(freshPath(), { pageSize: 2.5 })).toThrow(TypeError);
  });

  test("two files open on one path (two processes) see each other's writes", async () => {
    const path = freshPath();
    const first = open(path).dataStore("shared");
    const second = open(path).dataStore("shared");
    await first.set("from-first", 1);
    expect(await second.get("from-first")).toBe(1);
    await second.set("from-second", { n: 2 });
    await second.delete("from-first");
    expect(await first.keys()).toEqual(["from-second"]);
    expect(await readAll(first)).toEqual([["from-second", { n: 2 }]]);
  });

  test("named stores in one file are isolated: a set in one is not seen in another, and clear clears one", async () => {
    const file = open();
    const a = file.dataStore("a");
    const b = file.dataStore("b");
    await a.set("k", "in a");
    expect(await b.get("k")).toBeUndefined();
    expect(await b.has("k")).toBe(false);
    expect(await b.keys()).toEqual([]);
    await b.set("k", "in b");
    await a.clear();
    expect(await a.keys()).toEqual([]);
    expect(await b.get("k")).toBe("in b");
    expect(await readAll(b)).toEqual([["k", "in b"]]);
  });

  test("records and their expiry persist after close and reopen", async () => {
    const clock = new TestClock();
    const path = freshPath();
    const before = StoreFile.open(path, { now: clock.now });
    await before.dataStore("s").set("kept", { list: [1, 2] });
    await before.dataStore("s").set("brief", "v", { ttl: 10 });
    before.close();
    const after = open(path, { now: clock.now }).dataStore("s");
    expect(await after.get("kept")).toEqual({ list: [1, 2] });
    expect(await after.get("brief")).toBe("v");
    clock.advanceSeconds(11);
    expect(await after.keys()).toEqual(["kept"]);
  });

  test("readonly: a missing file throws and nothing is created; reads work, writes are refused, expired records stay unpurged", async () => {
    const missing = join(folder, "absent", "x.db");
    expect(() => open(missing, { readonly: true })).toThrow();
    expect(existsSync(join(folder, "absent"))).toBe(false);

    const clock = new TestClock(1_000_000);
    const path = freshPath();
    const writer = open(path, { now: clock.now });
    await writer.dataStore("a").set("k", 1);
    await writer.dataStore("a").set("gone", 2, { ttl: 1 });
    await writer.dataStore("a").set("__dskit:limit:x", 3);
    await writer.dataStore("b").set("k", 4);
    clock.advanceSeconds(2);
    const reader = open(path, { readonly: true, now: clock.now });
    const store = reader.dataStore("a");
    expect(await store.get("k")).toBe(1);
    expect((await store.keys()).sort()).toEqual(["__dskit:limit:x", "k"]);
    await expect(store.set("k", 2)).rejects.toThrow(/read-only/);
    await expect(store.delete("k")).rejects.toThrow(/read-only/);
    await expect(store.clear()).rejects.toThrow(/read-only/);
    expect(reader.dataStoreCounts()).toEqual([
      { name: "a", records: 1, internalRecords: 1 },
      { name: "b", records: 1, internalRecords: 0 },
    ]);
  });

  test("readonly: a file without the store schema is refused", () => {
    const path = freshPath();
    new Database(path).close();
    expect(() => open(path, { readonly: true })).toThrow(/not a dskit store file/);
  });

  test("dataStoreNames lists, sorted, every store written to, also once emptied or expired, as a data store on Pipedream stays", async () => {
    const clock = new TestClock();
    const file = open(freshPath(), { now: clock.now });
    await file.dataStore("orders").set("k", 1);
    await file.dataStore("cache").set("k", 1);
    await file.dataStore("expiring").set("k", 1, { ttl: 5 });
    await file.dataStore("emptied").set("k", 1);
    await file.dataStore("emptied").clear();
    await file.dataStore("only-read").get("k");
    expect(file.dataStoreNames()).toEqual(["cache", "emptied", "expiring", "orders"]);
    clock.advanceSeconds(6);
    expect(file.dataStoreNames()).toEqual(["cache", "emptied", "expiring", "orders"]);
    expect(file.dataStoreCounts().find(({ name }) => name === "expiring")).toEqual({ name: "expiring", records: 0, internalRecords: 0 });
  });

  test("refusals are TypeErrors: bad ttls, bad keys, values that are not JSON", async () => {
    const store = open().dataStore("s");
    for (const ttl of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, "60" as unknown as number]) {
      await expect(store.set("k", 1, { ttl })).rejects.toThrow(TypeError);
    }
    await expect(store.setTtl("k", 0)).rejects.toThrow(TypeError);
    await expect(store.set("", 1)).rejects.toThrow(TypeError);
    await expect(store.has(null as unknown as string)).rejects.toThrow(TypeError);
    await expect(store.set("k", Number.NaN)).rejects.toThrow(TypeError);
    await expect(store.set("k", { when: new Date() } as unknown as JsonValue)).rejects.toThrow(/value\.when is a Date/);
    expect(await store.keys()).toEqual([]);
  });

  test("a key with a lone surrogate is refused: UTF-8 text could not keep it apart from another", async () => {
    const store = open().dataStore("s");
    await expect(store.set("a\uD800", 1)).rejects.toThrow(/lone surrogate/);
    await store.set("emoji 😀", 1);
    expect(await store.keys()).toEqual(["emoji 😀"]);
  });

  test("set without a ttl keeps an earlier expiry, as the fake does", async () => {
    const clock = new TestClock();
    const store = open(freshPath(), { now: clock.now }).dataStore("s");
    await store.set("k", 1, { ttl: 10 });
    await store.set("k", 2);
    clock.advanceSeconds(11);
    expect(await store.has("k")).toBe(false);
  });

  test("an expired key written again is a new permanent record", async () => {
    const clock = new TestClock();
    const store = open(freshPath(), { now: clock.now }).dataStore("s");
    await store.set("k", 1, { ttl: 10 });
    clock.advanceSeconds(11);
    await store.set("k", 2);
    clock.advanceSeconds(3600);
    expect(await store.get("k")).toBe(2);
  });

  test("an expired key written again is a new record even when many others expired before it", async () => {
    const clock = new TestClock();
    const store = open(freshPath(), { now: clock.now }).dataStore("s");
    for (let i = 0; i < 40; i++) await store.set(`old-${i}`, i, { ttl: 5 });
    await store.set("k", 1, { ttl: 10 });
    clock.advanceSeconds(11);
    await store.set("k", 2);
    clock.advanceSeconds(3600);
    expect(await store.keys()).toEqual(["k"]);
  });

  test("no entries() method", () => {
    expect((open().dataStore("s") as unknown as { entries?: unknown }).entries).toBeUndefined();
  });
});

describe("SQLite store iterator", () => {
  async function filled(count: number, pageSize?: number): Promise<DataStore> {
    const store = open(freshPath(), pageSize === undefined ? {} : { pageSize }).dataStore("s");
    for (let i = 0; i < count; i++) await store.set(`key-${i}`, i);
    return store;
  }

  test("a 300-record store iterates every record once, in insertion order, with 128-record pages", async () => {
    const records = await readAll(await filled(300));
    expect(records).toEqual(Array.from({ length: 300 }, (_, i) => [`key-${i}`, i]));
  });

  test("a page is read in one query: a record that expires mid-iteration is still yielded with the rest of its 128-record page", async () => {
    const clock = new TestClock();
    const store = open(freshPath(), { now: clock.now }).dataStore("s");
    for (let i = 0; i < 300; i++) await store.set(`key-${i}`, i, { ttl: 10 });
    let yielded = 0;
    for await (const _ of store) {
      void _;
      yielded += 1;
      clock.advanceSeconds(11);
    }
    expect(yielded).toBe(128);
  });

  test("small pages work, including a store that fills its last page exactly", async () => {
    expect((await readAll(await filled(9, 3))).map(([key]) => key)).toEqual(Array.from({ length: 9 }, (_, i) => `key-${i}`));
    expect(await readAll(await filled(1, 1))).toEqual([["key-0", 0]]);
  });

  test("updating a record keeps its place in the iteration order", async () => {
    const store = open().dataStore("s");
    for (const key of ["a", "b", "c"]) await store.set(key, key);
    await store.set("a", "updated");
    await store.setTtl("b", 60);
    expect(await readAll(store)).toEqual([["a", "updated"], ["b", "b"], ["c", "c"]]);
    expect(await store.keys()).toEqual(["a", "b", "c"]);
  });

  test("deleting while iterating skips nothing: pages continue after the last position seen", async () => {
    const store = await filled(6, 2);
    const seen: string[] = [];
    for await (const [key] of store) {
      seen.push(key);
      await store.delete(key);
    }
    expect(seen).toHaveLength(6);
  });

  test("expired records are skipped by the iterator", async () => {
    const clock = new TestClock();
    const store = open(freshPath(), { now: clock.now, pageSize: 2 }).dataStore("s");
    for (let i = 0; i < 6; i++) await store.set(`key-${i}`, i, i % 2 === 0 ? { ttl: 5 } : undefined);
    clock.advanceSeconds(6);
    expect((await readAll(store)).map(([key]) => key)).toEqual(["key-1", "key-3", "key-5"]);
  });
});

describe("SQLite source db", () => {
  test("values persist across close and reopen, per component and data store", () => {
    const path = freshPath();
    const before = StoreFile.open(path);
    before.sourceDb("data_stores-new-record", "orders").set("watchState", { epoch: 3, records: { a: "" } });
    before.sourceDb("data_stores-new-record", "cache").set("watchState", { epoch: 1, records: {} });
    before.close();
    const after = open(path);
    expect(after.sourceDb("data_stores-new-record", "orders").get("watchState")).toEqual({ epoch: 3, records: { a: "" } });
    expect(after.sourceDb("data_stores-new-record", "cache").get("watchState")).toEqual({ epoch: 1, records: {} });
    expect(after.sourceDb("data_stores-new-deleted-record", "orders").get("watchState")).toBeUndefined();
  });

  test("a write that takes one source's db over 60 KB is refused with the limit named, and the old value stays", () => {
    const db = open().sourceDb("data_stores-new-record", "orders");
    db.set("other", "x".repeat(30 * 1024));
    db.set("state", "small");
    expect(() => db.set("state", "y".repeat(31 * 1024))).toThrow(/limited to 61440 bytes; this write would make it \d+/);
    expect(db.get("state")).toBe("small");
    // Replacing a value counts the new one only: 30 KB + 29 KB fits.
    db.set("state", "z".repeat(29 * 1024));
    expect((db.get("state") as string).length).toBe(29 * 1024);
  });

  test("the 60 KB are per source: another component's db is counted apart", () => {
    const file = open();
    file.sourceDb("a", "orders").set("state", "x".repeat(50 * 1024));
    expect(() => file.sourceDb("b", "orders").set("state", "y".repeat(50 * 1024))).not.toThrow();
  });

  test("values that are not JSON are refused, as ServiceDb refuses them", () => {
    const db = open().sourceDb("c", "orders");
    expect(() => db.set("state", new Map())).toThrow(/\$\.service\.db holds JSON only/);
    expect(db.get("state")).toBeUndefined();
  });
});
