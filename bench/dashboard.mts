/**
 * `dskit ui`: what a user waits for. (1) Start-up: a child `dskit ui --port 0 --no-open` from spawn
 * to its address on stdout, and to its first API answer, beside `dskit list` in the same loop.
 * (2) A page of records at 10, 10,000 and 100,000 records: the first page over HTTP (the JSON the
 * page fetches), then in process the store file's read model (first page, a page in the middle, a
 * prefix search) beside the baseline a dashboard on the DataStore contract alone would be: reading
 * the whole store (listRecords, as `dskit store ls` does) and slicing a page of it. Both sides of
 * that comparison run in process, so neither pays for HTTP. Medians.
 * Needs a build (`npm run build`) for the start-up part.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listRecords } from "../lib/records/list-records.mjs";
import { startDashboard } from "../local/ui/server.mjs";
import { StoreFile } from "../stores/sqlite-data-store.mjs";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "local", "cli.mjs");
const START_RUNS = 9;
const PAGE_RUNS = 30;
const BASELINE_RUNS = 5;
const PAGE_RECORDS = 50;
const SIZES = [10, 10_000, 100_000];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Medians of `runs` sequential runs of `run`, after one unmeasured warm-up. */
async function medianOf(runs: number, run: () => Promise<unknown>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) times.push(await timed(run));
  return median(times);
}

/** `dskit ui` from spawn to its printed address, then to its first answer to GET /api/data-stores. */
async function timeUiStart(cwd: string): Promise<{ addressMs: number; answerMs: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "ui", "--port", "0", "--no-open"], { cwd, env: { ...process.env, DSKIT_STORE_FILE: join(cwd, "store.db") } });
  try {
    const address = await new Promise<string>((resolve, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) resolve(stdout.split("\n")[0]!);
      });
      child.on("exit", (code) => reject(new Error(`dskit ui exited with ${code} before printing its address`)));
    });
    const addressMs = performance.now() - started;
    const url = new URL(address);
    const answer = await fetch(new URL("/api/data-stores", url), { headers: { Authorization: `Bearer ${url.searchParams.get("token")}` } });
    if (!answer.ok) throw new Error(`GET /api/data-stores answered ${answer.status}`);
    await answer.arrayBuffer();
    return { addressMs, answerMs: performance.now() - started };
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("close", resolve));
  }
}

function timeDskitList(cwd: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [CLI, "list"], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`dskit list exited with ${result.status}: ${result.stderr}`);
  return performance.now() - started;
}

async function startUpTable(): Promise<string> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  const cwd = mkdtempSync(join(tmpdir(), "dskit-bench-ui-"));
  try {
    spawnSync(process.execPath, [CLI, "store", "set", "greeting", "hello"], { cwd, env: { ...process.env, DSKIT_STORE_FILE: join(cwd, "store.db") } });
    await timeUiStart(cwd);
    const address: number[] = [];
    const answer: number[] = [];
    const list: number[] = [];
    // Interleaved, so a busy moment of the machine falls on both commands alike.
    for (let run = 0; run < START_RUNS; run++) {
      const ui = await timeUiStart(cwd);
      address.push(ui.addressMs);
      answer.push(ui.answerMs);
      list.push(timeDskitList(cwd));
    }
    return [
      `Wall time from spawning a child process, median of ${START_RUNS} interleaved runs.`,
      "",
      "| command | median (ms) |",
      "|---|---:|",
      `| \`dskit list\` (to exit) | ${median(list).toFixed(0)} |`,
      `| \`dskit ui --port 0 --no-open\` (to its address on stdout) | ${median(address).toFixed(0)} |`,
      `| \`dskit ui\`, then its first \`GET /api/data-stores\` answered | ${median(answer).toFixed(0)} |`,
    ].join("\n");
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** A store file with `count` records `order:000000`… in data store "orders", each a small object. */
async function seededStoreFile(folder: string, count: number): Promise<StoreFile> {
  const file = StoreFile.open(join(folder, `orders-${count}.db`));
  const store = file.dataStore("orders");
  for (let index = 0; index < count; index++) {
    await store.set(`order:${String(index).padStart(6, "0")}`, { id: index, customer: `cus_${index % 997}`, total: (index % 500) / 10, paid: index % 3 === 0 });
  }
  return file;
}

async function pagesTable(): Promise<string> {
  const folder = mkdtempSync(join(tmpdir(), "dskit-bench-pages-"));
  const rows: string[] = [];
  try {
    for (const size of SIZES) {
      const storeFile = await seededStoreFile(folder, size);
      const dashboard = await startDashboard({ storeFile, storeFilePath: "bench", port: 0 });
      const get = async (query: string) => {
        const answer = await fetch(`${dashboard.origin}/api/data-stores/orders/records?${query}`, { headers: { "X-Dskit-Token": dashboard.token } });
        if (!answer.ok) throw new Error(`records?${query} answered ${answer.status}`);
        return answer.json();
      };
      // A prefix that matches PAGE_RECORDS records or fewer, from the middle of the store.
      const middle = Math.floor(size / 2);
      const prefix = `order:${String(middle).padStart(6, "0").slice(0, size >= 100 ? 5 : 6)}`;
      try {
        const overHttp = await medianOf(PAGE_RUNS, () => get(`limit=${PAGE_RECORDS}`));
        // In process, so the read model and the baseline are measured alike, without HTTP.
        const page = (options: { prefix?: string; offset?: number }) => async () => storeFile.browseRecords("orders", { limit: PAGE_RECORDS, ...options });
        const first = await medianOf(PAGE_RUNS, page({}));
        const deep = await medianOf(PAGE_RUNS, page({ offset: middle }));
        const search = await medianOf(PAGE_RUNS, page({ prefix }));
        // The baseline: the whole store through the contract, then one page of it.
        const store = storeFile.dataStore("orders");
        const baseline = await medianOf(BASELINE_RUNS, async () => (await listRecords(store, { prefix: "" })).slice(0, PAGE_RECORDS));
        rows.push(
          `| ${size.toLocaleString("en-US")} | ${overHttp.toFixed(1)} | ${first.toFixed(2)} | ${deep.toFixed(2)} | ${search.toFixed(2)} | ${baseline.toFixed(2)} | ${(baseline / first).toFixed(1)}x |`,
        );
      } finally {
        await dashboard.close();
        storeFile.close();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  return [
    `A page of ${PAGE_RECORDS} records: as the page fetches it (HTTP on 127.0.0.1, JSON parsed), then in process from the store`,
    "file's read model (browseRecords: the first page, one in the middle, a prefix search), beside the baseline in process: the",
    `whole store read through the DataStore contract (listRecords) and a page sliced from it. Medians of ${PAGE_RUNS} runs (baseline: ${BASELINE_RUNS}).`,
    "",
    "| records | first page over HTTP (ms) | first page (ms) | page in the middle (ms) | prefix search (ms) | whole-store baseline (ms) | baseline / first page |",
    "|---:|---:|---:|---:|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

export async function runDashboardBenchmark(): Promise<string> {
  return `${await startUpTable()}\n\n${await pagesTable()}`;
}
