/**
 * What Pipedream's registry asks of every component, checked on the BUILT files (dist/, what
 * `pd publish` uploads), so what is checked is what is published. The registry's own lint rules
 * run on the same files (test/publish/registry-lint.test.mts); this test checks what they do not:
 * key and folder, semver, title case, the docs link, consistent annotations, optional props that
 * say their default. `npm test` builds first, so dist/ is fresh.
 */
import { describe, expect, test } from "@jest/globals";
import { asComponent, resolvePropSpec, type PropSpec } from "../support/harness.mjs";
import { listComponents } from "../support/components.mjs";

const components = listComponents();
const SMALL_WORDS = new Set(["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"]);
/** Names in which "Data Stores" is the object of the verb, not the app's name. */
const APP_AS_OBJECT = new Set(["Compare Data Stores"]);
const DOCS_LINK = /\[See the documentation\]\(https:\/\/pipedream\.com\/docs\/data-stores\/\)$/;

async function load(builtPath: string) {
  const module = (await import(`../../${builtPath}`)) as { default: object };
  return asComponent(module.default);
}

test("the package has its eight record actions", () => {
  const actions = components.filter((c) => c.kind === "actions").map((c) => c.name);
  expect(actions).toEqual(
    expect.arrayContaining([
      "add-update-record",
      "add-update-multiple-records",
      "get-record",
      "list-records",
      "delete-records",
      "delete-all-records",
      "update-ttl",
      "append-to-list",
    ]),
  );
});

describe.each(components)("$builtPath", ({ kind, name, builtPath }) => {
  test("key is data_stores-<folder>, with a semver version and the right type", async () => {
    const component = await load(builtPath);
    expect(component.key).toBe(`data_stores-${name}`);
    expect(component.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(component.type).toBe(kind === "actions" ? "action" : "source");
  });

  test("name and description follow the registry's guidelines, with a link to the docs", async () => {
    const component = await load(builtPath);
    expect(typeof component.name).toBe("string");
    expect(component.description).toMatch(DOCS_LINK);
    const name = component.name!;
    // No app name in a name ("Data Stores: Get Record"), except where the stores are what the action
    // works on, as in the official Get Difference's successor, Compare Data Stores.
    if (!APP_AS_OBJECT.has(name)) expect(name).not.toMatch(/data stores?/i);
    if (kind === "sources") {
      expect(name.startsWith("New ")).toBe(true);
      expect(component.description!.startsWith("Emit new ")).toBe(true);
    } else {
      const lowerCaseWords = name.split(" ").filter((word, index) => index > 0 && SMALL_WORDS.has(word));
      const titleCased = name.split(" ").every((word) => lowerCaseWords.includes(word) || /^[A-Z0-9(]/.test(word));
      expect({ name, titleCased }).toEqual({ name, titleCased: true });
    }
  });

  if (kind === "actions") {
    test("declares the three annotation booleans, consistently", async () => {
      const annotations = (await load(builtPath)).annotations as Record<string, unknown> | undefined;
      expect(annotations).toBeDefined();
      for (const hint of ["destructiveHint", "openWorldHint", "readOnlyHint"]) {
        expect({ hint, type: typeof annotations![hint] }).toEqual({ hint, type: "boolean" });
      }
      if (annotations!.readOnlyHint) expect(annotations!.destructiveHint).toBe(false);
      // Every action talks to the data store service, as the official data_stores actions declare.
      expect(annotations!.openWorldHint).toBe(true);
    });
  }

  test("every prop that is not an app or interface prop has a label and a description; optional ones say their default", async () => {
    const component = await load(builtPath);
    for (const [propName, declared] of Object.entries(component.props ?? {})) {
      if (declared.type === "app") continue;
      const prop: PropSpec = resolvePropSpec(declared as PropSpec);
      if (typeof prop.type === "string" && prop.type.startsWith("$.")) continue;
      expect({ propName, label: typeof prop.label, description: typeof prop.description }).toEqual({
        propName,
        label: "string",
        description: "string",
      });
      expect(prop.label!.length).toBeGreaterThan(0);
      if (prop.optional) expect({ propName, description: prop.description }).toEqual({ propName, description: expect.stringMatching(/default|leave empty/i) });
    }
  });
});
