/**
 * A `dskit ui` dashboard for tests: served on 127.0.0.1 and a free port, over a store file in a
 * fresh temporary folder, with a clock only the test moves (the store's TTLs and the API's
 * `ttlSeconds` read the same one). `request` sends the token as `X-Dskit-Token` unless told not
 * to, so each test states only what matters. Close it in afterEach: the folder goes too.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDashboard } from "../../local/ui/server.mjs";
import { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { TestClock } from "./clock.mjs";

export interface TestDashboardOptions {
  /** The clock of the store and the API; default a new TestClock. */
  clock?: TestClock;
  /** Fills the store before the server starts, e.g. `(file) => file.dataStore("orders").set("a", 1)`. */
  seed?: (storeFile: StoreFile) => Promise<void> | void;
}

export interface TestRequestInit extends RequestInit {
  /** A body sent as JSON (sets Content-Type). */
  json?: unknown;
  /** Send no token: to prove a request without one is refused. */
  withoutToken?: boolean;
}

export interface TestDashboard {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  origin: string;
  /** The address `dskit ui` prints: `<origin>/?token=<token>`; a browser opening it gets the cookie. */
  url: string;
  port: number;
  token: string;
  storeFile: StoreFile;
  storeFilePath: string;
  clock: TestClock;
  /** fetch(`origin + path`) with the token header (unless `withoutToken`) and `json` as the body. */
  request(path: string, init?: TestRequestInit): Promise<Response>;
  /** Stops the server, closes the store file and removes the temporary folder. */
  close(): Promise<void>;
}

/** Starts a dashboard on a free port over a new temporary store file. */
export async function startTestDashboard(options: TestDashboardOptions = {}): Promise<TestDashboard> {
  const clock = options.clock ?? new TestClock();
  const folder = mkdtempSync(join(tmpdir(), "dskit-ui-"));
  const storeFilePath = join(folder, "data-stores.db");
  const storeFile = StoreFile.open(storeFilePath, { now: clock.now });
  try {
    await options.seed?.(storeFile);
    const dashboard = await startDashboard({ storeFile, storeFilePath, port: 0, now: clock.now });
    const origin = `http://127.0.0.1:${dashboard.port}`;
    return {
      origin,
      url: dashboard.url,
      port: dashboard.port,
      token: dashboard.token,
      storeFile,
      storeFilePath,
      clock,
      request(path, init = {}) {
        const { json, withoutToken, ...rest } = init;
        const headers = new Headers(rest.headers);
        if (!withoutToken) headers.set("X-Dskit-Token", dashboard.token);
        if (json !== undefined) headers.set("Content-Type", "application/json");
        return fetch(`${origin}${path}`, { ...rest, headers, body: json === undefined ? rest.body : JSON.stringify(json) });
      },
      async close() {
        await dashboard.close();
        storeFile.close();
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    storeFile.close();
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}
