/**
 * The components dskit can run, found next to its own install (dist/actions, dist/sources),
 * never in the current directory: `dskit` works the same from any folder.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { asComponent, type ComponentDefinition } from "../runtime/component.mjs";
import { listComponentFiles, type ComponentFile } from "../runtime/component-files.mjs";
import { didYouMean } from "./suggest.mjs";

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

/**
 * A component's catalog entry by folder name (`get-record`) or key (`data_stores-get-record`), without
 * loading it: dskit checks the name before it opens a store, so a typo is told as a typo.
 */
export function findComponent(nameOrKey: string, root = BUILD_ROOT): CatalogEntry {
  const catalog = listCatalog(root);
  const entry = catalog.find((candidate) => candidate.name === nameOrKey || candidate.key === nameOrKey);
  if (entry) return entry;
  // A key typed with a typo is matched against keys, anything else against folder names.
  const candidates = nameOrKey.includes("-") && nameOrKey.startsWith("data_stores") ? catalog.map((c) => c.key) : catalog.map((c) => c.name);
  const hint = didYouMean(nameOrKey, candidates);
  throw new UnknownComponentError(`no component "${nameOrKey}".${hint} Run \`dskit list\` to see them all.`);
}

/** Loads a component by folder name (`get-record`) or key (`data_stores-get-record`), from the build under `root`. */
export async function loadComponent(nameOrKey: string, root = BUILD_ROOT): Promise<{ entry: CatalogEntry; component: ComponentDefinition }> {
  const entry = findComponent(nameOrKey, root);
  const module = (await import(pathToFileURL(entry.path).href)) as { default: object };
  return { entry, component: asComponent(module.default) };
}

/** The start of a built file's default export, as the build writes it: key, name, then (mostly) description, as JSON strings. */
const LITERAL_HEAD = /\nexport default \{\n {2}key: ("(?:[^"\\\n]|\\.)*"),\n {2}name: ("(?:[^"\\\n]|\\.)*"),\n(?: {2}description: ("(?:[^"\\\n]|\\.)*"),\n)?/;

/**
 * A component's name, read from its file's `export default { key, name, … }` literal without running
 * the file, as Pipedream's registry reads it: importing all of them costs more than node's start-up.
 * A file whose literal does not start so (or whose key differs) is imported instead.
 */
export async function componentName(entry: CatalogEntry, root = BUILD_ROOT): Promise<string | undefined> {
  return (await componentTitle(entry, root)).name;
}

/** A component's name and description, read the same way (the literal first, the import when it must). */
export async function componentTitle(entry: CatalogEntry, root = BUILD_ROOT): Promise<{ name?: string; description?: string }> {
  const match = LITERAL_HEAD.exec(readFileSync(entry.path, "utf8"));
  if (match && JSON.parse(match[1]!) === entry.key) {
    const name = JSON.parse(match[2]!) as string;
    if (match[3] !== undefined) return { name, description: JSON.parse(match[3]) as string };
  }
  const { component } = await loadComponent(entry.name, root);
  return { name: component.name, description: component.description };
}

/** The first sentence of a description, cut to `width` characters (with an ellipsis) for a one-line listing. */
export function firstSentence(description: string | undefined, width = 80): string {
  const text = (description ?? "").replace(/\s+/g, " ").trim();
  // A sentence ends at ". " (not inside `e.g.`-like backticked text); markdown links keep their label.
  const plain = text.replace(/\[([^\]]+)\]\([^)]*\)/g, "$1");
  const end = plain.search(/\.(\s|$)/);
  const sentence = end < 0 ? plain : plain.slice(0, end + 1);
  return sentence.length <= width ? sentence : `${sentence.slice(0, width - 1).trimEnd()}…`;
}
