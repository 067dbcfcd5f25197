/**
 * What `pd publish` uploads is one file per component. Each built file is copied into an empty
 * temporary folder where the only package installed is @pipedream/platform (a link to ours: Node
 * follows it to its real path, where the platform's own dependencies are), and imported there by a
 * fresh Node process: a file that still imported p-map, @pipedream/types or a file beside it would
 * fail here. `npm test` builds first, so dist/ is fresh.
 */
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { listComponents, REPO_ROOT } from "../support/components.mjs";

const components = listComponents();

interface Loaded {
  path: string;
  error?: string;
  key?: unknown;
  name?: unknown;
  description?: unknown;
  version?: unknown;
  type?: unknown;
  props?: string;
  annotations?: unknown;
  run?: string;
}

/** Imports each file given on the command line and prints what it exports, or why it failed. */
const LOADER = `
const loaded = [];
for (const path of process.argv.slice(2)) {
  try {
    const { default: component } = await import(new URL(path, import.meta.url).href);
    const { key, name, description, version, type, props, annotations, run } = component ?? {};
    loaded.push({ path, key, name, description, version, type, annotations,
      props: props === null ? "null" : Array.isArray(props) ? "array" : typeof props, run: typeof run });
  } catch (error) {
    loaded.push({ path, error: String(error?.code ?? error) });
  }
}
console.log(JSON.stringify(loaded));
`;

let folder: string;
let loaded: Map<string, Loaded>;

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), "pd-publish-"));
  for (const { builtPath } of components) {
    mkdirSync(dirname(join(folder, builtPath)), { recursive: true });
    cpSync(join(REPO_ROOT, builtPath), join(folder, builtPath));
  }
  mkdirSync(join(folder, "node_modules", "@pipedream"), { recursive: true });
  symlinkSync(join(REPO_ROOT, "node_modules", "@pipedream", "platform"), join(folder, "node_modules", "@pipedream", "platform"), "dir");
  // The control: a file that imports a package the folder lacks must fail, or passing proves nothing.
  writeFileSync(join(folder, "imports-p-map.mjs"), 'import pMap from "p-map";\nexport default { key: "probe", run: pMap };\n');
  writeFileSync(join(folder, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(join(folder, "load.mjs"), LOADER);
  const paths = [...components.map(({ builtPath }) => `./${builtPath}`), "./imports-p-map.mjs"];
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.NODE_PATH;
  const output = execFileSync(process.execPath, ["load.mjs", ...paths], { cwd: folder, encoding: "utf8", env });
  loaded = new Map((JSON.parse(output) as Loaded[]).map((entry) => [entry.path.replace(/^\.\//, ""), entry]));
});

afterAll(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test("the folder has @pipedream/platform and nothing else: a file importing p-map fails to load there", () => {
  expect(loaded.get("imports-p-map.mjs")).toEqual({ path: "./imports-p-map.mjs", error: "ERR_MODULE_NOT_FOUND" });
});

test.each(components)("$builtPath loads alone and exports its component", ({ kind, name, builtPath }) => {
  const entry = loaded.get(builtPath);
  expect(entry?.error).toBeUndefined();
  expect(entry).toMatchObject({
    key: `data_stores-${name}`,
    name: expect.stringMatching(/\S/),
    description: expect.stringMatching(/\S/),
    version: expect.stringMatching(/^\d+\.\d+\.\d+$/),
    type: kind === "actions" ? "action" : "source",
    props: "object",
    run: "function",
  });
  if (kind === "actions") {
    const annotations = (entry?.annotations ?? {}) as Record<string, unknown>;
    const hints = ["destructiveHint", "openWorldHint", "readOnlyHint"].map((hint) => [hint, typeof annotations[hint]]);
    expect(Object.fromEntries(hints)).toEqual({ destructiveHint: "boolean", openWorldHint: "boolean", readOnlyHint: "boolean" });
  }
});
