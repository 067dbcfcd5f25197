/**
 * Issue 9, keys, through dskit against the SQLite store: `store set/get/rm` refuse a key under the
 * reserved `__dskit:` prefix unless given --internal, `store clear` keeps the package's state unless
 * given --internal, and a key that is not well-formed text is a message and exit 1, not a URIError.
 * The BUILT cli (dist/local/cli.mjs) runs in child processes, as in dskit.test.mts; spawns are
 * slow, so one story per test.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "../support/components.mjs";

const CLI = join(REPO_ROOT, "dist", "local", "cli.mjs");
const TIMEOUT_MS = 30_000;

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

const folders: string[] = [];

afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fresh folder whose store file is the one every command of a test uses. */
function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), "dskit-reserved-"));
  folders.push(folder);
  return folder;
}

/** Runs `node dist/local/cli.mjs …args` in `cwd` (no shell; stdin a pipe; no inherited DSKIT_STORE_FILE). */
function dskit(args: string[], cwd: string): Result {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DSKIT_STORE_FILE;
  const result = spawnSync(process.execPath, [CLI, ...args], { cwd, env, input: "", encoding: "utf8", timeout: TIMEOUT_MS });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A refusal: exit 1, nothing on stdout, a one-line message (no stack trace) matching `message`. */
function expectRefused(result: Result, message: RegExp): void {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const FORGED = "__dskit:counter:orders:forged:1000000";

describe("dskit store and the reserved __dskit: prefix", () => {
  test(
    "set, get and rm refuse a reserved key without --internal, and work on it with --internal",
    () => {
      const cwd = tempFolder();
      expectRefused(dskit(["store", "set", FORGED, "1"], cwd), /^Key starts with "__dskit:".*Add --internal to write it anyway\.$/m);
      // The refused write left nothing, even for --internal to find.
      expect(dskit(["store", "ls", "--include-internal"], cwd).stdout).toBe("");

      expect(dskit(["store", "set", FORGED, "1", "--internal"], cwd).status).toBe(0);
      expectRefused(dskit(["store", "get", FORGED], cwd), /Add --internal to read it anyway\./);
      expect(JSON.parse(dskit(["store", "get", FORGED, "--internal"], cwd).stdout)).toBe(1);

      // rm checks every key before deleting any: the user's record next to it stays.
      expect(dskit(["store", "set", "mine", "2"], cwd).status).toBe(0);
      expectRefused(dskit(["store", "rm", "mine", FORGED], cwd), /^Keys item 2 starts with "__dskit:".*Add --internal to delete it anyway\.$/m);
      expect(dskit(["store", "ls", "--include-internal", "--keys-only"], cwd).stdout).toBe(`${FORGED}\nmine\n`);
      expect(dskit(["store", "rm", FORGED, "--internal"], cwd).status).toBe(0);
      expect(dskit(["store", "ls", "--include-internal", "--keys-only"], cwd).stdout).toBe("mine\n");
    },
    TIMEOUT_MS,
  );

  test(
    "clear --yes deletes the user's records and keeps the package's state; with --internal it resets the state too",
    () => {
      const cwd = tempFolder();
      // Real state from an action: a limiter that is now full.
      const limit = ["run", "rate-limit", "--prop", "key=api", "--prop", "limit=1", "--prop", "windowSeconds=3600"];
      expect(dskit(limit, cwd).status).toBe(0);
      expect(dskit(["store", "set", "mine", "1"], cwd).status).toBe(0);

      const cleared = dskit(["store", "clear", "--yes"], cwd);
      expect(cleared.status).toBe(0);
      expect(cleared.stderr).toMatch(/^Deleted 1 record$/m);
      expect(dskit(["store", "ls", "--include-internal", "--keys-only"], cwd).stdout).toMatch(/^__dskit:limit:[^\n]+\n$/);
      expect(dskit(limit, cwd).stderr).toMatch(/Rate limit reached for "api"/);

      const reset = dskit(["store", "clear", "--yes", "--internal"], cwd);
      expect(reset.status).toBe(0);
      expect(reset.stderr).toMatch(/^Deleted 0 records and 1 internal record of the package's state$/m);
      expect(dskit(["store", "ls", "--include-internal"], cwd).stdout).toBe("");
    },
    TIMEOUT_MS,
  );

  test(
    "a key with a lone UTF-16 surrogate, from --props-json, is refused with a message, not a URIError, writing nothing",
    () => {
      const cwd = tempFolder();
      // Only JSON can carry a lone surrogate here: an argument is UTF-8, which replaces it with U+FFFD.
      const deduplicated = dskit(["run", "deduplicate", "--props-json", JSON.stringify({ key: "evt-\ud83d" })], cwd);
      expectRefused(deduplicated, /^Deduplication Key is not well-formed text/m);
      expect(deduplicated.stderr).not.toMatch(/URIError/);
      expect(dskit(["store", "ls", "--include-internal"], cwd).stdout).toBe("");
    },
    TIMEOUT_MS,
  );
});
