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
import { InvalidArgumentError, quote, StoredValueError } from "../errors.mjs";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { BUCKETS, bucketKey, type Bucket } from "./buckets.mjs";
import { addDecimals, sumDecimals } from "./decimal.mjs";
import { internalKeyPrefix } from "../store/reserved-keys.mjs";
import { writeRecord } from "../records/records.mjs";
import { checkNowMs } from "../store/time.mjs";
import { checkTtlSeconds } from "../store/ttl.mjs";

/**
 * The largest amount (and initial value) a counter takes, either sign: 2^53 - 1. Up to it every
 * whole number is exact, and no sum of such amounts can overflow to Infinity.
 */
export const MAX_COUNTER_AMOUNT = Number.MAX_SAFE_INTEGER;

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

/**
 * Adds `amount` (default 1) to the counter under `key` and returns the new total. An amount or
 * initial value that is not a finite number within ±MAX_COUNTER_AMOUNT is refused before the
 * store is touched, so a total never becomes Infinity or NaN: the base read from the store is a
 * finite JSON number, and adding amounts this small to it cannot overflow.
 */
export async function increment(store: DataStore, key: string, options: IncrementOptions = {}): Promise<CounterResult> {
  const amount = options.amount ?? 1;
  checkAmount(amount, "amount");
  if (options.initialValue !== undefined) checkAmount(options.initialValue, "initialValue");
  const counterKey = bucketKey(key, checkBucket(options.bucket), checkNowMs(options.nowMs));
  const ttlSeconds = checkTtlSeconds(options.ttlSeconds);
  const stored = await readBase(store, counterKey);
  const base = stored ?? options.initialValue ?? 0;
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
  if (options.initialValue !== undefined) checkAmount(options.initialValue, "initialValue");
  const counterKey = bucketKey(key, checkBucket(options.bucket), checkNowMs(options.nowMs));
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
  throw new StoredValueError(
    counterKey,
    "number",
    `The record ${quote(counterKey)} holds ${quote(stored)}, not a number, so it cannot be counted. ` +
      "Use another key, or delete the record first.",
  );
}

/**
 * Amounts of the parts of `counterKey` among `keys`: the text after a part key's last ":". A part
 * whose amount `increment` would not have written (not a number, or beyond MAX_COUNTER_AMOUNT)
 * is not ours and is skipped, so foreign keys cannot push the total to Infinity.
 */
function partAmounts(keys: readonly string[], counterKey: string): number[] {
  const prefix = internalKeyPrefix("counter", counterKey);
  return keys
    .filter((key) => key.startsWith(prefix))
    .map((key) => Number(key.slice(key.lastIndexOf(":") + 1)))
    .filter((amount) => Number.isFinite(amount) && Math.abs(amount) <= MAX_COUNTER_AMOUNT);
}

function checkAmount(value: number, argument: "amount" | "initialValue"): void {
  if (typeof value !== "number" || !Number.isFinite(value) || Math.abs(value) > MAX_COUNTER_AMOUNT) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be a finite number from -${MAX_COUNTER_AMOUNT} to ${MAX_COUNTER_AMOUNT}; got ${quote(value)}.`,
    );
  }
}

function checkBucket(bucket: Bucket | undefined): Bucket {
  if (bucket === undefined) return "none";
  if (!(BUCKETS as readonly unknown[]).includes(bucket)) {
    throw new InvalidArgumentError("bucket", `bucket must be one of ${BUCKETS.join(", ")}; got ${quote(bucket)}.`);
  }
  return bucket;
}
