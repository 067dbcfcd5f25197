/**
 * One esbuild bundle as the builds use it: every import bundled in but the npm packages Pipedream
 * installs by name and Node's built-ins, and the bundle's trailing `export { x as default };`
 * taken off, so the caller can end the file with a default export it writes as a literal.
 */
import { build, type Metafile } from "esbuild";
import { isBuiltin } from "node:module";

/** The one npm package a published file may import: Pipedream installs it, and our errors must be its classes. */
export const PUBLISHED_PACKAGES: readonly string[] = ["@pipedream/platform"];

export interface Bundle {
  /** The bundled code without its default export. */
  code: string;
  /** The name the bundle gives the entry's default export, e.g. `get_record_default`. */
  variable: string;
  /** The modules the code still imports, sorted. */
  imports: string[];
}

/** Where the bundle starts: a file, or a one-line module of our own (the code steps re-export a built file). */
export type BundleEntry = { file: string } | { contents: string; resolveDir: string; name: string };

/** Bundles `entry` into one ES module; throws when it would import anything but PUBLISHED_PACKAGES and `node:` built-ins. */
export async function bundle(entry: BundleEntry): Promise<Bundle> {
  const result = await build({
    ...("file" in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.contents, resolveDir: entry.resolveDir, sourcefile: entry.name, loader: "js" as const } }),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: [...PUBLISHED_PACKAGES],
    // Written by the caller, after its default export is added.
    write: false,
    outdir: "out",
    metafile: true,
    logLevel: "silent",
  });
  if (result.warnings.length > 0) throw new Error(`esbuild warned: ${result.warnings.map((warning) => warning.text).join("; ")}`);
  const [output] = result.outputFiles;
  if (!output || result.outputFiles.length !== 1) throw new Error(`expected one bundle, esbuild wrote ${result.outputFiles.length}`);
  return { ...withoutDefaultExport(output.text), imports: externalImports(result.metafile) };
}

/**
 * The modules a bundle imports, from esbuild's metafile, sorted; throws on any but PUBLISHED_PACKAGES
 * and `node:` built-ins (a bare `crypto` would work in Node, but the prefix says plainly what it is).
 */
export function externalImports(metafile: Metafile): string[] {
  const outputs = Object.values(metafile.outputs);
  if (outputs.length !== 1) throw new Error(`expected one bundle, esbuild wrote ${outputs.length}`);
  const imports = [...new Set(outputs[0]!.imports.filter((entry) => entry.external).map((entry) => entry.path))].sort();
  const foreign = imports.filter((path) => !PUBLISHED_PACKAGES.includes(path) && !(path.startsWith("node:") && isBuiltin(path)));
  if (foreign.length > 0) {
    throw new Error(`the bundle imports ${foreign.join(", ")}; a published file may import only ${PUBLISHED_PACKAGES.join(", ")} and node: built-ins`);
  }
  return imports;
}

/** esbuild ends an ES module bundle with `export {\n  x as default\n};`: that export goes, the caller writes its own. */
export function withoutDefaultExport(bundled: string): { code: string; variable: string } {
  const ending = /\nexport \{\n {2}(\w+) as default\n\};\n$/;
  const match = ending.exec(bundled);
  if (!match) throw new Error("the bundle does not end in `export { x as default };`: the entry must have a default export and no other");
  return { code: bundled.slice(0, match.index + 1), variable: match[1]! };
}
