/**
 * What concurrency-safe mode costs on a big store: a concurrency-safe counter (and limiter) reads
 * every key of the store with `keys()` on every call, so its cost grows with the store, not with
 * the counter. Measured with the real actions through the runtime, one call after another, on the
 * in-memory store with the export benchmark's latency model (a base per request plus a cost per KB
 * carried), beside default mode, and beside the same counter on a data store of its own.
 */
import incrementCounter from "../actions/increment-counter/increment-counter.mjs";
import rateLimitAction from "../actions/rate-limit/rate-limit.mjs";
import type { DataStore } from "../lib/store/data-store.mjs";
import { runAction } from "../runtime/run-action.mjs";
import { createFakeDataStore, type FakeDataStoreControls } from "../stores/memory-data-store.mjs";

/** The export benchmark's model: 5 ms a request, 10 µs per KB (about 100 MB/s). */
const LATENCY_MS = 5;
const TRANSFER_MS_PER_KB = 0.01;
/** Other records in the store besides the counter's own; 0 is a data store of its own. */
const STORE_SIZES = [0, 1_000, 10_000, 100_000];
/** 32-character keys, as the sources benchmark uses. */
const keyOf = (index: number): string => `customer:${String(index).padStart(23, "0")}`;
const CALLS = 20;

interface Scenario {
  label: string;
  mode: "default" | "concurrencySafe";
  call(store: DataStore): Promise<unknown>;
}

const SCENARIOS: Scenario[] = [
  { label: "increment-counter", mode: "default", call: (store) => runAction(incrementCounter, { dataStore: store, key: "signups", concurrencySafe: false }) },
  { label: "increment-counter", mode: "concurrencySafe", call: (store) => runAction(incrementCounter, { dataStore: store, key: "signups", concurrencySafe: true }) },
  {
    label: "rate-limit fixed-window",
    mode: "concurrencySafe",
    call: (store) =>
      runAction(rateLimitAction, { dataStore: store, key: "api", limit: 1_000, windowSeconds: 3600, whenLimited: "continue", concurrencySafe: true }),
  },
];

/** A store holding `size` records of about 60 bytes each, filled without latency. */
async function filledStore(size: number): Promise<{ store: DataStore; controls: FakeDataStoreControls }> {
  const fake = createFakeDataStore();
  for (let start = 0; start < size; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, size - start) }, (_, offset) => start + offset);
    await Promise.all(batch.map((index) => fake.store.set(keyOf(index), { plan: "pro", visits: index })));
  }
  fake.controls.setLatency(LATENCY_MS, 0, TRANSFER_MS_PER_KB);
  fake.controls.resetStats();
  return fake;
}

/** KB with the digits that matter: 0.04 for a get, 3,126 for a keys() of 100,000. */
function kilobytes(bytes: number): string {
  const kb = bytes / 1024;
  return kb < 10 ? kb.toFixed(2) : Math.round(kb).toLocaleString("en-US");
}

async function row(size: number, scenario: Scenario): Promise<string> {
  const { store, controls } = await filledStore(size);
  const started = performance.now();
  for (let call = 0; call < CALLS; call++) await scenario.call(store);
  const perCall = (total: number) => total / CALLS;
  const { total, keysTransferred, bytesTransferred } = controls.stats;
  const sizeLabel = size === 0 ? "0 (its own store)" : size.toLocaleString("en-US");
  return (
    `| ${sizeLabel} | ${scenario.label} | ${scenario.mode} | ${perCall(performance.now() - started).toFixed(1)} | ${perCall(total).toFixed(2)} | ` +
    `${Math.round(perCall(keysTransferred)).toLocaleString("en-US")} | ${kilobytes(perCall(bytesTransferred))} |`
  );
}

export async function runCountersBenchmark(): Promise<string> {
  const rows: string[] = [];
  for (const size of STORE_SIZES) for (const scenario of SCENARIOS) rows.push(await row(size, scenario));
  return [
    `${CALLS} calls one after another per row; store latency ${LATENCY_MS} ms per request + ${TRANSFER_MS_PER_KB} ms per KB of keys and values carried;`,
    "other records: 32-character keys, small JSON values. Time includes the store's own work of listing the keys.",
    "",
    "| other records in the store | action | mode | ms per call | round trips per call | keys transferred per call | KB transferred per call |",
    "|---|---|---|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}
