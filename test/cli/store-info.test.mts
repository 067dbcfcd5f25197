/**
 * Where the data is: `dskit info` and `dskit stores`, the read-only rule (a read never creates the
 * store file or its folder), unknown data store names, the counts of `store ls` and `store stats`,
 * and paths relative to the folder the user typed in (INIT_CWD under `npm run dskit`).
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DSKIT_TIMEOUT_MS, runDskit, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

function ok(result: DskitResult): DskitResult {
  expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
  return result;
}

describe("read-only commands never create a file or folder", () => {
  test(
    "in an empty folder each read exits 2 naming the missing file, and the folder stays empty",
    async () => {
      const cwd = folders.make();
      const elsewhere = join(cwd, "new", "dir", "x.db");
      const reads = [
        ["store", "ls"],
        ["store", "get", "k"],
        ["store", "stats"],
        ["store", "export"],
        ["store", "export", "out.json"],
        ["info"],
        ["stores"],
        ["store", "get", "k", "--store-file", elsewhere],
        ["info", "--store-file", elsewhere],
      ];
      for (const args of reads) {
        const result = await runDskit(args, { cwd });
        expect({ args, status: result.status, stdout: result.stdout }).toEqual({ args, status: 2, stdout: "" });
        expect(result.stderr).toMatch(/^dskit: store file .+: it does not exist/);
        expect(result.stderr).toContain(args.includes(elsewhere) ? elsewhere : join(cwd, ".dskit", "data-stores.db"));
      }
      const fromEnv = await runDskit(["store", "ls"], { cwd, env: { DSKIT_STORE_FILE: "env.db" } });
      expect(fromEnv.status).toBe(2);
      expect(fromEnv.stderr).toContain("chosen by the environment (DSKIT_STORE_FILE=env.db)");
      expect(readdirSync(cwd)).toEqual([]);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "a read of a data store the file lacks lists the ones it has (exit 2); an empty name is refused",
    async () => {
      const cwd = folders.make();
      ok(await runDskit(["store", "set", "a", "1", "--data-store", "staging"], { cwd }));
      ok(await runDskit(["store", "set", "b", "2", "--data-store", "production"], { cwd }));
      for (const args of [["store", "ls"], ["store", "get", "a"], ["store", "stats"], ["store", "export"]]) {
        const typo = await runDskit([...args, "--data-store", "stagin"], { cwd });
        expect({ args, status: typo.status, stdout: typo.stdout }).toEqual({ args, status: 2, stdout: "" });
        expect(typo.stderr).toMatch(/^dskit: data store "stagin": not in .+; its data stores: production, staging\.$/m);
      }
      const empty = await runDskit(["store", "ls", "--data-store", ""], { cwd });
      expect(empty.status).toBe(2);
      expect(empty.stderr).toMatch(/^dskit: .*--data-store.*empty/);
      // A write to a new name is how a data store starts: not refused.
      ok(await runDskit(["store", "set", "c", "3", "--data-store", "new"], { cwd }));
      expect(ok(await runDskit(["stores"], { cwd })).stdout).toBe("new\nproduction\nstaging\n");
    },
    DSKIT_TIMEOUT_MS,
  );
});

describe("dskit info and dskit stores", () => {
  test(
    "info names the file, why it was chosen, its size and each data store's counts; stores lists the names",
    async () => {
      const cwd = folders.make();
      ok(await runDskit(["store", "import", "-", "--data-store", "crm"], { cwd, input: '{"a": 1, "b": 2}' }));
      ok(await runDskit(["run", "rate-limit", "--data-store", "crm", "--prop", "key=api", "--prop", "limit=5", "--prop", "windowSeconds=60"], { cwd }));
      ok(await runDskit(["store", "set", "k", "v"], { cwd }));

      const info = ok(await runDskit(["info"], { cwd })).stdout;
      expect(info).toContain(`Store file:  ${join(cwd, ".dskit", "data-stores.db")}\n`);
      expect(info).toContain(`Chosen by:   the default (${join(".dskit", "data-stores.db")} in ${cwd})\n`);
      expect(info).toMatch(/^Size: {8}\d/m);
      expect(info).toMatch(/^Data stores: 2\n {2}crm {6}2 records, 1 internal record\n {2}default {2}1 record\n$/m);

      ok(await runDskit(["store", "set", "k", "v", "--store-file", "other.db"], { cwd }));
      const byFlag = ok(await runDskit(["info", "--store-file", "other.db"], { cwd })).stdout;
      expect(byFlag).toContain(`Store file:  ${join(cwd, "other.db")}\n`);
      expect(byFlag).toMatch(/^Chosen by: {3}the --store-file flag \(other\.db\)$/m);
      const byEnv = ok(await runDskit(["info"], { cwd, env: { DSKIT_STORE_FILE: "other.db" } })).stdout;
      expect(byEnv).toMatch(/^Chosen by: {3}the environment \(DSKIT_STORE_FILE=other\.db\)$/m);

      const stores = ok(await runDskit(["stores"], { cwd }));
      expect(stores.stdout).toBe("crm\ndefault\n");
      expect(stores.stderr).toMatch(/^2 data stores in /);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "store ls and store stats count the same records, the package's state apart",
    async () => {
      const cwd = folders.make();
      ok(await runDskit(["store", "import", "-"], { cwd, input: '{"a": 1, "b": 2}' }));
      ok(await runDskit(["run", "rate-limit", "--prop", "key=api", "--prop", "limit=5", "--prop", "windowSeconds=60"], { cwd }));
      const listed = ok(await runDskit(["store", "ls"], { cwd }));
      expect(listed.stdout).toBe("a\t1\nb\t2\n");
      expect(listed.stderr).toBe("2 records and 1 internal record (the package's state; --include-internal lists it)\n");
      const all = ok(await runDskit(["store", "ls", "--include-internal", "--keys-only"], { cwd }));
      expect(all.stdout).toMatch(/^__dskit:limit:.+\na\nb\n$/);
      expect(all.stderr).toBe("2 records and 1 internal record (the package's state)\n");
      expect(JSON.parse(ok(await runDskit(["store", "stats"], { cwd })).stdout)).toMatchObject({ records: 2, internalRecords: 1 });
    },
    DSKIT_TIMEOUT_MS,
  );
});

describe("paths are relative to the folder the user typed in", () => {
  test(
    "under npm run dskit (cwd the package root, INIT_CWD the user's folder) the store, import and export files are the user's",
    async () => {
      const root = folders.make();
      const sub = join(root, "work", "here");
      mkdirSync(sub, { recursive: true });
      writeFileSync(join(sub, "in.json"), '{"k": "v"}');
      // What npm sets: the package.json it ran and the folder the command was typed in.
      const env = { INIT_CWD: sub, npm_package_json: join(root, "package.json") };
      ok(await runDskit(["store", "import", "in.json"], { cwd: root, env }));
      ok(await runDskit(["store", "export", "out.json"], { cwd: root, env }));
      expect(existsSync(join(sub, ".dskit", "data-stores.db"))).toBe(true);
      expect(existsSync(join(sub, "out.json"))).toBe(true);
      expect(existsSync(join(root, ".dskit"))).toBe(false);
      writeFileSync(join(sub, "props.json"), '{"key": "p", "value": "from props"}');
      ok(await runDskit(["run", "add-update-record", "--props-file", "props.json"], { cwd: root, env }));
      expect(ok(await runDskit(["info"], { cwd: root, env })).stdout).toContain(`Store file:  ${join(sub, ".dskit", "data-stores.db")}`);
      expect(ok(await runDskit(["store", "ls", "--keys-only"], { cwd: root, env })).stdout).toBe("k\np\n");
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "an INIT_CWD from an npm script run elsewhere (npm test spawning dskit in another folder) is ignored",
    async () => {
      const cwd = folders.make();
      const other = folders.make();
      const env = { INIT_CWD: other, npm_package_json: join(other, "package.json") };
      ok(await runDskit(["store", "set", "k", "v"], { cwd, env }));
      expect(existsSync(join(cwd, ".dskit", "data-stores.db"))).toBe(true);
      expect(readdirSync(other)).toEqual([]);
    },
    DSKIT_TIMEOUT_MS,
  );
});
