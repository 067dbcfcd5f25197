/**
 * The documented data store semantics as one reusable suite. Every store implementation runs it
 * unchanged: `dataStoreContract("fake", (clock) => makeStore(clock))`. The store must measure TTLs
 * against the given clock, so expiry is tested by moving time, never by waiting.
 */
import { beforeEach, describe, expect, test } from "@jest/globals";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { TestClock } from "../support/clock.mjs";

export type MakeStore = (clock: TestClock) => DataStore | Promise<DataStore>;

export function dataStoreContract(name: string, makeStore: MakeStore): void {
  describe(`DataStore contract: ${name}`, () => {
    let clock: TestClock;
    let store: DataStore;

    beforeEach(async () => {
      clock = new TestClock();
      store = await makeStore(clock);
    });

    async function readAll(): Promise<Record<string, JsonValue>> {
      const seen: Record<string, JsonValue> = Object.create(null);
      for await (const [key, value] of store) {
        expect(Object.hasOwn(seen, key)).toBe(false);
        seen[key] = value;
      }
      return seen;
    }

    test("get of a missing key gives undefined and has gives false", async () => {
      expect(await store.get("missing")).toBeUndefined();
      expect(await store.has("missing")).toBe(false);
    });

    test("set then get gives the value back, for every kind of JSON value", async () => {
      const values: JsonValue[] = ["text", 42, -1.5, true, ["a", 1, null], { nested: { list: [1, 2] } }, "üñí ✓"];
      for (const [index, value] of values.entries()) await store.set(`k${index}`, value);
      for (const [index, value] of values.entries()) expect(await store.get(`k${index}`)).toEqual(value);
    });

    test("falsy values are real records: 0, false, empty text and null", async () => {
      const falsy: JsonValue[] = [0, false, "", null];
      for (const [index, value] of falsy.entries()) await store.set(`f${index}`, value);
      for (const [index, value] of falsy.entries()) {
        expect(await store.has(`f${index}`)).toBe(true);
        expect(await store.get(`f${index}`)).toBe(value);
      }
      expect((await store.keys()).sort()).toEqual(["f0", "f1", "f2", "f3"]);
    });

    test("what is read is a copy: changing it, or the object written, changes nothing stored", async () => {
      const written = { list: [1] };
      await store.set("k", written);
      written.list.push(2);
      const read = (await store.get("k")) as { list: number[] };
      read.list.push(3);
      expect(await store.get("k")).toEqual({ list: [1] });
    });

    test("set replaces an existing value", async () => {
      await store.set("k", 1);
      await store.set("k", { now: 2 });
      expect(await store.get("k")).toEqual({ now: 2 });
      expect(await store.keys()).toEqual(["k"]);
    });

    test("delete removes a record, and deleting a missing key is not an error", async () => {
      await store.set("k", 1);
      await store.delete("k");
      await store.delete("never-there");
      expect(await store.has("k")).toBe(false);
      expect(await store.keys()).toEqual([]);
    });

    test("keys lists every record's key; clear removes them all", async () => {
      await store.set("a", 1);
      await store.set("b", 2);
      expect((await store.keys()).sort()).toEqual(["a", "b"]);
      await store.clear();
      expect(await store.keys()).toEqual([]);
      expect(await store.get("a")).toBeUndefined();
    });

    test("keys such as __proto__ and constructor are ordinary keys", async () => {
      await store.set("__proto__", { polluted: true });
      await store.set("constructor", "c");
      expect(await store.get("__proto__")).toEqual({ polluted: true });
      expect(await store.get("constructor")).toBe("c");
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.keys(await readAll()).sort()).toEqual(["__proto__", "constructor"]);
    });

    test("a record set with a ttl is gone after that many seconds, from every read", async () => {
      await store.set("short", "v", { ttl: 10 });
      await store.set("kept", "v");
      clock.advanceSeconds(9);
      expect(await store.get("short")).toBe("v");
      clock.advanceSeconds(2);
      expect(await store.get("short")).toBeUndefined();
      expect(await store.has("short")).toBe(false);
      expect(await store.keys()).toEqual(["kept"]);
      expect(Object.keys(await readAll())).toEqual(["kept"]);
    });

    test("setTtl gives an existing record an expiry, and null removes it", async () => {
      await store.set("a", 1);
      await store.set("b", 2, { ttl: 5 });
      await store.setTtl("a", 5);
      await store.setTtl("b", null);
      clock.advanceSeconds(6);
      expect(await store.has("a")).toBe(false);
      expect(await store.get("b")).toBe(2);
    });

    test("set with a ttl replaces an earlier expiry", async () => {
      await store.set("k", 1, { ttl: 5 });
      await store.set("k", 2, { ttl: 100 });
      clock.advanceSeconds(50);
      expect(await store.get("k")).toBe(2);
    });

    test("setTtl of a missing key does not create it", async () => {
      await store.setTtl("missing", 60);
      expect(await store.has("missing")).toBe(false);
    });

    test("a ttl of 0 or below is refused, and the store is unchanged", async () => {
      await expect(store.set("k", 1, { ttl: 0 })).rejects.toThrow();
      await expect(store.set("k", 1, { ttl: -5 })).rejects.toThrow();
      await store.set("k", 1);
      await expect(store.setTtl("k", 0)).rejects.toThrow();
      expect(await store.keys()).toEqual(["k"]);
      clock.advanceSeconds(3600);
      expect(await store.get("k")).toBe(1);
    });

    test("values that are not JSON are refused", async () => {
      const bad: unknown[] = [undefined, () => 1, new Map(), new Set([1]), Number.NaN, 10n];
      for (const value of bad) await expect(store.set("k", value as JsonValue)).rejects.toThrow();
      expect(await store.keys()).toEqual([]);
    });

    test("empty keys and keys that are not text are refused", async () => {
      await expect(store.set("", 1)).rejects.toThrow();
      await expect(store.get(42 as unknown as string)).rejects.toThrow();
    });

    test("for await yields every record exactly once, across many pages", async () => {
      const expected: Record<string, JsonValue> = {};
      for (let i = 0; i < 300; i++) expected[`key-${i}`] = { i };
      for (const [key, value] of Object.entries(expected)) await store.set(key, value);
      expect(await readAll()).toEqual(expected);
    });

    test("an empty store iterates to nothing", async () => {
      expect(await readAll()).toEqual({});
    });

    test("entries() is not part of the contract: the store does not offer it as documented API", () => {
      const maybeEntries = (store as unknown as { entries?: () => unknown }).entries;
      if (maybeEntries !== undefined) expect(() => maybeEntries.call(store)).toThrow(/not documented/);
    });
  });
}
