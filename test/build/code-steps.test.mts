/**
 * dist/code-steps/<name>.mjs is what a user pastes into a Node.js code step: one file per action,
 * re-bundled from its published file (dist/actions/<name>/<name>.mjs), importing nothing but what a
 * code step installs by name, ending in a literal
 * `export default defineComponent({ … })` whose props were resolved when it was built (no runtime
 * code inside), and behaving exactly as the action does. `npm test` builds first, so dist/ is fresh.
 */
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import addUpdateRecord from "../../actions/add-update-record/add-update-record.mjs";
import getRecord from "../../actions/get-record/get-record.mjs";
import incrementCounter from "../../actions/increment-counter/increment-counter.mjs";
import listRecords from "../../actions/list-records/list-records.mjs";
import rateLimit from "../../actions/rate-limit/rate-limit.mjs";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import { toCodeStepData, TYPED_KEY_DESCRIPTIONS, type CodeStepComponent } from "../../runtime/code-step.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";
import { resolvePropSpec, type PropSpec } from "../../runtime/component.mjs";
import { listComponents, REPO_ROOT } from "../support/components.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";
import { runAction, type ActionResult } from "../support/harness.mjs";
import { startTestServer, type TestServer } from "../support/http-server.mjs";

const actionNames = listComponents()
  .filter(({ kind }) => kind === "actions")
  .map(({ name }) => name);
const codeStepPath = (name: string) => `dist/code-steps/${name}.mjs`;

/** What each file handed to `defineComponent`, by action name. */
const codeSteps = new Map<string, CodeStepComponent>();
const defineComponentCalls: unknown[] = [];

type WithDefineComponent = typeof globalThis & { defineComponent?: unknown };
const codeStepGlobal = globalThis as WithDefineComponent;
const hadDefineComponent = "defineComponent" in codeStepGlobal;
const previousDefineComponent = codeStepGlobal.defineComponent;

beforeAll(async () => {
  // The code step's global, as Pipedream provides it: an identity function.
  codeStepGlobal.defineComponent = (component: unknown) => {
    defineComponentCalls.push(component);
    return component;
  };
  for (const name of actionNames) {
    if (!existsSync(join(REPO_ROOT, codeStepPath(name)))) continue; // reported by the first test
    const loaded = (await import(`../../dist/code-steps/${name}.mjs`)) as { default: CodeStepComponent };
    codeSteps.set(name, loaded.default);
  }
});

afterAll(() => {
  if (hadDefineComponent) codeStepGlobal.defineComponent = previousDefineComponent;
  else delete codeStepGlobal.defineComponent;
});

function codeStep(name: string): CodeStepComponent {
  const step = codeSteps.get(name);
  if (!step) throw new Error(`${codeStepPath(name)} was not loaded`);
  return step;
}

/** The harness runs registry actions; a code step has no key or type, so it gets them for the run only. */
function runnable(name: string): object {
  return { ...codeStep(name), key: `code-step:${name}`, type: "action" };
}

/** Every module the file imports: static imports, re-exports, dynamic `import("…")` and `require("…")`. */
function importsOf(path: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(REPO_ROOT, path), "utf8"), true, true);
  return importedFiles.map(({ fileName }) => fileName);
}

test("npm run build emitted a code-step file for every action", () => {
  expect(actionNames.length).toBeGreaterThan(0);
  const missing = actionNames.map(codeStepPath).filter((path) => !existsSync(join(REPO_ROOT, path)));
  expect(missing).toEqual([]);
});

test.each(actionNames)("%s: the code step imports only @pipedream/platform and node: builtins, as its published file does", (name) => {
  const imports = importsOf(codeStepPath(name));
  expect(imports).toContain("@pipedream/platform");
  const foreign = imports.filter((specifier) => specifier !== "@pipedream/platform" && !specifier.startsWith("node:"));
  expect(foreign).toEqual([]);
});

test.each(actionNames)("%s: the code step starts with a banner naming the action, its version and how to use it", async (name) => {
  const { default: action } = (await import(`../../actions/${name}/${name}.mjs`)) as { default: { name: string; version: string } };
  const [firstLine, ...rest] = readFileSync(join(REPO_ROOT, codeStepPath(name)), "utf8").split("\n");
  expect(firstLine).toBe(
    `// ${action.name} (data_stores-${name}) v${action.version}: a Pipedream Node.js code step, built by pd-datastore-kit.`,
  );
  expect(rest.slice(0, 4).join("\n")).toMatch(/Node\.js code step[\s\S]*Data Store prop/);
});

test.each(actionNames)("%s: the banner lists exactly the modules the file imports", (name) => {
  const banner = readFileSync(join(REPO_ROOT, codeStepPath(name)), "utf8").split("\n").slice(0, 5).join("\n");
  const listed = /^\/\/ Imports: (.+?)\. Pipedream installs npm packages by name/m.exec(banner)?.[1];
  expect(listed?.split(", ")).toEqual([...new Set(importsOf(codeStepPath(name)))].sort());
});

/** The file parsed, and the object its last statement hands to `defineComponent`. */
function parseCodeStep(name: string): { file: ts.SourceFile; component: ts.ObjectLiteralExpression | undefined } {
  const file = ts.createSourceFile(codeStepPath(name), readFileSync(join(REPO_ROOT, codeStepPath(name)), "utf8"), ts.ScriptTarget.ES2022, true);
  const last = file.statements[file.statements.length - 1];
  const call = last && ts.isExportAssignment(last) && !last.isExportEquals ? last.expression : undefined;
  const argument =
    call && ts.isCallExpression(call) && ts.isIdentifier(call.expression) && call.expression.text === "defineComponent" && call.arguments.length === 1
      ? call.arguments[0]
      : undefined;
  return { file, component: argument && ts.isObjectLiteralExpression(argument) ? argument : undefined };
}

/** Literal data only: text, numbers, true/false/null, and lists and objects of them (no names, calls or functions). */
function isLiteralData(node: ts.Expression): boolean {
  if (ts.isStringLiteral(node) || ts.isNumericLiteral(node)) return true;
  if (ts.isPrefixUnaryExpression(node)) return node.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(node.operand);
  if ([ts.SyntaxKind.TrueKeyword, ts.SyntaxKind.FalseKeyword, ts.SyntaxKind.NullKeyword].includes(node.kind)) return true;
  if (ts.isArrayLiteralExpression(node)) return node.elements.every(isLiteralData);
  if (ts.isObjectLiteralExpression(node)) {
    return node.properties.every((member) => ts.isPropertyAssignment(member) && !ts.isComputedPropertyName(member.name) && isLiteralData(member.initializer));
  }
  return false;
}

describe("toCodeStepData, which the build writes into each file", () => {
  const run = async () => undefined;
  const app = { type: "app", app: "data_stores", propDefinitions: { key: { type: "string", label: "Key", options: async () => [] } } };

  test("resolves propDefinitions, drops the app prop and the app's dynamic options, and keeps no key or type", () => {
    const action = { key: "probe", type: "action", name: "Probe", version: "0.0.1", props: { app, key: { propDefinition: [app, "key"], optional: true } }, run };
    expect(toCodeStepData(action)).toEqual({ name: "Probe", version: "0.0.1", props: { key: { type: "string", label: "Key", optional: true } } });
  });

  test("a key prop that said to select from the dropdown says to enter the key; one that did not keeps its words", () => {
    const action = {
      key: "probe",
      type: "action",
      version: "0.0.1",
      props: {
        app,
        key: { propDefinition: [app, "key"], description: "Select one of the store's keys." },
        keys: { propDefinition: [app, "key"], type: "string[]", description: "Select or enter keys." },
        counter: { propDefinition: [app, "key"], description: "The counter's key." },
      },
      run,
    };
    const { props } = toCodeStepData(action);
    expect(props.key?.description).toBe(TYPED_KEY_DESCRIPTIONS.string);
    expect(props.keys?.description).toBe(TYPED_KEY_DESCRIPTIONS["string[]"]);
    expect(props.counter?.description).toBe("The counter's key.");
  });

  test("refuses a prop that loses its dropdown, says to select, and has no code-step wording for its type", () => {
    const action = { key: "probe", type: "action", version: "0.0.1", props: { app, n: { propDefinition: [app, "key"], type: "integer", description: "Select one." } }, run };
    expect(() => toCodeStepData(action)).toThrow(/probe: prop "n" loses its dropdown.*integer/);
  });

  test("refuses a prop that is not JSON data, as it could not be written into the file", () => {
    const action = { key: "probe", type: "action", version: "0.0.1", props: { when: { type: "string", label: "When", default: new Date(0) } }, run };
    expect(() => toCodeStepData(action)).toThrow(/props are written into the file as JSON.*prop "when".*Date/);
  });

  test("refuses a source: only actions become code steps", () => {
    expect(() => toCodeStepData({ key: "probe", type: "source", version: "0.0.1", run })).toThrow(/only actions can become code steps/);
  });
});

describe.each(actionNames)("%s: the code step is made at build time", (name) => {
  test("the file ends in a literal `export default defineComponent({ … })`, its only export", () => {
    const { file, component } = parseCodeStep(name);
    expect(component).toBeDefined();
    expect(file.text).toMatch(/\nexport default defineComponent\(\{\n[\s\S]*\n\}\);\n$/);
    const exported = (statement: ts.Statement) =>
      ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    const otherExports = file.statements
      .slice(0, -1)
      .filter((statement) => ts.isExportDeclaration(statement) || ts.isExportAssignment(statement) || exported(statement));
    expect(otherExports.map((statement) => statement.getText().slice(0, 60))).toEqual([]);
  });

  test("name, description, version and props are literals; methods and run are the bundled action's", () => {
    const members = new Map(
      parseCodeStep(name).component!.properties.map((member) => {
        if (!ts.isPropertyAssignment(member) || !ts.isIdentifier(member.name)) throw new Error(`unexpected member ${member.getText()}`);
        return [member.name.text, member.initializer] as const;
      }),
    );
    expect([...members.keys()].filter((key) => !["methods"].includes(key))).toEqual(["name", "description", "version", "props", "run"]);
    for (const key of ["name", "description", "version"]) expect(ts.isStringLiteral(members.get(key)!)).toBe(true);
    const props = members.get("props")!;
    expect(ts.isObjectLiteralExpression(props) && isLiteralData(props)).toBe(true);
    for (const key of ["methods", "run"].filter((key) => members.has(key))) {
      expect(members.get(key)!.getText()).toMatch(new RegExp(`^\\w+\\.${key}$`));
    }
  });

  test("the props written into the file are the runtime's resolution of the action's props", async () => {
    const { default: action } = (await import(`../../actions/${name}/${name}.mjs`)) as { default: object };
    expect(codeStep(name).props).toEqual(toCodeStepData(action).props);
  });

  test("the bundle holds the action, the prop layer and the library, and nothing from runtime/ or local/", () => {
    const text = readFileSync(join(REPO_ROOT, codeStepPath(name)), "utf8");
    // esbuild heads each bundled module with a comment naming its file.
    const modules = [...text.matchAll(/^\/\/ ((?:dist|node_modules)\/\S+)$/gm)].map((match) => match[1]!);
    expect(modules).toContain(`dist/actions/${name}/${name}.mjs`);
    expect(modules.filter((path) => !/^(dist\/(actions|components|lib)\/|node_modules\/)/.test(path))).toEqual([]);
    for (const runtimeName of ["toCodeStep", "resolvePropSpec", "buildThis", "runAction", "createSource"]) {
      expect({ runtimeName, found: text.includes(runtimeName) }).toEqual({ runtimeName, found: false });
    }
  });
});

test("every code step loads in plain node, outside jest, given only a defineComponent global", () => {
  const script = `
    globalThis.defineComponent = (component) => component;
    const loaded = [];
    for (const path of JSON.parse(process.argv[1])) {
      const { default: step } = await import(new URL(path, "file://${REPO_ROOT}/").href);
      loaded.push({ path, run: typeof step.run, dataStore: step.props.dataStore.type });
    }
    console.log(JSON.stringify(loaded));`;
  const paths = actionNames.map(codeStepPath);
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(paths)], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  expect(JSON.parse(output)).toEqual(paths.map((path) => ({ path, run: "function", dataStore: "data_store" })));
});

test("each code step calls the global defineComponent once, when it loads", () => {
  expect(defineComponentCalls).toHaveLength(actionNames.length);
  expect(defineComponentCalls).toEqual(actionNames.map((name) => codeStep(name)));
});

describe.each(actionNames)("%s as a code step", (name) => {
  test("has the action's name, description and version, and a run method, but no key or type", async () => {
    const { default: action } = (await import(`../../actions/${name}/${name}.mjs`)) as {
      default: { name: string; description: string; version: string };
    };
    const step = codeStep(name);
    expect(step).toMatchObject({ name: action.name, description: action.description, version: action.version });
    expect(typeof step.run).toBe("function");
    expect(step).not.toHaveProperty("key");
    expect(step).not.toHaveProperty("type");
  });

  test("has a dataStore prop of type data_store, no app prop, and a label on every prop", () => {
    const { props } = codeStep(name);
    expect(props.dataStore).toMatchObject({ type: "data_store", label: "Data Store" });
    for (const [propName, prop] of Object.entries(props)) {
      expect({ propName, type: prop.type }).not.toEqual({ propName, type: "app" });
      expect({ propName, label: typeof prop.label }).toEqual({ propName, label: "string" });
      expect({ propName, propDefinition: prop.propDefinition }).toEqual({ propName, propDefinition: undefined });
      expect({ propName, options: typeof prop.options }).not.toEqual({ propName, options: "function" });
    }
  });

  test("no prop whose dropdown is gone tells the user to select", async () => {
    const { default: action } = (await import(`../../dist/actions/${name}/${name}.mjs`)) as { default: { props: Record<string, unknown> } };
    const { props } = codeStep(name);
    const lostDropdown = Object.keys(props).filter((propName) => {
      const declared = action.props[propName] as PropSpec;
      return declared.options === undefined && typeof resolvePropSpec(declared).options === "function";
    });
    for (const propName of lostDropdown) {
      expect({ propName, description: props[propName]!.description }).toEqual({ propName, description: expect.not.stringMatching(/select/i) });
    }
  });
});

test("props resolve their propDefinition: the app's fields under the prop's own overrides", () => {
  const { props } = codeStep("get-record");
  expect(props.defaultValue).toMatchObject({ type: "any", label: "Default Value", optional: true });
  expect(props.ttl).toMatchObject({ type: "integer", label: "TTL (seconds)", min: 0, optional: true });
  expect(props.ttl?.description).toBe("Expiry in seconds of a record created by Create If Missing. Leave empty or 0 for no expiry.");
  // The key dropdown called the app's methods; in a code step the user types the key, and is told so.
  expect(props.key).toEqual({ type: "string", label: "Key", description: TYPED_KEY_DESCRIPTIONS.string });
  expect(props.key?.description).toMatch(/^The key of the record\. Enter the key/);
  expect(codeStep("add-update-record").props.valueType?.options).toHaveLength(3); // static options stay
});

interface Scenario {
  records?: Record<string, JsonValue>;
  /** When the runs happen, in ms since the epoch (the test clock's start when omitted). */
  at?: number;
  /** The props of each run, in order, without the data store. */
  runs: Record<string, unknown>[];
}

/** Runs `component` through the scenario on a fresh store; returns every run's result and the store after. */
async function play(component: object, { records = {}, at, runs }: Scenario) {
  const fake = await setupStore(records);
  if (at !== undefined) fake.clock.set(at);
  const results: ActionResult[] = [];
  for (const props of runs) results.push(await runAction(component, { dataStore: fake.store, ...props }));
  return { results, records: fake.controls.records() };
}

/** Plays the scenario with the code step and with the action, expects the same outcome, and returns the code step's. */
async function playBoth(name: string, action: object, scenario: Scenario) {
  const viaCodeStep = await play(runnable(name), scenario);
  expect(viaCodeStep).toEqual(await play(action, scenario));
  return viaCodeStep;
}

describe("every code step runs through the harness as its action does", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  /** One scenario per action that exercises its main path; the HTTP ones talk to a server on 127.0.0.1. */
  const scenarios: Record<string, () => Scenario> = {
    "add-update-record": () => ({ runs: [{ key: "k", value: "1" }] }),
    "add-update-multiple-records": () => ({ runs: [{ records: { a: "1", b: "two" } }] }),
    "get-record": () => ({ records: { k: false }, runs: [{ key: "k" }] }),
    "compare-data-stores": () => ({ records: { a: 1, b: 2 }, runs: [{ otherDataStore: createFakeDataStore().store }] }),
    // overwrite: the code step and the action each copy into a target of their own run.
    "copy-records": () => ({
      records: { a: 1, b: 0 },
      runs: [{ targetDataStore: createFakeDataStore().store, existing: "overwrite" }],
    }),
    "search-records": () => ({
      records: { a: { tags: ["x", 0] }, b: "y", c: false },
      runs: [{ query: "x" }, { query: "0", match: "equals", field: "tags" }, { query: "FALSE" }],
    }),
    "list-records": () => ({ records: { b: 2, a: 1 }, runs: [{}] }),
    "delete-records": () => ({ records: { a: 1, b: 2 }, runs: [{ keys: ["a", "c"] }] }),
    "delete-all-records": () => ({ records: { a: 1 }, runs: [{ confirm: "DELETE" }] }),
    "update-ttl": () => ({ records: { a: 1 }, runs: [{ key: "a", ttl: 60 }] }),
    "append-to-list": () => ({ runs: [{ key: "l", value: "x" }, { key: "l", value: "y" }] }),
    "increment-counter": () => ({ runs: [{ key: "c", amount: "2" }, { key: "c" }] }),
    "rate-limit": () => ({ runs: [{ key: "r", limit: 1, windowSeconds: 60, whenLimited: "continue" }] }),
    deduplicate: () => ({ runs: [{ key: "e" }, { key: "e", whenDuplicate: "continue" }] }),
    "cached-http-request": () => ({ runs: [{ url: `${server.url}/data` }] }),
    "export-records": () => ({ records: { a: 1 }, runs: [{ url: `${server.url}/ingest` }] }),
  };

  test("every action has a scenario here", () => {
    expect(Object.keys(scenarios).sort()).toEqual([...actionNames].sort());
  });

  test.each(actionNames)("%s", async (name) => {
    const scenario = scenarios[name];
    if (!scenario) throw new Error(`no scenario for ${name}`);
    const { default: action } = (await import(`../../actions/${name}/${name}.mjs`)) as { default: object };
    const { results } = await playBoth(name, action, scenario());
    expect(results.every(({ summary }) => typeof summary === "string" && summary.length > 0)).toBe(true);
  });
});

describe("code steps run like their actions", () => {
  test("add-update-record stores a value parsed as the action does, with its expiry", async () => {
    const { results, records } = await playBoth("add-update-record", addUpdateRecord, {
      records: { kept: "old" },
      runs: [
        { key: "answer", value: "42", ttl: 60 },
        { key: "kept", value: "007" },
      ],
    });
    expect(results.map(({ returnValue }) => returnValue)).toEqual([
      { key: "answer", value: 42, ttl: 60, created: true },
      { key: "kept", value: "007", ttl: null, created: false },
    ]);
    expect(results[0]?.summary).toBe('Successfully added the record "answer" (expires in 1 minute)');
    expect(records.map(({ key, value }) => ({ key, value }))).toEqual([
      { key: "answer", value: 42 },
      { key: "kept", value: "007" },
    ]);
  });

  test("get-record finds a falsy value, and creates a missing record from the default value", async () => {
    const { results, records } = await playBoth("get-record", getRecord, {
      records: { zero: 0 },
      runs: [{ key: "zero" }, { key: "fresh", defaultValue: '{"n": 1}', createIfMissing: true }],
    });
    expect(results.map(({ returnValue }) => returnValue)).toEqual([
      { key: "zero", found: true, value: 0, created: false },
      { key: "fresh", found: false, value: { n: 1 }, created: true },
    ]);
    expect(records.map(({ key, value }) => ({ key, value }))).toEqual([
      { key: "fresh", value: { n: 1 } },
      { key: "zero", value: 0 },
    ]);
  });

  test("list-records lists records sorted by key, leaving out the package's own", async () => {
    const { results } = await playBoth("list-records", listRecords, {
      records: { c: 3, a: "one", b: false, [`${INTERNAL_KEY_PREFIX}limit:x`]: 1 },
      runs: [{}, { output: "keys" }],
    });
    expect(results[0]?.returnValue).toEqual([
      { key: "a", value: "one" },
      { key: "b", value: false },
      { key: "c", value: 3 },
    ]);
    expect(results[1]?.returnValue).toEqual(["a", "b", "c"]);
    expect(results[0]?.summary).toBe("Successfully listed 3 records");
  });

  test("increment-counter adds exact decimals per day bucket", async () => {
    const { results, records } = await playBoth("increment-counter", incrementCounter, {
      at: Date.UTC(2026, 10, 24, 18, 31, 5),
      runs: [
        { key: "sum", amount: "0.1", bucket: "day" },
        { key: "sum", amount: "0.2", bucket: "day" },
      ],
    });
    expect(results.map(({ returnValue }) => returnValue)).toEqual([
      { key: "sum:2026-11-24", value: 0.1, previous: 0 },
      { key: "sum:2026-11-24", value: 0.3, previous: 0.1 },
    ]);
    expect(records.map(({ key, value }) => ({ key, value }))).toEqual([{ key: "sum:2026-11-24", value: 0.3 }]);
  });

  test("rate-limit lets the limit through, then ends the workflow with when to retry", async () => {
    const { results } = await playBoth("rate-limit", rateLimit, {
      at: Date.UTC(2026, 10, 24, 18, 31, 50),
      runs: [
        { key: "api", limit: 1, windowSeconds: 60 },
        { key: "api", limit: 1, windowSeconds: 60 },
      ],
    });
    expect(results[0]?.returnValue).toStrictEqual({
      allowed: true,
      limit: 1,
      remaining: 0,
      resetInSeconds: 10,
      retryAfterSeconds: 10,
    });
    expect(results[1]?.returnValue).toBeUndefined();
    expect(results[1]?.exitReason).toBe('Rate limit reached for "api" (1 per 60s); retry in 10 seconds');
  });

  test("bad input fails with a ConfigurationError from @pipedream/platform, before the store is touched", async () => {
    const fake = await setupStore({ kept: "old" });
    await expectRefusedUnchanged(
      fake,
      () => runAction(runnable("add-update-record"), { dataStore: fake.store, key: "   ", value: "x" }),
      /Key is empty/,
    );
    await expectRefusedUnchanged(
      fake,
      () => runAction(runnable("get-record"), { dataStore: fake.store, key: "missing", createIfMissing: true }),
      /Create If Missing needs a Default Value/,
    );
  });
});
