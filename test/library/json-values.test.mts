/**
 * The value and number rules of the prop layer: which data a value may hold (JSON, nested at most
 * MAX_JSON_DEPTH levels), how JSON text is read without changing a number, and the one rule of
 * every integer prop (decimal digits only).
 */
import { describe, expect, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import {
  describeNonJson,
  isPlainObject,
  MAX_CHECKED_DEPTH,
  MAX_JSON_DEPTH,
  parseJsonText,
} from "../../lib/store/json.mjs";
import { integerFrom, parseInteger, parseNumber, parseOptionalInteger } from "../../components/common/inputs.mjs";
import { parseRecords } from "../../components/common/parse-records.mjs";
import { rateLimit } from "../../lib/rate-limit/rate-limit.mjs";
import { parseTtlSeconds } from "../../components/common/ttl.mjs";
import { parseValue } from "../../components/common/values.mjs";
import { InvalidArgumentError } from "../../lib/errors.mjs";
import { expectLibraryRefusal, setupStore } from "../support/fixtures.mjs";

/** A value of `levels` nested lists around 1 (`levels` 2 is `[[1]]`), built without recursion. */
function nestedList(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

/** A value of `levels` nested objects `{"a": {"a": … 1}}`. */
function nestedObject(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const nestedListText = (levels: number) => `${"[".repeat(levels)}1${"]".repeat(levels)}`;
const nestedObjectText = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

/** The error `run` throws; fails the test when it throws nothing. */
function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error, got none");
}

describe("describeNonJson", () => {
  test("the nesting limit is documented as 100 levels", () => {
    expect(MAX_JSON_DEPTH).toBe(100);
  });

  test.each([
    ["lists", nestedList],
    ["objects", nestedObject],
  ])("%s nested exactly MAX_JSON_DEPTH levels are data; one level more is refused, naming the root", (_kind, build) => {
    expect(describeNonJson(build(MAX_JSON_DEPTH), "Value", MAX_JSON_DEPTH)).toBeUndefined();
    expect(describeNonJson(build(MAX_JSON_DEPTH + 1), "Value", MAX_JSON_DEPTH)).toBe(
      "Value is nested deeper than 100 levels of lists and objects",
    );
  });

  test.each([
    ["lists", nestedList],
    ["objects", nestedObject],
  ])("%s nested 100,000 levels deep are described, never a stack overflow", (_kind, build) => {
    const deep = build(100_000);
    expect(describeNonJson(deep, "Value", MAX_JSON_DEPTH)).toMatch(/Value is nested deeper than 100 levels/);
    expect(describeNonJson(deep)).toMatch(/value is nested deeper than 1000 levels/);
    expect(describeNonJson(deep, "Value", Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  test("by default it looks MAX_CHECKED_DEPTH levels deep, room for what wraps a value", () => {
    expect(describeNonJson(nestedList(MAX_CHECKED_DEPTH))).toBeUndefined();
    expect(describeNonJson(nestedList(MAX_CHECKED_DEPTH + 1))).toMatch(/nested deeper than 1000 levels/);
  });

  test.each([
    ["NaN", { n: Number.NaN }, "v.n is NaN, which JSON cannot hold"],
    ["Infinity", [1, Number.POSITIVE_INFINITY], "v[1] is Infinity, which JSON cannot hold"],
    ["-Infinity", { a: [Number.NEGATIVE_INFINITY] }, "v.a[0] is -Infinity, which JSON cannot hold"],
    ["a function", { f: () => 1 }, "v.f is a function, not data"],
    ["a symbol", [Symbol("s")], "v[0] is a symbol, not data"],
    ["a BigInt", { id: 10n }, "v.id is a BigInt; pass it as a string or a number"],
    ["a Date", { at: new Date(0) }, "v.at is a Date; only plain objects"],
    ["a Map", new Map(), "v is a Map; only plain objects"],
    ["a class instance", { x: new (class Point {})() }, "v.x is a Point; only plain objects"],
    ["undefined in a list", [1, undefined], "v[1] is missing (undefined)"],
  ])("refuses %s, with the path to it", (_name, value, message) => {
    expect(describeNonJson(value, "v")).toContain(message);
  });

  test("refuses a cycle, with the path where it closes", () => {
    const value: Record<string, unknown> = { list: [] };
    (value.list as unknown[]).push({ back: value });
    expect(describeNonJson(value, "v")).toBe("v.list[0].back refers to itself (a cycle)");
  });

  test("the same object twice, side by side, is not a cycle", () => {
    const shared = { n: 1 };
    expect(describeNonJson({ a: shared, b: [shared, shared] })).toBeUndefined();
  });

  test("-0, undefined object members and objects without a prototype are data", () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(describeNonJson({ zero: -0, skipped: undefined, bare })).toBeUndefined();
  });

  test("a getter that throws is described, not thrown", () => {
    const value = {
      get boom(): number {
        throw new Error("no");
      },
    };
    expect(describeNonJson(value, "v")).toBe("v could not be read (no)");
  });

});

describe("isPlainObject", () => {
  test("objects from {}, JSON.parse and Object.create(null) are plain", () => {
    expect([{}, { a: 1 }, JSON.parse('{"__proto__":{"x":1}}'), Object.create(null)].every((value) => isPlainObject(value))).toBe(true);
  });

  test("lists, null, text and class instances are not", () => {
    expect([[], null, undefined, "{}", 1, new Date(0), new Map(), new (class Point {})()].some((value) => isPlainObject(value))).toBe(false);
  });
});

describe("parseJsonText", () => {
  test("reads JSON text as JSON.parse does when nothing would change", () => {
    const text = '{"a": [1, -2.5, 1e-7, 9007199254740991, -9007199254740991, 123456789012345678e-3], "b": "x"}';
    expect(parseJsonText(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  test("text that is not JSON is reported with the parser's message", () => {
    expect(parseJsonText("{oops")).toMatchObject({ ok: false, problem: "not-json" });
    expect(parseJsonText("0x10")).toMatchObject({ ok: false, problem: "not-json" });
  });

  test("a whole number a double cannot hold exactly is kept as text, at any depth", () => {
    const text = '{"id": 12345678901234567890, "list": [1, {"big": -9007199254740993}], "ok": 9007199254740992}';
    expect(parseJsonText(text)).toEqual({
      ok: true,
      value: { id: "12345678901234567890", list: [1, { big: "-9007199254740993" }], ok: 9007199254740992 },
    });
  });

  test("a whole number alone is kept as its digits", () => {
    expect(parseJsonText(" 12345678901234567890 ")).toEqual({ ok: true, value: "12345678901234567890" });
  });

  test("digits inside strings are left alone, escaped quotes included", () => {
    const text = '["12345678901234567890", "say \\"99999999999999999999\\"", 99999999999999999999, "\\\\", 1]';
    expect(parseJsonText(text)).toEqual({
      ok: true,
      value: ["12345678901234567890", 'say "99999999999999999999"', "99999999999999999999", "\\", 1],
    });
  });

  test("long literals that a double holds exactly stay numbers (2^60, leading zeros in the exponent form)", () => {
    expect(parseJsonText("[1152921504606846976, 1.5e300, 0.1000000000000000055511151231257827]")).toEqual({
      ok: true,
      value: [2 ** 60, 1.5e300, 0.1],
    });
  });

  test("with inexactIntegers refuse, the first inexact whole number is named with what it would become", () => {
    const result = parseJsonText('{"id": 12345678901234567890}', { inexactIntegers: "refuse" });
    expect(result).toEqual({
      ok: false,
      problem: "inexact-integer",
      reason:
        "holds the whole number 12345678901234567890, which a JSON number cannot hold exactly " +
        "(it would be stored as 12345678901234567000)",
    });
  });

  test.each(["1e400", "[-1e400]", '{"a": 1.5e999}', "1" + "0".repeat(400)])(
    "a number that would become Infinity is refused: %s",
    (text) => {
      expect(parseJsonText(text)).toMatchObject({ ok: false, problem: "too-large" });
    },
  );

  test("a very long literal is shortened in the reason", () => {
    const result = parseJsonText("9".repeat(400));
    expect(result).toMatchObject({ ok: false, problem: "too-large" });
    expect((result as { reason: string }).reason.length).toBeLessThan(120);
  });

  test.each([
    ["lists", nestedListText],
    ["objects", nestedObjectText],
  ])("%s nested MAX_JSON_DEPTH levels are read; one more is refused", (_kind, build) => {
    expect(parseJsonText(build(MAX_JSON_DEPTH))).toMatchObject({ ok: true });
    expect(parseJsonText(build(MAX_JSON_DEPTH + 1))).toEqual({
      ok: false,
      problem: "too-deep",
      reason: "is nested deeper than 100 levels of lists and objects",
    });
  });

  test("brackets inside strings do not count as nesting", () => {
    expect(parseJsonText(JSON.stringify({ text: "[".repeat(500) }))).toMatchObject({ ok: true });
  });

  test("maxDepth changes the limit", () => {
    expect(parseJsonText(nestedListText(3), { maxDepth: 2 })).toMatchObject({ problem: "too-deep" });
    expect(parseJsonText(nestedListText(2), { maxDepth: 2 })).toMatchObject({ ok: true });
  });

  test("100,000 levels of JSON text are refused, never a stack overflow", () => {
    expect(parseJsonText(nestedListText(100_000))).toMatchObject({ ok: false, problem: "too-deep" });
    expect(parseJsonText(nestedObjectText(100_000))).toMatchObject({ ok: false, problem: "too-deep" });
  });

  test('"__proto__", "constructor" and "toString" are own data properties, and nothing is polluted', () => {
    const result = parseJsonText('{"__proto__": {"polluted": 1}, "constructor": 2, "toString": 3}');
    expect(result.ok).toBe(true);
    const value = (result as { value: Record<string, unknown> }).value;
    expect(Object.keys(value)).toEqual(["__proto__", "constructor", "toString"]);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(describeNonJson(value)).toBeUndefined();
  });
});

describe("parseValue", () => {
  test("values nested deeper than the limit are refused naming the prop, as objects and as text", () => {
    for (const input of [nestedList(101), nestedObject(101), nestedListText(101), nestedObjectText(101)]) {
      const error = errorOf(() => parseValue(input, "auto", "Default Value"));
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error.message).toMatch(/^Default Value is nested deeper than 100 levels/);
    }
  });

  test("JSON text in auto mode that is too deep is refused, not kept as text", () => {
    expect(() => parseValue(nestedListText(101), "auto")).toThrow(ConfigurationError);
  });

  test("unclosed brackets are not JSON, so auto keeps them as text however many", () => {
    expect(parseValue("[".repeat(500), "auto")).toBe("[".repeat(500));
  });

  test("string mode keeps deep JSON text as it is", () => {
    expect(parseValue(nestedListText(101), "string")).toBe(nestedListText(101));
  });

  test("json mode refuses an inexact whole number naming the prop; auto keeps it as text", () => {
    expect(errorOf(() => parseValue('{"id": 12345678901234567890}', "json", "Value")).message).toMatch(
      /^Value holds the whole number 12345678901234567890, which a JSON number cannot hold exactly/,
    );
    expect(parseValue('{"id": 12345678901234567890}', "auto")).toEqual({ id: "12345678901234567890" });
  });

  test("1e400 is refused in auto and json modes", () => {
    for (const mode of ["auto", "json"] as const) {
      expect(errorOf(() => parseValue("1e400", mode, "Value")).message).toMatch(/^Value holds the number 1e400, which is too large/);
    }
  });

  test("messages suggest Value Type only when the component says it has one", () => {
    const without = errorOf(() => parseValue("{oops", "json", "Headers")).message;
    expect(without).not.toMatch(/Value Type|or set /);
    const withIt = errorOf(() => parseValue("{oops", "json", "Value", { valueTypeLabel: "Value Type" })).message;
    expect(withIt).toMatch(/set Value Type to "auto" or "string"/);
    for (const input of [nestedListText(101), "1e400"]) {
      expect(errorOf(() => parseValue(input, "auto", "Item")).message).not.toMatch(/Value Type|or set /);
    }
    expect(errorOf(() => parseValue("[12345678901234567890]", "json", "Item")).message).not.toMatch(/Value Type|or set /);
  });
});

describe("parseRecords", () => {
  test("messages never mention Value Type unless asked", () => {
    for (const records of ["[12345678901234567890]", '{"a": 1e400}']) {
      expect(errorOf(() => parseRecords(records, "json", null)).message).not.toMatch(/Value Type|or set /);
    }
    expect(
      errorOf(() => parseRecords('{"a": 12345678901234567890}', "json", null, "Records", { valueTypeLabel: "Value Type" }))
        .message,
    ).toMatch(/or set Value Type to "auto"/);
  });

  test("the Records text may wrap values of the full depth in its list and objects", () => {
    const value = nestedListText(MAX_JSON_DEPTH);
    expect(parseRecords(`[{"key": "k", "value": ${value}}]`, "auto", null)).toEqual([
      { key: "k", value: nestedList(MAX_JSON_DEPTH), ttlSeconds: null },
    ]);
  });
});

describe("integer props take decimal digits only, the same everywhere", () => {
  const accepted: [unknown, number][] = [
    [16, 16],
    ["16", 16],
    [" 16 ", 16],
    ["+16", 16],
    ["-16", -16],
    ["0016", 16],
    [16.0, 16],
    ["-0", 0],
  ];
  const refused: unknown[] = ["0x10", "1e3", "1.5", "16.0", "1_000", "0b1", "Infinity", "16 s", "- 1", true, [16], 1.5];

  test.each(accepted)("integerFrom(%j) is %j", (input, number) => {
    expect(Object.is(integerFrom(input), number)).toBe(true);
  });

  test.each(refused)("integerFrom(%j) is not an integer", (input) => {
    expect(integerFrom(input)).toBeUndefined();
  });

  test.each(refused)("%j is refused by parseOptionalInteger, parseInteger and parseTtlSeconds, naming the prop", (input) => {
    expect(() => parseOptionalInteger(input, "Max Length")).toThrow(/^Max Length must be a whole number/);
    expect(() => parseInteger(input, "Limit")).toThrow(/^Limit must be a whole number/);
    expect(() => parseTtlSeconds(input)).toThrow(/^TTL \(seconds\) must be a whole number/);
  });

  test('the repro: TTL "0x10" and "1e3" are refused, not read as 16 and 1000', () => {
    expect(() => parseTtlSeconds("0x10")).toThrow(ConfigurationError);
    expect(() => parseTtlSeconds("1e3")).toThrow(ConfigurationError);
    expect(parseTtlSeconds(" 1000 ")).toBe(1000);
    expect(parseTtlSeconds(1000)).toBe(1000);
  });

  test("a whole number beyond the safe range is refused even as digits", () => {
    expect(() => parseInteger("12345678901234567890", "Limit")).toThrow(/^Limit must be a whole number from/);
  });
});

describe("parseNumber", () => {
  test.each([
    ["1", 1],
    [" -2.5 ", -2.5],
    ["1e-7", 1e-7],
    [".5", 0.5],
    [3, 3],
  ])("%j is %j", (input, number) => {
    expect(parseNumber(input, "Amount", 0)).toBe(number);
  });

  test.each(["0x10", "1e400", "Infinity", "NaN", Number.NaN, Number.POSITIVE_INFINITY, "1,5"])("%j is refused", (input) => {
    expect(() => parseNumber(input, "Amount", 0)).toThrow(/^Amount must be a number/);
  });

  test("a range refuses numbers outside it and says so", () => {
    expect(() => parseNumber("1e308", "Amount", 0, { min: -10, max: 10 })).toThrow(/^Amount must be a number from -10 to 10/);
    expect(parseNumber("10", "Amount", 0, { min: -10, max: 10 })).toBe(10);
  });
});

describe("library time arguments never put NaN into the store", () => {
  test.each([Number.NaN, Number.POSITIVE_INFINITY, 1.5, -1])("rateLimit refuses a nowMs of %p before writing", async (nowMs) => {
    for (const concurrencySafe of [false, true]) {
      const fake = await setupStore();
      await expectLibraryRefusal(
        fake,
        () => rateLimit(fake.store, "api", { limit: 5, windowSeconds: 60, nowMs, concurrencySafe }),
        /^nowMs must be a whole number of ms since the epoch/,
        InvalidArgumentError,
      );
    }
  });
});
