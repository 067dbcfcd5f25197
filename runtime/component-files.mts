/**
 * Where the package's components are: one folder per action and per source under actions/ and
 * sources/, holding a file of the folder's name, as Pipedream's registry lays them out (a folder
 * without one, like sources/common, is shared code). The build (scripts/build-components.mts,
 * scripts/build-code-steps.mts), dskit's catalog and the tests all find components through
 * `listComponentFiles`: the sources under the repository, the built files under dist/.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

export type ComponentKind = "action" | "source";

/** The app's slug: every component's key is `data_stores-<folder name>`. */
export const APP_SLUG = "data_stores";

export interface ComponentFile {
  kind: ComponentKind;
  /** The folder name, e.g. `get-record`. */
  name: string;
  /** The registry key, e.g. `data_stores-get-record`. */
  key: string;
  /** Absolute path of the component's file. */
  path: string;
  /** The path from `root`, with forward slashes, e.g. `actions/get-record/get-record.mts`. */
  relativePath: string;
}

/**
 * Every component under `root` (the repository for sources, dist/ for built files) whose file
 * ends in `extension` (".mts" or ".mjs"): actions first, then sources, each sorted by name.
 */
export function listComponentFiles(root: string, extension: ".mts" | ".mjs", kinds: readonly ComponentKind[] = ["action", "source"]): ComponentFile[] {
  return kinds.flatMap((kind) => {
    const folder = join(root, `${kind}s`);
    if (!existsSync(folder)) return [];
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, `${entry.name}${extension}`)))
      .map((entry) => entry.name)
      .sort()
      .map((name) => {
        const relativePath = `${kind}s/${name}/${name}${extension}`;
        return { kind, name, key: `${APP_SLUG}-${name}`, path: join(root, relativePath), relativePath };
      });
  });
}
