/**
 * `dskit ui` as a command, in this process through `main`: it prints the address, serves the store
 * file chosen by the usual rules until its signal aborts, and says what to do when the port is taken.
 * The built executable is tested in test/cli/ui-process.test.mts.
 */
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "@jest/globals";
import { main } from "../../local/main.mjs";
import type { CliIo } from "../../local/output.mjs";
import { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { REPO_ROOT } from "../support/components.mjs";
import { tempFolders } from "../support/dskit-cli.mjs";

const folders = tempFolders();
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
  folders.cleanup();
});

interface RunningUi {
  /** The first line on stdout: the address. */
  address: Promise<string>;
  stderr: () => string;
  /** Aborts the signal and resolves with main's exit code. */
  stop(): Promise<number>;
  exit: Promise<number>;
}

/** Starts `dskit ui …args` in this process; `env` alone is its environment (no DISPLAY: no browser). */
function startUi(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): RunningUi {
  const controller = new AbortController();
  let stdout = "";
  let stderr = "";
  let printed: (line: string) => void = () => undefined;
  const address = new Promise<string>((resolve) => (printed = resolve));
  const io: CliIo = {
    json: (value) => (stdout += `${JSON.stringify(value)}\n`),
    line: (text) => {
      stdout += `${text}\n`;
      printed(text);
    },
    note: (text) => (stderr += `${text}\n`),
    writeOut: (text) => (stdout += text),
    writeErr: (text) => (stderr += text),
    readStdin: () => "",
    ask: undefined,
  };
  const exit = main(["ui", ...args], io, { cwd, env, buildRoot: join(REPO_ROOT, "dist"), signal: controller.signal });
  return {
    address,
    stderr: () => stderr,
    exit,
    stop: () => {
      controller.abort();
      return exit;
    },
  };
}

describe("dskit ui", () => {
  test("prints the address with a fresh token, serves the store file chosen by --store-file, and stops at the signal with exit 0", async () => {
    const cwd = folders.make();
    const seeded = StoreFile.open(join(cwd, "mine.db"));
    await seeded.dataStore("orders").set("a", 1);
    seeded.close();
    const ui = startUi(["--no-open", "--port", "0", "--store-file", "mine.db"], cwd);
    const address = await ui.address;
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const url = new URL(address);
    const response = await fetch(`${url.origin}/api/data-stores`, { headers: { Authorization: `Bearer ${url.searchParams.get("token")}` } });
    expect(await response.json()).toEqual({ storeFile: join(cwd, "mine.db"), dataStores: [{ name: "orders", records: 1, internalRecords: 0 }] });
    expect(ui.stderr()).toMatch(/open the address above in a browser/);
    expect(await ui.stop()).toBe(0);
    await expect(fetch(`${url.origin}/`)).rejects.toThrow();
  });

  test("a typed --data-store opens on its records view; an unknown one, while others exist, is exit 2 naming them", async () => {
    const cwd = folders.make();
    const seeded = StoreFile.open(join(cwd, ".dskit", "data-stores.db"));
    await seeded.dataStore("orders").set("a", 1);
    seeded.close();
    const ui = startUi(["--no-open", "--port", "0", "--data-store", "orders"], cwd);
    expect(await ui.address).toMatch(/\?token=[\w-]+#\/stores\/orders$/);
    expect(await ui.stop()).toBe(0);

    const typo = startUi(["--no-open", "--port", "0", "--data-store", "ordres"], cwd);
    expect(await typo.exit).toBe(2);
    expect(typo.stderr()).toMatch(/^dskit: data store "ordres": not in .+; its data stores: orders\.$/m);
  });

  test("a port in use is exit 2 with a message suggesting another port", async () => {
    const cwd = folders.make();
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    const ui = startUi(["--no-open", "--port", String(port)], cwd);
    expect(await ui.exit).toBe(2);
    expect(ui.stderr()).toBe(`dskit: ui: port ${port} is in use; pass --port <another> or --port 0\n`);
  });

  test("a --port that is not a port is a usage error, exit 2", async () => {
    const ui = startUi(["--port", "http"], folders.make());
    expect(await ui.exit).toBe(2);
    expect(ui.stderr()).toMatch(/a port is a whole number from 0/);
  });
});
