/**
 * The build is what users publish (`pd publish dist/actions/<name>/<name>.mjs`): each file must
 * load in plain Node, outside jest and TypeScript, with its component as the default export.
 * `npm test` builds before running jest, so dist/ is fresh here.
 */
import { expect, test } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { listComponents, REPO_ROOT } from "../support/components.mjs";

const components = listComponents();
const distPaths = components.map(({ kind, name }) => `dist/${kind}/${name}/${name}.mjs`);

test("npm run build emitted an .mjs file for every component", () => {
  const missing = distPaths.filter((path) => !existsSync(join(REPO_ROOT, path)));
  expect(missing).toEqual([]);
});

test("every built component loads in plain node, with its component object as the default export", () => {
  const script = `
    const paths = JSON.parse(process.argv[1]);
    const loaded = [];
    for (const path of paths) {
      const module = await import(new URL(path, "file://${REPO_ROOT}/").href);
      loaded.push({ path, key: module.default?.key, type: module.default?.type, run: typeof module.default?.run });
    }
    console.log(JSON.stringify(loaded));`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(distPaths)], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  const loaded = JSON.parse(output) as { path: string; key: string; type: string; run: string }[];
  expect(loaded).toEqual(
    components.map(({ kind, name }, index) => ({
      path: distPaths[index],
      key: `data_stores-${name}`,
      type: kind === "actions" ? "action" : "source",
      run: "function",
    })),
  );
});

test("the library is importable from the package root, as a code step imports the published package", () => {
  // Node resolves a package's own name through its "exports", so this is what `import "pd-datastore-kit"` gets.
  const script = `
    const library = await import("pd-datastore-kit");
    console.log(JSON.stringify(Object.fromEntries(Object.entries(library).map(([name, value]) => [name, typeof value]))));`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
  expect(JSON.parse(output)).toMatchObject({
    increment: "function",
    readCounter: "function",
    rateLimit: "function",
    deduplicate: "function",
    getOrSet: "function",
    cachedRequest: "function",
    listRecords: "function",
    INTERNAL_KEY_PREFIX: "string",
  });
});
