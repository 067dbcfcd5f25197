/**
 * Counters and sums over time. Two modes:
 * - default: read the record, add, write it back (2 round trips). Simple and visible in the
 *   dashboard, but two executions incrementing at the same moment can lose one increment.
 * - concurrency-safe: every increment writes a record of its own (a "part", whose key carries
 *   its amount) and the total is the counter record plus the sum of its parts, read with one
 *   `keys()` call. No read-modify-write, so no increment is lost. Cost: 3 round trips
 *   (get, set, keys), and one small record per increment until it expires: give such counters
 *   a bucket and a TTL so old parts go away.
 */
import { randomUUID } from "node:crypto";
import { ConfigurationError } from "@pipedream/platform";
import type { DataStore, JsonValue } from "./data-store.mjs";
import { bucketKey, type Bucket } from "./buckets.mjs";
import { addDecimals, sumDecimals } from "./decimal.mjs";
import { internalKeyPrefix } from "./internal-keys.mjs";
import { writeRecord } from "./records.mjs";
import { checkTtlSeconds } from "./ttl.mjs";

export interface CounterOptions {
  /** The value before the first increment. Default 0. */
  initialValue?: number;
  /** Count per UTC period under `<key>:<period>`. Default `none`. */
  bucket?: Bucket;
  /** Lose no increment under concurrency (see the module comment). Default false. */
  concurrencySafe?: boolean;
  /** The time that picks the bucket, in ms since the epoch. Default now. */
  nowMs?: number;
}

export interface IncrementOptions extends CounterOptions {
  /** Added to the counter; negative and decimal amounts work. Default 1. */
  amount?: number;
  /**
   * Expiry in seconds; null for none. Default mode: the counter expires this long after its last
   * change. Concurrency-safe mode: each increment expires on its own, so the total is the sum
   * of the increments of the last `ttlSeconds` (plus the counter record, if any).
   */
  ttlSeconds?: number | null;
}

export interface CounterResult {
  /** The key actually counted: the key, or `<key>:<period>` with a bucket. */
  key: string;
  /** The total after this increment. */
  value: number;
  /** The total before it. */
  previous: number;
}

/** Adds `amount` (default 1) to the counter under `key` and returns the new total. */
export async function increment(store: DataStore, key: string, options: IncrementOptions = {}): Promise<CounterResult> {
  const amount = options.amount ?? 1;
  checkFinite(amount, "The amount");
  const counterKey = bucketKey(key, options.bucket ?? "none", options.nowMs ?? Date.now());
  const stored = await readBase(store, counterKey);
  const base = stored ?? options.initialValue ?? 0;
  checkFinite(base, "The initial value");
  const ttlSeconds = checkTtlSeconds(options.ttlSeconds);
  if (!options.concurrencySafe) {
    const value = addDecimals(base, amount);
    await writeRecord(store, { key: counterKey, value, ttlSeconds }, stored !== undefined);
    return { key: counterKey, value, previous: base };
  }
  const partKey = `${internalKeyPrefix("counter", counterKey)}${randomUUID()}:${amount}`;
  await store.set(partKey, amount, ttlSeconds === null ? undefined : { ttl: ttlSeconds });
  const value = sumDecimals(partAmounts(await store.keys(), counterKey), base);
  return { key: counterKey, value, previous: addDecimals(value, -amount) };
}

/** The counter's current total, without changing it: 1 round trip, 2 in concurrency-safe mode. */
export async function readCounter(store: DataStore, key: string, options: CounterOptions = {}): Promise<number> {
  const counterKey = bucketKey(key, options.bucket ?? "none", options.nowMs ?? Date.now());
  const [stored, keys] = await Promise.all([
    readBase(store, counterKey),
    options.concurrencySafe ? store.keys() : Promise.resolve([]),
  ]);
  return sumDecimals(partAmounts(keys, counterKey), stored ?? options.initialValue ?? 0);
}

/** The counter record's number, undefined when missing; anything else is refused. */
async function readBase(store: DataStore, counterKey: string): Promise<number | undefined> {
  const stored: JsonValue | undefined = await store.get(counterKey);
  if (stored === undefined || typeof stored === "number") return stored;
  throw new ConfigurationError(
    `The record "${counterKey}" holds ${JSON.stringify(stored)}, not a number, so it cannot be counted. ` +
      "Use another key, or delete the record first.",
  );
}

/** Amounts of the parts of `counterKey` among `keys`: the text after a part key's last ":". */
function partAmounts(keys: readonly string[], counterKey: string): number[] {
  const prefix = internalKeyPrefix("counter", counterKey);
  return keys
    .filter((key) => key.startsWith(prefix))
    .map((key) => Number(key.slice(key.lastIndexOf(":") + 1)))
    .filter(Number.isFinite);
}

function checkFinite(value: number, what: string): void {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new ConfigurationError(`${what} must be a finite number; got ${String(value)}.`);
  }
}
