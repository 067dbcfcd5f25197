/**
 * The components dskit can run, found next to its own install (dist/actions, dist/sources),
 * never in the current directory: `dskit` works the same from any folder.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { asComponent, type ComponentDefinition } from "../runtime/component.mjs";

/** The built package (dist/), which holds actions/ and sources/ beside local/. */
const BUILD_ROOT = fileURLToPath(new URL("..", import.meta.url));

export interface CatalogEntry {
  kind: "action" | "source";
  /** The folder name, e.g. `get-record`. */
  name: string;
  /** The registry key, e.g. `data_stores-get-record`. */
  key: string;
  file: string;
}

/** Every action and source, actions first, each sorted by name. */
export function listCatalog(root = BUILD_ROOT): CatalogEntry[] {
  return (["action", "source"] as const).flatMap((kind) => {
    const folder = join(root, `${kind}s`);
    if (!existsSync(folder)) return [];
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(folder, entry.name, `${entry.name}.mjs`)))
      .map((entry) => ({ kind, name: entry.name, key: `data_stores-${entry.name}`, file: join(folder, entry.name, `${entry.name}.mjs`) }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  });
}

/** A component name or key that is not in the catalog; the message lists where to look. */
export class UnknownComponentError extends Error {
  override name = "UnknownComponentError";
}

/** Loads a component by folder name (`get-record`) or key (`data_stores-get-record`). */
export async function loadComponent(nameOrKey: string): Promise<{ entry: CatalogEntry; component: ComponentDefinition }> {
  const catalog = listCatalog();
  const entry = catalog.find((candidate) => candidate.name === nameOrKey || candidate.key === nameOrKey);
  if (!entry) {
    const examples = catalog.slice(0, 3).map((candidate) => candidate.name);
    throw new UnknownComponentError(`No component "${nameOrKey}". Run \`dskit list\` to see them all (e.g. ${examples.join(", ")}).`);
  }
  const module = (await import(pathToFileURL(entry.file).href)) as { default: object };
  return { entry, component: asComponent(module.default) };
}
