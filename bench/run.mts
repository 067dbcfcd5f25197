/**
 * `npm run bench`: every benchmark in one run, printed on stdout as Markdown tables (the README
 * quotes them). `npm run bench -- export` runs those whose title contains "export". When stderr
 * is a terminal, a line there tells which benchmark runs (some take minutes); otherwise stderr
 * gets nothing extra, so a redirected run prints only the tables.
 */
import { cpus } from "node:os";
import { runCliBenchmark } from "./cli.mjs";
import { runConcurrencyBenchmark } from "./concurrency.mjs";
import { runCountersBenchmark } from "./counters.mjs";
import { runDashboardBenchmark } from "./dashboard.mjs";
import { runExportBenchmark, runExportMemoryBenchmark } from "./export.mjs";
import { runSourcesBenchmark } from "./sources.mjs";

const benchmarks: [string, () => Promise<string>][] = [
  ["Concurrency: counters and rate limits", runConcurrencyBenchmark],
  ["Concurrency-safe counters on big stores", runCountersBenchmark],
  ["Export: ours and the docs' example", runExportBenchmark],
  // Its own run after the timed one: forced collections would distort the wall times.
  ["Export: memory", runExportMemoryBenchmark],
  ["Sources: polls at 1,000 to 100,000 records", runSourcesBenchmark],
  ["CLI start-up: dskit against node -e 0", runCliBenchmark],
  ["Dashboard: start-up and a page of records", runDashboardBenchmark],
];
const only = process.argv[2];
const selected = benchmarks.filter(([title]) => !only || title.toLowerCase().includes(only.toLowerCase()));
const progress = (text: string): void => {
  if (process.stderr.isTTY) process.stderr.write(`${text}\n`);
};

console.log(`Machine: ${cpus().length} cores, ${cpus()[0]?.model.trim() ?? "unknown CPU"}; Node ${process.version}.\n`);
for (const [index, [title, run]] of selected.entries()) {
  progress(`[${index + 1}/${selected.length}] ${title} …`);
  const started = performance.now();
  const table = await run();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`## ${title}\n\n${table}\n\n(${seconds} s)\n`);
  progress(`[${index + 1}/${selected.length}] ${title}: done in ${seconds} s`);
}
