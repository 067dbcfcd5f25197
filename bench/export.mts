/**
 * The chunked export against a literal reading of the docs' example, on the same store and the
 * same loopback receiver: 10,000 records of about 1 KB, chunks of 100, 5 ms per store request.
 * Then 100,000 records through ours alone, to show that memory stays flat.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { axios } from "@pipedream/platform";
import exportAction from "../actions/export-records/export-records.mjs";
import type { DataStore } from "../lib/store/data-store.mjs";
import { createFakeDataStore } from "../stores/memory-data-store.mjs";
import { runAction } from "../runtime/run-action.mjs";

const STORE_LATENCY_MS = 5;
const CHUNK_SIZE = 100;

/** A receiver that acknowledges every chunk and remembers which keys arrived. */
async function startReceiver(): Promise<{ url: string; keys: Set<string>; server: Server }> {
  const keys = new Set<string>();
  const server = createServer((request, response) => {
    const parts: Buffer[] = [];
    request.on("data", (part: Buffer) => parts.push(part));
    request.on("end", () => {
      for (const { key } of JSON.parse(Buffer.concat(parts).toString("utf8")) as { key: string }[]) keys.add(key);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/ingest`, keys, server };
}

async function fillStore(records: number) {
  const fake = createFakeDataStore({ pageSize: 128 });
  const padding = "x".repeat(960);
  for (let i = 0; i < records; i++) {
    await fake.store.set(`order:${String(i).padStart(6, "0")}`, { id: i, total: i * 1.5, note: padding });
  }
  fake.controls.resetStats();
  fake.controls.setLatency(STORE_LATENCY_MS);
  return fake;
}

/**
 * The docs' example as users run it: collect a chunk while iterating, POST it, delete its keys
 * right there (inside the iteration), list every key again to report progress, and log errors.
 */
async function docsExampleExport(store: DataStore, url: string): Promise<void> {
  let chunk: { key: string; value: unknown }[] = [];
  const flush = async () => {
    try {
      await axios(undefined, { method: "POST", url, data: chunk });
      for (const { key } of chunk) await store.delete(key);
      const remaining = await store.keys();
      void remaining.length; // the example logs how many keys are left
    } catch (error) {
      void error; // the example logs the error and carries on
    }
    chunk = [];
  };
  for await (const [key, value] of store) {
    chunk.push({ key, value });
    if (chunk.length >= CHUNK_SIZE) await flush();
  }
  if (chunk.length > 0) await flush();
}

interface Measurement {
  name: string;
  records: number;
  wallMs: number;
  delivered: number;
  leftInStore: number;
  operations: number;
  keysTransferred: number;
  heapGrowthMb: number;
}

async function measure(name: string, records: number, run: (store: DataStore, url: string) => Promise<unknown>): Promise<Measurement> {
  const fake = await fillStore(records);
  const receiver = await startReceiver();
  const heap = watchHeap();
  const started = performance.now();
  await run(fake.store, receiver.url);
  const wallMs = performance.now() - started;
  const heapGrowthMb = heap.stop();
  receiver.server.close();
  return {
    name,
    records,
    wallMs,
    delivered: receiver.keys.size,
    leftInStore: fake.controls.records().length,
    operations: fake.controls.stats.total,
    keysTransferred: fake.controls.stats.keysTransferred,
    heapGrowthMb,
  };
}

/**
 * Peak heap still in use (after a full collection) above what it was at the start, in MB: what the
 * export holds on to, not the garbage it makes. Needs --expose-gc (npm run bench sets it).
 */
function watchHeap(): { stop(): number } {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error("run with --expose-gc (npm run bench does)");
  collect();
  const startBytes = process.memoryUsage().heapUsed;
  let peakBytes = startBytes;
  const sample = () => {
    collect();
    peakBytes = Math.max(peakBytes, process.memoryUsage().heapUsed);
  };
  const timer = setInterval(sample, 250);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return (peakBytes - startBytes) / 1024 / 1024;
    },
  };
}

const ours = (deleteAfterExport: boolean) => (store: DataStore, url: string) =>
  runAction(exportAction, { dataStore: store, url, chunkSize: CHUNK_SIZE, deleteAfterExport });

export async function runExportBenchmark(): Promise<string> {
  const rows: Measurement[] = [
    await measure("export-records, delete after export", 10_000, ours(true)),
    await measure("docs example (keys() per chunk, inline deletes)", 10_000, docsExampleExport),
    await measure("export-records, no deletion", 10_000, ours(false)),
    await measure("export-records, no deletion", 100_000, ours(false)),
  ];
  const format = (n: number) => n.toLocaleString("en-US");
  return [
    `Records of about 1 KB, chunks of ${CHUNK_SIZE}, ${STORE_LATENCY_MS} ms per data store request, a receiver on 127.0.0.1.`,
    "",
    "| run | records | wall time | delivered | left in store | store operations | keys transferred | retained heap growth |",
    "|---|---:|---:|---:|---:|---:|---:|---:|",
    ...rows.map(
      (row) =>
        `| ${row.name} | ${format(row.records)} | ${(row.wallMs / 1000).toFixed(1)} s | ${format(row.delivered)} | ` +
        `${format(row.leftInStore)} | ${format(row.operations)} | ${format(row.keysTransferred)} | ${row.heapGrowthMb.toFixed(1)} MB |`,
    ),
  ].join("\n");
}
