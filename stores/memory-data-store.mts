/**
 * An in-memory data store that behaves as Pipedream documents its data stores, and refuses what
 * the documentation does not promise (a ttl of 0, `entries()`, values that are not JSON), so no
 * component comes to depend on it. Where the documentation is silent, the fake picks the
 * behaviour that punishes relying on it: `set` without a ttl keeps an earlier expiry.
 *
 * `createFakeDataStore` returns the store (only the documented surface, as the platform hands
 * it to a component) and the controls tests and benchmarks use: operation counts, latency with
 * jitter, injected failures, the peak number of operations in flight, and a view of the records.
 *
 * Latency model: each request waits its base latency (plus jitter), is applied, then waits
 * `transferMsPerKb` per KB it carried (requestBytes: keys and value JSON, 1 KB = 1,024 characters),
 * so `keys()` of 10,000 keys and a page of 128 records cost more than a `get`.
 */
import type { DataStore, JsonValue, SetOptions } from "../lib/store/data-store.mjs";
import { checkKey, checkTtl, dataStoreJson } from "./checks.mjs";
import { seededRandom } from "./random.mjs";

export type OperationKind = "get" | "set" | "setTtl" | "has" | "delete" | "keys" | "clear" | "page";

export interface FakeDataStoreOptions {
  /** The clock that TTLs are measured against, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Base latency of every operation, in ms. Default 0 (still asynchronous). */
  latencyMs?: number;
  /** Extra random latency of up to this many ms per operation, so concurrent calls interleave. */
  jitterMs?: number;
  /** Extra latency per KB of keys and value JSON a request carries, in ms. Default 0. */
  transferMsPerKb?: number;
  /** Seed of the jitter, for repeatable runs. */
  seed?: number;
  /** Records per page of the async iterator (the platform pages at 128). */
  pageSize?: number;
}

export interface OperationCall {
  op: OperationKind;
  key?: string;
}

export interface FakeDataStoreStats {
  /** Operations by kind; one iterator page counts as one `page` operation. */
  calls: Record<OperationKind, number>;
  /** All operations: the round trips the platform would make. */
  total: number;
  /** Keys sent back by `keys()` and by iterator pages. */
  keysTransferred: number;
  /** Characters of keys and value JSON carried by all requests (see requestBytes). */
  bytesTransferred: number;
  inFlight: number;
  peakInFlight: number;
}

export interface StoredRecord {
  key: string;
  value: JsonValue;
  /** When the platform would delete it, in ms since the epoch; null for no expiry. */
  expiresAt: number | null;
}

export interface FakeDataStoreControls {
  readonly stats: FakeDataStoreStats;
  resetStats(): void;
  /** Makes every operation for which `predicate` is true fail, as an outage would; null to stop. */
  failWhen(predicate: ((call: OperationCall) => boolean) | null): void;
  /** Sets the latency model: base and jitter per request in ms (jitter default 0), ms per KB carried (default 0). */
  setLatency(latencyMs: number, jitterMs?: number, transferMsPerKb?: number): void;
  /** Live records sorted by key, read without counting an operation. */
  records(): StoredRecord[];
}

/** The error an injected failure throws, like a data store request that did not go through. */
export class DataStoreOutageError extends Error {
  constructor(readonly call: OperationCall) {
    super(`Data store request failed (injected): ${call.op}${call.key === undefined ? "" : ` "${call.key}"`}`);
    this.name = "DataStoreOutageError";
  }
}

/** What one request carries, in characters (about bytes for ASCII): its key, or a record's key and value JSON. */
export function requestBytes(key: string, valueJson = ""): number {
  return key.length + valueJson.length;
}

/** The time the latency model charges a request that carries `bytes` (without jitter), in ms. */
export function requestLatencyMs(model: { latencyMs: number; transferMsPerKb: number }, bytes: number): number {
  return model.latencyMs + (bytes / 1024) * model.transferMsPerKb;
}

interface Entry {
  json: string;
  expiresAt: number | null;
}

export function createFakeDataStore(options: FakeDataStoreOptions = {}): {
  store: DataStore;
  controls: FakeDataStoreControls;
} {
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 128;
  const random = seededRandom(options.seed ?? 1);
  const dither = seededRandom((options.seed ?? 1) + 1); // its own stream: jitter stays as it was for a given seed
  let latencyMs = options.latencyMs ?? 0;
  let jitterMs = options.jitterMs ?? 0;
  let transferMsPerKb = options.transferMsPerKb ?? 0;
  let failure: ((call: OperationCall) => boolean) | null = null;
  const entries = new Map<string, Entry>(); // insertion order, which the iterator pages through
  const stats = emptyStats();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= now()) {
      entries.delete(key);
      deletions += 1;
      return undefined;
    }
    return entry;
  };
  const liveKeys = (): string[] => [...entries.keys()].filter((key) => live(key) !== undefined);
  // Deletions (and expiries) shift the positions of later records; appends and updates do not.
  let deletions = 0;
  let cursor: { deletions: number; offset: number; keys: Iterator<string> } | undefined;
  /**
   * The live keys at positions offset … offset + pageSize. A page that follows the previous one
   * with no deletion in between resumes where it stopped; otherwise it counts from the start,
   * which is what makes deleting while iterating skip records.
   */
  const livePage = (offset: number): string[] => {
    let position = 0;
    let keys: Iterator<string> = entries.keys();
    if (offset > 0 && cursor?.deletions === deletions && cursor.offset === offset) ({ keys, offset: position } = cursor);
    const page: string[] = [];
    let exhausted = false;
    while (page.length < pageSize) {
      const next = keys.next();
      if (next.done) {
        exhausted = true; // a finished Map iterator stays finished, even when records are added later
        break;
      }
      if (live(next.value) === undefined || position++ < offset) continue;
      page.push(next.value);
    }
    cursor = exhausted ? undefined : { deletions, offset: offset + page.length, keys };
    return page;
  };

  /**
   * Waits `ms`. Timers run in whole ms, so a fraction rounds up or down at random (sub-ms costs
   * add up right on average); a wait that rounds to 0 sets no timer, which would take 1 ms.
   */
  const wait = (ms: number): Promise<void> => {
    const wholeMs = Math.floor(ms) + (dither() < ms % 1 ? 1 : 0);
    return wholeMs === 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, wholeMs));
  };

  /**
   * One round trip: counted, delayed by the base latency, possibly failed, applied, then delayed
   * by what it carried (`bytesOf` its result).
   */
  async function operation<T>(call: OperationCall, apply: () => T, bytesOf: (result: T) => number = () => 0): Promise<T> {
    stats.calls[call.op] += 1;
    stats.total += 1;
    stats.inFlight += 1;
    stats.peakInFlight = Math.max(stats.peakInFlight, stats.inFlight);
    try {
      const delayMs = latencyMs + random() * jitterMs;
      await (delayMs > 0 ? wait(delayMs) : Promise.resolve());
      if (failure?.(call)) throw new DataStoreOutageError(call);
      const result = apply();
      const bytes = bytesOf(result);
      stats.bytesTransferred += bytes;
      const transferMs = (bytes / 1024) * transferMsPerKb;
      if (transferMs > 0) await wait(transferMs);
      return result;
    } finally {
      stats.inFlight -= 1;
    }
  }

  const store: DataStore & { entries(): never } = {
    async get(key) {
      checkKey(key);
      let json: string | undefined;
      return operation(
        { op: "get", key },
        () => {
          json = live(key)?.json;
          return json === undefined ? undefined : (JSON.parse(json) as JsonValue);
        },
        () => requestBytes(key, json),
      );
    },
    async set(key, value, setOptions?: SetOptions) {
      checkKey(key);
      const json = dataStoreJson(value);
      const ttl = setOptions?.ttl;
      if (ttl !== undefined) checkTtl(ttl);
      return operation(
        { op: "set", key },
        () => {
          const expiresAt = ttl !== undefined ? now() + ttl * 1000 : (live(key)?.expiresAt ?? null);
          entries.set(key, { json, expiresAt });
        },
        () => requestBytes(key, json),
      );
    },
    async setTtl(key, seconds) {
      checkKey(key);
      if (seconds !== null) checkTtl(seconds);
      return operation(
        { op: "setTtl", key },
        () => {
          const entry = live(key);
          if (entry) entry.expiresAt = seconds === null ? null : now() + seconds * 1000;
        },
        () => requestBytes(key),
      );
    },
    async has(key) {
      checkKey(key);
      return operation({ op: "has", key }, () => live(key) !== undefined, () => requestBytes(key));
    },
    async delete(key) {
      checkKey(key);
      return operation(
        { op: "delete", key },
        () => {
          if (entries.delete(key)) deletions += 1;
        },
        () => requestBytes(key),
      );
    },
    async keys() {
      return operation(
        { op: "keys" },
        () => {
          const keys = liveKeys();
          stats.keysTransferred += keys.length;
          return keys;
        },
        (keys) => keys.reduce((sum, key) => sum + requestBytes(key), 0),
      );
    },
    async clear() {
      return operation({ op: "clear" }, () => {
        entries.clear();
        deletions += 1;
      });
    },
    // Pages by position, as a cursor over a changing list would: deleting records while
    // iterating shifts later records back and the next page skips them, so don't.
    async *[Symbol.asyncIterator]() {
      for (let offset = 0; ; offset += pageSize) {
        let bytes = 0;
        const page = await operation(
          { op: "page" },
          () => {
            const records = livePage(offset).map((key): [string, JsonValue] => {
              const { json } = entries.get(key)!;
              bytes += requestBytes(key, json);
              return [key, JSON.parse(json) as JsonValue];
            });
            stats.keysTransferred += records.length;
            return records;
          },
          () => bytes,
        );
        yield* page;
        if (page.length < pageSize) return;
      }
    },
    entries(): never {
      throw new Error("entries() is not documented by Pipedream; iterate the store with for await instead.");
    },
  };

  const controls: FakeDataStoreControls = {
    stats,
    resetStats() {
      Object.assign(stats, emptyStats(), { inFlight: stats.inFlight });
    },
    failWhen(predicate) {
      failure = predicate;
    },
    setLatency(newLatencyMs, newJitterMs = 0, newTransferMsPerKb = 0) {
      latencyMs = newLatencyMs;
      jitterMs = newJitterMs;
      transferMsPerKb = newTransferMsPerKb;
    },
    records() {
      return liveKeys()
        .sort()
        .map((key) => {
          const entry = entries.get(key)!;
          return { key, value: JSON.parse(entry.json) as JsonValue, expiresAt: entry.expiresAt };
        });
    },
  };
  return { store, controls };
}

function emptyStats(): FakeDataStoreStats {
  const calls = { get: 0, set: 0, setTtl: 0, has: 0, delete: 0, keys: 0, clear: 0, page: 0 };
  return { calls, total: 0, keysTransferred: 0, bytesTransferred: 0, inFlight: 0, peakInFlight: 0 };
}
