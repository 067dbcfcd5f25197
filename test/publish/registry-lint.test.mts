/**
 * The registry's lint rules (@pipedream/eslint-plugin-pipedream, with the levels of Pipedream's own
 * config: eslint.publish.config.js) run on the files we publish. `npm run lint:publish` fails the
 * build on any finding; these tests prove that 0 findings means something: the rules fire on broken
 * components, and on every built file they see a component (remove its `key` and they report it).
 * `npm test` builds first, so dist/ is fresh.
 */
import { beforeAll, describe, expect, test } from "@jest/globals";
import { ESLint } from "eslint";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { listComponents, REPO_ROOT } from "../support/components.mjs";

const components = listComponents();
const FIXTURES = "test/publish/fixtures";
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: REPO_ROOT, overrideConfigFile: join(REPO_ROOT, "eslint.publish.config.js") });
});

/** Each finding as `severity rule`, e.g. `error pipedream/required-properties-key`. */
function findings(results: ESLint.LintResult[]): string[] {
  return results.flatMap(({ messages }) => messages.map(({ severity, ruleId }) => `${severity === 2 ? "error" : "warning"} ${ruleId ?? "(parse error)"}`));
}

async function lintFixture(path: string): Promise<string[]> {
  return findings(await eslint.lintFiles([join(REPO_ROOT, FIXTURES, path)]));
}

/** Lints `text` as if it were the built file at `builtPath`, so the config applies as to the file itself. */
async function lintAs(builtPath: string, text: string): Promise<string[]> {
  return findings(await eslint.lintText(text, { filePath: join(REPO_ROOT, builtPath) }));
}

/** The built file with one member of its final `export default { … }` taken out. */
function withoutMember(builtPath: string, member: string): string {
  const text = readFileSync(join(REPO_ROOT, builtPath), "utf8");
  const start = text.lastIndexOf("\nexport default {\n");
  const line = new RegExp(`\\n  ${member}: (?:"[^"\\n]*"|\\{[\\s\\S]*?\\n  \\}),(?=\\n)`);
  const exported = text.slice(start);
  if (!line.test(exported)) throw new Error(`${builtPath}: no top-level ${member} in its default export`);
  return text.slice(0, start) + exported.replace(line, "");
}

describe("the registry's rules fire on broken components", () => {
  test("a component without a key is an error", async () => {
    expect(await lintFixture("actions/missing-key/missing-key.mjs")).toEqual(["error pipedream/required-properties-key"]);
  });

  test("an action without annotations is an error", async () => {
    expect(await lintFixture("actions/no-annotations/no-annotations.mjs")).toEqual(["error pipedream/action-annotations"]);
  });

  test("a prop without a label is a warning", async () => {
    expect(await lintFixture("actions/prop-without-label/prop-without-label.mjs")).toEqual(["warning pipedream/props-label"]);
  });

  test('a source named without "New " and described without "Emit new " gets a warning for each', async () => {
    expect(await lintFixture("sources/old-style-name/old-style-name.mjs")).toEqual([
      "warning pipedream/source-name",
      "warning pipedream/source-description",
    ]);
  });

  test("a well-formed action and source get no findings", async () => {
    expect(await lintFixture("actions/valid-action/valid-action.mjs")).toEqual([]);
    expect(await lintFixture("sources/valid-source/valid-source.mjs")).toEqual([]);
  });

  test("a comment in a file cannot switch a rule off", async () => {
    const text = `/* eslint-disable */\n${readFileSync(join(REPO_ROOT, FIXTURES, "actions/missing-key/missing-key.mjs"), "utf8")}`;
    const results = await eslint.lintText(text, { filePath: join(REPO_ROOT, FIXTURES, "actions/missing-key/missing-key.mjs") });
    expect(findings(results)).toContain("error pipedream/required-properties-key");
  });
});

test("npm run lint:publish lints dist/actions and dist/sources with this config, and fails on a single warning", () => {
  const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  expect(scripts["lint:publish"]).toBe("eslint --config eslint.publish.config.js --max-warnings 0 dist/actions dist/sources");
  expect(scripts.test).toMatch(/npm run build && .*npm run lint:publish && /);
});

describe.each(components)("$builtPath", ({ kind, builtPath }) => {
  test("gets no errors and no warnings from the registry's rules", async () => {
    const results = await eslint.lintFiles([join(REPO_ROOT, builtPath)]);
    expect(results).toHaveLength(1);
    expect(findings(results)).toEqual([]);
  });

  test("is a component the rules read: without its key, it is reported", async () => {
    expect(await lintAs(builtPath, withoutMember(builtPath, "key"))).toEqual(["error pipedream/required-properties-key"]);
  });

  if (kind === "actions") {
    test("is an action the rules read: without its annotations, it is reported", async () => {
      expect(await lintAs(builtPath, withoutMember(builtPath, "annotations"))).toEqual(["error pipedream/action-annotations"]);
    });
  } else {
    test('is a source the rules read: renamed without "New ", it is reported', async () => {
      const text = readFileSync(join(REPO_ROOT, builtPath), "utf8");
      const renamed = text.replace(/(\nexport default \{\n[\s\S]*?\n {2}name: ")New /, "$1Fresh ");
      expect(renamed).not.toBe(text);
      expect(await lintAs(builtPath, renamed)).toEqual(["warning pipedream/source-name"]);
    });
  }
});
