/** Every component of the package, as the runtime finds them (runtime/component-files.mts), from the sources. */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { listComponentFiles } from "../../runtime/component-files.mjs";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface ComponentLocation {
  kind: "actions" | "sources";
  /** The folder name, which is also the key after "data_stores-". */
  name: string;
  /** The source file, relative to the repository root, e.g. "actions/get-record/get-record.mts". */
  sourcePath: string;
  /** The built file that is published, relative to the repository root, e.g. "dist/actions/get-record/get-record.mjs". */
  builtPath: string;
}

/** Folders under actions/ and sources/ that hold a component file of their own name (sources/common is shared code). */
export function listComponents(): ComponentLocation[] {
  return listComponentFiles(REPO_ROOT, ".mts").map(({ kind, name, relativePath }) => ({
    kind: `${kind}s`,
    name,
    sourcePath: relativePath,
    builtPath: `dist/${relativePath.replace(/\.mts$/, ".mjs")}`,
  }));
}
