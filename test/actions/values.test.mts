/**
 * The value and number rules, action by action: every action that takes a value refuses the same
 * bad values (too deep, not JSON, numbers it would change) with a ConfigurationError naming its
 * prop, writes nothing then, and stores good values exactly; every integer prop reads digits only.
 */
import { describe, expect, test } from "@jest/globals";
import addUpdateMultipleRecords from "../../actions/add-update-multiple-records/add-update-multiple-records.mjs";
import addUpdateRecord from "../../actions/add-update-record/add-update-record.mjs";
import appendToList from "../../actions/append-to-list/append-to-list.mjs";
import cachedHttpRequest from "../../actions/cached-http-request/cached-http-request.mjs";
import deduplicate from "../../actions/deduplicate/deduplicate.mjs";
import exportRecords from "../../actions/export-records/export-records.mjs";
import getRecord from "../../actions/get-record/get-record.mjs";
import incrementCounter from "../../actions/increment-counter/increment-counter.mjs";
import listRecords from "../../actions/list-records/list-records.mjs";
import rateLimit from "../../actions/rate-limit/rate-limit.mjs";
import updateTtl from "../../actions/update-ttl/update-ttl.mjs";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { MAX_JSON_DEPTH } from "../../lib/store/json.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

type Fake = Awaited<ReturnType<typeof setupStore>>;

/** An action that takes a value: how to pass one, the label its errors use, and where it is stored. */
interface ValueTaker {
  name: string;
  action: object;
  props: (value: unknown) => Record<string, unknown>;
  /** The start of an error message about the value: the prop's label. */
  label: string;
  stored: (fake: Fake) => Promise<JsonValue | undefined>;
  /** Whether the action's return value holds the value. */
  returnsValue: boolean;
}

const atKey = (fake: Fake) => fake.store.get("k");

const valueTakers: ValueTaker[] = [
  { name: "add-update-record", action: addUpdateRecord, props: (value) => ({ key: "k", value }), label: "Value", stored: atKey, returnsValue: true },
  {
    name: "add-update-multiple-records, a list",
    action: addUpdateMultipleRecords,
    props: (value) => ({ records: [{ key: "k", value }] }),
    label: 'Records item 1 "value"',
    stored: atKey,
    returnsValue: false,
  },
  {
    name: "add-update-multiple-records, an object map",
    action: addUpdateMultipleRecords,
    props: (value) => ({ records: { k: value } }),
    label: 'Records value of "k"',
    stored: atKey,
    returnsValue: false,
  },
  {
    name: "append-to-list",
    action: appendToList,
    props: (value) => ({ key: "k", value }),
    label: "Value",
    stored: async (fake) => ((await fake.store.get("k")) as JsonValue[] | undefined)?.[0],
    returnsValue: true,
  },
  {
    name: "get-record with Create If Missing",
    action: getRecord,
    props: (value) => ({ key: "k", defaultValue: value, createIfMissing: true }),
    label: "Default Value",
    stored: atKey,
    returnsValue: true,
  },
];

function nestedList(levels: number): JsonValue {
  let value: JsonValue = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

function nestedObject(levels: number): JsonValue {
  let value: JsonValue = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe.each(valueTakers)("$name", ({ action, props, label, stored, returnsValue }) => {
  const refused = (fake: Fake, value: unknown, message: RegExp) =>
    expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props(value) }), message);

  test.each([
    ["lists, as an object", nestedList(MAX_JSON_DEPTH)],
    ["objects, as an object", nestedObject(MAX_JSON_DEPTH)],
    ["lists, as JSON text", JSON.stringify(nestedList(MAX_JSON_DEPTH))],
    ["objects, as JSON text", JSON.stringify(nestedObject(MAX_JSON_DEPTH))],
  ])("a value nested exactly 100 levels (%s) is stored (and returned, when the action returns it)", async (_form, value) => {
    const fake = await setupStore();
    const { returnValue } = await runAction(action, { dataStore: fake.store, ...props(value) });
    const expected = typeof value === "string" ? JSON.parse(value) : value;
    expect(await stored(fake)).toEqual(expected);
    if (returnsValue) expect(JSON.stringify(returnValue)).toContain(JSON.stringify(expected));
  });

  test.each([
    ["101 levels of lists, as an object", nestedList(MAX_JSON_DEPTH + 1)],
    ["101 levels of objects, as an object", nestedObject(MAX_JSON_DEPTH + 1)],
    ["101 levels of lists, as JSON text", JSON.stringify(nestedList(MAX_JSON_DEPTH + 1))],
    ["101 levels of objects, as JSON text", JSON.stringify(nestedObject(MAX_JSON_DEPTH + 1))],
    ["100,000 levels, as an object", nestedList(100_000)],
    ["100,000 levels, as JSON text", `${"[".repeat(100_000)}${"]".repeat(100_000)}`],
  ])("a value nested %s is refused naming the prop, never a stack overflow", async (_form, value) => {
    const fake = await setupStore({ k: ["original"] });
    await refused(fake, value, new RegExp(`^${escape(label)} is nested deeper than 100 levels of lists and objects`));
  });

  test("a whole number too large to hold exactly stays text, at any depth", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, ...props('{"id": 12345678901234567890, "list": [99999999999999999999, 7]}') });
    expect(await stored(fake)).toEqual({ id: "12345678901234567890", list: ["99999999999999999999", 7] });
  });

  test("a number that would overflow to Infinity (1e400) is refused naming the prop", async () => {
    const fake = await setupStore({ k: ["original"] });
    await refused(fake, '{"n": [1e400]}', new RegExp(`^${escape(label)} holds the number 1e400, which is too large`));
  });

  test.each([
    ["NaN", { n: Number.NaN }, ".n is NaN"],
    ["Infinity", [Number.POSITIVE_INFINITY], "[0] is Infinity"],
    ["a function", { f: () => 1 }, ".f is a function"],
    ["a BigInt", { id: 1n }, ".id is a BigInt"],
    ["a Date", { at: new Date(0) }, ".at is a Date"],
    ["a Map", new Map([["a", 1]]), " is a Map"],
  ])("a value holding %s is refused with the path to it", async (_name, value, path) => {
    const fake = await setupStore({ k: ["original"] });
    await refused(fake, value, new RegExp(`^${escape(label + path)}`));
  });

  test("a value that refers to itself is refused as a cycle", async () => {
    const fake = await setupStore({ k: ["original"] });
    const value: Record<string, unknown> = { a: 1 };
    value.self = value;
    await refused(fake, value, new RegExp(`^${escape(label)}\\.self refers to itself \\(a cycle\\)`));
  });

  test('"__proto__", "constructor" and "toString" in JSON text are stored as data and pollute nothing', async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, ...props('{"__proto__": {"polluted": true}, "constructor": 1, "toString": 2}') });
    const value = (await stored(fake)) as Record<string, JsonValue>;
    expect(Object.keys(value)).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.getOwnPropertyDescriptor(value, "__proto__")?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });

  test("-0 is stored as 0", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, ...props({ n: -0 }) });
    expect(await stored(fake)).toEqual({ n: 0 });
  });

  test("error messages never name a Value Type prop the action does not have", async () => {
    const fake = await setupStore();
    const { error } = await runAction(action, { dataStore: fake.store, ...props("1e400") }).then(
      () => ({ error: undefined }),
      (thrown: unknown) => ({ error: thrown as Error }),
    );
    const hasValueType = "valueType" in ((action as { props: object }).props ?? {});
    if (!hasValueType) expect(error?.message).not.toMatch(/Value Type|or set /);
    expect(error?.message).toMatch(/holds the number 1e400/);
  });
});

describe("Value Type json refuses a whole number it would change, naming the prop", () => {
  test("add-update-record", async () => {
    const fake = await setupStore({ k: "original" });
    await expectRefusedUnchanged(
      fake,
      () => runAction(addUpdateRecord, { dataStore: fake.store, key: "k", value: '{"id": 12345678901234567890}', valueType: "json" }),
      /^Value holds the whole number 12345678901234567890, which a JSON number cannot hold exactly \(it would be stored as 12345678901234567000\)/,
    );
  });

  test("add-update-multiple-records suggests its Value Type prop", async () => {
    const fake = await setupStore({ k: "original" });
    await expectRefusedUnchanged(
      fake,
      () =>
        runAction(addUpdateMultipleRecords, {
          dataStore: fake.store,
          records: { k: '{"id": 12345678901234567890}' },
          valueType: "json",
        }),
      /^Records value of "k" holds the whole number 12345678901234567890.*or set Value Type to "auto" to do that for you/,
    );
  });
});

describe("every integer prop takes decimal digits only: \"0x10\" and \"1e3\" are refused, \" 16 \" is 16", () => {
  const url = "http://127.0.0.1:9/never-requested";
  const cases: [string, object, Record<string, unknown>, string, string][] = [
    ["add-update-record", addUpdateRecord, { key: "k", value: 1 }, "ttl", "TTL (seconds)"],
    ["add-update-multiple-records", addUpdateMultipleRecords, { records: { k: 1 } }, "ttl", "TTL (seconds)"],
    ["append-to-list", appendToList, { key: "k", value: 1 }, "ttl", "TTL (seconds)"],
    ["append-to-list", appendToList, { key: "k", value: 1 }, "maxLength", "Max Length"],
    ["get-record", getRecord, { key: "k", defaultValue: 1, createIfMissing: true }, "ttl", "TTL (seconds)"],
    ["update-ttl", updateTtl, { key: "k" }, "ttl", "TTL (seconds)"],
    ["deduplicate", deduplicate, { key: "k" }, "ttl", "TTL (seconds)"],
    ["increment-counter", incrementCounter, { key: "k" }, "ttl", "TTL (seconds)"],
    ["rate-limit", rateLimit, { key: "k", windowSeconds: 60 }, "limit", "Limit"],
    ["rate-limit", rateLimit, { key: "k", limit: 5 }, "windowSeconds", "Window (seconds)"],
    ["list-records", listRecords, {}, "limit", "Limit"],
    ["export-records", exportRecords, { url }, "chunkSize", "Chunk Size"],
    ["cached-http-request", cachedHttpRequest, { url }, "ttl", "Cache TTL (seconds)"],
    ["cached-http-request", cachedHttpRequest, { url }, "timeoutSeconds", "Timeout (seconds)"],
  ];

  test.each(cases.flatMap(([name, action, props, prop, label]) =>
    ["0x10", "1e3", "16.0", "1_000"].map((text) => [name, prop, text, action, props, label] as const),
  ))("%s %s %j is refused naming the prop", async (_name, prop, text, action, props, label) => {
    const fake = await setupStore({ k: [1] });
    await expectRefusedUnchanged(
      fake,
      () => runAction(action, { dataStore: fake.store, ...props, [prop]: text }),
      new RegExp(`^${escape(label)} must be a whole number`),
    );
  });

  test('a TTL of " 16 " from an expression is 16 seconds', async () => {
    const fake = await setupStore();
    await runAction(addUpdateRecord, { dataStore: fake.store, key: "k", value: 1, ttl: " 16 " });
    fake.clock.advanceSeconds(15);
    expect(await fake.store.has("k")).toBe(true);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("k")).toBe(false);
  });
});
