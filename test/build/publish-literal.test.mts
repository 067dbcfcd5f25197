/**
 * The pieces scripts/build-components.mts builds each published file with: the bundle's import
 * guard, the literal `export default { … }` writer, and the comparison that proves the written
 * literal is the bundled component.
 */
import { describe, expect, test } from "@jest/globals";
import type { Metafile } from "esbuild";
import { bundle, externalImports, withoutDefaultExport } from "../../scripts/lib/bundle.mjs";
import { componentLiteral, differenceBetween, UnwritableValueError } from "../../scripts/lib/component-literal.mjs";
import { REPO_ROOT } from "../support/components.mjs";

/** A metafile whose one output imports `paths`, all kept external. */
const metafileImporting = (...paths: string[]): Metafile => ({
  inputs: {},
  outputs: { "out.mjs": { bytes: 0, inputs: {}, exports: ["default"], imports: paths.map((path) => ({ path, kind: "import-statement" as const, external: true })) } },
});

/** Evaluates a written literal with `x` bound to the component it was written from. */
function evaluate(literal: string, component: object): unknown {
  return new Function("x", `return ${literal};`)(component);
}

describe("the bundle's import guard", () => {
  test("accepts @pipedream/platform and node: built-ins, listed once each, sorted", () => {
    expect(externalImports(metafileImporting("node:crypto", "@pipedream/platform", "node:crypto"))).toEqual(["@pipedream/platform", "node:crypto"]);
  });

  test.each(["p-map", "@pipedream/types", "axios", "crypto", "../components/data_stores.app.mjs"])("refuses a file that imports %s", (path) => {
    expect(() => externalImports(metafileImporting("@pipedream/platform", path))).toThrow(
      new RegExp(`imports ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}; a published file may import only @pipedream/platform and node: built-ins`),
    );
  });

  test("bundles what it is given and keeps only the allowed imports external", async () => {
    const result = await bundle({
      contents: 'import { createHash } from "node:crypto"; import { ConfigurationError } from "@pipedream/platform";\nexport default { hash: createHash, error: ConfigurationError };',
      resolveDir: REPO_ROOT,
      name: "probe",
    });
    expect(result.imports).toEqual(["@pipedream/platform", "node:crypto"]);
    expect(result.code).not.toMatch(/export \{/);
    expect(result.code).toContain(`var ${result.variable} = {`);
  });

  test("needs the bundle to end in its default export", () => {
    expect(withoutDefaultExport("var a_default = {};\nexport {\n  a_default as default\n};\n")).toEqual({ code: "var a_default = {};\n", variable: "a_default" });
    expect(() => withoutDefaultExport("var a = 1;\nexport {\n  a\n};\n")).toThrow(/does not end in `export \{ x as default \};`/);
  });
});

describe("the literal export default", () => {
  const app = { type: "app", app: "data_stores", propDefinitions: { key: { type: "string", options: async () => [] } }, methods: { list: () => [] } };
  const component = {
    key: "data_stores-probe",
    name: "Probe",
    description: "Probes `things` \"quoted\".",
    version: "0.0.1",
    type: "action",
    annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: true },
    props: {
      app,
      key: { propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })] },
      "odd-name": { type: "integer", label: "Odd", description: "A prop whose name is not an identifier.", default: -2.5, options: [1, 2], optional: true },
    },
    methods: { helper() {} },
    async run() {},
  };

  test("writes JSON as literals and code and apps as references into the bundled component", () => {
    const literal = componentLiteral(component, "x");
    expect(literal).toMatch(/^ {2}description: "Probes `things` \\"quoted\\".",$/m);
    expect(literal).toMatch(/^ {4}app: x\.props\.app,$/m);
    // The app met again inside a propDefinition is the first reference, not a copy.
    expect(literal).toContain('propDefinition: [x.props.app, "key", x.props.key.propDefinition[2]]');
    expect(literal).toMatch(/^ {4}"odd-name": \{$/m);
    expect(literal).toMatch(/^ {4}helper: x\.methods\.helper,$/m);
    expect(literal).toMatch(/^ {2}run: x\.run,$/m);
  });

  test("evaluated against the component, the literal is the component: same data, the same functions and app", () => {
    const written = evaluate(componentLiteral(component, "x"), component) as typeof component;
    expect(written).toEqual(component);
    expect(written.run).toBe(component.run);
    expect(written.props.app).toBe(app);
    expect(written.props.key.propDefinition[0]).toBe(app);
    expect(written.props).not.toBe(component.props); // a literal, not the bundled object
    expect(differenceBetween(written, component)).toBeUndefined();
  });

  test.each([
    ["a Date", { type: "string", default: new Date(0) }, /the component\.props\.p\.default is a Date/],
    ["undefined", { type: "string", default: undefined }, /the component\.props\.p\.default is undefined/],
    ["NaN", { type: "integer", min: Number.NaN }, /the component\.props\.p\.min is NaN/],
    ["a Map", { type: "string", options: new Map() }, /the component\.props\.p\.options is a Map/],
    ["a getter", Object.defineProperty({ type: "string" }, "label", { get: () => "L", enumerable: true }), /the component\.props\.p\.label is a getter/],
  ])("refuses a prop holding %s, naming where it is", (_kind, prop, message) => {
    const broken = { ...component, props: { p: prop } };
    expect(() => componentLiteral(broken, "x")).toThrow(UnwritableValueError);
    expect(() => componentLiteral(broken, "x")).toThrow(message);
  });
});

describe("differenceBetween, the build's check of each written file", () => {
  const run = async () => 1;
  const app = { type: "app", app: "data_stores" };
  const expected = { key: "k", props: { app, key: { propDefinition: [app, "key"] } }, run };

  test("finds none between a component and its copy with the same code", () => {
    const copy = { key: "k", props: { app: { ...app }, key: { propDefinition: [] as unknown[] } }, run: async () => 1 };
    copy.props.key.propDefinition = [copy.props.app, "key"];
    expect(differenceBetween(copy, expected)).toBeUndefined();
  });

  test("finds a changed text, a missing member, and members in another order", () => {
    expect(differenceBetween({ ...expected, key: "other" }, expected)).toMatch(/the component\.key is "other", expected "k"/);
    const { key: _key, ...withoutKey } = expected;
    expect(differenceBetween(withoutKey, expected)).toMatch(/has members props, run, expected key, props, run/);
    expect(differenceBetween({ run, key: "k", props: expected.props }, expected)).toMatch(/has members run, key, props/);
  });

  test("finds another function in place of the bundled one", () => {
    expect(differenceBetween({ ...expected, run: async () => 2 }, expected)).toMatch(/the component\.run is not the bundled function/);
  });

  test("finds an app copied where the bundle shares one object", () => {
    const copy = { key: "k", props: { app: { ...app }, key: { propDefinition: [{ ...app }, "key"] } }, run };
    expect(differenceBetween(copy, expected)).toMatch(/propDefinition\.0 is not the same object/);
  });
});
