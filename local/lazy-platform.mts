/**
 * @pipedream/platform on first use, for dskit only (never for what is published).
 *
 * Every built component file imports `@pipedream/platform`, and loading it costs ~100 ms (axios,
 * form-data, io-ts), more than Node's own start-up. The components need three light names from it
 * until they make an HTTP request: `ConfigurationError`, `DEFAULT_POLLING_SOURCE_TIMER_INTERVAL`,
 * and `axios` only when called. So before dskit imports anything that imports the package, it
 * puts a stand-in module into Node's CommonJS cache under the package's own file name (the
 * package is CommonJS, and Node's `import` of a CommonJS file takes its exports from that cache
 * when an entry is there: `require.cache` documents adding entries). The published files stay
 * exactly as they are, and no loader hook is registered: `module.register()` starts a loader
 * thread that costs ~40 ms, as much as the saving is worth.
 *
 * What the stand-in holds:
 * - `ConfigurationError` and the constants from the package's own errors.js and constants.js
 *   (no dependencies), so `instanceof ConfigurationError` holds for errors of either origin;
 * - `axios`, an async function that loads the real package on its first call, then calls it;
 * - every other name the real index.js exports (Node reads the names from its source, as we do
 *   here), as a function that loads the real package on its first call and calls the real one.
 *   Only functions can stand in so; `test/cli/lazy-platform.test.mts` checks that every built
 *   component imports only the names above.
 *
 * If the package is already loaded, cannot be found, or is laid out differently, nothing is
 * installed and the real package loads as usual: slower, never wrong.
 */
import { readFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** The names the stand-in serves without loading the real package (besides `axios`, loaded on call). */
export const EAGER_PLATFORM_EXPORTS: readonly string[] = ["ConfigurationError", "DEFAULT_POLLING_SOURCE_TIMER_INTERVAL", "PD_OFFICIAL_GMAIL_OAUTH_CLIENT_ID"];

type Exports = Record<string, unknown>;

/** The file `import "@pipedream/platform"` resolves to from dskit's install (and from the components beside it). */
function platformEntry(): string | undefined {
  try {
    return require.resolve("@pipedream/platform");
  } catch {
    return undefined;
  }
}

/** The names a CommonJS file exports as TypeScript compiles them: `exports.x =` and `Object.defineProperty(exports, "x", …)`. */
export function exportedNames(source: string): string[] {
  const names = new Set<string>();
  for (const match of source.matchAll(/\bexports\.([A-Za-z_$][\w$]*)\s*=/g)) names.add(match[1]!);
  for (const match of source.matchAll(/Object\.defineProperty\(exports,\s*"([^"]+)"/g)) names.add(match[1]!);
  names.delete("__esModule");
  return [...names];
}

/**
 * Installs the stand-in; call it before importing any module that imports `@pipedream/platform`
 * (statically imported modules are prepared before any code runs, so import those dynamically).
 * Returns whether it was installed.
 */
export function installLazyPlatform(): boolean {
  const entry = platformEntry();
  if (entry === undefined || require.cache[entry] !== undefined) return false;
  const dist = dirname(entry);
  let light: Exports;
  let names: string[];
  try {
    const errors = require(join(dist, "errors.js")) as Exports;
    const constants = require(join(dist, "constants.js")) as Exports;
    light = { ConfigurationError: errors.ConfigurationError, ...constants };
    names = exportedNames(readFileSync(entry, "utf8"));
  } catch {
    return false;
  }
  if (typeof light.ConfigurationError !== "function" || EAGER_PLATFORM_EXPORTS.some((name) => !(name in light))) return false;

  let real: Exports | undefined;
  const loadReal = (): Exports => {
    if (real === undefined) {
      // The stand-in holds the cache entry: take it out so require runs the real file (which then stays cached).
      delete require.cache[entry];
      real = require(entry) as Exports;
    }
    return real;
  };
  const onFirstCall = (name: string) =>
    function (this: unknown, ...args: unknown[]): unknown {
      const value = loadReal()[name];
      if (typeof value !== "function") throw new TypeError(`@pipedream/platform's ${name} is not a function; dskit can serve only functions on first use.`);
      return Reflect.apply(value, this, args) as unknown;
    };

  const exports: Exports = { __esModule: true };
  for (const name of names) exports[name] = onFirstCall(name);
  Object.assign(exports, light, {
    axios: async function axios(this: unknown, ...args: unknown[]): Promise<unknown> {
      return onFirstCall("axios").apply(this, args);
    },
  });
  const standIn = new Module(entry);
  standIn.filename = entry;
  standIn.loaded = true;
  standIn.exports = exports;
  require.cache[entry] = standIn;
  return true;
}

/** Whether the real package (and with it axios) has been loaded in this process. */
export function isRealPlatformLoaded(): boolean {
  return Object.keys(require.cache).some((file) => /[\\/]node_modules[\\/]axios[\\/]/.test(file));
}
