/**
 * Imports a component file the way Node runs it on its own: by its file URL, with Node's native
 * loader, so relative imports and npm packages resolve from the file's own folder. Before the first
 * import, a resolve hook (resolve-hook.mts) lets `@pipedream/platform` and `@pipedream/types` fall
 * back to dskit's copies, and `defineComponent` becomes a global as in a Pipedream code step.
 * TypeScript (.ts, .mts) is compiled first with esbuild, loaded on first use: the entry and its
 * relative imports are bundled into one temporary .mjs beside the file (packages stay imports, so
 * they still resolve from the file's folder), which is removed once imported.
 */
import { existsSync, rmSync } from "node:fs";
import { register } from "node:module";
import { basename, dirname, extname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PropValueError } from "../prop-values.mjs";

/** A component file that cannot be loaded for a reason the user fixes before running (exit 2). */
export class ComponentFileError extends PropValueError {
  override name = "ComponentFileError";
}

let hookRegistered = false;

/** The fallback for the platform's packages; only where the built hook exists (not under ts-jest's sources). */
function registerPlatformFallback(): void {
  if (hookRegistered) return;
  hookRegistered = true;
  const hook = new URL("./resolve-hook.mjs", import.meta.url);
  if (!existsSync(fileURLToPath(hook))) return;
  register(hook, { data: { fallbackParentURL: import.meta.url } });
}

/** What a Pipedream code step has as a global: `defineComponent` returns the component as given. */
function defineCodeStepGlobal(): void {
  const global = globalThis as { defineComponent?: (component: unknown) => unknown };
  global.defineComponent ??= (component) => component;
}

interface Esbuild {
  build(options: Record<string, unknown>): Promise<unknown>;
}

async function loadEsbuild(): Promise<Esbuild> {
  try {
    // A variable specifier: esbuild is an optional dependency, which an install may lack.
    const name = "esbuild";
    return (await import(name)) as Esbuild;
  } catch {
    throw new ComponentFileError("running a TypeScript file needs esbuild to compile it, and it is not installed: run `npm install esbuild` (or compile the file to .mjs yourself).");
  }
}

/** The first compile error as esbuild words it, with its line; never the whole log. */
function compileProblem(error: unknown): string {
  const first = (error as { errors?: { text?: string; location?: { line?: number; column?: number } | null }[] }).errors?.[0];
  if (first?.text === undefined) return (error as Error).message;
  const where = first.location ? ` (line ${first.location.line}, column ${(first.location.column ?? 0) + 1})` : "";
  return `${first.text}${where}`;
}

/** Compiles a TypeScript component to a temporary .mjs beside it and returns that file's path. */
async function compileTypeScript(path: string): Promise<string> {
  const esbuild = await loadEsbuild();
  const compiled = join(dirname(path), `.${basename(path, extname(path))}.dskit-${process.pid}.mjs`);
  try {
    await esbuild.build({
      entryPoints: [path],
      outfile: compiled,
      bundle: true,
      packages: "external",
      platform: "node",
      format: "esm",
      target: "node20",
      write: true,
      logLevel: "silent",
    });
  } catch (error) {
    rmSync(compiled, { force: true });
    const failure = new Error(`it does not compile: ${compileProblem(error)}`);
    failure.name = "TypeScriptCompileError";
    throw failure;
  }
  return compiled;
}

/** Why an import failed where the user must install or fix a path (exit 2), or undefined for a failed run. */
function importProblem(error: unknown): string | undefined {
  const code = (error as { code?: string } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND") return undefined;
  const message = (error as Error).message;
  const missingPackage = /Cannot find package '([^']+)'/.exec(message)?.[1];
  if (missingPackage !== undefined) {
    return `it imports the package "${missingPackage}", which is not installed where the file is: run \`npm install ${missingPackage}\` in its folder (or one above it).`;
  }
  const missingFile = /Cannot find module '([^']+)'/.exec(message)?.[1];
  return missingFile !== undefined ? `it imports ${missingFile}, which does not exist.` : message;
}

/** Imports the file at `path` (absolute) and returns its default export. */
export async function importComponentFile(path: string): Promise<unknown> {
  registerPlatformFallback();
  defineCodeStepGlobal();
  const typescript = [".ts", ".mts"].includes(extname(path));
  const file = typescript ? await compileTypeScript(path) : path;
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  } catch (error) {
    const problem = importProblem(error);
    if (problem !== undefined) throw new ComponentFileError(problem);
    throw error;
  } finally {
    if (typescript) rmSync(file, { force: true });
  }
  if (module.default === undefined) {
    throw new ComponentFileError("it has no default export: a component file ends in `export default { … }` (or `module.exports = { … }`), a code step in `export default defineComponent({ … })`.");
  }
  return module.default;
}
