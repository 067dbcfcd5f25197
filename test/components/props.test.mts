/**
 * The prop layer reads each prop's label, default, range and options from the prop as the
 * component declares it (issue 10): stated once, so what the builder shows is what the run enforces,
 * and every message names a prop the component has.
 */
import { describe, expect, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import addUpdateRecord from "../../actions/add-update-record/add-update-record.mjs";
import cachedHttpRequest from "../../actions/cached-http-request/cached-http-request.mjs";
import exportRecords from "../../actions/export-records/export-records.mjs";
import listRecords from "../../actions/list-records/list-records.mjs";
import updateTtl from "../../actions/update-ttl/update-ttl.mjs";
import { readBoolean, readChoice, readInteger, readNumber, specOf } from "../../components/common/props.mjs";
import { readTtl } from "../../components/common/ttl.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";
import { MAX_TTL_SECONDS } from "../../lib/store/ttl.mjs";
import { listComponents } from "../support/components.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";
import { asComponent, runAction, type ComponentDefinition, type PropSpec } from "../support/harness.mjs";

const url = "http://127.0.0.1:9/never-requested";
/** Props that let each action get past everything but the prop under test. */
const VALID: Record<string, Record<string, unknown>> = {
  "add-update-record": { key: "k", value: 1 },
  "add-update-multiple-records": { records: { k: 1 } },
  "append-to-list": { key: "k", value: 1 },
  "cached-http-request": { url },
  "compare-data-stores": { otherDataStore: createFakeDataStore().store },
  "copy-records": { targetDataStore: createFakeDataStore().store },
  deduplicate: { key: "k" },
  "delete-all-records": { confirm: "DELETE" },
  "delete-records": { keys: ["k"] },
  "export-records": { url },
  "get-record": { key: "k", defaultValue: 1, createIfMissing: true },
  "increment-counter": { key: "k" },
  "list-records": {},
  "rate-limit": { key: "k", limit: 5, windowSeconds: 60 },
  "search-records": { query: "x" },
  "update-ttl": { key: "k", ttl: 60 },
};

// One at a time: Jest's ESM loader fails on concurrent imports of a shared module.
const actions: { name: string; action: ComponentDefinition }[] = [];
for (const { kind, name } of listComponents()) {
  if (kind !== "actions") continue;
  const loaded = (await import(`../../actions/${name}/${name}.mjs`)) as { default: object };
  actions.push({ name, action: asComponent(loaded.default) });
}

/** Every prop of every action, resolved through the app, with the values that reach it. */
const props = actions.flatMap(({ name, action }) =>
  Object.entries(action.props ?? {})
    .filter(([, declared]) => declared.type !== "app")
    .map(([prop, declared]) => ({ name, action, prop, spec: specOf(declared as PropSpec) as PropSpec })),
);
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test("every action has its valid props listed here", () => {
  expect(actions.map(({ name }) => name).sort()).toEqual(Object.keys(VALID).sort());
});

describe("an integer prop's declared min and max are what the run enforces, named by its label", () => {
  const bounds = props.flatMap(({ name, action, prop, spec }) => {
    if (spec.type !== "integer") return [];
    const cases: [string, string, string, number, object][] = [];
    if (typeof spec.min === "number") cases.push([name, prop, spec.label!, spec.min - 1, action]);
    if (typeof spec.max === "number") cases.push([name, prop, spec.label!, spec.max + 1, action]);
    return cases;
  });

  test("the package has integer props with ranges", () => {
    expect(bounds.length).toBeGreaterThan(15);
  });

  test.each(bounds)("%s %s (%s) set to %i", async (name, prop, label, outside, action) => {
    const fake = await setupStore({ k: [1] });
    await expectRefusedUnchanged(
      fake,
      () => runAction(action, { dataStore: fake.store, ...VALID[name], [prop]: outside }),
      new RegExp(`^${escape(label)} must be a whole number`),
    );
  });
});

describe("a choice prop refuses anything but its declared options, naming its label and listing them", () => {
  const choices = props
    .filter(({ spec }) => Array.isArray(spec.options))
    .map(({ name, action, prop, spec }) => {
      const values = (spec.options as (string | { value: string })[]).map((option) => (typeof option === "string" ? option : option.value));
      return [name, prop, action, spec.label!, values] as const;
    });

  test("the package has choice props", () => {
    expect(choices.length).toBeGreaterThan(5);
  });

  test.each(choices)("%s %s", async (name, prop, action, label, values) => {
    const fake = await setupStore({ k: [1] });
    const listed = values.map((value) => `"${value}"`).join(", ");
    await expectRefusedUnchanged(
      fake,
      () => runAction(action, { dataStore: fake.store, ...VALID[name], [prop]: "not-an-option" }),
      new RegExp(`^${escape(label)} must be one of ${escape(listed)}; got "not-an-option"`),
    );
  });
});

describe("readers take label, default and range from the spec", () => {
  const { props: exportProps } = exportRecords;

  test("an app prop is the app's definition overridden by the prop's own fields", () => {
    expect(specOf(cachedHttpRequest.props.ttl)).toMatchObject({
      type: "integer",
      label: "Cache TTL (seconds)",
      optional: true,
      default: 300,
      min: 1,
      max: MAX_TTL_SECONDS,
    });
    expect(specOf(updateTtl.props.ttl)).toMatchObject({ label: "TTL (seconds)", optional: false, max: MAX_TTL_SECONDS });
  });

  test("an empty integer prop gives its declared default, or undefined when optional without one", () => {
    expect(readInteger("", exportProps.chunkSize)).toBe(exportProps.chunkSize.default);
    expect(readInteger(undefined, exportProps.maxRetries)).toBe(exportProps.maxRetries.default);
    expect(readInteger(null, cachedHttpRequest.props.ttl)).toBe(300);
    expect(readInteger(" ", listRecords.props.limit)).toBeUndefined();
  });

  test("an integer's range in the message is the declared one", () => {
    expect(() => readInteger(10_001, exportProps.chunkSize)).toThrow("Chunk Size must be a whole number from 1 to 10000; got 10001.");
  });

  test("a choice with { label, value } options gives the value, and its default when empty", () => {
    expect(readChoice("keys", listRecords.props.output)).toBe("keys");
    expect(readChoice("", listRecords.props.output)).toBe("array");
    expect(() => readChoice("List of { key, value }", listRecords.props.output)).toThrow(ConfigurationError);
  });

  test("a boolean gives its declared default when empty", () => {
    expect(readBoolean(undefined, cachedHttpRequest.props.staleIfError)).toBe(true);
    expect(readBoolean("", exportProps.deleteAfterExport)).toBe(false);
  });

  test("a number entered as text reads its declared default by the same rule", () => {
    const amount = { type: "string", label: "Amount", default: "-2.5" } as const;
    expect(readNumber("", amount)).toBe(-2.5);
    expect(() => readNumber("3", amount, { max: 2 })).toThrow("Amount must be a number from");
  });

  test("a required TTL refuses empty, naming the prop; an optional one reads empty as no expiry", () => {
    expect(() => readTtl("", updateTtl.props.ttl)).toThrow(/^TTL \(seconds\) is required/);
    expect(readTtl("", addUpdateRecord.props.ttl)).toBeNull();
    expect(readTtl("60", addUpdateRecord.props.ttl)).toBe(60);
    expect(readTtl("0", { type: "integer", label: "TTL", optional: true, max: 10 } as const)).toBeNull();
    expect(() => readTtl(11, { type: "integer", label: "TTL", optional: true, max: 10 } as const)).toThrow(/^TTL must be a whole number of seconds from 0 \(no expiry\) to 10;/);
  });
});
