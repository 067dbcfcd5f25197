/**
 * The layers' dependency rules (eslint.config.js) fire: a file in each layer that imports what its
 * layer may not is an error, and the same file importing what it may is clean. The files are
 * linted as text under their would-be paths, so nothing is written into the tree.
 */
import { describe, expect, test } from "@jest/globals";
import { ESLint } from "eslint";
import { join } from "node:path";
import { REPO_ROOT } from "../support/components.mjs";

const eslint = new ESLint({ cwd: REPO_ROOT });

/** The `no-restricted-imports` findings for `source` linted as if it were the file at `path`. */
async function boundaryErrors(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(REPO_ROOT, path) });
  return result!.messages.filter((message) => message.ruleId === "no-restricted-imports").map((message) => message.message);
}

const importOf = (specifier: string) => `import * as probe from "${specifier}";\nexport const used = probe;\n`;

describe("the dependency rules", () => {
  test.each([
    ["lib/records/probe.mts", "@pipedream/platform"],
    ["lib/records/probe.mts", "../../components/common/inputs.mjs"],
    ["lib/records/probe.mts", "../../runtime/component.mjs"],
    ["lib/counter/probe.mts", "../../stores/memory-data-store.mjs"],
    ["lib/store/probe.mts", "../../test/support/harness.mjs"],
    ["components/common/probe.mts", "../../runtime/component.mjs"],
    ["components/common/probe.mts", "../../actions/get-record/get-record.mjs"],
    ["components/probe.mts", "../local/cli.mjs"],
    ["actions/get-record/probe.mts", "../../stores/sqlite-data-store.mjs"],
    ["actions/get-record/probe.mts", "../../test/support/fixtures.mjs"],
    ["actions/get-record/probe.mts", "../../bench/run.mjs"],
    ["sources/new-record/probe.mts", "../../runtime/component.mjs"],
    ["sources/new-record/probe.mts", "better-sqlite3"],
    ["runtime/probe.mts", "../components/common/inputs.mjs"],
    ["runtime/probe.mts", "../lib/records/records.mjs"],
    ["runtime/probe.mts", "../lib/index.mjs"],
    ["stores/probe.mts", "../lib/counter/counter.mjs"],
    ["stores/probe.mts", "../local/cli.mjs"],
  ])("%s may not import %s", async (path, specifier) => {
    const errors = await boundaryErrors(path, importOf(specifier));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(specifier);
  });

  test.each([
    ["lib/records/probe.mts", "../store/data-store.mjs"],
    ["lib/records/probe.mts", "node:crypto"],
    ["lib/records/probe.mts", "p-map"],
    ["components/common/probe.mts", "../../lib/records/records.mjs"],
    ["components/common/probe.mts", "@pipedream/platform"],
    ["actions/get-record/probe.mts", "../../components/common/inputs.mjs"],
    ["actions/get-record/probe.mts", "../../lib/records/records.mjs"],
    ["runtime/probe.mts", "../lib/store/json.mjs"],
    ["stores/probe.mts", "../lib/store/data-store.mjs"],
    ["local/probe.mts", "../runtime/component.mjs"],
    ["test/probe.mts", "../stores/memory-data-store.mjs"],
    ["bench/probe.mts", "../test/support/harness.mjs"],
  ])("%s may import %s", async (path, specifier) => {
    expect(await boundaryErrors(path, importOf(specifier))).toEqual([]);
  });
});
