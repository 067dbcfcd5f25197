/** Every component of the package, found the way Pipedream's registry lays them out: one folder each. */
import { readdirSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface ComponentLocation {
  kind: "actions" | "sources";
  /** The folder name, which is also the key after "data_stores-". */
  name: string;
  /** The source file, relative to the repository root, e.g. "actions/get-record/get-record.mts". */
  sourcePath: string;
}

/** Folders under actions/ and sources/ that hold a component file of their own name (sources/common is shared code). */
export function listComponents(): ComponentLocation[] {
  return (["actions", "sources"] as const).flatMap((kind) => {
    const folder = join(REPO_ROOT, kind);
    if (!existsSync(folder)) return [];
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, `${entry.name}.mts`)))
      .map((entry) => ({ kind, name: entry.name, sourcePath: `${kind}/${entry.name}/${entry.name}.mts` }));
  });
}
