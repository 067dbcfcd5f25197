/**
 * Running dskit two ways, with one result shape:
 * - `runDskit`: in this process, through `main` (local/main.mts) with captured output, against the
 *   BUILT components (dist/actions, dist/sources): most CLI tests, since a spawn costs ~100 ms;
 * - `dskit` and `dskitAsync`: the BUILT cli (dist/local/cli.mjs) in a child node process, as a user
 *   runs it, for what only a process shows (exit codes, stdout and stderr, stdin that is not a
 *   terminal, the store file kept between processes, DSKIT_STORE_FILE).
 * Both run from a fresh temp folder, without the test runner's DSKIT_STORE_FILE unless a test sets it.
 * `npm test` builds dist/ before jest runs; run `npm run build` first when running a file alone.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./components.mjs";
import { main } from "../../local/main.mjs";
import type { CliIo } from "../../local/output.mjs";

export const DSKIT_CLI = join(REPO_ROOT, "dist", "local", "cli.mjs");
/** Per process and per test: spawns cost ~150 ms each, an HTTP timeout in the child more. */
export const DSKIT_TIMEOUT_MS = 30_000;

export interface DskitResult {
  /** The exit code (null only if the process was killed). */
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface DskitRunOptions {
  /** The folder the CLI runs in. */
  cwd: string;
  /** Variables to add to the environment (which never carries the test runner's DSKIT_STORE_FILE). */
  env?: Record<string, string>;
  /** Text piped to stdin (synchronous runs only); stdin is a pipe either way. */
  input?: string;
}

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!("DSKIT_STORE_FILE" in extra)) delete env.DSKIT_STORE_FILE;
  return env;
}

/** Runs `node dist/local/cli.mjs …args` (no shell) and waits for it. */
export function dskit(args: string[], { cwd, env, input }: DskitRunOptions): DskitResult {
  const result = spawnSync(process.execPath, [DSKIT_CLI, ...args], {
    cwd,
    env: childEnv(env),
    input: input ?? "",
    encoding: "utf8",
    timeout: DSKIT_TIMEOUT_MS,
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, asynchronously: this process stays free to serve requests (a test server) meanwhile. */
export function dskitAsync(args: string[], { cwd, env }: Omit<DskitRunOptions, "input">): Promise<DskitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [DSKIT_CLI, ...args],
      { cwd, env: childEnv(env), encoding: "utf8", timeout: DSKIT_TIMEOUT_MS },
      (error, stdout, stderr) => {
        // A non-zero exit is a result to check, not a failure of the spawn.
        if (error && typeof error.code !== "number") reject(error);
        else resolve({ status: child.exitCode, stdout, stderr });
      },
    );
    child.stdin?.end();
  });
}

export interface InProcessRunOptions extends DskitRunOptions {
  /** The person at the terminal: answers each question (as the answer typed); none means stdin is not a terminal. */
  answer?: (question: string) => string;
}

/**
 * Runs `dskit …args` in this process: what a child would print on stdout and stderr, and the exit
 * code `main` returns. The environment is `env` alone, never this process's.
 */
export async function runDskit(args: string[], { cwd, env = {}, input = "", answer }: InProcessRunOptions): Promise<DskitResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    json: (value) => (stdout += `${JSON.stringify(value, null, 2)}\n`),
    line: (text) => (stdout += `${text}\n`),
    note: (text) => (stderr += `${text}\n`),
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
    readStdin: () => input,
    ask: answer ? async (question) => answer(question) : undefined,
  };
  const status = await main(args, io, { cwd, env, buildRoot: join(REPO_ROOT, "dist") });
  return { status, stdout, stderr };
}

/** Fresh, empty working folders, removed by `cleanup` (call it in afterEach). */
export function tempFolders(): { make(): string; cleanup(): void } {
  const folders: string[] = [];
  return {
    make() {
      const folder = mkdtempSync(join(tmpdir(), "dskit-cli-"));
      folders.push(folder);
      return folder;
    },
    cleanup() {
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    },
  };
}
