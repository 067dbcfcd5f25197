// The layers' dependency rules, checked by `npm run lint` (part of `npm test`): data flows one way,
// from a component through the prop layer to the library and the DataStore contract, and nothing
// shipped imports the runtime, the stores, the CLI, the benchmarks or the tests.
//
// The rules are ESLint's own `no-restricted-imports` on the import specifiers as written, one set
// per folder: every import in this package is a relative path or a package name, so a pattern on
// the specifier is the boundary itself and needs no module resolver (our `.mjs` specifiers name
// `.mts` files, which resolver plugins handle unevenly). test/lint/boundaries.test.mts proves each
// rule fires.
import { readdirSync } from "node:fs";
import tseslint from "typescript-eslint";

/** Folders of the tree, as import-specifier patterns. */
const folder = (name) => [`**/${name}`, `**/${name}/**`];
const OUTSIDE_SHIPPED = [...folder("runtime"), ...folder("stores"), ...folder("local"), ...folder("bench"), ...folder("test"), ...folder("scripts")];
/** Every capability of the library but the store contract, which runtime/ and stores/ may use. */
const LIB_BEYOND_CONTRACT = [
  "**/lib/index.mjs",
  ...readdirSync(new URL("./lib", import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== "store")
    .flatMap((entry) => folder(`lib/${entry.name}`)),
];
/** Packages that only the runner, the build and the tests use. */
const TOOLING_PACKAGES = ["better-sqlite3", "commander", "esbuild", "fast-check", "hono", "@hono/*", "playwright-core", "@jest/*", "jest"];

const restrict = (message, group) => ({ "no-restricted-imports": ["error", { patterns: [{ group, message }] }] });

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  {
    files: ["**/*.mts", "**/*.ts"],
    extends: [tseslint.configs.recommended],
    rules: {
      // Unused names are already errors in tsc (noUnusedLocals, noUnusedParameters).
      "@typescript-eslint/no-unused-vars": "off",
    },
  },
  {
    files: ["lib/**/*.mts"],
    rules: restrict(
      "lib/ is the published library: it imports only lib/, Node built-ins and small pure packages (HTTP comes in as a function argument, errors are its own).",
      [...OUTSIDE_SHIPPED, ...folder("components"), ...folder("actions"), ...folder("sources"), "@pipedream/*", "axios", ...TOOLING_PACKAGES],
    ),
  },
  {
    files: ["components/**/*.mts"],
    rules: restrict("components/ (the app and the prop layer) imports only lib/ and @pipedream packages.", [
      ...OUTSIDE_SHIPPED,
      ...folder("actions"),
      ...folder("sources"),
      ...TOOLING_PACKAGES,
    ]),
  },
  {
    files: ["actions/**/*.mts", "sources/**/*.mts"],
    rules: restrict("Components import components/ and lib/ only: what is published must not carry the runner or the tests.", [
      ...OUTSIDE_SHIPPED,
      ...TOOLING_PACKAGES,
    ]),
  },
  {
    files: ["runtime/**/*.mts", "stores/**/*.mts"],
    rules: restrict(
      "runtime/ and stores/ depend on the DataStore contract (lib/store/) only, never on components, the CLI or the tests.",
      [...folder("components"), ...folder("actions"), ...folder("sources"), ...folder("local"), ...folder("bench"), ...folder("test"), ...folder("scripts"), ...LIB_BEYOND_CONTRACT],
    ),
  },
);
