/**
 * The export, measured honestly: ours and the docs' example on the same store, latency model and
 * loopback receiver, each beside the round-trip bound of its own requests. Memory is measured in
 * a separate run (runExportMemoryBenchmark), so forced collections never touch a timed run.
 *
 * Latency model (the in-memory store's): each request waits STORE_LATENCY_MS, then
 * TRANSFER_MS_PER_KB per KB of keys and value JSON it carried. No jitter: runs repeat.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { axios } from "@pipedream/platform";
import exportAction from "../actions/export-records/export-records.mjs";
import type { DataStore, JsonValue } from "../lib/store/data-store.mjs";
import { createFakeDataStore, requestBytes, requestLatencyMs } from "../stores/memory-data-store.mjs";
import { runAction } from "../runtime/run-action.mjs";

const STORE_LATENCY_MS = 5;
/** 10 µs per KB, about 100 MB/s: a fast link. */
const TRANSFER_MS_PER_KB = 0.01;
const MODEL = { latencyMs: STORE_LATENCY_MS, transferMsPerKb: TRANSFER_MS_PER_KB };
const PAGE_SIZE = 128;
const CHUNK_SIZE = 100;
const RECORDS = 10_000;
const MEMORY_RECORDS = 100_000;
/** The action's default for deletes in flight, and the docs' example's: one Promise.all per chunk. */
const OUR_CONCURRENCY = 20;
const DOCS_CONCURRENCY = CHUNK_SIZE;

/** A receiver that acknowledges every chunk and counts distinct keys (or only records, to keep its heap flat). */
async function startReceiver(trackKeys: boolean): Promise<{ url: string; delivered(): number; server: Server }> {
  const keys = new Set<string>();
  let records = 0;
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      const chunk = JSON.parse(Buffer.concat(parts).toString("utf8")) as { key: string }[];
      records += chunk.length;
      if (trackKeys) for (const { key } of chunk) keys.add(key);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`;
  return { url, delivered: () => (trackKeys ? keys.size : records), server };
}

/** The same record for the same i: a 12-character key and about 1 KB of JSON. */
const keyAt = (i: number) => `order:${String(i).padStart(6, "0")}`;
function recordAt(i: number): [string, JsonValue] {
  return [keyAt(i), { id: i, total: i * 1.5, note: "x".repeat(960) }];
}

/** Bytes each request of record i carries: with its value (pages, gets), or its key alone (deletes). */
const recordBytes = (i: number) => {
  const [key, value] = recordAt(i);
  return requestBytes(key, JSON.stringify(value));
};
const keyBytes = (i: number) => requestBytes(keyAt(i));

async function fillStore(records: number) {
  const fake = createFakeDataStore({ pageSize: PAGE_SIZE });
  for (let i = 0; i < records; i++) await fake.store.set(...recordAt(i));
  fake.controls.resetStats();
  fake.controls.setLatency(STORE_LATENCY_MS, 0, TRANSFER_MS_PER_KB);
  return fake;
}

// Round-trip bounds: the time the latency model charges for a side's requests when each waits only
// for those it depends on, with the side's own concurrency. The receiver is not counted.

/** One `for await` pass: sequential pages of PAGE_SIZE, the last one short (maybe empty). */
function passBoundMs(records: number): number {
  let total = 0;
  for (let first = 0; first <= records; first += PAGE_SIZE) {
    let bytes = 0;
    for (let i = first; i < Math.min(records, first + PAGE_SIZE); i++) bytes += recordBytes(i);
    total += requestLatencyMs(MODEL, bytes);
  }
  return total;
}

/** `count` requests of `bytesEach`, `concurrency` at a time. */
function roundsBoundMs(count: number, concurrency: number, bytesEach: number): number {
  return Math.ceil(count / concurrency) * requestLatencyMs(MODEL, bytesEach);
}

/** Ours with deletion: the export pass, the verify pass, then the deletes. */
const oursBoundMs = (records: number, concurrency: number, deleteAfterExport: boolean) =>
  deleteAfterExport ? 2 * passBoundMs(records) + roundsBoundMs(records, concurrency, keyBytes(0)) : passBoundMs(records);

/** The docs' example: per chunk a keys() of every key left, the chunk's gets at once, its deletes at once; a last empty keys(). */
function docsBoundMs(records: number): number {
  let total = 0;
  for (let left = records; left > 0; left -= CHUNK_SIZE) {
    let keysBytes = 0;
    for (let i = records - left; i < records; i++) keysBytes += keyBytes(i);
    const chunk = Math.min(CHUNK_SIZE, left);
    total += requestLatencyMs(MODEL, keysBytes) + roundsBoundMs(chunk, DOCS_CONCURRENCY, recordBytes(0)) + roundsBoundMs(chunk, DOCS_CONCURRENCY, keyBytes(0));
  }
  return total + requestLatencyMs(MODEL, 0);
}

/**
 * The docs' example as written: list every key; for the first chunk of them get the values (all
 * at once), POST them, delete the chunk with one Promise.all; list the keys again; repeat until
 * none are left. A chunk that fails is logged and skipped (here: left out of later chunks).
 */
async function docsExampleExport(store: DataStore, url: string): Promise<void> {
  const failed = new Set<string>();
  let keys = await store.keys();
  while (keys.length > 0) {
    const chunk = keys.slice(0, CHUNK_SIZE);
    try {
      const values = await Promise.all(chunk.map((key) => store.get(key)));
      await axios(undefined, { method: "POST", url, data: chunk.map((key, i) => ({ key, value: values[i] })) });
      await Promise.all(chunk.map((key) => store.delete(key)));
    } catch (error) {
      void error; // the example logs the error and goes on
      for (const key of chunk) failed.add(key);
    }
    keys = (await store.keys()).filter((key) => !failed.has(key));
  }
}

const ours =
  (deleteAfterExport: boolean, concurrency = OUR_CONCURRENCY) =>
  (store: DataStore, url: string) =>
    runAction(exportAction, { dataStore: store, url, chunkSize: CHUNK_SIZE, deleteAfterExport, concurrency });

interface TimedRow {
  name: string;
  delivered: number;
  deleted: number;
  operations: number;
  keysTransferred: number;
  peakInFlight: number;
  wallMs: number;
  boundMs: number;
}

async function timed(name: string, boundMs: number, run: (store: DataStore, url: string) => Promise<unknown>): Promise<TimedRow> {
  const fake = await fillStore(RECORDS);
  const receiver = await startReceiver(true);
  const started = performance.now();
  await run(fake.store, receiver.url);
  const wallMs = performance.now() - started;
  receiver.server.close();
  const { total, keysTransferred, peakInFlight } = fake.controls.stats;
  const deleted = RECORDS - fake.controls.records().length;
  return { name, delivered: receiver.delivered(), deleted, operations: total, keysTransferred, peakInFlight, wallMs, boundMs };
}

const format = (n: number) => n.toLocaleString("en-US");
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The timed runs: 10,000 records of about 1 KB, chunks of 100, no forced collection. */
export async function runExportBenchmark(): Promise<string> {
  const rows = [
    await timed(`export-records, delete after export, concurrency ${OUR_CONCURRENCY} (default)`, oursBoundMs(RECORDS, OUR_CONCURRENCY, true), ours(true)),
    await timed(`export-records, delete after export, concurrency ${DOCS_CONCURRENCY}`, oursBoundMs(RECORDS, DOCS_CONCURRENCY, true), ours(true, DOCS_CONCURRENCY)),
    await timed(`docs' example: keys() per chunk, Promise.all gets and deletes (${DOCS_CONCURRENCY} in flight)`, docsBoundMs(RECORDS), docsExampleExport),
    await timed("export-records, no deletion", oursBoundMs(RECORDS, OUR_CONCURRENCY, false), ours(false)),
  ];
  return [
    `${format(RECORDS)} records of about 1 KB (12-character keys), chunks of ${CHUNK_SIZE}, pages of ${PAGE_SIZE}, a receiver on 127.0.0.1.`,
    `Store latency model: ${STORE_LATENCY_MS} ms per request plus ${TRANSFER_MS_PER_KB * 1000} µs per KB of keys and values it carries, no jitter.`,
    "Bound: the time that model charges for the run's own store requests, each waiting only for those it depends on, at the run's concurrency (POSTs not counted).",
    "",
    "| run | delivered | deleted | store operations | per record | keys transferred | peak in flight | wall time | bound | wall / bound |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (row) =>
        `| ${row.name} | ${format(row.delivered)} of ${format(RECORDS)} | ${format(row.deleted)} | ${format(row.operations)} | ` +
        `${(row.operations / RECORDS).toFixed(3)} | ${format(row.keysTransferred)} | ${row.peakInFlight} | ${seconds(row.wallMs)} | ` +
        `${seconds(row.boundMs)} | ${(row.wallMs / row.boundMs).toFixed(2)}x |`,
    ),
  ].join("\n");
}

/** A full collection: --expose-gc's gc(), or the same function obtained at run time when the flag was not given. */
function fullCollection(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/**
 * Peak heap still in use after a full collection, above what it was at the start, in MB: what
 * the export holds on to, not the garbage it makes. Sampling forces collections, which slow the
 * run down, so this run's time is not reported.
 */
async function retainedHeapGrowthMb(run: () => Promise<unknown>): Promise<number> {
  const collect = fullCollection();
  collect();
  const startBytes = process.memoryUsage().heapUsed;
  let peakBytes = startBytes;
  const sample = () => {
    collect();
    peakBytes = Math.max(peakBytes, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 200);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return (peakBytes - startBytes) / 1024 / 1024;
}

/**
 * One pass without latency, before the baseline is taken: V8 shrinks the store's JSON strings the
 * first time they are read (it flattens them), which would hide the export's own growth.
 */
async function readOnceUncounted(fake: Awaited<ReturnType<typeof fillStore>>): Promise<void> {
  fake.controls.setLatency(0);
  for await (const record of fake.store) void record;
  fake.controls.resetStats();
  fake.controls.setLatency(STORE_LATENCY_MS, 0, TRANSFER_MS_PER_KB);
}

/** The memory run: 100,000 records through ours, with and without deletion, on the same latency model. */
export async function runExportMemoryBenchmark(): Promise<string> {
  const rows: string[] = [];
  for (const deleteAfterExport of [true, false]) {
    const fake = await fillStore(MEMORY_RECORDS);
    await readOnceUncounted(fake);
    const receiver = await startReceiver(false);
    const growthMb = await retainedHeapGrowthMb(() => ours(deleteAfterExport)(fake.store, receiver.url));
    receiver.server.close();
    const left = fake.controls.records().length;
    const name = deleteAfterExport ? `export-records, delete after export, concurrency ${OUR_CONCURRENCY}` : "export-records, no deletion";
    rows.push(
      `| ${name} | ${format(receiver.delivered())} of ${format(MEMORY_RECORDS)} | ${format(MEMORY_RECORDS - left)} | ` +
        `${format(fake.controls.stats.total)} | ${growthMb.toFixed(1)} MB |`,
    );
  }
  return [
    `${format(MEMORY_RECORDS)} records of about 1 KB, chunks of ${CHUNK_SIZE}, the same latency model; a run of its own, not timed.`,
    "Retained heap growth: the peak of heapUsed after a full collection (every 200 ms), above its value before the export; the store's own records are there before it starts.",
    "",
    "| run | delivered | deleted | store operations | retained heap growth |",
    "|---|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}
