/**
 * Whether `dskit run <argument>` names a component file rather than a component of the catalog:
 * a path (it has a separator) or a name ending in a module extension. Kept apart and tiny: `main`
 * imports it on every start.
 */
import { sep } from "node:path";

/** The extensions dskit runs as component files; .ts and .mts are compiled first (esbuild). */
export const COMPONENT_FILE_EXTENSIONS = [".mjs", ".js", ".cjs", ".ts", ".mts"] as const;

export function looksLikeComponentFile(argument: string): boolean {
  return argument.includes("/") || argument.includes(sep) || COMPONENT_FILE_EXTENSIONS.some((extension) => argument.endsWith(extension));
}
