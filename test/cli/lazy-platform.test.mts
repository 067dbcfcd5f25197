/**
 * dskit loads @pipedream/platform (and with it axios) only when a command makes an HTTP request
 * (local/lazy-platform.mts). Proved by looking at the loaded modules, never by timing: one child
 * process runs dist/local/cli.mjs once per command and reports after each whether axios is loaded.
 * The other tests check what the stand-in must keep true: the published files import only names
 * it serves, and it knows every name.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { EAGER_PLATFORM_EXPORTS, exportedNames } from "../../local/lazy-platform.mjs";
import { listComponentFiles } from "../../runtime/component-files.mjs";
import { REPO_ROOT } from "../support/components.mjs";
import { DSKIT_TIMEOUT_MS, tempFolders } from "../support/dskit-cli.mjs";
import { startTestServer, type TestServer } from "../support/http-server.mjs";

const folders = tempFolders();
let server: TestServer | undefined;
afterEach(async () => {
  folders.cleanup();
  await server?.close();
  server = undefined;
});

const distUrl = (path: string): string => pathToFileURL(join(REPO_ROOT, "dist", path)).href;

/**
 * Runs dskit commands in one child through the real executable: dist/local/cli.mjs imported once
 * per command (a new URL runs it again) with that command's argv; writes, per command, its exit
 * code and whether axios was loaded after it, to the file PROBE_REPORT.
 */
const PROBE = `
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { isRealPlatformLoaded } from ${JSON.stringify(distUrl("local/lazy-platform.mjs"))};
const steps = [];
for (const [index, args] of JSON.parse(process.env.PROBE_COMMANDS).entries()) {
  process.argv = [process.argv[0], "dskit", ...args];
  process.exitCode = undefined;
  await import(${JSON.stringify(distUrl("local/cli.mjs"))} + "?run=" + index);
  steps.push({ command: args.slice(0, 2).join(" "), status: process.exitCode, axiosLoaded: isRealPlatformLoaded() });
}
process.exitCode = 0;
// After the real package loaded, its ConfigurationError is the stand-in's: one class either way.
const standIn = await import("@pipedream/platform");
const real = createRequire(${JSON.stringify(join(REPO_ROOT, "package.json"))})("@pipedream/platform");
writeFileSync(process.env.PROBE_REPORT, JSON.stringify({ steps, sameErrorClass: real.ConfigurationError === standIn.ConfigurationError }));
`;

interface ProbeReport {
  steps: { command: string; status: number; axiosLoaded: boolean }[];
  sameErrorClass: boolean;
}

function probe(cwd: string, commands: string[][]): Promise<ProbeReport> {
  const report = join(cwd, "report.json");
  const env = { ...process.env, PROBE_COMMANDS: JSON.stringify(commands), PROBE_REPORT: report, DSKIT_STORE_FILE: join(cwd, "store.db") };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", PROBE], { cwd: REPO_ROOT, env, timeout: DSKIT_TIMEOUT_MS }, (error, _stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(readFileSync(report, "utf8")) as ProbeReport),
    );
  });
}

describe("dskit and @pipedream/platform", () => {
  test(
    "list, store set, store get and run get-record load no axios; run cached-http-request loads it on its request and works",
    async () => {
      server = await startTestServer();
      server.fallback = () => ({ json: { rate: 1.1 } });
      const report = await probe(folders.make(), [
        ["list"],
        ["store", "set", "greeting", "hello"],
        ["store", "get", "greeting"],
        ["run", "get-record", "--prop", "key=greeting"],
        ["run", "add-update-record", "--prop", "key=k", "--prop", "value=nope", "--prop", "valueType=json"],
        ["run", "cached-http-request", "--prop", `url=${server.url}/rates`],
      ]);
      expect(report.steps).toEqual([
        { command: "list", status: 0, axiosLoaded: false },
        { command: "store set", status: 0, axiosLoaded: false },
        { command: "store get", status: 0, axiosLoaded: false },
        { command: "run get-record", status: 0, axiosLoaded: false },
        // A ConfigurationError from a component is still one for dskit: exit 1, not a crash.
        { command: "run add-update-record", status: 1, axiosLoaded: false },
        { command: "run cached-http-request", status: 0, axiosLoaded: true },
      ]);
      expect(server.requests).toHaveLength(1);
      expect(report.sameErrorClass).toBe(true);
    },
    DSKIT_TIMEOUT_MS,
  );

  test("every built component imports from @pipedream/platform only names the stand-in serves without loading it, or axios", () => {
    const served = new Set([...EAGER_PLATFORM_EXPORTS, "axios"]);
    const imported = new Set<string>();
    for (const { path } of listComponentFiles(join(REPO_ROOT, "dist"), ".mjs")) {
      for (const match of readFileSync(path, "utf8").matchAll(/^import \{([^}]*)\} from "@pipedream\/platform";$/gm)) {
        for (const name of match[1]!.split(",")) imported.add(name.trim().split(/\s+as\s+/)[0]!);
      }
    }
    expect(imported.size).toBeGreaterThan(0);
    expect([...imported].filter((name) => !served.has(name))).toEqual([]);
  });

  test("the stand-in reads every name the real package exports from its source", () => {
    const require = createRequire(join(REPO_ROOT, "package.json"));
    const entry = require.resolve("@pipedream/platform");
    const real = require("@pipedream/platform") as Record<string, unknown>;
    expect(exportedNames(readFileSync(entry, "utf8")).sort()).toEqual(Object.keys(real).sort());
  });
});
