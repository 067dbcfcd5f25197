/**
 * A module resolve hook, registered by load-module.mts (`module.register`) before dskit imports a
 * component file: where `@pipedream/platform` or `@pipedream/types` cannot be found from the
 * importing file (a component copied into a folder without them installed), it resolves them from
 * dskit's own install instead. A copy installed beside the file always wins, as Node would pick it.
 * Runs in Node's loader thread: it imports nothing of dskit.
 */

/** What load-module.mts passes: a file inside dskit's install, to resolve from. */
interface HookData {
  fallbackParentURL: string;
}

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes?: Record<string, string>;
}

type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string; format?: string | null }>;

/** The packages a Pipedream component imports by name without listing them: the platform provides them. */
const PLATFORM_PACKAGES = /^@pipedream\/(platform|types)(\/|$)/;

let fallbackParentURL: string | undefined;

export async function initialize(data: HookData): Promise<void> {
  fallbackParentURL = data.fallbackParentURL;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<{ url: string; format?: string | null }> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const notFound = (error as { code?: string } | null)?.code === "ERR_MODULE_NOT_FOUND";
    if (!notFound || fallbackParentURL === undefined || !PLATFORM_PACKAGES.test(specifier)) throw error;
    return nextResolve(specifier, { ...context, parentURL: fallbackParentURL });
  }
}
