/**
 * dskit, the local CLI, run in this process through `main` (test/support/dskit-cli.mts,
 * `runDskit`) against the BUILT components (dist/actions, dist/sources), from a fresh temp folder
 * (which has no actions/ or sources/), with an environment of the test's own. Each test checks
 * stdout (parsed where it is JSON), stderr and the exit code `main` returns. What only a process
 * shows is in process.test.mts. `npm test` builds dist/ before jest runs.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { listComponentFiles } from "../../runtime/component-files.mjs";
import { listComponents, REPO_ROOT } from "../support/components.mjs";
import { DSKIT_TIMEOUT_MS as TIMEOUT_MS, runDskit, tempFolders, type DskitResult as Result } from "../support/dskit-cli.mjs";
import { startTestServer, type TestServer } from "../support/http-server.mjs";

/** A command that succeeded and printed JSON: the parsed value. */
function jsonOf(result: Result): unknown {
  expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
  return JSON.parse(result.stdout);
}

const folders = tempFolders();
/** A fresh, empty working folder, removed after the test. */
const tempFolder = (): string => folders.make();
afterEach(() => folders.cleanup());

const DEFAULT_STORE_FILE = join(".dskit", "data-stores.db");

describe("dskit list", () => {
  test(
    "prints every built action and source with its kind, key and name, from a folder without components",
    async () => {
      const cwd = tempFolder();
      const result = await runDskit(["list"], { cwd });
      expect(result.status).toBe(0);
      expect(result.stderr).toBe("");
      const rows = result.stdout
        .trimEnd()
        .split("\n")
        .map((line) => {
          // kind, name, key, title, then the description's first sentence: columns two spaces or more apart.
          const match = /^(action|source)\s+(\S+)\s+(\S+)\s+(.+?)(?: {2,}(.+))?$/.exec(line);
          if (!match) throw new Error(`not a listing line: ${JSON.stringify(line)}`);
          expect({ line, described: (match[5] ?? "").length > 10 }).toEqual({ line, described: true });
          return { kind: match[1], name: match[2], key: match[3], title: match[4]!.trim() };
        });

      // Every folder of dist/actions and dist/sources holding its component (sources/common is shared code).
      const built = listComponentFiles(join(REPO_ROOT, "dist"), ".mjs");
      expect(built.map(({ name }) => name).sort()).toEqual(listComponents().map(({ name }) => name).sort());
      expect(built.length).toBeGreaterThanOrEqual(16);

      // Each with its registry name, as the component source declares it.
      const expected = built.map(({ kind, name }) => {
        const source = readFileSync(join(REPO_ROOT, `${kind}s`, name, `${name}.mts`), "utf8");
        const title = /^\s+name: "([^"]+)",$/m.exec(source)?.[1];
        return { kind, name, key: `data_stores-${name}`, title };
      });
      expect(rows.sort((a, b) => (a.name < b.name ? -1 : 1))).toEqual(expected.sort((a, b) => (a.name < b.name ? -1 : 1)));
      // Actions first, then sources.
      expect(result.stdout.indexOf("\nsource")).toBeGreaterThan(result.stdout.lastIndexOf("action "));
      // Listing touches no store.
      expect(existsSync(join(cwd, ".dskit"))).toBe(false);
    },
    TIMEOUT_MS,
  );
});

describe("dskit run (actions)", () => {
  test(
    "runs an action by folder name and by key, prints the return value as JSON on stdout and the $summary on stderr",
    async () => {
      const cwd = tempFolder();
      expect(existsSync(join(cwd, "actions"))).toBe(false);

      const added = await runDskit(["run", "add-update-record", "--prop", "key=greeting", "--prop", "value=hello", "--prop", "ttl=60"], { cwd });
      // The integer prop arrives as the number 60.
      expect(jsonOf(added)).toEqual({ key: "greeting", value: "hello", ttl: 60, created: true });
      expect(added.stderr).toMatch(/greeting/);
      expect(added.stderr).not.toMatch(/^\s*\{/);
      // The default store file is created in the current folder.
      expect(existsSync(join(cwd, DEFAULT_STORE_FILE))).toBe(true);

      // By key, in a later run: the record persisted.
      const got = await runDskit(["run", "data_stores-get-record", "--prop", "key=greeting"], { cwd });
      expect(jsonOf(got)).toEqual({ key: "greeting", found: true, value: "hello", created: false });

      // A boolean prop, and a value of type any (read as Value Type auto: the number 5).
      const created = await runDskit(
        ["run", "get-record", "--prop", "key=visits", "--prop", "createIfMissing=true", "--prop", "defaultValue=5"],
        { cwd },
      );
      expect(jsonOf(created)).toEqual({ key: "visits", found: false, value: 5, created: true });
      expect(created.stderr).toMatch(/visits/);

      // A string[] prop given twice is a list of two keys.
      const deleted = await runDskit(["run", "delete-records", "--prop", "keys=greeting", "--prop", "keys=not-there"], { cwd });
      expect(jsonOf(deleted)).toEqual({ deleted: ["greeting"], notFound: ["not-there"] });

    },
    TIMEOUT_MS,
  );

  test(
    "--props-file, --props-json and --prop combine (later ones win); --data-store keeps stores apart",
    async () => {
      const cwd = tempFolder();
      writeFileSync(join(cwd, "props.json"), JSON.stringify({ key: "city", value: "from file", ttl: 10 }));
      const result = await runDskit(
        ["run", "add-update-record", "--props-file", "props.json", "--props-json", '{"value": "from json", "ttl": 3600}', "--prop", "value=Paris"],
        { cwd },
      );
      expect(jsonOf(result)).toEqual({ key: "city", value: "Paris", ttl: 3600, created: true });

      // Only --props-json, on data store "a".
      const inA = await runDskit(["run", "add-update-record", "--data-store", "a", "--props-json", '{"key": "only-a", "value": "Lyon"}'], { cwd });
      expect(jsonOf(inA)).toMatchObject({ key: "only-a", value: "Lyon", created: true });

      // Only --props-file; the record of "a" is not in "default".
      writeFileSync(join(cwd, "get.json"), JSON.stringify({ key: "only-a" }));
      expect(jsonOf(await runDskit(["run", "get-record", "--props-file", "get.json"], { cwd }))).toEqual({
        key: "only-a",
        found: false,
        value: null,
        created: false,
      });
      expect(jsonOf(await runDskit(["run", "get-record", "--props-file", "get.json", "--data-store", "a"], { cwd }))).toMatchObject({
        found: true,
        value: "Lyon",
      });
    },
    TIMEOUT_MS,
  );

  test(
    "a ConfigurationError prints its message on stderr and exits 1, writing nothing; $.flow.exit prints the reason and exits 0",
    async () => {
      const cwd = tempFolder();
      const refused = await runDskit(["run", "add-update-record", "--prop", "key=k", "--prop", "value=nope", "--prop", "valueType=json"], { cwd });
      expect(refused.status).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(/Value is not valid JSON/);
      expect(refused.stderr).toMatch(/Value Type/);
      expect(refused.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace

      // Sliding window: no window boundary can fall between the two calls.
      const props = ["--prop", "key=api", "--prop", "limit=1", "--prop", "windowSeconds=3600", "--prop", "algorithm=sliding-window"];
      const first = await runDskit(["run", "rate-limit", ...props], { cwd });
      expect(jsonOf(first)).toMatchObject({ allowed: true, limit: 1, remaining: 0 });
      const second = await runDskit(["run", "rate-limit", ...props], { cwd });
      expect(second.status).toBe(0);
      expect(second.stdout).toBe("");
      expect(second.stderr).toMatch(/Rate limit reached for "api"/);
      expect(second.stderr).toMatch(/\$\.flow\.exit/);

      // The refused write left nothing; the limiter's state is an internal record.
      const listed = await runDskit(["store", "ls", "--include-internal"], { cwd });
      expect(listed.status).toBe(0);
      expect(listed.stdout).not.toMatch(/^k\t/m);
      expect(listed.stdout).toMatch(/^__dskit:/m);
    },
    TIMEOUT_MS,
  );
});

describe("dskit run (sources)", () => {
  test(
    "the first run deploys, later runs poll with $.service.db kept in the store file",
    async () => {
      const cwd = tempFolder();
      await runDskit(["store", "set", "before", "1"], { cwd });

      const deployed = await runDskit(["run", "new-record"], { cwd });
      expect(jsonOf(deployed)).toEqual([]);
      expect(deployed.stderr).toMatch(/Deployed data_stores-new-record/);

      expect((await runDskit(["store", "set", "k", "v"], { cwd })).status).toBe(0);

      const polled = await runDskit(["run", "data_stores-new-record"], { cwd });
      const events = jsonOf(polled) as { event: unknown; meta: { id: unknown; summary: unknown; ts: unknown } }[];
      // "before" is the baseline: only "k" is new.
      expect(events).toHaveLength(1);
      expect(events[0]!.event).toEqual({ key: "k", value: "v" });
      expect(events[0]!.meta).toEqual({ id: expect.any(String), summary: expect.any(String), ts: expect.any(Number) });
      expect(events[0]!.meta.summary).toMatch(/k/);
      expect(polled.stderr).toMatch(/1 event emitted/);

      // The poll's state was saved: nothing new now.
      const again = await runDskit(["run", "new-record"], { cwd });
      expect(jsonOf(again)).toEqual([]);
      expect(again.stderr).toMatch(/0 events emitted/);
    },
    TIMEOUT_MS,
  );
});

describe("dskit store", () => {
  test(
    "set, get, ls, rm and clear, each a run of its own",
    async () => {
      const cwd = tempFolder();
      const set = await runDskit(["store", "set", "greeting", "hello", "--ttl", "3600"], { cwd });
      expect(set.status).toBe(0);
      expect(set.stdout).toBe("");
      expect(set.stderr).toMatch(/greeting/);
      expect(existsSync(join(cwd, DEFAULT_STORE_FILE))).toBe(true);
      await runDskit(["store", "set", "zero", "0"], { cwd });

      expect(jsonOf(await runDskit(["store", "get", "greeting"], { cwd }))).toBe("hello");
      // A falsy value is a record like any other.
      expect(jsonOf(await runDskit(["store", "get", "zero"], { cwd }))).toBe(0);

      const missing = await runDskit(["store", "get", "nope"], { cwd });
      expect(missing.status).toBe(1);
      expect(missing.stdout).toBe("");
      expect(missing.stderr).toMatch(/nope/);

      const listed = await runDskit(["store", "ls"], { cwd });
      expect(listed.status).toBe(0);
      expect(listed.stdout).toBe('greeting\t"hello"\nzero\t0\n');

      const removed = await runDskit(["store", "rm", "greeting", "not-there"], { cwd });
      expect(removed.status).toBe(0);
      expect(removed.stderr).toMatch(/not-there/);

      // No terminal: clear refuses, even with "yes" on stdin, and deletes nothing.
      const refused = await runDskit(["store", "clear"], { cwd, input: "yes\n" });
      expect(refused.status).toBe(1);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toMatch(/--yes/);
      // greeting was removed; zero is still there.
      expect((await runDskit(["store", "ls", "--keys-only"], { cwd })).stdout).toBe("zero\n");

      const cleared = await runDskit(["store", "clear", "--yes"], { cwd });
      expect(cleared.status).toBe(0);
      expect(cleared.stderr).toMatch(/1 record/);
      expect((await runDskit(["store", "get", "zero"], { cwd })).status).toBe(1);
    },
    TIMEOUT_MS,
  );

  test(
    "import from a file and from stdin keeps text as text; export to stdout and to a file; export then import round-trips",
    async () => {
      const cwd = tempFolder();
      const records = {
        zero: 0,
        no: false,
        empty: "",
        nothing: null,
        code: "007",
        answer: "42",
        number: 42,
        list: [1, "2", { "3": null }],
        "uni ✓ 𝄞": "é",
        constructor: "c",
        big: "12345678901234567890",
        decimal: 0.1,
      };
      // Written by hand: an object literal's __proto__ would set the prototype, not a key.
      const fileText = JSON.stringify(records).replace(/^\{/, '{"__proto__":{"x":1},');
      writeFileSync(join(cwd, "records.json"), fileText);
      const expected = JSON.parse(fileText) as Record<string, unknown>;
      expect(Object.keys(expected)).toContain("__proto__");

      const imported = await runDskit(["store", "import", "records.json"], { cwd });
      expect(imported.status).toBe(0);
      expect(imported.stderr).toMatch(/Imported 13 records/);

      // toEqual tells "42" from 42: text stayed text.
      const exported = await runDskit(["store", "export"], { cwd });
      const exportedValue = jsonOf(exported) as Record<string, unknown>;
      expect(Object.keys(exportedValue)).toContain("__proto__");
      expect(exportedValue).toEqual(expected);
      expect(exported.stderr).toMatch(/Exported 13 records/);

      const toFile = await runDskit(["store", "export", "out.json"], { cwd });
      expect(toFile.status).toBe(0);
      expect(toFile.stdout).toBe("");
      const fileExport = readFileSync(join(cwd, "out.json"), "utf8");
      expect(JSON.parse(fileExport)).toEqual(expected);

      // The file's export, imported from stdin into another data store, exports the same.
      const fromStdin = await runDskit(["store", "import", "-", "--data-store", "copy"], { cwd, input: fileExport });
      expect(fromStdin.status).toBe(0);
      expect(fromStdin.stderr).toMatch(/Imported 13 records/);
      const copy = await runDskit(["store", "export", "--data-store", "copy"], { cwd });
      expect(copy.status).toBe(0);
      expect(copy.stdout).toBe(exported.stdout);
    },
    TIMEOUT_MS,
  );

  test(
    "stats counts the records as store ls does, the internal ones apart, with bytes as JSON and after Brotli",
    async () => {
      const cwd = tempFolder();
      const records: Record<string, unknown> = {};
      for (let i = 1; i <= 50; i++) {
        records[`customer:${String(i).padStart(3, "0")}`] = { name: `Customer ${i}`, city: "Zürich", active: i % 2 === 0, plan: "pro" };
      }
      writeFileSync(join(cwd, "records.json"), JSON.stringify(records));
      const store = ["--data-store", "crm"];
      expect((await runDskit(["store", "import", "records.json", ...store], { cwd })).status).toBe(0);
      // One internal record, from the limiter.
      await runDskit(["run", "rate-limit", ...store, "--prop", "key=api", "--prop", "limit=5", "--prop", "windowSeconds=60"], { cwd });

      const stats = jsonOf(await runDskit(["store", "stats", ...store], { cwd })) as Record<string, number>;
      const everything = jsonOf(await runDskit(["store", "export", "--include-internal", ...store], { cwd }));
      expect(stats).toEqual({
        dataStore: "crm",
        records: 50,
        internalRecords: 1,
        jsonBytes: Buffer.byteLength(JSON.stringify(everything)),
        brotliBytes: expect.any(Number),
      });
      expect(stats.brotliBytes).toBeGreaterThan(0);
      expect(stats.brotliBytes).toBeLessThan(stats.jsonBytes / 4);
    },
    TIMEOUT_MS,
  );

  test(
    "--store-file and DSKIT_STORE_FILE replace .dskit/data-stores.db in the current folder; the flag wins over the variable",
    async () => {
      const cwd = tempFolder();
      const custom = join(cwd, "nested", "folder", "custom.db");
      const run = await runDskit(["run", "add-update-record", "--store-file", custom, "--prop", "key=where", "--prop", "value=custom"], { cwd });
      expect(run.status).toBe(0);
      expect(existsSync(custom)).toBe(true);
      expect(existsSync(join(cwd, ".dskit"))).toBe(false);

      // A relative DSKIT_STORE_FILE is relative to the current folder.
      const env = { DSKIT_STORE_FILE: "from-env.db" };
      expect((await runDskit(["store", "set", "where", "env"], { cwd, env })).status).toBe(0);
      expect(existsSync(join(cwd, "from-env.db"))).toBe(true);
      expect(existsSync(join(cwd, ".dskit"))).toBe(false);
      expect(jsonOf(await runDskit(["store", "get", "where"], { cwd, env }))).toBe("env");
      expect(jsonOf(await runDskit(["store", "get", "where", "--store-file", custom], { cwd, env }))).toBe("custom");

      // Without either: the default file, which does not exist; a read says so and creates nothing.
      const fallback = await runDskit(["store", "get", "where"], { cwd });
      expect(fallback.status).toBe(2);
      expect(fallback.stderr).toContain(join(cwd, DEFAULT_STORE_FILE));
      expect(existsSync(join(cwd, ".dskit"))).toBe(false);
    },
    TIMEOUT_MS,
  );
});

describe("commands that cannot run as typed exit 2 with a clear message", () => {
  test(
    "an unknown component, an unknown prop, and values that do not fit the prop's type",
    async () => {
      const cwd = tempFolder();
      const cases: { args: string[]; message: RegExp[] }[] = [
        { args: ["run", "no-such-action"], message: [/no-such-action/, /`dskit list`/] },
        {
          args: ["run", "get-record", "--prop", "key=k", "--prop", "colour=red"],
          message: [/colour/, /key, defaultValue, createIfMissing, ttl/],
        },
        { args: ["run", "add-update-record", "--prop", "key=k", "--prop", "value=v", "--prop", "ttl=abc"], message: [/"ttl"/, /whole number/, /abc/] },
        { args: ["run", "get-record", "--prop", "key=k", "--prop", "createIfMissing=maybe"], message: [/"createIfMissing"/, /true or false/, /maybe/] },
        { args: ["run", "export-records", "--prop", "url=http://127.0.0.1:9/", "--prop", "headers=not json"], message: [/"headers"/, /JSON/] },
        { args: ["run", "get-record", "--props-json", '{"key": "k", "createIfMissing": "yes"}'], message: [/"createIfMissing"/, /true or false/] },
        { args: ["run", "get-record", "--prop", "key=a", "--prop", "key=b"], message: [/"key"/, /one value/] },
        { args: ["run", "get-record", "--props-file", "missing.json"], message: [/--props-file missing\.json cannot be read/, /no such file/] },
      ];
      for (const { args, message } of cases) {
        const result = await runDskit(args, { cwd });
        expect({ args, status: result.status, stdout: result.stdout }).toEqual({ args, status: 2, stdout: "" });
        for (const pattern of message) expect({ args, stderr: result.stderr }).toEqual({ args, stderr: expect.stringMatching(pattern) });
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
      // Nothing was written by any of them (a read of a store file never made exits 2 instead).
      const written = existsSync(join(cwd, DEFAULT_STORE_FILE)) ? jsonOf(await runDskit(["store", "export", "--include-internal"], { cwd })) : {};
      expect(written).toEqual({});
    },
    TIMEOUT_MS,
  );
});

describe("store clear at a terminal", () => {
  test(
    "asks first: an answer other than yes deletes nothing (exit 1), yes clears",
    async () => {
      const cwd = tempFolder();
      expect((await runDskit(["store", "set", "kept", "1"], { cwd })).status).toBe(0);
      const questions: string[] = [];
      const declined = await runDskit(["store", "clear"], { cwd, answer: (question) => (questions.push(question), "no") });
      expect(declined).toMatchObject({ status: 1, stdout: "" });
      expect(questions).toEqual([expect.stringMatching(/Delete every record of data store "default"\?.*Type yes/)]);
      expect((await runDskit(["store", "ls", "--keys-only"], { cwd })).stdout).toBe("kept\n");

      const cleared = await runDskit(["store", "clear"], { cwd, answer: () => " YES " });
      expect(cleared.status).toBe(0);
      expect(cleared.stderr).toMatch(/Deleted 1 record/);
    },
    TIMEOUT_MS,
  );
});

describe("--help", () => {
  test(
    "every command has help that exits 0 and names its options",
    async () => {
      const cwd = tempFolder();
      const storeOptions = ["--store-file", "--data-store", "DSKIT_STORE_FILE"];
      const cases: { args: string[]; mentions: string[] }[] = [
        { args: ["--help"], mentions: ["list", "run", "store"] },
        { args: ["list", "--help"], mentions: ["list"] },
        { args: ["run", "--help"], mentions: ["--prop", "--props-json", "--props-file", ...storeOptions] },
        { args: ["store", "--help"], mentions: ["ls", "get", "set", "rm", "clear", "import", "export", "stats"] },
        { args: ["store", "ls", "--help"], mentions: ["--prefix", "--keys-only", "--include-internal", ...storeOptions] },
        { args: ["store", "get", "--help"], mentions: ["<key>", ...storeOptions] },
        { args: ["store", "set", "--help"], mentions: ["--ttl", "--value-type", ...storeOptions] },
        { args: ["store", "rm", "--help"], mentions: ["<keys...>", ...storeOptions] },
        { args: ["store", "clear", "--help"], mentions: ["--yes", ...storeOptions] },
        { args: ["store", "import", "--help"], mentions: ["<file>", ...storeOptions] },
        { args: ["store", "export", "--help"], mentions: ["[file]", "--include-internal", ...storeOptions] },
        { args: ["store", "stats", "--help"], mentions: storeOptions },
      ];
      // Independent runs, so they run at once.
      const results = await Promise.all(cases.map(({ args }) => runDskit(args, { cwd })));
      cases.forEach(({ args, mentions }, index) => {
        const { status, stdout } = results[index]!;
        expect({ args, status }).toEqual({ args, status: 0 });
        expect(stdout).toMatch(/^Usage: dskit/);
        for (const option of mentions) expect({ args, mentions: stdout.includes(option) }).toEqual({ args, mentions: true });
      });
      // Help opens no store.
      expect(existsSync(join(cwd, ".dskit"))).toBe(false);
    },
    TIMEOUT_MS,
  );
});

describe("dskit run export-records against a local receiver", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test(
    "an object prop given as JSON text reaches the request; delivered records are deleted",
    async () => {
      server = await startTestServer();
      const cwd = tempFolder();
      mkdirSync(join(cwd, "data"));
      writeFileSync(join(cwd, "data", "records.json"), JSON.stringify({ a: 1, b: "two", c: { three: 3 } }));
      expect((await runDskit(["store", "import", join("data", "records.json")], { cwd })).status).toBe(0);

      // In this process: the test server answers while the run awaits it.
      const result = await runDskit(
        [
          "run",
          "export-records",
          "--prop",
          `url=${server.url}/ingest`,
          "--prop",
          "chunkSize=2",
          "--prop",
          "deleteAfterExport=true",
          "--prop",
          'headers={"Authorization": "Bearer s3cret-token"}',
        ],
        { cwd },
      );
      expect(jsonOf(result)).toEqual({ exported: 3, deleted: 3, chunks: 2, failedChunks: 0, skippedChanged: 0 });
      expect(result.stderr).toMatch(/Exported 3 records/);
      expect(`${result.stdout}${result.stderr}`).not.toMatch(/s3cret/);

      expect(server.requests).toHaveLength(2);
      for (const request of server.requests) {
        expect(request).toMatchObject({ method: "POST", url: "/ingest" });
        expect(request.headers.authorization).toBe("Bearer s3cret-token");
      }
      expect(server.requests.flatMap((request) => JSON.parse(request.body) as unknown[])).toEqual([
        { key: "a", value: 1 },
        { key: "b", value: "two" },
        { key: "c", value: { three: 3 } },
      ]);
      expect(jsonOf(await runDskit(["store", "export"], { cwd }))).toEqual({});
    },
    TIMEOUT_MS,
  );
});
