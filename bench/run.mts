/** `npm run bench`: every benchmark, printed as Markdown tables (the README quotes them). */
import { runConcurrencyBenchmark } from "./concurrency.mjs";
import { runExportBenchmark } from "./export.mjs";

const benchmarks: [string, () => Promise<string>][] = [
  ["Concurrency: counters and rate limits", runConcurrencyBenchmark],
  ["Export: ours and the docs' example", runExportBenchmark],
];
const only = process.argv[2]; // `npm run bench -- export` runs the benchmarks whose title contains "export"

for (const [title, run] of benchmarks.filter(([title]) => !only || title.toLowerCase().includes(only.toLowerCase()))) {
  const started = performance.now();
  const table = await run();
  console.log(`## ${title}\n\n${table}\n\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
