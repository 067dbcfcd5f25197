// The registry's lint rules for what we publish: `npm run lint:publish` (part of `npm test`) runs
// @pipedream/eslint-plugin-pipedream over the built dist/actions and dist/sources files with the
// rules and levels of the PipedreamHQ/pipedream repository's ESLint config for
// `**/actions/**/*.*js` and `**/sources/**/*.*js`, and passes only with 0 errors and 0 warnings
// (`--max-warnings 0`). The plugin reads only a top-level `export default { … }` object literal,
// which is why scripts/build-components.mts writes one; test/publish/registry-lint.test.mts proves
// the rules fire on those files.
import pipedream from "@pipedream/eslint-plugin-pipedream";

/** The registry's rules and levels, as its config states them. */
export const REGISTRY_RULES = {
  "pipedream/required-properties-key": "error",
  "pipedream/required-properties-name": "error",
  "pipedream/required-properties-version": "error",
  "pipedream/required-properties-description": "error",
  "pipedream/required-properties-type": "error",
  "pipedream/props-label": "warn",
  "pipedream/props-description": "warn",
  "pipedream/source-name": "warn",
  "pipedream/source-description": "warn",
  "pipedream/no-ts-version": "warn",
  "pipedream/action-annotations": "error",
};

export default [
  {
    files: ["**/actions/**/*.*js", "**/sources/**/*.*js"],
    plugins: { pipedream },
    // A bundled comment must not switch a rule off: the registry's rules run on the whole file.
    linterOptions: { noInlineConfig: true },
    rules: REGISTRY_RULES,
  },
];
