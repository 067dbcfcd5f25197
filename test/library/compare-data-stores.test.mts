/**
 * compareDataStores: the result against a plain model over random stores, the lists cut at
 * `limit` across many trims, key order ignored, and its own argument checks.
 */
import { describe, expect, test } from "@jest/globals";
import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { InvalidArgumentError } from "../../lib/errors.mjs";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { canonicalDigest, compareDataStores } from "../../lib/compare/compare-data-stores.mjs";
import { isInternalKey } from "../../lib/store/reserved-keys.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";

async function storeOf(records: readonly (readonly [string, JsonValue])[], pageSize = 128): Promise<DataStore> {
  const { store } = createFakeDataStore({ pageSize });
  for (const [key, value] of records) await store.set(key, value);
  return store;
}

/** Deep equality where object key order does not count: what "unchanged" means. */
function sameJson(a: JsonValue, b: JsonValue): boolean {
  const sort = (value: JsonValue): JsonValue =>
    Array.isArray(value)
      ? value.map(sort)
      : value !== null && typeof value === "object"
        ? Object.fromEntries(Object.keys(value).sort().map((key) => [key, sort(value[key]!)]))
        : value;
  return isDeepStrictEqual(sort(a), sort(b));
}

const byKey = <T extends { key: string }>(a: T, b: T) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

describe("compareDataStores", () => {
  const key = fc.oneof(fc.string({ minLength: 1, maxLength: 4 }), fc.constantFrom("__proto__", "constructor", "__dskit:limit:x", "user:1", "user:2"));
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<JsonValue>, fc.constantFrom<JsonValue>(0, false, "", null, { a: 1, b: 2 }, { b: 2, a: 1 }));
  const records = fc.uniqueArray(fc.tuple(key, value), { selector: ([name]) => name, maxLength: 40 });

  test("equals a plain model of the two stores, with any limit, prefix and page size (200 random runs)", async () => {
    await fc.assert(
      fc.asyncProperty(records, records, fc.integer({ min: 1, max: 8 }), fc.constantFrom("", "user:", "_"), fc.integer({ min: 1, max: 9 }), async (mine, theirs, limit, prefix, pageSize) => {
        const here = await storeOf(mine, pageSize);
        const other = await storeOf(theirs, pageSize);
        const result = await compareDataStores(here, other, { limit, prefix });

        const wanted = ([name]: readonly [string, JsonValue]) => name.startsWith(prefix) && !isInternalKey(name);
        const a = new Map(mine.filter(wanted).map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as JsonValue]));
        const b = new Map(theirs.filter(wanted).map(([k, v]) => [k, JSON.parse(JSON.stringify(v)) as JsonValue]));
        const onlyHere = [...a].filter(([k]) => !b.has(k)).map(([k, v]) => ({ key: k, value: v })).sort(byKey);
        const onlyInOther = [...b].filter(([k]) => !a.has(k)).map(([k, v]) => ({ key: k, value: v })).sort(byKey);
        const both = [...a].filter(([k]) => b.has(k));
        const changed = both.filter(([k, v]) => !sameJson(v, b.get(k)!)).map(([k, v]) => ({ key: k, value: v, otherValue: b.get(k)! })).sort(byKey);

        expect(result.onlyHere).toEqual(onlyHere.slice(0, limit));
        expect(result.onlyInOther).toEqual(onlyInOther.slice(0, limit));
        expect(result.changed).toEqual(changed.slice(0, limit));
        expect(result.unchanged).toBe(both.length - changed.length);
        expect(result.counts).toEqual({ onlyHere: onlyHere.length, onlyInOther: onlyInOther.length, changed: changed.length, unchanged: both.length - changed.length });
        expect(result.truncated).toBe(onlyHere.length > limit || onlyInOther.length > limit || changed.length > limit);
      }),
      { numRuns: 200, seed: 20_261_201 },
    );
  });

  test("keeps the first entries by key when the other store's list is trimmed many times over", async () => {
    // 500 keys in reverse order, limit 3: the list is trimmed every 6 entries and must still end with the smallest keys.
    const keys = Array.from({ length: 500 }, (_, i) => `k${String(499 - i).padStart(3, "0")}`);
    const other = await storeOf(keys.map((name) => [name, name === "k250" ? 0 : 1]));
    const here = await storeOf(keys.filter((_, i) => i % 2 === 0).map((name) => [name, 2]));
    const result = await compareDataStores(here, other, { limit: 3 });
    expect(result.onlyInOther.map(({ key: name }) => name)).toEqual(["k000", "k002", "k004"]);
    expect(result.changed.map(({ key: name }) => name)).toEqual(["k001", "k003", "k005"]);
    expect(result.counts).toEqual({ onlyHere: 0, onlyInOther: 250, changed: 250, unchanged: 0 });
    expect(result.truncated).toBe(true);
  });

  test("canonicalDigest ignores object key order at any depth, and nothing else", () => {
    expect(canonicalDigest({ a: 1, b: { c: [1, { d: 2, e: 3 }], f: null } })).toBe(canonicalDigest({ b: { f: null, c: [1, { e: 3, d: 2 }] }, a: 1 }));
    expect(canonicalDigest(JSON.parse('{"__proto__":1,"a":2}') as JsonValue)).toBe(canonicalDigest(JSON.parse('{"a":2,"__proto__":1}') as JsonValue));
    expect(canonicalDigest(JSON.parse('{"__proto__":1}') as JsonValue)).not.toBe(canonicalDigest({}));
    expect(canonicalDigest([1, 2])).not.toBe(canonicalDigest([2, 1]));
    expect(canonicalDigest(0)).not.toBe(canonicalDigest(false));
    expect(canonicalDigest("")).not.toBe(canonicalDigest(null));
    expect(canonicalDigest("1")).not.toBe(canonicalDigest(1));
  });

  test.each([
    ["limit", { limit: 0 }, /limit must be a whole number/],
    ["limit", { limit: 1.5 }, /limit must be a whole number/],
    ["limit", { limit: "10" as unknown as number }, /limit must be a whole number/],
    ["prefix", { prefix: 5 as unknown as string }, /prefix must be text/],
  ])("refuses a bad %s with an InvalidArgumentError, before reading", async (argument, options, message) => {
    const { store, controls } = createFakeDataStore();
    const error = await compareDataStores(store, createFakeDataStore().store, options).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument, message: expect.stringMatching(message) });
    expect(controls.stats.total).toBe(0);
  });

  test("refuses an `other` that is not a data store", async () => {
    const { store } = createFakeDataStore();
    await expect(compareDataStores(store, { get: () => 1 } as unknown as DataStore)).rejects.toMatchObject({ name: "InvalidArgumentError", argument: "other" });
  });
});
