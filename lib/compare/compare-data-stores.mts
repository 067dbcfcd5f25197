/**
 * Comparing two data stores: the records only one of them holds, the keys whose values differ,
 * and how many are the same. Each store is read once with `for await` (one request per page of
 * records); no `get`, no `keys()`.
 *
 * Memory. A value can only be judged once both sides are known, and the store has no batch read,
 * so one store must be held while the other is read. What is held:
 * - of `here` (read first): every record in scope, as its JSON text (a fraction of the memory of
 *   the parsed value) and a 128-bit digest of its canonical JSON; an entry is released as soon as
 *   `other` shows its key, so what is left at the end is `here`'s records missing from `other`;
 * - of `other` (streamed): nothing but the entries that may be returned, the first `limit` by key
 *   of `onlyInOther` and of `changed` (at most 2 × limit of each between trims).
 * A store written to during the comparison may give a mixed picture, as any paged read does.
 */
import { createHash } from "node:crypto";
import { InvalidArgumentError, quote } from "../errors.mjs";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import type { ListedRecord } from "../records/list-records.mjs";
import { keyFilter } from "../records/list-records.mjs";
import { isDataStore } from "../copy/store-pair.mjs";

/** How many entries each list returns when no `limit` is given. */
export const COMPARE_DEFAULT_LIMIT = 1000;

export interface CompareOptions {
  /** Only keys that start with this text; empty for all. The package's `__dskit:` records are never compared. */
  prefix?: string;
  /** The most entries returned in each list, a whole number of 1 or more (default 1000); the counts cover all. */
  limit?: number;
}

/** A key in both stores whose values differ: `value` is here, `otherValue` in the other store. */
export interface ChangedRecord {
  key: string;
  value: JsonValue;
  otherValue: JsonValue;
}

export interface CompareResult {
  /** Records only in `here`, sorted by key, at most `limit`. */
  onlyHere: ListedRecord[];
  /** Records only in `other`, sorted by key, at most `limit`. */
  onlyInOther: ListedRecord[];
  /** Keys in both with different values (JSON equality, object key order ignored), sorted by key, at most `limit`. */
  changed: ChangedRecord[];
  /** How many keys hold equal values in both. */
  unchanged: number;
  /** Whether any list was cut at `limit`. */
  truncated: boolean;
}

/** The result with every list's full count, cut or not. */
export interface CompareReport extends CompareResult {
  counts: { onlyHere: number; onlyInOther: number; changed: number; unchanged: number };
}

/** A record of `here` while `other` is read: its JSON text and canonical digest. */
interface HeldRecord {
  json: string;
  digest: string;
}

/**
 * Compares the user records of `here` with those of `other` (keys starting with `prefix`),
 * reading each once. Equality is JSON equality with object key order ignored (`{"a":1,"b":2}`
 * equals `{"b":2,"a":1}`); falsy values are values like any other.
 */
export async function compareDataStores(here: DataStore, other: DataStore, options: CompareOptions = {}): Promise<CompareReport> {
  if (!isDataStore(here)) throw new InvalidArgumentError("here", `here must be a data store; got ${quote(here)}.`);
  if (!isDataStore(other)) throw new InvalidArgumentError("other", `other must be a data store; got ${quote(other)}.`);
  const limit = checkLimit(options.limit);
  if (options.prefix !== undefined && typeof options.prefix !== "string") {
    throw new InvalidArgumentError("prefix", `prefix must be text; got ${quote(options.prefix)}.`);
  }
  const wanted = keyFilter({ prefix: options.prefix });

  const held = new Map<string, HeldRecord>();
  for await (const [key, value] of here) {
    if (wanted(key)) held.set(key, { json: JSON.stringify(value), digest: canonicalDigest(value) });
  }

  const onlyInOther = new FirstByKey<ListedRecord>(limit);
  const changed = new FirstByKey<{ key: string; json: string; otherValue: JsonValue }>(limit);
  let unchanged = 0;
  for await (const [key, otherValue] of other) {
    if (!wanted(key)) continue;
    const mine = held.get(key);
    if (mine === undefined) {
      onlyInOther.push({ key, value: otherValue });
      continue;
    }
    held.delete(key);
    if (canonicalDigest(otherValue) === mine.digest) unchanged += 1;
    else changed.push({ key, json: mine.json, otherValue });
  }

  const onlyHereKeys = [...held.keys()].sort(compareKeys);
  const result: CompareResult = {
    onlyHere: onlyHereKeys.slice(0, limit).map((key) => ({ key, value: JSON.parse(held.get(key)!.json) as JsonValue })),
    onlyInOther: onlyInOther.first(),
    changed: changed.first().map(({ key, json, otherValue }) => ({ key, value: JSON.parse(json) as JsonValue, otherValue })),
    unchanged,
    truncated: onlyHereKeys.length > limit || onlyInOther.count > limit || changed.count > limit,
  };
  return { ...result, counts: { onlyHere: onlyHereKeys.length, onlyInOther: onlyInOther.count, changed: changed.count, unchanged } };
}

function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return COMPARE_DEFAULT_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new InvalidArgumentError("limit", `limit must be a whole number of entries, 1 or more; got ${quote(limit)}.`);
  }
  return limit;
}

/**
 * A digest of `value`'s JSON with every object's keys sorted, so key order does not count.
 * 128 bits: a collision (a changed record reported unchanged) is not a practical concern, and
 * the held digests stay small.
 */
export function canonicalDigest(value: JsonValue): string {
  return createHash("sha256").update(JSON.stringify(value, sortedKeys)).digest("base64url").slice(0, 22);
}

/** JSON.stringify replacer: each object again with its keys in code-unit order (prototype-less, so `__proto__` stays a key). */
function sortedKeys(_key: string, value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(source).sort(compareKeys)) sorted[key] = source[key];
  return sorted;
}

/** Code-unit order, independent of locale (as List Records sorts). */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first `limit` items by key of any number pushed, holding at most 2 × limit at a time; counts them all. */
class FirstByKey<T extends { key: string }> {
  private items: T[] = [];
  count = 0;

  constructor(private readonly limit: number) {}

  push(item: T): void {
    this.count += 1;
    this.items.push(item);
    if (this.items.length >= 2 * this.limit) this.trim();
  }

  first(): T[] {
    this.trim();
    return this.items;
  }

  private trim(): void {
    this.items.sort((a, b) => compareKeys(a.key, b.key));
    if (this.items.length > this.limit) this.items.length = this.limit;
  }
}
