/**
 * Builds dist/actions/<name>/<name>.mjs and dist/sources/<name>/<name>.mjs: what `pd publish`
 * uploads, what dskit runs and what the tests load. Each file is one self-contained ES module
 * (esbuild bundles the component with the app, components/common and lib/ from the .mts sources)
 * that imports only @pipedream/platform and node: built-ins, and ends in a literal
 * `export default { key: …, name: …, props: { … }, run: x.run }`: the shape Pipedream's lint rules
 * read (scripts/lib/component-literal.mts says how it is written).
 *
 * Each file is checked before the build moves on: the module is imported as bundled and again as
 * written, and the two components must not differ (scripts/lib/component-literal.mts,
 * `differenceBetween`). Exits non-zero on any failure.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { listComponentFiles, type ComponentFile } from "../runtime/component-files.mjs";
import { bundle } from "./lib/bundle.mjs";
import { componentLiteral, differenceBetween } from "./lib/component-literal.mjs";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(REPO_ROOT, "dist");

/** The module's default export; `version` makes each import a fresh module instance. */
async function importDefault(path: string, version: string): Promise<object> {
  const module = (await import(`${pathToFileURL(path).href}?${version}`)) as { default?: unknown };
  if (typeof module.default !== "object" || module.default === null) throw new Error(`${relative(REPO_ROOT, path)} has no default export object`);
  return module.default;
}

async function buildComponent(component: ComponentFile): Promise<string> {
  const { code, variable, imports } = await bundle({ file: component.path });
  const outfile = join(DIST, component.relativePath.replace(/\.mts$/, ".mjs"));
  mkdirSync(dirname(outfile), { recursive: true });
  const header = `// ${component.key}: built by pd-datastore-kit from ${component.relativePath}; imports ${imports.join(", ") || "nothing"}. Do not edit.\n`;

  // First as esbuild wrote it, to read the component the literal is made from.
  writeFileSync(outfile, `${header}${code}export { ${variable} as default };\n`);
  const bundled = await importDefault(outfile, "bundled");
  const declared = bundled as { key?: unknown; type?: unknown };
  if (declared.key !== component.key) throw new Error(`its key is ${JSON.stringify(declared.key)}, expected "${component.key}" (the folder's name)`);
  if (declared.type !== component.kind) throw new Error(`its type is ${JSON.stringify(declared.type)}, expected "${component.kind}"`);

  writeFileSync(outfile, `${header}${code}export default ${componentLiteral(bundled, variable)};\n`);
  const difference = differenceBetween(await importDefault(outfile, "written"), bundled);
  if (difference) throw new Error(`the written default export differs from the bundled component: ${difference}`);
  return outfile;
}

async function main(): Promise<void> {
  const components = listComponentFiles(REPO_ROOT, ".mts");
  if (components.length === 0) throw new Error("no components found under actions/ or sources/");
  for (const component of components) {
    try {
      console.log(`built ${relative(REPO_ROOT, await buildComponent(component))}`);
    } catch (error) {
      throw new Error(`${component.relativePath}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}

main().catch((error: unknown) => {
  console.error(`build-components failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
