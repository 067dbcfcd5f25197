/**
 * Sources: one poll of each record source on stores of 1,000, 10,000 and 100,000 records (keys of
 * 32 characters, small values) after 1% of records were created, 1% changed and 1% deleted,
 * beside Pipedream's official update-in-datastore approach (`keys()`, then one sequential `get`
 * per key), at the same latency model. The store is filled and the baseline taken at zero latency;
 * only the poll is timed. The official approach at 100,000 records would take minutes, so that row
 * is computed from the model (requests × their latency), not measured, and says so.
 */
import type { JsonValue } from "../lib/store/data-store.mjs";
import { pollChanges, recordBaseline, type WatchKind } from "../lib/watch/watch-records.mjs";
import { createFakeDataStore, requestBytes, requestLatencyMs } from "../stores/memory-data-store.mjs";
import { MemorySourceDb } from "../stores/memory-source-db.mjs";

const STORE_LATENCY_MS = 5;
const TRANSFER_MS_PER_KB = 0.01;
const MODEL = { latencyMs: STORE_LATENCY_MS, transferMsPerKb: TRANSFER_MS_PER_KB };
const SIZES = [1_000, 10_000, 100_000];
const MEASURED_OFFICIAL_MAX = 10_000;
const SOURCES: [string, WatchKind][] = [
  ["New Record", "created"],
  ["New or Updated Record", "created-or-updated"],
  ["New Deleted Record", "deleted"],
];

const key32 = (index: number, prefix = "key-") => prefix + String(index).padStart(32 - prefix.length, "0");
const valueOf = (index: number): JsonValue => ({ n: index, note: "some value" });

/** A store of `count` records with 1% deleted, 1% changed and 1% created since `baseline` ran on it. */
async function changedStore(count: number, baseline?: (fake: ReturnType<typeof createFakeDataStore>) => Promise<void>) {
  const fake = createFakeDataStore();
  for (let i = 0; i < count; i++) await fake.store.set(key32(i), valueOf(i));
  await baseline?.(fake);
  const onePercent = count / 100;
  for (let i = 0; i < onePercent; i++) {
    await fake.store.delete(key32(i));
    await fake.store.set(key32(onePercent + i), { changed: i });
    await fake.store.set(key32(i, "new-"), valueOf(i));
  }
  fake.controls.resetStats();
  fake.controls.setLatency(STORE_LATENCY_MS, 0, TRANSFER_MS_PER_KB);
  return fake;
}

interface Row {
  source: string;
  records: number;
  events: number;
  ms: number;
  operations: number;
  kb: number;
  note: string;
}

async function ours(name: string, kind: WatchKind, count: number): Promise<Row> {
  const db = new MemorySourceDb();
  const fake = await changedStore(count, async ({ store }) => void (await recordBaseline(store, db, kind)));
  let events = 0;
  const started = performance.now();
  await pollChanges(fake.store, db, kind, () => void events++);
  const ms = performance.now() - started;
  const { total, bytesTransferred } = fake.controls.stats;
  return { source: name, records: count, events, ms, operations: total, kb: bytesTransferred / 1024, note: "measured" };
}

/** The official update-in-datastore: keys(), then a `get` per key, one after another (it compares with values in $.service.db). */
async function official(count: number): Promise<Row> {
  if (count > MEASURED_OFFICIAL_MAX) {
    // Computed: the same requests, each charged by the same model, one after another.
    const keys = count; // 1% deleted and 1% created: as many keys as before
    const keysBytes = keys * 32;
    const valueBytes = JSON.stringify(valueOf(count)).length;
    const ms = requestLatencyMs(MODEL, keysBytes) + keys * requestLatencyMs(MODEL, requestBytes(key32(0), "x".repeat(valueBytes)));
    return { source: "official update-in-datastore", records: count, events: (count / 100) * 2, ms, operations: keys + 1, kb: (keysBytes + keys * (32 + valueBytes)) / 1024, note: "computed from the model" };
  }
  const fake = await changedStore(count);
  const started = performance.now();
  const keys = await fake.store.keys();
  for (const key of keys) await fake.store.get(key);
  const ms = performance.now() - started;
  const { total, bytesTransferred } = fake.controls.stats;
  return { source: "official update-in-datastore", records: count, events: (count / 100) * 2, ms, operations: total, kb: bytesTransferred / 1024, note: "measured" };
}

/** The Markdown table of every row. */
export async function runSourcesBenchmark(): Promise<string> {
  const rows: Row[] = [];
  for (const count of SIZES) {
    for (const [name, kind] of SOURCES) rows.push(await ours(name, kind, count));
    rows.push(await official(count));
  }
  const lines = [
    `One poll after 1% of records were created, 1% changed and 1% deleted (keys of 32 characters, values of about 30 bytes). ` +
      `Store latency model: ${STORE_LATENCY_MS} ms per request plus ${TRANSFER_MS_PER_KB * 1000} µs per KB of keys and values it carries, no jitter. ` +
      `Ours keeps its state in the store (records of at most 50 KB) and reads and writes 10 requests at a time; the official approach ` +
      `gets every key one after another (and keeps every value in $.service.db, which fails past 60 KB: left out here). ` +
      `Its 100,000 row is computed from the model, not measured (it would take about ${Math.round((100_000 * STORE_LATENCY_MS) / 1000)} s).`,
    "",
    "| source | records | events | poll time | store operations | KB carried | |",
    "|---|---:|---:|---:|---:|---:|---|",
    ...rows.map(
      (row) =>
        `| ${row.source} | ${row.records.toLocaleString("en-US")} | ${row.events.toLocaleString("en-US")} | ${(row.ms / 1000).toFixed(2)} s | ` +
        `${row.operations.toLocaleString("en-US")} | ${Math.round(row.kb).toLocaleString("en-US")} | ${row.note} |`,
    ),
  ];
  return lines.join("\n");
}
