/**
 * The components dskit can run, found next to its own install (dist/actions, dist/sources),
 * never in the current directory: `dskit` works the same from any folder.
 */
import { fileURLToPath, pathToFileURL } from "node:url";
import { asComponent, type ComponentDefinition } from "../runtime/component.mjs";
import { listComponentFiles, type ComponentFile } from "../runtime/component-files.mjs";

/** The built package (dist/), which holds actions/ and sources/ beside local/. */
const BUILD_ROOT = fileURLToPath(new URL("..", import.meta.url));

export type CatalogEntry = ComponentFile;

/** Every built action and source, actions first, each sorted by name. */
export function listCatalog(root = BUILD_ROOT): CatalogEntry[] {
  return listComponentFiles(root, ".mjs");
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
  const module = (await import(pathToFileURL(entry.path).href)) as { default: object };
  return { entry, component: asComponent(module.default) };
}
