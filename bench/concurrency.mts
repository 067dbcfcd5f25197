/**
 * What concurrency does to counters and rate limiters on a store that is not atomic: N workflow
 * executions at once, each running the real action through the runtime (runAction) against the
 * in-memory store with network-like latency and jitter, on the real clock.
 */
import incrementCounter from "../actions/increment-counter/increment-counter.mjs";
import rateLimitAction from "../actions/rate-limit/rate-limit.mjs";
import { readCounter } from "../lib/counter/counter.mjs";
import { ALGORITHMS } from "../lib/rate-limit/rate-limit.mjs";
import { createFakeDataStore } from "../stores/memory-data-store.mjs";
import { runAction } from "../runtime/run-action.mjs";

const EXECUTIONS = [10, 50, 200];
/** Round trip of a data store request: a base plus uniform jitter, in ms. */
const LATENCY_MS = 10;
const JITTER_MS = 20;
const LIMIT = 5;
/** Each cell is run this many times with different jitter seeds: races are luck, so show the spread. */
const TRIALS = 10;

interface Trial {
  /** Lost increments, or admissions over the limit. */
  errors: number;
  roundTrips: number;
}

interface Row {
  scenario: string;
  mode: string;
  executions: number;
  trials: Trial[];
}

async function counterTrial(executions: number, concurrencySafe: boolean, seed: number): Promise<Trial> {
  const { store, controls } = createFakeDataStore({ latencyMs: LATENCY_MS, jitterMs: JITTER_MS, seed });
  const key = "signups";
  await Promise.all(
    Array.from({ length: executions }, () => runAction(incrementCounter, { dataStore: store, key, concurrencySafe })),
  );
  const roundTrips = controls.stats.total;
  const total = await readCounter(store, key, { concurrencySafe });
  return { errors: executions - total, roundTrips };
}

async function limiterTrial(executions: number, algorithm: string, concurrencySafe: boolean, seed: number): Promise<Trial> {
  const { store, controls } = createFakeDataStore({ latencyMs: LATENCY_MS, jitterMs: JITTER_MS, seed });
  const props = { dataStore: store, key: "api", limit: LIMIT, windowSeconds: 3600, algorithm, whenLimited: "continue", concurrencySafe };
  const results = await Promise.all(Array.from({ length: executions }, () => runAction(rateLimitAction, props)));
  const admitted = results.filter((result) => (result.returnValue as { allowed: boolean }).allowed).length;
  return { errors: Math.max(0, admitted - LIMIT), roundTrips: controls.stats.total };
}

async function row(scenario: string, concurrencySafe: boolean, executions: number, trial: (seed: number) => Promise<Trial>): Promise<Row> {
  const trials: Trial[] = [];
  for (let seed = 1; seed <= TRIALS; seed++) trials.push(await trial(seed));
  return { scenario, mode: concurrencySafe ? "concurrencySafe" : "default", executions, trials };
}

function formatRow({ scenario, mode, executions, trials }: Row): string {
  const errors = trials.map((trial) => trial.errors);
  const mean = errors.reduce((sum, value) => sum + value, 0) / trials.length;
  const roundTrips = trials.reduce((sum, trial) => sum + trial.roundTrips, 0) / (trials.length * executions);
  return `| ${scenario} | ${mode} | ${executions} | ${mean.toFixed(1)} | ${Math.max(...errors)} | ${roundTrips.toFixed(2)} |`;
}

export async function runConcurrencyBenchmark(): Promise<string> {
  const rows: Row[] = [];
  for (const concurrencySafe of [false, true]) {
    for (const n of EXECUTIONS) {
      rows.push(await row("increment-counter", concurrencySafe, n, (seed) => counterTrial(n, concurrencySafe, seed)));
    }
  }
  for (const algorithm of ALGORITHMS) {
    for (const concurrencySafe of [false, true]) {
      for (const n of EXECUTIONS) {
        const scenario = `rate-limit ${algorithm}, limit ${LIMIT}`;
        rows.push(await row(scenario, concurrencySafe, n, (seed) => limiterTrial(n, algorithm, concurrencySafe, seed)));
      }
    }
  }
  return [
    `N executions at once; store latency ${LATENCY_MS} ms + up to ${JITTER_MS} ms jitter per request; ${TRIALS} trials per row.`,
    "errors: increments lost (counter) or calls admitted over the limit (rate limit), mean and worst of the trials.",
    "",
    "| scenario | mode | N | errors (mean) | errors (worst) | round trips per call |",
    "|---|---|---:|---:|---:|---:|",
    ...rows.map(formatRow),
  ].join("\n");
}
