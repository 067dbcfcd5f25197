/**
 * `dskit ui` as a user runs it: the BUILT cli (dist/local/cli.mjs) in a child process serves its page
 * from dist/local/ui/page and stops at SIGTERM. And hono is loaded by `dskit ui` only: a module
 * hook in the child logs every hono module resolved, never by timing.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, test } from "@jest/globals";
import { DSKIT_CLI, DSKIT_TIMEOUT_MS, tempFolders } from "../support/dskit-cli.mjs";

const folders = tempFolders();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  folders.cleanup();
});

/**
 * Files for `node --import <register>`: a resolve hook appending to HONO_LOG each hono module the
 * process resolves. Hooks run on their own thread, so the log is a file.
 */
function honoProbe(folder: string): { importFlag: string; log: string } {
  const hooks = join(folder, "hooks.mjs");
  const register = join(folder, "register.mjs");
  const log = join(folder, "hono.log");
  writeFileSync(log, "");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/node_modules\\/(hono|@hono)\\//.test(result.url)) appendFileSync(${JSON.stringify(log)}, result.url + "\\n");
  return result;
}`,
  );
  writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
  return { importFlag: `--import=${pathToFileURL(register).href}`, log };
}

/** Spawns the built cli with `dskit ui …args` and resolves with the address it prints. */
function spawnUi(args: string[], cwd: string, nodeFlags: string[] = []): Promise<{ child: ChildProcess; address: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "1" };
  delete env.DSKIT_STORE_FILE;
  const child = spawn(process.execPath, [...nodeFlags, DSKIT_CLI, "ui", ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split("\n")[0];
      if (stdout.includes("\n") && line !== undefined) resolve({ child, address: line });
    });
    child.on("exit", (code) => reject(new Error(`dskit ui exited with ${code}: ${stderr}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

describe("dskit ui, built", () => {
  test(
    "the built cli serves the page with its token, and SIGTERM stops it with exit 0",
    async () => {
      const cwd = folders.make();
      const { child, address } = await spawnUi(["--no-open", "--port", "0", "--store-file", "ui.db"], cwd);
      const url = new URL(address);
      const login = await fetch(address, { redirect: "manual" });
      expect(login.status).toBe(303);
      const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
      const page = await fetch(`${url.origin}/`, { headers: { Cookie: cookie } });
      expect(page.status).toBe(200);
      expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(await page.text()).toMatch(/<!doctype html>/i);
      expect((await fetch(`${url.origin}/`)).status).toBe(401);
      const exit = exited(child);
      child.kill("SIGTERM");
      expect(await exit).toBe(0);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "list, --help and store ls never load hono; ui does",
    async () => {
      const cwd = folders.make();
      const { importFlag, log } = honoProbe(cwd);
      const env = { ...process.env };
      delete env.DSKIT_STORE_FILE;
      const statusOf = (args: string[]) => spawnSync(process.execPath, [importFlag, DSKIT_CLI, ...args], { cwd, env, timeout: DSKIT_TIMEOUT_MS }).status;
      for (const args of [["list"], ["--help"], ["store", "set", "k", "1"], ["store", "ls"]]) {
        expect([args.join(" "), statusOf(args)]).toEqual([args.join(" "), 0]);
      }
      expect(readFileSync(log, "utf8")).toBe("");
      const { child } = await spawnUi(["--no-open", "--port", "0"], cwd, [importFlag]);
      expect(readFileSync(log, "utf8")).toMatch(/node_modules\/hono\//);
      child.kill("SIGTERM");
      await exited(child);
    },
    DSKIT_TIMEOUT_MS,
  );
});
