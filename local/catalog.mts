/**
 * The components dskit can run, found next to its own install (dist/actions, dist/sources),
 * never in the current directory: `dskit` works the same from any folder.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { asComponent, type ComponentDefinition } from "../runtime/component.mjs";
import { listComponentFiles, type ComponentFile } from "../runtime/component-files.mjs";

/** The built package (dist/), which holds actions/ and sources/ beside local/. */
export const BUILD_ROOT = fileURLToPath(new URL("..", import.meta.url));

export type CatalogEntry = ComponentFile;

/** Every built action and source, actions first, each sorted by name. */
export function listCatalog(root = BUILD_ROOT): CatalogEntry[] {
  return listComponentFiles(root, ".mjs");
}

/** A component name or key that is not in the catalog; the message lists where to look. */
export class UnknownComponentError extends Error {
  override name = "UnknownComponentError";
}

/** Loads a component by folder name (`get-record`) or key (`data_stores-get-record`), from the build under `root`. */
export async function loadComponent(nameOrKey: string, root = BUILD_ROOT): Promise<{ entry: CatalogEntry; component: ComponentDefinition }> {
  const catalog = listCatalog(root);
  const entry = catalog.find((candidate) => candidate.name === nameOrKey || candidate.key === nameOrKey);
  if (!entry) {
    const examples = catalog.slice(0, 3).map((candidate) => candidate.name);
    throw new UnknownComponentError(`No component "${nameOrKey}". Run \`dskit list\` to see them all (e.g. ${examples.join(", ")}).`);
  }
  const module = (await import(pathToFileURL(entry.path).href)) as { default: object };
  return { entry, component: asComponent(module.default) };
}

/** The start of a built file's default export, as the build writes it: key, then name, as JSON strings. */
const LITERAL_HEAD = /\nexport default \{\n {2}key: ("(?:[^"\\\n]|\\.)*"),\n {2}name: ("(?:[^"\\\n]|\\.)*"),\n/;

/**
 * A component's name, read from its file's `export default { key, name, … }` literal without running
 * the file, as Pipedream's registry reads it: importing all of them costs more than node's start-up.
 * A file whose literal does not start so (or whose key differs) is imported instead.
 */
export async function componentName(entry: CatalogEntry, root = BUILD_ROOT): Promise<string | undefined> {
  const match = LITERAL_HEAD.exec(readFileSync(entry.path, "utf8"));
  if (match && JSON.parse(match[1]!) === entry.key) return JSON.parse(match[2]!) as string;
  const { component } = await loadComponent(entry.name, root);
  return component.name;
}
