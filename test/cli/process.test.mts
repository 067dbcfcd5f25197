/**
 * What only a real process shows: the BUILT cli (dist/local/cli.mjs) in child node processes, as
 * a user runs it, from a fresh temp folder. Exit codes, stdout against stderr, stdin that is not a
 * terminal, the store file in the current folder and through DSKIT_STORE_FILE, and state kept in
 * the store file from one process to the next. Everything else about the commands is tested in
 * process, through `main` (dskit.test.mts and its neighbours). Independent processes run at once.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { DSKIT_TIMEOUT_MS, dskit, dskitAsync, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

function jsonOf(result: DskitResult): unknown {
  expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
  return JSON.parse(result.stdout);
}

describe("dskit as a process", () => {
  test(
    "exit codes 0, 1 and 2, results on stdout and messages on stderr, the store file in the current folder or DSKIT_STORE_FILE",
    async () => {
      const cwd = folders.make();
      const added = dskit(["run", "add-update-record", "--prop", "key=greeting", "--prop", "value=hello"], { cwd });
      expect(jsonOf(added)).toMatchObject({ key: "greeting", value: "hello", created: true });
      expect(added.stderr).toMatch(/greeting/);
      expect(existsSync(join(cwd, ".dskit", "data-stores.db"))).toBe(true);

      const env = { DSKIT_STORE_FILE: "from-env.db" };
      const [got, missing, refused, unknown, declined, help, fromEnv] = await Promise.all([
        dskitAsync(["store", "get", "greeting"], { cwd }),
        dskitAsync(["store", "get", "nope"], { cwd }),
        // A ConfigurationError thrown by the component: a message, no stack trace.
        dskitAsync(["run", "add-update-record", "--prop", "key=k", "--prop", "value=nope", "--prop", "valueType=json"], { cwd }),
        dskitAsync(["run", "no-such-action"], { cwd }),
        // stdin is a pipe, not a terminal: clear refuses without --yes.
        dskitAsync(["store", "clear"], { cwd }),
        dskitAsync(["--help"], { cwd }),
        dskitAsync(["store", "set", "where", "env"], { cwd, env }),
      ]);
      expect(jsonOf(got)).toBe("hello");
      expect(missing).toMatchObject({ status: 1, stdout: "" });
      expect(missing.stderr).toMatch(/nope/);
      expect(refused).toMatchObject({ status: 1, stdout: "" });
      expect(refused.stderr).toMatch(/not valid JSON/);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(unknown).toMatchObject({ status: 2, stdout: "" });
      expect(unknown.stderr).toMatch(/no-such-action/);
      expect(declined).toMatchObject({ status: 1, stdout: "" });
      expect(declined.stderr).toMatch(/--yes/);
      expect(help).toMatchObject({ status: 0, stderr: "" });
      expect(help.stdout).toMatch(/^Usage: dskit/);
      expect(fromEnv.status).toBe(0);
      expect(existsSync(join(cwd, "from-env.db"))).toBe(true);
      // Nothing was cleared.
      expect(jsonOf(dskit(["store", "get", "greeting"], { cwd }))).toBe("hello");
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "a source deploys in one process and polls in the next, its $.service.db kept in the store file",
    () => {
      const cwd = folders.make();
      expect(dskit(["store", "set", "before", "1"], { cwd }).status).toBe(0);
      const deployed = dskit(["run", "new-record"], { cwd });
      expect(jsonOf(deployed)).toEqual([]);
      expect(deployed.stderr).toMatch(/Deployed data_stores-new-record/);
      expect(dskit(["store", "set", "k", "v"], { cwd }).status).toBe(0);
      const events = jsonOf(dskit(["run", "new-record"], { cwd })) as { event: unknown }[];
      expect(events.map(({ event }) => event)).toEqual([{ key: "k", value: "v" }]);
    },
    DSKIT_TIMEOUT_MS,
  );
});
