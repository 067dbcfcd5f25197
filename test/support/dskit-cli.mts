/**
 * Running the BUILT dskit (dist/local/cli.mjs) in a child node process, as a user runs it: from a
 * fresh temp folder, with DSKIT_STORE_FILE removed from the environment unless a test sets it.
 * Asynchronous, so this process stays free to serve requests (a test server) meanwhile.
 * `npm test` builds dist/ before jest runs; run `npm run build` first when running a file alone.
 */
import { execFile } from "node:child_process";
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

/** Runs `node dist/local/cli.mjs …args` in `cwd` (no shell) and resolves with what it printed. */
export function runDskit(args: string[], cwd: string, env: Record<string, string> = {}): Promise<DskitResult> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!("DSKIT_STORE_FILE" in env)) delete childEnv.DSKIT_STORE_FILE;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [DSKIT_CLI, ...args],
      { cwd, env: childEnv, encoding: "utf8", timeout: DSKIT_TIMEOUT_MS },
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
