/**
 * Issue 9, keys, through dskit against the SQLite store: `store set/get/rm` refuse a key under the
 * reserved `__dskit:` prefix unless given --internal, `store clear` keeps the package's state unless
 * given --internal, and a key that is not well-formed text is a message and exit 1, not a URIError.
 * dskit runs in this process through `main`, against the built components, as in dskit.test.mts.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { DSKIT_TIMEOUT_MS, runDskit, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";

// Each test's fresh folder holds the store file every command of that test uses.
const folders = tempFolders();
afterEach(() => folders.cleanup());

/** A refusal: exit 1, nothing on stdout, a one-line message (no stack trace) matching `message`. */
function expectRefused(result: DskitResult, message: RegExp): void {
  expect(result.status).toBe(1);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

const FORGED = "__dskit:counter:orders:forged:1000000";

describe("dskit store and the reserved __dskit: prefix", () => {
  test(
    "set, get and rm refuse a reserved key without --internal, and work on it with --internal",
    async () => {
      const cwd = folders.make();
      expectRefused(await runDskit(["store", "set", FORGED, "1"], { cwd }), /^dskit: store set: Key starts with "__dskit:".*Add --internal to write it anyway\.$/m);
      // The refused write left nothing, even for --internal to find.
      expect((await runDskit(["store", "ls", "--include-internal"], { cwd })).stdout).toBe("");

      expect((await runDskit(["store", "set", FORGED, "1", "--internal"], { cwd })).status).toBe(0);
      expectRefused(await runDskit(["store", "get", FORGED], { cwd }), /Add --internal to read it anyway\./);
      expect(JSON.parse((await runDskit(["store", "get", FORGED, "--internal"], { cwd })).stdout)).toBe(1);

      // rm checks every key before deleting any: the user's record next to it stays.
      expect((await runDskit(["store", "set", "mine", "2"], { cwd })).status).toBe(0);
      expectRefused(await runDskit(["store", "rm", "mine", FORGED], { cwd }), /^dskit: store rm: Keys item 2 starts with "__dskit:".*Add --internal to delete it anyway\.$/m);
      expect((await runDskit(["store", "ls", "--include-internal", "--keys-only"], { cwd })).stdout).toBe(`${FORGED}\nmine\n`);
      expect((await runDskit(["store", "rm", FORGED, "--internal"], { cwd })).status).toBe(0);
      expect((await runDskit(["store", "ls", "--include-internal", "--keys-only"], { cwd })).stdout).toBe("mine\n");
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "clear --yes deletes the user's records and keeps the package's state; with --internal it resets the state too",
    async () => {
      const cwd = folders.make();
      // Real state from an action: a limiter that is now full.
      const limit = ["run", "rate-limit", "--prop", "key=api", "--prop", "limit=1", "--prop", "windowSeconds=3600"];
      expect((await runDskit(limit, { cwd })).status).toBe(0);
      expect((await runDskit(["store", "set", "mine", "1"], { cwd })).status).toBe(0);

      const cleared = await runDskit(["store", "clear", "--yes"], { cwd });
      expect(cleared.status).toBe(0);
      expect(cleared.stderr).toMatch(/^Deleted 1 record$/m);
      expect((await runDskit(["store", "ls", "--include-internal", "--keys-only"], { cwd })).stdout).toMatch(/^__dskit:limit:[^\n]+\n$/);
      expect((await runDskit(limit, { cwd })).stderr).toMatch(/Rate limit reached for "api"/);

      const reset = await runDskit(["store", "clear", "--yes", "--internal"], { cwd });
      expect(reset.status).toBe(0);
      expect(reset.stderr).toMatch(/^Deleted 0 records and 1 internal record of the package's state$/m);
      expect((await runDskit(["store", "ls", "--include-internal"], { cwd })).stdout).toBe("");
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "a key with a lone UTF-16 surrogate, from --props-json, is refused with a message, not a URIError, writing nothing",
    async () => {
      const cwd = folders.make();
      // Only JSON can carry a lone surrogate here: an argument is UTF-8, which replaces it with U+FFFD.
      const deduplicated = await runDskit(["run", "deduplicate", "--props-json", JSON.stringify({ key: "evt-\ud83d" })], { cwd });
      expectRefused(deduplicated, /^dskit: run deduplicate: Deduplication Key is not well-formed text/m);
      expect(deduplicated.stderr).not.toMatch(/URIError/);
      expect((await runDskit(["store", "ls", "--include-internal"], { cwd })).stdout).toBe("");
    },
    DSKIT_TIMEOUT_MS,
  );
});
