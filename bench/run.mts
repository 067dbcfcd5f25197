/** `npm run bench`: every benchmark, printed as Markdown tables (the README quotes them). */
import { runConcurrencyBenchmark } from "./concurrency.mjs";

const benchmarks: [string, () => Promise<string>][] = [["Concurrency: counters and rate limits", runConcurrencyBenchmark]];

for (const [title, run] of benchmarks) {
  const started = performance.now();
  const table = await run();
  console.log(`## ${title}\n\n${table}\n\n(${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}
