/**
 * dskit with two data stores: the first data_store prop is the store --data-store names, a second
 * one (Compare's Other Data Store, Copy's Target Data Store) takes the name of another data store
 * in the same SQLite file as its prop value. dskit runs in this process through `main` (see dskit.test.mts).
 */
import { afterEach, expect, test } from "@jest/globals";
import { DSKIT_TIMEOUT_MS, runDskit, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

function jsonOf(result: DskitResult): unknown {
  expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
  return JSON.parse(result.stdout);
}

test(
  "compare and copy between two data stores of one store file; a missing or repeated second store is refused",
  async () => {
    const cwd = folders.make();
    const importInto = async (name: string, records: object) => expect((await runDskit(["store", "import", "-", "--data-store", name], { cwd, input: JSON.stringify(records) })).status).toBe(0);
    await importInto("staging", { a: 1, same: { x: 1, y: 2 }, diff: 0 });
    await importInto("production", { same: { y: 2, x: 1 }, diff: false, c: "" });

    const compared = await runDskit(["run", "compare-data-stores", "--data-store", "staging", "--prop", "otherDataStore=production"], { cwd });
    expect(jsonOf(compared)).toEqual({
      onlyHere: [{ key: "a", value: 1 }],
      onlyInOther: [{ key: "c", value: "" }],
      changed: [{ key: "diff", value: 0, otherValue: false }],
      unchanged: 1,
      truncated: false,
    });
    expect(compared.stderr).toBe("Compared: 1 only here, 1 only in the other, 1 changed, 1 unchanged\n");

    // A move with --props-json naming the target; the other store of the file is untouched by name.
    const moved = await runDskit(["run", "copy-records", "--data-store", "staging", "--props-json", '{"targetDataStore": "production", "deleteAfterCopy": true}'], { cwd });
    expect(jsonOf(moved)).toEqual({ copied: 1, skippedExisting: 2, deleted: 1 });
    const production = await runDskit(["store", "export", "--data-store", "production"], { cwd });
    expect(jsonOf(production)).toEqual({ a: 1, same: { y: 2, x: 1 }, diff: false, c: "" });
    const staging = await runDskit(["store", "export", "--data-store", "staging", "--include-internal"], { cwd });
    expect(jsonOf(staging)).toEqual({ same: { x: 1, y: 2 }, diff: 0 });

    // The same name twice is one store: refused, exit 1, nothing changed.
    const same = await runDskit(["run", "copy-records", "--data-store", "staging", "--prop", "targetDataStore=staging", "--prop", "deleteAfterCopy=true"], { cwd });
    expect(same.status).toBe(1);
    expect(same.stderr).toMatch(/^dskit: run copy-records: The target is the same data store as the source/);
    expect(jsonOf(await runDskit(["store", "export", "--data-store", "staging", "--include-internal"], { cwd }))).toEqual({ same: { x: 1, y: 2 }, diff: 0 });

    // No second store: the command cannot run as typed (exit 2) and says how to name one.
    const missing = await runDskit(["run", "compare-data-stores", "--data-store", "staging"], { cwd });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(
      'dskit: run compare-data-stores: data_stores-compare-data-stores needs Other Data Store: name another data store of the store file with --prop otherDataStore=NAME (--data-store picks the first one, here "staging").\n',
    );
    // The first store is --data-store's, never a prop.
    expect((await runDskit(["run", "compare-data-stores", "--prop", "dataStore=x", "--prop", "otherDataStore=y"], { cwd })).stderr).toMatch(/has no prop "dataStore"/);
  },
  DSKIT_TIMEOUT_MS * 3,
);
