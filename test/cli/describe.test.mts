/**
 * `dskit describe` (and `dskit run <component> --help`) for every built component, the one-line
 * descriptions of `dskit list`, and the "Did you mean …?" suggestions, in-process through `main`.
 */
import { afterEach, describe, expect, test } from "@jest/globals";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { listCatalog } from "../../local/catalog.mjs";
import { exampleArgs } from "../../local/commands/describe.mjs";
import { isRequired, optionValues, settableProps } from "../../local/prop-values.mjs";
import { closest, editDistance } from "../../local/suggest.mjs";
import { asComponent } from "../../runtime/component.mjs";
import { REPO_ROOT } from "../support/components.mjs";
import { DSKIT_TIMEOUT_MS as TIMEOUT_MS, runDskit, tempFolders } from "../support/dskit-cli.mjs";

const folders = tempFolders();
afterEach(() => folders.cleanup());

const BUILD = join(REPO_ROOT, "dist");
const catalog = listCatalog(BUILD);

describe("dskit describe", () => {
  test.each(catalog.map((entry) => [entry.name, entry] as const))(
    "%s: name, key, kind, every settable prop, and an example that runs as typed",
    async (_name, entry) => {
      const cwd = folders.make();
      const component = asComponent(((await import(pathToFileURL(entry.path).href)) as { default: object }).default);
      const described = await runDskit(["describe", entry.name], { cwd });
      expect({ status: described.status, stderr: described.stderr }).toEqual({ status: 0, stderr: "" });
      const text = described.stdout;
      expect(text).toContain(`${component.name!} (${entry.kind})`);
      expect(text).toContain(`key:  ${entry.key}`);
      for (const [name, spec] of settableProps(component)) {
        const line = text.split("\n").find((candidate) => candidate.startsWith(`  ${name}  `));
        expect({ name, line: line !== undefined }).toEqual({ name, line: true });
        expect(line).toContain(isRequired(spec) ? "required" : "optional");
        if (spec.label !== undefined) expect(line).toContain(spec.label);
        if (spec.default !== undefined) expect(line).toContain(`default ${JSON.stringify(spec.default)}`);
        for (const option of optionValues(spec) ?? []) expect(text).toContain(`        ${String(option.value)}`);
      }
      const args = exampleArgs(entry, component);
      expect(text).toContain(`Example:\n  dskit ${args[0]!} ${args[1]!}`);

      // The same from `run <component> --help`, by key too.
      const help = await runDskit(["run", entry.key, "--help"], { cwd });
      expect(help).toEqual(described);

      // The example fills every required prop: it runs as typed (0, or 1 where the run itself fails), never 2.
      // Components that make an HTTP request are left out: their example URL has no server behind it.
      if (settableProps(component).has("url")) return;
      const ran = await runDskit(args, { cwd });
      expect({ args, status: ran.status === 2 ? ran.stderr : "ran" }).toEqual({ args, status: "ran" });
    },
    TIMEOUT_MS,
  );

  test("an unknown component is refused with a suggestion, exit 2", async () => {
    const result = await runDskit(["describe", "apend-to-list"], { cwd: folders.make() });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('dskit: describe apend-to-list: no component "apend-to-list". Did you mean append-to-list? Run `dskit list` to see them all.\n');
  });
});

describe("dskit list", () => {
  test("gives each component the first sentence of its description, on one line", async () => {
    const result = await runDskit(["list"], { cwd: folders.make() });
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(catalog.length);
    const appendLine = lines.find((line) => line.includes("data_stores-append-to-list"))!;
    expect(appendLine).toMatch(/Append to List\s+Add a value to the end of the list/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(200);
  });
});

describe("suggestions", () => {
  test("edit distance counts insertions, deletions, substitutions and neighbour swaps", () => {
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("key", "key")).toBe(0);
    expect(editDistance("kye", "key")).toBe(1);
    expect(editDistance("get-recrd", "get-record")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  const nearest: [string, string[]][] = [
    ["get-recrd", ["get-record"]],
    ["Get-Record", ["get-record"]],
    ["apend-to-list", ["append-to-list"]],
    ["new-recrod", ["new-record"]],
    ["zzzzzz", []],
  ];
  test.each(nearest)("%s → %j", (typed, expected) => {
    expect(closest(typed, catalog.map((entry) => entry.name))).toEqual(expected);
  });

  test.each([
    [["run", "get-recrd"], /Did you mean get-record\?/],
    [["run", "data_stores-get-recrd"], /Did you mean data_stores-get-record\?/],
    [["run", "get-record", "--prop", "kye=a"], /has no prop "kye"\. Did you mean key\?/],
    [["run", "rate-limit", "--prop", "key=a", "--prop", "limit=1", "--prop", "windowSeconds=1", "--prop", "algorithm=token-buckt"], /Did you mean token-bucket\?/],
    [["run", "add-update-record", "--prop", "key=k", "--prop", "value=v", "--prop", "valueType=strng"], /Did you mean string\?/],
    [["lst"], /Did you mean list\?/],
  ])("dskit %j suggests", async (args, hint) => {
    const result = await runDskit([...args], { cwd: folders.make() });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(hint);
  });
});
