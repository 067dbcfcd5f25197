/**
 * `$auth` for a component file's app props: apps other than data stores need a connected account
 * on Pipedream, here a `--auth-file` holding `{ "<app slug>": { …fields } }`. Without it the run
 * stops before anything runs (exit 2), naming each app and, where the source text shows them, the
 * fields the code reads (`this.github.$auth.oauth_access_token`, `this.$auth.api_key` in the app
 * file): found by reading the file and the files it imports by relative path, never by running them.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { isApp, type AppAuth, type ComponentDefinition } from "../../runtime/component.mjs";
import { isPlainObject } from "../../lib/store/json.mjs";
import { PropValueError, readJsonObjectFile } from "../prop-values.mjs";

/** The app whose props need no account: the data store props are the embedded store. */
const DATA_STORES_APP = "data_stores";

/** How many files the scan for `$auth` reads at most: a component and its app, plus shared files. */
const MAX_SCANNED_FILES = 50;

export interface AppNeedingAuth {
  prop: string;
  slug: string;
}

/** The component's app props that need credentials, in declaration order. */
export function appsNeedingAuth(component: ComponentDefinition): AppNeedingAuth[] {
  return Object.entries(component.props ?? {}).flatMap(([prop, declared]) =>
    isApp(declared) && declared.app !== DATA_STORES_APP ? [{ prop, slug: declared.app }] : [],
  );
}

/** Reads `--auth-file`: a JSON object of objects by app slug. Its values are never quoted in a message. */
export function readAuthFile(file: string, cwd: string): AppAuth {
  const parsed = readJsonObjectFile("--auth-file", file, cwd, '{"<app slug>": {"<field>": "<value>"}}');
  for (const [slug, fields] of Object.entries(parsed)) {
    if (!isPlainObject(fields)) throw new PropValueError(`--auth-file ${file}: the entry "${slug}" must be an object of the app's fields.`);
  }
  return parsed as AppAuth;
}

/** The relative imports of a module's text: `from "./x"`, `import("./x")`, `require("./x")`, `import "./x"`. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:\bfrom|\bimport|\brequire\s*\(|\bimport\s*\()\s*["'](\.{1,2}\/[^"']+)["']/g)) found.push(match[1]!);
  return found;
}

/** Where a relative import lands, as Node or a TypeScript bundler finds it: as written, with an extension, `.js` for `.ts`, or an index file. */
function importedFile(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    ...[".mjs", ".js", ".cjs", ".ts", ".mts"].map((extension) => `${base}${extension}`),
    base.replace(/\.(m?)js$/, ".$1ts"),
    ...["index.mjs", "index.js", "index.ts"].map((index) => resolve(base, index)),
  ];
  return candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
}

/**
 * The `$auth` fields the code reads, by app slug, from the source text of `entry` and the files it
 * imports by relative path: in an app file (`type: "app"`, `app: "<slug>"`) every `$auth.<field>`;
 * elsewhere `this.<prop>.$auth.<field>` and `const { a, b } = this.<prop>.$auth`, matched to the
 * app of that prop. Best effort: a file that cannot be read is skipped.
 */
export function authFieldsRead(entry: string, apps: readonly AppNeedingAuth[]): Map<string, Set<string>> {
  const fields = new Map<string, Set<string>>(apps.map(({ slug }) => [slug, new Set<string>()]));
  const slugOfProp = new Map(apps.map(({ prop, slug }) => [prop, slug]));
  const add = (slug: string | undefined, field: string) => slug !== undefined && fields.get(slug)?.add(field);
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length > 0 && seen.size < MAX_SCANNED_FILES) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const specifier of relativeImports(text)) {
      const imported = importedFile(file, specifier);
      if (imported !== undefined) queue.push(imported);
    }
    const appSlug = /\btype\s*:\s*["']app["']/.test(text) ? /\bapp\s*:\s*["']([\w-]+)["']/.exec(text)?.[1] : undefined;
    if (appSlug !== undefined) {
      for (const match of text.matchAll(/\$auth\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["']([^"']+)["']\s*\])/g)) add(appSlug, (match[1] ?? match[2])!);
    }
    for (const match of text.matchAll(/this\.([A-Za-z_$][\w$]*)\.\$auth\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*["']([^"']+)["']\s*\])/g)) {
      add(slugOfProp.get(match[1]!), (match[2] ?? match[3])!);
    }
    for (const match of text.matchAll(/\{([^{}]*)\}\s*=\s*this\.([A-Za-z_$][\w$]*)\.\$auth\b/g)) {
      for (const name of match[1]!.split(",")) {
        const field = /^\s*([A-Za-z_$][\w$]*)/.exec(name)?.[1];
        if (field !== undefined) add(slugOfProp.get(match[2]!), field);
      }
    }
  }
  return fields;
}

/**
 * Checks that `auth` has an object for each app; throws the exit-2 message otherwise, with an
 * example of what to put in the auth file (the fields the code reads where they are known).
 */
export function checkAuth(apps: readonly AppNeedingAuth[], auth: AppAuth | undefined, authFile: string | undefined, entry: string): void {
  const missing = apps.filter(({ slug }) => auth === undefined || !Object.hasOwn(auth, slug));
  if (missing.length === 0) return;
  const fields = authFieldsRead(entry, missing);
  const slugs = [...new Set(missing.map(({ slug }) => slug))];
  const example = slugs
    .map((slug) => {
      const known = [...(fields.get(slug) ?? [])];
      const body = known.length > 0 ? `{${known.map((field) => `"${field}": "…"`).join(", ")}}` : "{...}";
      return `"${slug}": ${body}`;
    })
    .join(", ");
  const named = missing.map(({ prop, slug }) => (prop === slug ? `"${prop}"` : `"${prop}" (app ${slug})`)).join(", ");
  const subject = missing.length === 1 ? `the app prop ${named} needs credentials` : `the app props ${named} need credentials`;
  const remedy = authFile === undefined ? `pass --auth-file <json> with {${example}}` : `--auth-file ${authFile} has no entry for ${slugs.map((slug) => `"${slug}"`).join(", ")}: add {${example}}`;
  throw new PropValueError(`${subject}: ${remedy}`);
}
