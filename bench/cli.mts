/**
 * dskit's start-up: wall time of `dskit list`, `dskit store get` and `dskit run get-record` as a
 * user runs them (a child `node dist/local/cli.mjs …`, a store file in a temp folder), beside
 * `node -e 0`, the floor any Node CLI starts from. Runs are interleaved, command by command, so a
 * busy moment of the machine falls on all of them alike; the median of RUNS each is shown.
 * Needs a build (`npm run build`).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const CLI = join(dirname(fileURLToPath(import.meta.url)), "..", "dist", "local", "cli.mjs");
const RUNS = 15;

interface Case {
  label: string;
  args: string[];
}

const CASES: Case[] = [
  { label: "node -e 0", args: ["-e", "0"] },
  { label: "dskit list", args: [CLI, "list"] },
  { label: "dskit store get greeting", args: [CLI, "store", "get", "greeting"] },
  { label: "dskit run get-record --prop key=greeting", args: [CLI, "run", "get-record", "--prop", "key=greeting"] },
];

/** Runs `node …args` in `cwd` and returns its wall time in ms; a failed command stops the benchmark. */
function timeRun(args: string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd, encoding: "utf8", env: { ...process.env, DSKIT_STORE_FILE: join(cwd, "store.db") } });
  const elapsedMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${result.status}: ${result.stderr}`);
  return elapsedMs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function runCliBenchmark(): Promise<string> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
  const cwd = mkdtempSync(join(tmpdir(), "dskit-bench-"));
  try {
    timeRun([CLI, "store", "set", "greeting", "hello"], cwd);
    // One unmeasured round first: the OS file cache then holds every file, as for a user's second command.
    for (const { args } of CASES) timeRun(args, cwd);
    const times = CASES.map((): number[] => []);
    for (let run = 0; run < RUNS; run++) CASES.forEach(({ args }, index) => times[index]!.push(timeRun(args, cwd)));
    const nodeMs = median(times[0]!);
    const rows = CASES.map(({ label }, index) => {
      const ms = median(times[index]!);
      return `| \`${label}\` | ${ms.toFixed(0)} | ${(ms / nodeMs).toFixed(2)}x |`;
    });
    return [
      `Wall time of a child process, median of ${RUNS} interleaved runs each; a store file in a temp folder.`,
      "",
      "| command | median (ms) | vs node -e 0 |",
      "|---|---:|---:|",
      ...rows,
    ].join("\n");
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}
