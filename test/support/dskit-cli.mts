/**
 * Running the BUILT dskit (dist/local/cli.mjs) in a child node process, as a user runs it: from a
 * fresh temp folder, with DSKIT_STORE_FILE removed from the environment unless a test sets it, and
 * stdin a pipe (never a terminal). Every CLI test runs dskit through these helpers.
 * `npm test` builds dist/ before jest runs; run `npm run build` first when running a file alone.
 */
import { execFile, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "./components.mjs";

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
