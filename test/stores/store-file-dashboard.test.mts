/**
 * What the store file adds for `dskit ui`, beyond the DataStore contract: data stores that exist
 * empty (schema version 2, and the move from version 1), and the read model that pages records by
 * key range with their expiry.
 */
import { describe, expect, test } from "@jest/globals";
import Database from "better-sqlite3";
import { matchingSql, prefixSuccessor } from "../../stores/browse-records.mjs";
import { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { tempStoreFiles } from "../support/store-files.mjs";
import { TestClock } from "../support/clock.mjs";

const { freshPath, open } = tempStoreFiles("dskit-store-file-");

/** A file laid out as dskit wrote it before version 2: no data_stores table, user_version 1. */
function versionOneFile(records: Array<[store: string, key: string, json: string]>): string {
  const path = freshPath();
  const raw = new Database(path);
  raw.exec(`
    CREATE TABLE records (position INTEGER PRIMARY KEY AUTOINCREMENT, store TEXT NOT NULL, key TEXT NOT NULL,
      json TEXT NOT NULL, expires_at INTEGER, UNIQUE (store, key));
    CREATE TABLE source_db (component TEXT NOT NULL, data_store TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL,
      PRIMARY KEY (component, data_store, key)) WITHOUT ROWID;`);
  for (const [store, key, json] of records) raw.prepare("INSERT INTO records (store, key, json) VALUES (?, ?, ?)").run(store, key, json);
  raw.pragma("user_version = 1");
  raw.close();
  return path;
}

describe("data stores that exist empty", () => {
  test("createDataStore makes an empty store that the listings show with 0 records; a second create is false", () => {
    const file = open();
    expect(file.createDataStore("orders")).toBe(true);
    expect(file.createDataStore("orders")).toBe(false);
    expect(file.dataStoreNames()).toEqual(["orders"]);
    expect(file.dataStoreCounts()).toEqual([{ name: "orders", records: 0, internalRecords: 0 }]);
    expect(file.hasDataStore("orders")).toBe(true);
    expect(file.hasDataStore("other")).toBe(false);
  });

  test("a store that holds records cannot be created again", async () => {
    const file = open();
    await file.dataStore("orders").set("k", 1);
    expect(file.createDataStore("orders")).toBe(false);
  });

  test("forgetDataStore removes the name and its sources' $.service.db, leaving other stores alone", async () => {
    const file = open();
    await file.dataStore("orders").set("k", 1);
    await file.dataStore("orders").clear();
    await file.dataStore("cache").set("k", 1);
    file.sourceDb("data_stores-new-record", "orders").set("watchState", 1);
    file.sourceDb("data_stores-new-record", "cache").set("watchState", 2);
    file.forgetDataStore("orders");
    expect(file.dataStoreNames()).toEqual(["cache"]);
    expect(file.sourceDb("data_stores-new-record", "orders").get("watchState")).toBeUndefined();
    expect(file.sourceDb("data_stores-new-record", "cache").get("watchState")).toBe(2);
  });

  test("a created store persists after close and reopen, and a read-only open refuses to create one", () => {
    const path = freshPath();
    const writer = StoreFile.open(path);
    writer.createDataStore("empty");
    writer.close();
    const reader = open(path, { readonly: true });
    expect(reader.dataStoreNames()).toEqual(["empty"]);
    expect(() => reader.createDataStore("x")).toThrow(/read-only/);
  });

  test("a version-1 file opened for writing moves to version 2 and keeps its stores by name, emptied ones too", async () => {
    const path = versionOneFile([["orders", "a", "1"], ["cache", "b", "2"]]);
    const file = open(path);
    expect(file.dataStoreCounts()).toEqual([
      { name: "cache", records: 1, internalRecords: 0 },
      { name: "orders", records: 1, internalRecords: 0 },
    ]);
    await file.dataStore("orders").clear();
    expect(file.dataStoreNames()).toEqual(["cache", "orders"]);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma("user_version", { simple: true })).toBe(2);
    } finally {
      raw.close();
    }
  });

  test("a version-1 file opened read-only is read as it is, and stays version 1", async () => {
    const path = versionOneFile([["orders", "a", "1"]]);
    const reader = open(path, { readonly: true });
    expect(reader.dataStoreCounts()).toEqual([{ name: "orders", records: 1, internalRecords: 0 }]);
    expect(reader.browseRecords("orders").records.map(({ key }) => key)).toEqual(["a"]);
    expect(await reader.dataStore("orders").get("a")).toBe(1);
    const raw = new Database(path, { readonly: true });
    try {
      expect(raw.pragma("user_version", { simple: true })).toBe(1);
      expect(raw.prepare("SELECT name FROM sqlite_master WHERE name = 'data_stores'").all()).toEqual([]);
    } finally {
      raw.close();
    }
  });
});

describe("browseRecords", () => {
  async function fill(keys: string[], clock = new TestClock()): Promise<StoreFile> {
    const file = open(freshPath(), { now: clock.now });
    for (const key of keys) await file.dataStore("s").set(key, key.length);
    await file.dataStore("neighbour").set(keys[0] ?? "x", "not mine");
    return file;
  }

  test("pages by offset and limit, sorted by key, with the total that match", async () => {
    const file = await fill(["c", "a", "e", "b", "d"]);
    expect(file.browseRecords("s", { offset: 1, limit: 2 })).toEqual({
      total: 5,
      records: [
        { key: "b", json: "1", expiresAt: null },
        { key: "c", json: "1", expiresAt: null },
      ],
    });
    expect(file.browseRecords("s", { offset: 5 })).toEqual({ total: 5, records: [] });
  });

  test("a prefix is a key range: LIKE wildcards are plain characters, and keys just past the range stay out", async () => {
    const file = await fill(["a_b", "axb", "a%", "a%z", "ab", "a", "b"]);
    expect(file.browseRecords("s", { prefix: "a_" }).records.map(({ key }) => key)).toEqual(["a_b"]);
    expect(file.browseRecords("s", { prefix: "a%" }).records.map(({ key }) => key)).toEqual(["a%", "a%z"]);
    expect(file.browseRecords("s", { prefix: "a" }).total).toBe(6);
  });

  test("prefixes ending in the last code points still find their keys", async () => {
    const keys = ["x\u{10FFFF}", "x\u{10FFFF}a", "x\uD7FF", "x\uD7FFa", "x\uE000", "y", "😀1", "😀2", "😁"];
    const file = await fill(keys);
    const find = (prefix: string) => file.browseRecords("s", { prefix }).records.map(({ key }) => key);
    expect(find("x\u{10FFFF}")).toEqual(["x\u{10FFFF}", "x\u{10FFFF}a"]);
    expect(find("x\uD7FF")).toEqual(["x\uD7FF", "x\uD7FFa"]);
    expect(find("😀")).toEqual(["😀1", "😀2"]);
    expect(prefixSuccessor("")).toBeUndefined();
    expect(prefixSuccessor("\u{10FFFF}")).toBeUndefined();
    expect(prefixSuccessor("a\u{10FFFF}")).toBe("b");
  });

  test("the package's __dskit: records are left out unless asked for", async () => {
    const file = await fill(["__dskit:limit:a", "__dskit:cache:b", "__dskit", "__dskit;", "user"]);
    expect(file.browseRecords("s").records.map(({ key }) => key)).toEqual(["__dskit", "__dskit;", "user"]);
    expect(file.browseRecords("s", { includeInternal: true }).total).toBe(5);
    expect(file.browseRecords("s", { prefix: "__dskit:" }).total).toBe(0);
  });

  test("expired records are left out of the page and the total", async () => {
    const clock = new TestClock();
    const file = open(freshPath(), { now: clock.now });
    await file.dataStore("s").set("kept", 1);
    await file.dataStore("s").set("brief", 1, { ttl: 10 });
    expect(file.browseRecords("s").records).toEqual([
      { key: "brief", json: "1", expiresAt: clock.now() + 10_000 },
      { key: "kept", json: "1", expiresAt: null },
    ]);
    clock.advanceSeconds(10);
    expect(file.browseRecords("s")).toEqual({ total: 1, records: [{ key: "kept", json: "1", expiresAt: null }] });
  });

  test("a bad offset or limit is a TypeError", async () => {
    const file = await fill(["a"]);
    expect(() => file.browseRecords("s", { offset: -1 })).toThrow(TypeError);
    expect(() => file.browseRecords("s", { limit: 0 })).toThrow(TypeError);
  });

  test.each([
    ["a prefix", true, /SEARCH records USING INDEX sqlite_autoindex_records_1 \(store=\? AND key>\? AND key<\?\)/],
    ["no prefix", false, /SEARCH records USING INDEX sqlite_autoindex_records_1 \(store=\? AND key>\?\)/],
  ])("a page with %s is an index search on (store, key) in key order, never a scan or a sort", (_what, bounded, plan) => {
    const path = freshPath();
    StoreFile.open(path).close();
    const raw = new Database(path, { readonly: true });
    try {
      const sql = `EXPLAIN QUERY PLAN SELECT key ${matchingSql(bounded)} ORDER BY key LIMIT 50 OFFSET 0`;
      const params = { store: "s", low: "a", high: "b", internalLow: "__dskit:", internalHigh: "__dskit;", hideInternal: 1, now: 0 };
      const details = (raw.prepare(sql).all(params) as { detail: string }[]).map(({ detail }) => detail).join("\n");
      expect(details).toMatch(plan);
      expect(details).not.toMatch(/SCAN|TEMP B-TREE/);
    } finally {
      raw.close();
    }
  });
});

describe("inspectRecord", () => {
  test("a live record as stored with its expiry; a missing or expired one is undefined", async () => {
    const clock = new TestClock();
    const file = open(freshPath(), { now: clock.now });
    await file.dataStore("s").set("k", { a: 1 }, { ttl: 5 });
    await file.dataStore("s").set("forever", "x");
    expect(file.inspectRecord("s", "k")).toEqual({ key: "k", json: '{"a":1}', expiresAt: clock.now() + 5000 });
    expect(file.inspectRecord("s", "forever")?.expiresAt).toBeNull();
    expect(file.inspectRecord("s", "missing")).toBeUndefined();
    clock.advanceSeconds(5);
    expect(file.inspectRecord("s", "k")).toBeUndefined();
  });
});
