/**
 * `dskit run <file>` with a source written for the test (test/fixtures/run-file/projects.mts): the
 * first run deploys it, later runs poll it, its `$.service.db` and its dedupe memory kept in the
 * store file between processes, as a deployed source keeps them between timer ticks. The BUILT
 * cli in child processes; run `npm run build` before this file alone.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { DSKIT_TIMEOUT_MS, dskit, tempFolders, type DskitResult } from "../support/dskit-cli.mjs";
import { NOTES_SOURCE, writeFiles } from "../fixtures/run-file/projects.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

const SOURCE = "./sources/new-note.mjs";

function eventsOf(result: DskitResult): { event: unknown; meta: { id: string } }[] {
  expect({ status: result.status, stderr: result.stderr }).toMatchObject({ status: 0 });
  return JSON.parse(result.stdout) as { event: unknown; meta: { id: string } }[];
}

describe("dskit run <file>: a source", () => {
  test(
    "deploys, then polls with its $.service.db and the timer's default kept across runs; unique dedupe drops an id seen in an earlier run",
    () => {
      const cwd = folders.make();
      writeFiles(cwd, NOTES_SOURCE);
      expect(dskit(["store", "set", "before", "1"], { cwd }).status).toBe(0);
      const deployed = dskit(["run", SOURCE], { cwd });
      expect(eventsOf(deployed)).toEqual([]);
      expect(deployed.stderr).toMatch(/^Deployed notes-new-note on data store "default"/);

      expect(dskit(["store", "set", "a", "1"], { cwd }).status).toBe(0);
      const first = eventsOf(dskit(["run", SOURCE], { cwd }));
      expect(first).toEqual([{ event: { key: "a", poll: 1, intervalSeconds: 900 }, meta: { id: "a", summary: "New note a", ts: 1 } }]);

      // The poll emits "a" again with the same id: only the dedupe memory kept from the last run drops it.
      expect(dskit(["store", "set", "b", "2"], { cwd }).status).toBe(0);
      const second = eventsOf(dskit(["run", SOURCE], { cwd }));
      expect(second.map(({ event }) => event)).toEqual([{ key: "b", poll: 2, intervalSeconds: 900 }]);
      expect(eventsOf(dskit(["run", SOURCE], { cwd }))).toEqual([]);
    },
    DSKIT_TIMEOUT_MS,
  );

  test(
    "--dry-run shows the poll and saves nothing: neither $.service.db nor dedupe memory moves",
    () => {
      const cwd = folders.make();
      writeFiles(cwd, NOTES_SOURCE);
      expect(eventsOf(dskit(["run", SOURCE], { cwd }))).toEqual([]);
      expect(dskit(["store", "set", "a", "1"], { cwd }).status).toBe(0);
      const preview = dskit(["run", SOURCE, "--dry-run"], { cwd });
      expect(eventsOf(preview).map(({ meta }) => meta.id)).toEqual(["a"]);
      expect(preview.stderr).toMatch(/a poll would emit now\. Dry run: nothing was saved/);
      // The real poll is still the first: poll 1, and "a" not yet seen by dedupe.
      expect(eventsOf(dskit(["run", SOURCE], { cwd }))).toEqual([{ event: { key: "a", poll: 1, intervalSeconds: 900 }, meta: { id: "a", summary: "New note a", ts: 1 } }]);
    },
    DSKIT_TIMEOUT_MS,
  );
});
