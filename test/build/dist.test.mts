/**
 * The build is what users publish (`pd publish dist/actions/<name>/<name>.mjs`): each file is one
 * self-contained module (scripts/build-components.mts) that loads in plain Node, outside jest and
 * TypeScript, and ends in a literal `export default { … }` holding the component its .mts source
 * declares. `npm test` builds before running jest, so dist/ is fresh here.
 */
import { describe, expect, test } from "@jest/globals";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { listComponents, REPO_ROOT } from "../support/components.mjs";

const components = listComponents();
const distPaths = components.map(({ builtPath }) => builtPath);

/** Every module the file imports: static imports, re-exports, dynamic `import("…")` and `require("…")`. */
function importsOf(path: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(REPO_ROOT, path), "utf8"), true, true);
  return importedFiles.map(({ fileName }) => fileName);
}

/** The file's statements, and the object literal of its final `export default { … }` by member name. */
function parseBuilt(path: string): { statements: readonly ts.Statement[]; members: Map<string, ts.Expression> | undefined } {
  const file = ts.createSourceFile(path, readFileSync(join(REPO_ROOT, path), "utf8"), ts.ScriptTarget.ES2022, true);
  const last = file.statements[file.statements.length - 1];
  const exported = last && ts.isExportAssignment(last) && !last.isExportEquals ? last.expression : undefined;
  if (!exported || !ts.isObjectLiteralExpression(exported)) return { statements: file.statements, members: undefined };
  const members = new Map<string, ts.Expression>();
  for (const member of exported.properties) {
    if (!ts.isPropertyAssignment(member) || !(ts.isIdentifier(member.name) || ts.isStringLiteral(member.name))) {
      throw new Error(`${path}: unexpected member ${member.getText().slice(0, 60)}`);
    }
    members.set(member.name.text, member.initializer);
  }
  return { statements: file.statements, members };
}

test("npm run build emitted an .mjs file for every component", () => {
  const missing = distPaths.filter((path) => !existsSync(join(REPO_ROOT, path)));
  expect(missing).toEqual([]);
});

test("every built component loads in plain node, with its component object as the default export", () => {
  const script = `
    const paths = JSON.parse(process.argv[1]);
    const loaded = [];
    for (const path of paths) {
      const module = await import(new URL(path, "file://${REPO_ROOT}/").href);
      loaded.push({ path, key: module.default?.key, type: module.default?.type, run: typeof module.default?.run });
    }
    console.log(JSON.stringify(loaded));`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script, JSON.stringify(distPaths)], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  const loaded = JSON.parse(output) as { path: string; key: string; type: string; run: string }[];
  expect(loaded).toEqual(
    components.map(({ kind, name }, index) => ({
      path: distPaths[index],
      key: `data_stores-${name}`,
      type: kind === "actions" ? "action" : "source",
      run: "function",
    })),
  );
});

describe.each(components)("$builtPath", ({ kind, sourcePath, builtPath }) => {
  test("imports only @pipedream/platform and node: built-ins: the app, components/ and lib/ are bundled in", () => {
    const imports = importsOf(builtPath);
    expect(imports).toContain("@pipedream/platform");
    expect(imports.filter((specifier) => specifier !== "@pipedream/platform" && !specifier.startsWith("node:"))).toEqual([]);
  });

  test("ends in a literal `export default { … }`, its only export, as the registry's lint rules read it", () => {
    const { statements, members } = parseBuilt(builtPath);
    expect(members).toBeDefined();
    const exported = (statement: ts.Statement) =>
      ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
    const otherExports = statements.slice(0, -1).filter((statement) => ts.isExportDeclaration(statement) || ts.isExportAssignment(statement) || exported(statement));
    expect(otherExports.map((statement) => statement.getText().slice(0, 60))).toEqual([]);
    for (const key of ["key", "name", "description", "version", "type"]) {
      expect({ key, literal: ts.isStringLiteral(members!.get(key)!) }).toEqual({ key, literal: true });
    }
    if (kind === "actions") expect(ts.isObjectLiteralExpression(members!.get("annotations")!)).toBe(true);
    const props = members!.get("props")!;
    expect(ts.isObjectLiteralExpression(props)).toBe(true);
    // The props the lint rules check are object literals; the app is read from the bundle; an
    // interface prop may be the registry's shorthand string (`db: "$.service.db"`).
    for (const member of (props as ts.ObjectLiteralExpression).properties) {
      const value = ts.isPropertyAssignment(member) ? member.initializer : undefined;
      const shape = value && (ts.isObjectLiteralExpression(value) || /^\w+\.props\.app$/.test(value.getText()) || /^"\$\.[\w.]+"$/.test(value.getText())) ? "literal or app" : member.getText();
      expect({ prop: member.name?.getText(), shape }).toEqual({ prop: member.name?.getText(), shape: "literal or app" });
    }
    expect(members!.get("run")!.getText()).toMatch(/^\w+\.run$/);
  });

  test("holds the component its .mts source declares: the same metadata and props", async () => {
    const { default: source } = (await import(`../../${sourcePath.replace(/\.mts$/, ".mjs")}`)) as { default: object };
    const { default: built } = (await import(`../../${builtPath}`)) as { default: object };
    // JSON leaves out the code, which the two compilers write differently; the build compares that.
    expect(JSON.parse(JSON.stringify(built))).toEqual(JSON.parse(JSON.stringify(source)));
  });
});

test("the library is importable from the package root, as a code step imports the published package", () => {
  // Node resolves a package's own name through its "exports", so this is what `import "pd-datastore-kit"` gets.
  const script = `
    const library = await import("pd-datastore-kit");
    console.log(JSON.stringify(Object.fromEntries(Object.entries(library).map(([name, value]) => [name, typeof value]))));`;
  const output = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: REPO_ROOT, encoding: "utf8" });
  expect(JSON.parse(output)).toMatchObject({
    increment: "function",
    readCounter: "function",
    rateLimit: "function",
    deduplicate: "function",
    getOrSet: "function",
    cachedRequest: "function",
    listRecords: "function",
    INTERNAL_KEY_PREFIX: "string",
  });
});
