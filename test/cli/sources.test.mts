/**
 * dskit and sources: `run <source> --dry-run` saves nothing (the source's $.service.db and its
 * state records in the data store stay byte for byte) and shows what the next real poll emits;
 * `source reset` forgets the state so the next run deploys; progress shows only on a terminal;
 * a failed run still prints its $summary. In-process (runDskit) against the BUILT components.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { join } from "node:path";
import Database from "better-sqlite3";
import { progressReporter, PROGRESS_INTERVAL_MS, PROGRESS_THRESHOLD } from "../../local/progress.mjs";
import { BufferedDataStore, bufferedSourceDb } from "../../local/dry-run.mjs";
import { DSKIT_TIMEOUT_MS as TIMEOUT_MS, runDskit, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";
import { startTestServer, type TestServer } from "../support/http-server.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

const STORE_FILE = join(".dskit", "data-stores.db");

/** Everything the store file holds: every record of every data store, and every source's db. */
function snapshot(cwd: string): unknown {
  const db = new Database(join(cwd, STORE_FILE), { readonly: true });
  try {
    return {
      records: db.prepare("SELECT store, key, json, expires_at FROM records ORDER BY store, key").all(),
      sourceDb: db.prepare("SELECT component, data_store, key, json FROM source_db ORDER BY component, data_store, key").all(),
    };
  } finally {
    db.close();
  }
}

/** The events printed, without `ts` (the time of the run). */
function eventsOf(result: DskitResult): unknown[] {
  expect(result.status).toBe(0);
  return (JSON.parse(result.stdout) as { event: unknown; meta: { ts?: number } }[]).map(({ event, meta }) => ({ event, meta: { ...meta, ts: undefined } }));
}

async function ok(args: string[], cwd: string): Promise<DskitResult> {
  const result = await runDskit(args, { cwd });
  expect({ args, status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
  return result;
}

describe("dskit run <source> --dry-run", () => {
  test(
    "saves nothing, and shows the events the next real poll emits",
    async () => {
      const cwd = folders.make();
      await ok(["store", "set", "a", "1"], cwd);
      await ok(["store", "set", "b", "2"], cwd);
      await ok(["run", "new-or-updated-record"], cwd); // deploys: a and b are the baseline
      await ok(["store", "set", "b", "20"], cwd);
      await ok(["store", "set", "c", "3"], cwd);
      const before = snapshot(cwd);
      expect(JSON.stringify(before)).toContain("__dskit:source:");

      const dry = await ok(["run", "new-or-updated-record", "--dry-run"], cwd);
      expect(dry.stderr).toMatch(/2 events a poll would emit now\. Dry run: nothing was saved \(\d+ writes discarded\)/);
      expect(snapshot(cwd)).toEqual(before);
      // Twice: the first dry run used nothing up.
      const again = await ok(["run", "new-or-updated-record", "--dry-run"], cwd);
      expect(eventsOf(again)).toEqual(eventsOf(dry));
      expect(snapshot(cwd)).toEqual(before);

      const real = await ok(["run", "new-or-updated-record"], cwd);
      expect(eventsOf(real)).toEqual(eventsOf(dry));
      expect(eventsOf(dry)).toHaveLength(2);
      expect(snapshot(cwd)).not.toEqual(before);
      expect(eventsOf(await ok(["run", "new-or-updated-record", "--dry-run"], cwd))).toEqual([]);
    },
    TIMEOUT_MS,
  );

  test(
    "before the first deploy, shows what deploying would emit and deploys nothing",
    async () => {
      const cwd = folders.make();
      await ok(["store", "set", "flag", "on"], cwd);
      const before = snapshot(cwd);
      const dry = await ok(["run", "new-value-at-key", "--prop", "key=flag", "--dry-run"], cwd);
      expect(dry.stderr).toMatch(/^Would deploy data_stores-new-value-at-key|Would deploy/);
      expect(snapshot(cwd)).toEqual(before);
      const real = await ok(["run", "new-value-at-key", "--prop", "key=flag"], cwd);
      expect(real.stderr).toMatch(/Deployed/);
      expect(eventsOf(real)).toEqual(eventsOf(dry));
    },
    TIMEOUT_MS,
  );

  test("is refused for an action, as a mistake in the command (exit 2)", async () => {
    const cwd = folders.make();
    await ok(["store", "set", "a", "1"], cwd);
    const result = await runDskit(["run", "get-record", "--prop", "key=a", "--dry-run"], { cwd });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dskit: run get-record: --dry-run previews a source's poll/);
  });
});

describe("the copy-on-write stand-ins", () => {
  test("a buffered store reads its writes over the real store and leaves it untouched", async () => {
    const { store: real } = createFakeDataStore();
    await real.set("a", 1);
    await real.set("b", 2);
    const buffered = new BufferedDataStore(real);
    await buffered.set("c", 3);
    await buffered.delete("a");
    await buffered.set("b", { two: 2 });
    await buffered.setTtl("b", 60);
    expect(await buffered.get("a")).toBeUndefined();
    expect(await buffered.has("c")).toBe(true);
    const seen: [string, unknown][] = [];
    for await (const entry of buffered) seen.push(entry);
    expect(seen.sort()).toEqual([["b", { two: 2 }], ["c", 3]]);
    expect((await buffered.keys()).sort()).toEqual(["b", "c"]);
    await buffered.clear();
    expect(await buffered.keys()).toEqual([]);
    expect(Object.fromEntries(await Promise.all((await real.keys()).map(async (key) => [key, await real.get(key)])))).toEqual({ a: 1, b: 2 });
  });

  test("a buffered db keeps its writes to itself", () => {
    const saved = new Map<string, unknown>([["x", { n: 1 }]]);
    const db = bufferedSourceDb({ get: (key) => saved.get(key), set: (key, value) => void saved.set(key, value) });
    db.set("x", { n: 2 });
    expect(db.get("x")).toEqual({ n: 2 });
    expect(saved.get("x")).toEqual({ n: 1 });
  });
});

describe("dskit source reset", () => {
  test(
    "forgets the db and deletes the source's records in the data store; the next run deploys",
    async () => {
      const cwd = folders.make();
      await ok(["store", "set", "a", "1"], cwd);
      await ok(["store", "set", "__dskit:source:other", "1", "--internal"], cwd);
      await ok(["run", "new-record"], cwd);
      const internal = (await ok(["store", "ls", "--include-internal", "--keys-only"], cwd)).stdout.split("\n").filter((key) => key.startsWith("__dskit:source:"));
      expect(internal.length).toBeGreaterThanOrEqual(2); // the marker and a shard, plus the unrelated one

      const reset = await ok(["source", "reset", "new-record"], cwd);
      expect(reset.stderr).toMatch(/^Reset data_stores-new-record on data store "default": forgot its \$\.service\.db \(\d+ entr(y|ies)\) and deleted its \d+ state records? \(__dskit:source:/);
      const left = (await ok(["store", "ls", "--include-internal", "--keys-only"], cwd)).stdout.trim().split("\n");
      expect(left.sort()).toEqual(["__dskit:source:other", "a"]);
      expect((snapshot(cwd) as { sourceDb: unknown[] }).sourceDb).toEqual([]);

      expect((await ok(["run", "new-record"], cwd)).stderr).toMatch(/^Deployed/);
      expect((await ok(["source", "reset", "new-record"], cwd)).stderr).toMatch(/^Reset/);
      expect((await ok(["source", "reset", "new-record"], cwd)).stderr).toMatch(/has no state: nothing to reset/);
    },
    TIMEOUT_MS,
  );

  test("refuses an action and an unknown name (exit 2)", async () => {
    const cwd = folders.make();
    expect((await runDskit(["source", "reset", "get-record"], { cwd })).status).toBe(2);
    expect((await runDskit(["source", "reset", "new-recrd"], { cwd })).status).toBe(2);
  });
});

describe("progress", () => {
  const io = (tty: boolean) => {
    let stderr = "";
    return { writeErr: (text: string) => void (stderr += text), stderrIsTTY: tty, text: () => stderr };
  };

  test("on a terminal: one line rewritten in place past the threshold, erased at the end", () => {
    const terminal = io(true);
    let now = 0;
    const progress = progressReporter(terminal, "export", "records", () => now);
    progress.add(PROGRESS_THRESHOLD);
    now += PROGRESS_INTERVAL_MS;
    progress.add();
    expect(terminal.text()).toBe(`\r\x1b[Kexport: ${(PROGRESS_THRESHOLD + 1).toLocaleString("en-US")} records`);
    progress.add(); // within the interval: not redrawn
    progress.done();
    expect(terminal.text()).toMatch(/records\r\x1b\[K$/);
  });

  test("not on a terminal: nothing", () => {
    const pipe = io(false);
    let now = 0;
    const progress = progressReporter(pipe, "export", "records", () => (now += PROGRESS_INTERVAL_MS));
    progress.add(10 * PROGRESS_THRESHOLD);
    progress.done();
    expect(pipe.text()).toBe("");
  });

  test(
    "a command's stderr without a terminal has no progress line",
    async () => {
      const cwd = folders.make();
      await ok(["store", "set", "a", "1"], cwd);
      const exported = await ok(["store", "export"], cwd);
      expect(exported.stderr).toBe("Exported 1 record\n");
    },
    TIMEOUT_MS,
  );
});

describe("a failed run", () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  test(
    "prints its $summary, then the error; counts are pluralised",
    async () => {
      server = await startTestServer({ status: 400, json: { error: "no" } });
      const cwd = folders.make();
      await ok(["store", "set", "a", "1"], cwd);
      const result = await runDskit(["run", "export-records", "--prop", `url=${server.url}/ingest`], { cwd });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines.length).toBeGreaterThanOrEqual(2);
      // The summary first (how far the export got), the error last (its form is main.mts's).
      expect(lines[0]).toBe("Exported 0 records in 1 chunk; 1 chunk failed");
      expect(lines[lines.length - 1]).toMatch(/HTTP 400/);
      expect(result.stderr).not.toMatch(/\b1 attempts\b|\b1 chunks\b|\b1 records\b/);
    },
    TIMEOUT_MS,
  );
});
