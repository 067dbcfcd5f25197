/**
 * dskit's one exit-code rule, one row per case: 2 for every mistake in how the command was typed,
 * 1 for a run that fails, 0 for success and $.flow.exit. Every mistake's message has the form
 * `dskit: <what>: <why>`, without a stack trace or a raw errno code or TypeError. In-process.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../support/components.mjs";
import { DSKIT_TIMEOUT_MS as TIMEOUT_MS, runDskit, tempFolders } from "../support/dskit-cli.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

const RATE = ["run", "rate-limit", "--prop", "key=api", "--prop", "limit=1", "--prop", "windowSeconds=60"];
const RECORD = ["run", "add-update-record", "--prop", "key=k", "--prop", "value=v"];

/** [what the row checks, args, exit code, a pattern stderr must match]. */
const ROWS: [string, string[], number, RegExp][] = [
  // 2: a mistake in how the command was typed.
  ["an unknown command", ["lst"], 2, /^dskit: unknown command 'lst'/],
  ["an unknown store command", ["store", "lss"], 2, /^dskit: unknown command 'lss'/],
  ["an unknown option", ["run", "get-record", "--colour"], 2, /^dskit: unknown option '--colour'/],
  ["an unknown component", ["run", "get-recrd"], 2, /^dskit: run get-recrd: no component "get-recrd"\. Did you mean get-record\?/],
  ["an unknown component to describe", ["describe", "nope"], 2, /^dskit: describe nope: no component "nope"/],
  ["an unknown prop", ["run", "get-record", "--prop", "key=k", "--prop", "colour=red"], 2, /^dskit: run get-record: .*has no prop "colour"/],
  ["a whole number that is not one", [...RECORD, "--prop", "ttl=abc"], 2, /^dskit: run add-update-record: Prop "ttl" takes a whole number; got "abc"/],
  ["a boolean that is not one", ["run", "increment-counter", "--prop", "key=c", "--prop", "concurrencySafe=yes"], 2, /Prop "concurrencySafe" takes true or false/],
  ["a value outside the options", [...RATE, "--prop", "algorithm=leaky"], 2, /^dskit: run rate-limit: Prop "algorithm" takes one of fixed-window, sliding-window, token-bucket; got "leaky"/],
  ["a value type outside the options", [...RECORD, "--prop", "valueType=strng"], 2, /Prop "valueType" takes one of auto, string, json; got "strng"\. Did you mean string\?/],
  ["a number below its minimum", [...RECORD, "--prop", "ttl=-5"], 2, /Prop "ttl" takes a number from 0 to \d+; got -5/],
  ["a number above its maximum", [...RECORD, "--prop", "ttl=999999999999"], 2, /Prop "ttl" takes a number from 0 to \d+/],
  ["a number out of range from JSON", ["run", "rate-limit", "--props-json", '{"key": "api", "limit": 0, "windowSeconds": 60}'], 2, /Prop "limit" takes a number 1 or more; got 0/],
  ["a missing required prop", ["run", "get-record"], 2, /^dskit: run get-record: data_stores-get-record needs the required prop "key": add --prop key=<value>/],
  ["missing required props", ["run", "rate-limit", "--prop", "key=api"], 2, /needs the required props "limit", "windowSeconds"/],
  ["a --props-file that does not exist", ["run", "get-record", "--props-file", "nope.json"], 2, /^dskit: run get-record: --props-file nope\.json cannot be read \(no such file\)/],
  ["--props-json that is not JSON", ["run", "get-record", "--props-json", "{key"], 2, /--props-json is not valid JSON/],
  ["a store import file that does not exist", ["store", "import", "nope.json"], 2, /^dskit: store import.*nope\.json cannot be read \(no such file\)/],
  ["an empty data store name", ["run", "get-record", "--prop", "key=k", "--data-store", ""], 2, /^dskit: .*data store name cannot be empty/],
  ["an empty data store name for a read", ["store", "ls", "--data-store", " "], 2, /data store name cannot be empty/],
  // 1: a run that fails.
  ["an action's ConfigurationError", [...RECORD.slice(0, -2), "--prop", "value=nope", "--prop", "valueType=json"], 1, /Value is not valid JSON/],
  // 0: success, and $.flow.exit.
  ["success", ["run", "get-record", "--prop", "key=k"], 0, /No record found/],
  ["a number written as text in JSON, as --prop takes it", ["run", "rate-limit", "--props-json", '{"key": "api", "limit": "5", "windowSeconds": "60"}'], 0, /Allowed/],
  ["true written as text in JSON", ["run", "get-record", "--props-json", '{"key": "k", "createIfMissing": "true", "defaultValue": "x"}'], 0, /^/],
  ["--version", ["--version"], 0, /^$/],
];

describe("dskit exit codes", () => {
  test.each(ROWS)("%s: %j exits %i", async (_what, args, status, message) => {
    const cwd = folders.make();
    const result = await runDskit(args, { cwd });
    expect({ args, status: result.status, stderr: result.stderr }).toEqual({ args, status, stderr: expect.stringMatching(message) });
    // One form, no stack trace, no errno code, no JavaScript error class.
    expect(result.stderr).not.toMatch(/\n\s+at |ENOENT|TypeError/);
    if (status === 2) expect(result.stdout).toBe("");
  }, TIMEOUT_MS);

  test("$.flow.exit is a success: exit 0 with the reason", async () => {
    const cwd = folders.make();
    expect((await runDskit(["run", "rate-limit", "--props-json", '{"key": "api", "limit": 1, "windowSeconds": 60}'], { cwd })).status).toBe(0);
    const limited = await runDskit(["run", "rate-limit", "--props-json", '{"key": "api", "limit": 1, "windowSeconds": 60}'], { cwd });
    expect(limited.status).toBe(0);
    expect(limited.stderr).toMatch(/\$\.flow\.exit/);
  }, TIMEOUT_MS);

  test("--version prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const result = await runDskit(["--version"], { cwd: folders.make() });
    expect(result.stdout).toBe(`${version}\n`);
  });

  test("--props-file and --props-json coerce as --prop does", async () => {
    const cwd = folders.make();
    writeFileSync(join(cwd, "props.json"), JSON.stringify({ key: "api", limit: "2", windowSeconds: "60", concurrencySafe: "false" }));
    const fromFile = await runDskit(["run", "rate-limit", "--props-file", "props.json"], { cwd });
    expect(fromFile.status).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toMatchObject({ allowed: true, limit: 2 });
  }, TIMEOUT_MS);
});
