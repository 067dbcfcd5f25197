/**
 * A hostile prop generator: given an action, an arbitrary of prop values drawn from what each
 * declared prop (resolved through its `propDefinition`) accepts, mixed with what an expression or
 * a careless user can pass instead: wrong types, huge text, deep nesting (objects and JSON text),
 * reserved `__dskit:` keys, lone surrogates, prototype-named keys, non-finite and huge numbers,
 * hex and exponent text, big integers as JSON text, unknown options, and malformed URLs.
 *
 * Each generated value is a `Hostile`: a label (what fast-check prints in a counterexample, so a
 * 5,000-level object reads `nestedObject(depth=5000)`) and a builder that makes a fresh copy for
 * every run, so a run that mutated its input cannot change the next one.
 */
import fc from "fast-check";
import { isApp, resolvePropSpec, type ComponentDefinition, type PropSpec } from "./harness.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";

/** One prop value: its printable label and a builder of a fresh copy. */
export class Hostile {
  constructor(
    readonly label: string,
    private readonly build: () => unknown,
    /** True for the value that leaves the prop out (only for optional props or props with a default). */
    readonly omitted = false,
  ) {}

  value(): unknown {
    return this.build();
  }

  [fc.toStringMethod](): string {
    return this.label;
  }
}

/** Leaves a prop out of the props given to the run: its default applies. */
export const OMITTED = new Hostile("<omitted>", () => undefined, true);

/** A value whose label is fast-check's own printing of it (small values only). */
export function literal(value: unknown): Hostile {
  const label = fc.stringify(value);
  return new Hostile(label, () => (typeof value === "object" && value !== null ? structuredClone(value) : value));
}

/** A value built by `build`, labelled `label` (for values too big or too odd to print). */
export function built(label: string, build: () => unknown): Hostile {
  return new Hostile(label, build);
}

export type HostileProps = Record<string, Hostile>;

/** Turns generated props into the props of a run: fresh values, omitted props left out. */
export function materialize(props: HostileProps): Record<string, unknown> {
  const given: Record<string, unknown> = {};
  for (const [name, hostile] of Object.entries(props)) if (!hostile.omitted) given[name] = hostile.value();
  return given;
}

/** What the generator needs to know about the test's world. */
export interface HostileWorld {
  /** Origin of the 127.0.0.1 test server, e.g. `http://127.0.0.1:53124`. */
  serverUrl: string;
  /** Paths of the test server the URL props may point at (each answers in its own way). */
  serverPaths: readonly string[];
  /** Keys the seeded store may hold, so generated keys hit existing records as well as missing ones. */
  knownKeys: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The hostile categories, shared by every prop.

/** Keys that look like the package's own state. */
export const RESERVED_KEYS = [
  "__dskit:",
  "__dskit:counter:x:y:1",
  "__dskit:counter:hits",
  "__dskit:limit:api",
  "__dskit:dedupe:evt-1",
  "__dskit:cache:0000",
  "__DSKIT:counter:x",
] as const;

/** Keys that are not well-formed UTF-16 text. */
export const MALFORMED_KEYS = ["evt-\ud83d", "\udc00", "a\ud83d\ud83d", "\ud83d:x"] as const;

/** Names that are members of Object.prototype. */
export const PROTOTYPE_NAMES = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "prototype"] as const;

/** Numeric text the way spreadsheets and APIs write it, and the way they should not. */
export const NUMERIC_TEXT = [
  "0x10",
  "0b11",
  "0o7",
  "1e3",
  "1e400",
  "-1e400",
  "1e-400",
  "12345678901234567890",
  "-12345678901234567890",
  "9007199254740993",
  "NaN",
  "Infinity",
  "-Infinity",
  "-0",
  " 5 ",
  "1_000",
  "1,5",
  "٣",
  "+1",
  ".5",
  "5.",
] as const;

const NON_FINITE_AND_HUGE_NUMBERS = [
  NaN,
  Infinity,
  -Infinity,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  -0,
  Number.MAX_SAFE_INTEGER + 2,
  -(Number.MAX_SAFE_INTEGER + 2),
  2 ** 53,
  1.5,
  -1,
  0,
] as const;

const WRONG_TYPE_VALUES: readonly unknown[] = [0, 1, -1, 42, true, false, null, undefined, "", "   ", "\n", {}, [], [1, "a", null], [[]], { a: 1 }];

/** Objects with prototype-named own keys (built through JSON.parse, so `__proto__` is an own key). */
const PROTOTYPE_KEYED_JSON = [
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"toString":"not a function","valueOf":1}',
  '{"hasOwnProperty":"x","__proto__":null}',
  '{"a":{"__proto__":{"polluted":true}}}',
  '[{"__proto__":{"polluted":true}}]',
  '{"toString":1}',
] as const;

/** Big integers the way APIs send IDs, as JSON text. */
const BIG_INTEGER_JSON = ["12345678901234567890", '{"id":12345678901234567890}', "[12345678901234567890,1]", "1e400", '{"n":1e400}', "[-1e400]"] as const;

const depthArbitrary = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.integer({ min: 1, max: 20 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1, max: 5000 }), weight: 2 },
  { arbitrary: fc.constant(5000), weight: 1 },
);

function nestedObject(depth: number, key = "a"): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = { [key]: value };
  return value;
}

function nestedArray(depth: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < depth; level++) value = [value];
  return value;
}

/** Deep nesting as objects, arrays and JSON text, 1 to 5,000 levels. */
export const deepArbitrary: fc.Arbitrary<Hostile> = fc.tuple(depthArbitrary, fc.constantFrom("object", "array", "objectJson", "arrayJson", "protoJson")).map(
  ([depth, shape]) => {
    switch (shape) {
      case "object":
        return built(`nestedObject(depth=${depth})`, () => nestedObject(depth));
      case "array":
        return built(`nestedArray(depth=${depth})`, () => nestedArray(depth));
      case "objectJson":
        return built(`nestedObjectJsonText(depth=${depth})`, () => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
      case "arrayJson":
        return built(`nestedArrayJsonText(depth=${depth})`, () => `${"[".repeat(depth)}1${"]".repeat(depth)}`);
      default:
        return built(`nestedProtoJsonText(depth=${depth})`, () => `${'{"__proto__":'.repeat(depth)}{"polluted":true}${"}".repeat(depth)}`);
    }
  },
);

/** Huge text: plain, as a JSON list, as a JSON object with a huge key. */
export const hugeArbitrary: fc.Arbitrary<Hostile> = fc.tuple(fc.integer({ min: 1_000, max: 300_000 }), fc.constantFrom("text", "jsonList", "jsonKey", "list")).map(
  ([length, shape]) => {
    switch (shape) {
      case "text":
        return built(`"x".repeat(${length})`, () => "x".repeat(length));
      case "jsonList":
        return built(`jsonListText(items=${length})`, () => `[${"1,".repeat(length)}1]`);
      case "jsonKey":
        return built(`jsonObjectText(keyLength=${length})`, () => `{"${"k".repeat(length)}":1}`);
      default:
        return built(`Array(${length}).fill("x")`, () => new Array<string>(length).fill("x"));
    }
  },
);

/** Short text made of the characters that break naive code: lone surrogates, separators, quotes. */
const trickyTextArbitrary = fc.string({
  unit: fc.constantFrom("a", "Z", "0", ":", " ", "\ud83d", "\udc00", "😀", '"', "\\", "\n", "\u0000", "%", "{", "["),
  minLength: 1,
  maxLength: 12,
});

/** Anything a prop could be handed instead of what it declares. */
export const anyHostileArbitrary: fc.Arbitrary<Hostile> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constantFrom(...WRONG_TYPE_VALUES).map(literal), weight: 4 },
  { arbitrary: fc.constantFrom(...NON_FINITE_AND_HUGE_NUMBERS).map(literal), weight: 3 },
  { arbitrary: fc.constantFrom(...NUMERIC_TEXT).map(literal), weight: 3 },
  { arbitrary: fc.constantFrom(...RESERVED_KEYS, ...MALFORMED_KEYS, ...PROTOTYPE_NAMES).map(literal), weight: 3 },
  {
    arbitrary: fc.constantFrom(...PROTOTYPE_KEYED_JSON).chain((text) =>
      fc.constantFrom(
        built(`JSON.parse(${JSON.stringify(text)})`, () => JSON.parse(text) as unknown),
        literal(text),
      ),
    ),
    weight: 3,
  },
  { arbitrary: fc.constantFrom(...BIG_INTEGER_JSON).map(literal), weight: 2 },
  { arbitrary: deepArbitrary, weight: 2 },
  { arbitrary: hugeArbitrary, weight: 1 },
  { arbitrary: trickyTextArbitrary.map(literal), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map(literal), weight: 2 },
);

// ---------------------------------------------------------------------------------------------
// Valid values, by the kind of prop.

type PropKind = "key" | "keyList" | "url" | "choice" | "confirm" | "decimal" | "text" | "integer" | "boolean" | "textMap" | "records" | "value" | "dataStore" | "fieldPath" | "query";

/** What a declared prop is, from its resolved spec (and, for string props with a meaning, its name). */
export function propKind(name: string, spec: PropSpec): PropKind {
  const choices = optionValues(spec);
  switch (spec.type) {
    case "string":
      if (choices.length > 0) return "choice";
      if (name === "url") return "url";
      if (name === "key") return "key";
      if (name === "confirm") return "confirm";
      if (name === "field") return "fieldPath";
      if (name === "query") return "query";
      if (name === "amount" || name === "initialValue") return "decimal";
      return "text";
    case "string[]":
      return "keyList";
    case "integer":
      return "integer";
    case "boolean":
      return "boolean";
    case "object":
      return "textMap";
    case "any":
      return name === "records" ? "records" : "value";
    case "data_store":
      return "dataStore";
    default:
      throw new Error(`the hostile generator does not know prop "${name}" of type ${String(spec.type)}: teach it`);
  }
}

/** The values of a prop's static options (`["a"]` or `[{ label, value }]`); [] when it has none. */
export function optionValues(spec: PropSpec): string[] {
  if (!Array.isArray(spec.options)) return [];
  return spec.options.map((option: unknown) =>
    typeof option === "object" && option !== null && "value" in option ? String((option as { value: unknown }).value) : String(option),
  );
}

/** Options that are not options: prototype names, typos, case and spacing changes of the real ones. */
function unknownOptions(choices: readonly string[]): string[] {
  const near = choices.flatMap((choice) => [choice.toUpperCase(), choice.toLowerCase(), ` ${choice}`, `${choice} `, choice.slice(0, -1)]);
  return [...new Set([...PROTOTYPE_NAMES, "strng", "none ", "fixed", "0", "undefined", ...near])].filter((option) => !choices.includes(option));
}

function keyArbitrary(world: HostileWorld): fc.Arbitrary<Hostile> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...world.knownKeys).map(literal), weight: 4 },
    { arbitrary: fc.string({ minLength: 1, maxLength: 10 }).filter((key) => key.trim() !== "").map(literal), weight: 2 },
    { arbitrary: fc.integer({ min: -5, max: 1000 }).map(literal), weight: 1 },
  );
}

function textMapArbitrary(): fc.Arbitrary<Hostile> {
  const map = fc.dictionary(fc.constantFrom("Accept", "X-Request-Id", "city", "page", "q"), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), {
    maxKeys: 3,
  });
  return fc.oneof(
    map.map(literal),
    map.map((value) => literal(JSON.stringify(value))),
    fc.constant(literal({})),
    fc.constant(literal("")),
  );
}

function recordsArbitrary(world: HostileWorld): fc.Arbitrary<Hostile> {
  const key = fc.oneof(fc.constantFrom(...world.knownKeys), fc.string({ minLength: 1, maxLength: 6 }).filter((text) => text.trim() !== ""));
  const value = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(0, false, "", null, "42", '{"a":1}', "007"));
  const asMap = fc.uniqueArray(fc.tuple(key, value), { selector: ([name]) => name, minLength: 1, maxLength: 5 }).map(
    (entries) => Object.fromEntries(entries) as Record<string, unknown>,
  );
  const item = fc.record({ key, value, ttl: fc.integer({ min: 0, max: 86_400 }) }, { requiredKeys: ["key", "value"] });
  const asList = fc.uniqueArray(item, { selector: ({ key: name }) => name, minLength: 1, maxLength: 5 });
  return fc.oneof(
    asMap.map(literal),
    asList.map(literal),
    fc.oneof(asMap, asList).map((records) => literal(JSON.stringify(records))),
  );
}

function validArbitrary(kind: PropKind, spec: PropSpec, world: HostileWorld): fc.Arbitrary<Hostile> {
  switch (kind) {
    case "key":
      return keyArbitrary(world);
    case "keyList":
      return fc.oneof(
        fc.uniqueArray(fc.constantFrom(...world.knownKeys), { minLength: 1, maxLength: 4 }).map(literal),
        fc.constantFrom(...world.knownKeys).map(literal),
        fc.uniqueArray(fc.constantFrom(...world.knownKeys), { minLength: 1, maxLength: 4 }).map((keys) => literal(JSON.stringify(keys))),
      );
    case "url":
      return fc.tuple(fc.constantFrom(...world.serverPaths), fc.constantFrom("", "?a=1", "#frag")).map(([path, suffix]) =>
        built(`server(${JSON.stringify(path + suffix)})`, () => `${world.serverUrl}${path}${suffix}`),
      );
    case "choice":
      return fc.constantFrom(...optionValues(spec)).map(literal);
    case "confirm":
      return fc.constant(literal("DELETE"));
    case "decimal":
      return fc.oneof(
        fc.constantFrom("1", "-3", "19.99", "0.1", "0", "100", "-0.25", "1e3").map(literal),
        fc.integer({ min: -1000, max: 1000 }).map(literal),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((number) => literal(String(number))),
      );
    case "text":
      return fc.oneof(fc.constantFrom("", "a", "user:", "evt-", "__dskit:").map(literal), fc.string({ maxLength: 8 }).map(literal));
    case "integer": {
      const min = typeof spec.min === "number" ? spec.min : -1000;
      const max = typeof spec.max === "number" ? spec.max : 1_000_000;
      // Short timeouts and few retries keep the HTTP actions fast (waits between retries are instant anyway).
      const cap = spec.label?.startsWith("Timeout") || spec.label?.startsWith("Max Retries") ? Math.min(max, min + 2) : max;
      // Mostly small, as limits and chunk sizes usually are (a huge Limit × Window is refused by design).
      const valid = fc.oneof({ arbitrary: fc.integer({ min, max: Math.min(cap, min + 100) }), weight: 4 }, { arbitrary: fc.integer({ min, max: cap }), weight: 1 });
      return fc.oneof(valid.map(literal), valid.map((number) => literal(String(number))), fc.constantFrom(min, cap).map(literal));
    }
    case "boolean":
      return fc.oneof(fc.boolean().map(literal), fc.constantFrom("true", "false").map(literal));
    case "textMap":
      return textMapArbitrary();
    case "records":
      return recordsArbitrary(world);
    case "value":
      return fc.oneof(
        fc.jsonValue({ maxDepth: 3 }).map(literal),
        fc.constantFrom(0, false, "", null, "42", "-1.5", '{"a":1}', "[1,2]", "007", "2024-12-31", "555-1234", "true", "null").map(literal),
      );
    case "dataStore":
      return otherStoreArbitrary(world);
    // Search Records: queries and dot paths that hit the seeded values (falsy ones, { nested: { list: [0] } }).
    case "query":
      return fc.oneof(fc.constantFrom("0", "false", "null", "text", "42", "-1.5", "e", "T", "__proto__").map(literal), fc.string({ minLength: 1, maxLength: 4 }).map(literal));
    case "fieldPath":
      return fc.constantFrom("", "nested", "nested.list", "nested.list.0", "0", "1", "a", "__proto__", "constructor.name", "constructor").map(literal);
  }
}

/**
 * A second data store (Compare's Other, Copy's Target): a fresh in-memory store holding a few
 * records under the known keys (falsy values and a reserved key among them). Its sets are sent
 * when the value is built and apply before any request of the run, which comes later in the
 * same microtask queue; the property test checks the first store only.
 */
function otherStoreArbitrary(world: HostileWorld): fc.Arbitrary<Hostile> {
  const record = fc.tuple(fc.constantFrom(...world.knownKeys, "__dskit:limit:api"), fc.constantFrom<unknown>(0, false, "", null, "text", { a: 1 }, [1]));
  return fc.uniqueArray(record, { selector: ([key]) => key, maxLength: 5 }).map((records) =>
    built(`otherStore(${fc.stringify(records)})`, () => {
      const { store } = createFakeDataStore();
      for (const [key, value] of records) void store.set(key, JSON.parse(JSON.stringify(value)) as never);
      return store;
    }),
  );
}

/** The component's first data_store prop: the one the property test gives (its seeded store). */
function firstDataStore(component: ComponentDefinition): string | undefined {
  return Object.entries(component.props ?? {}).find(([, prop]) => !isApp(prop) && resolvePropSpec(prop).type === "data_store")?.[0];
}

/** Near misses for a kind of prop, on top of the hostile values every prop gets. */
function nearMissArbitrary(kind: PropKind, spec: PropSpec, world: HostileWorld): fc.Arbitrary<Hostile> {
  switch (kind) {
    case "choice":
      return fc.constantFrom(...unknownOptions(optionValues(spec))).map(literal);
    case "url":
      return fc.oneof(
        fc
          .constantFrom(
            "not a url",
            "127.0.0.1/ok",
            "ftp://127.0.0.1/ok",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "http://",
            "http://[::1",
            "http:// 127.0.0.1/",
            "//127.0.0.1/ok",
            "data:text/plain,hi",
            "http://exa mple.com/",
            "https://\ud83d.example/",
          )
          .map(literal),
        fc.constantFrom("/ok?x=\ud83d", "/ok?__proto__=1&constructor=2", "/ok#\udc00", `/ok?q=${"z".repeat(20_000)}`).map((path) =>
          built(`server(${JSON.stringify(path.length > 60 ? `${path.slice(0, 40)}…(${path.length} chars)` : path)})`, () => `${world.serverUrl}${path}`),
        ),
      );
    case "integer":
      return fc.oneof(
        fc.constantFrom(-1, 0, 1.5, 0.1, 63_072_001, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 2, 1e21).map(literal),
        fc.constantFrom(...NUMERIC_TEXT).map(literal),
      );
    case "boolean":
      return fc.constantFrom("yes", "TRUE", "False", "1", "0", 1, 0, "on", " true").map(literal);
    case "textMap":
      return fc.oneof(
        fc
          .constantFrom(
            '{"X-Bad":"a\\nb"}',
            '{"bad name":"x"}',
            '{"X-\ud83d":"x"}',
            '{"X-Ok":"\ud83d"}',
            '{"X-Nested":{"a":1}}',
            '{"X-List":[1,2]}',
            '{"X-Num":1e400}',
            '{"__proto__":"x"}',
            '{"constructor":"x","toString":"y"}',
            "[1,2]",
            "not json",
            "42",
          )
          .chain((text) => fc.constantFrom(built(`JSON.parse(${JSON.stringify(text)})`, () => parseOr(text)), literal(text))),
      );
    case "records":
      return fc.oneof(
        fc
          .constantFrom(
            '{"__dskit:counter:x:y:1":5}',
            '{"evt-\ud83d":1}',
            '{"__proto__":1,"constructor":2,"toString":3}',
            '[{"key":"a","value":1},{"key":"a","value":2}]',
            '[{"key":"a","value":1,"ttl":"1e3"}]',
            '[{"key":"a","value":1,"ttl":1e400}]',
            '[{"key":"a","value":1,"ttl":-1}]',
            '[{"key":"a","value":1,"ttl":1.5}]',
            '[{"key":"a","value":1,"ttl":"0x10"}]',
            '[{"key":"a"}]',
            '[{"key":"__proto__","value":{"__proto__":{"polluted":true}}}]',
            '[{"key":"a","value":1,"extra":true}]',
            '[{"key":12345678901234567890,"value":1}]',
            '[{"key":"a","value":"1e400"}]',
            '{"a":"1e400"}',
            '{"a":12345678901234567890}',
            '{"":1}',
            '{" ":1}',
            "[]",
            "{}",
            "[null]",
            "[[]]",
          )
          .chain((text) => fc.constantFrom(built(`JSON.parse(${JSON.stringify(text)})`, () => parseOr(text)), literal(text))),
        depthArbitrary.map((depth) => built(`{ a: nestedObject(depth=${depth}) }`, () => ({ a: nestedObject(depth) }))),
        depthArbitrary.map((depth) => built(`[{ key: "a", value: nestedArray(depth=${depth}) }]`, () => [{ key: "a", value: nestedArray(depth) }])),
      );
    case "decimal":
      return fc.constantFrom(1e308, "1e308", "-1e308", "1.7976931348623157e308", "0.1", "1e-400", "5e-324").map(literal);
    case "fieldPath":
      return fc.constantFrom(".", "a..b", "nested.", ".0", "nested.list.00", "nested.list.-1", "__proto__.polluted", "a.".repeat(101)).map(literal);
    case "dataStore":
      // A store's name, an id-like object, a store-shaped object without the iterator.
      return fc.constantFrom<unknown>("other", "ds_abc123", { id: "ds_abc123" }, { get: 1, set: 1 }).map(literal);
    default:
      return fc.constantFrom(...RESERVED_KEYS, ...MALFORMED_KEYS, ...PROTOTYPE_NAMES).map(literal);
  }
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A valid value of one prop, or the prop left out where it may be (shrinking moves towards the first). */
export function validPropArbitrary(name: string, spec: PropSpec, world: HostileWorld): fc.Arbitrary<Hostile> {
  const valid = validArbitrary(propKind(name, spec), spec, world);
  const canOmit = spec.optional === true || spec.default !== undefined;
  return canOmit ? fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(OMITTED), weight: 1 }, { arbitrary: valid, weight: 3 }) : valid;
}

/** A hostile value of one prop: a near miss for its kind, anything at all, or nothing (undefined). */
export function hostilePropArbitrary(name: string, spec: PropSpec, world: HostileWorld): fc.Arbitrary<Hostile> {
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: nearMissArbitrary(propKind(name, spec), spec, world), weight: 4 },
    { arbitrary: anyHostileArbitrary, weight: 4 },
    { arbitrary: fc.constant(literal(undefined)), weight: 1 },
  );
}

/**
 * The props of `component`, every declared prop but the app and the data store (the test gives
 * that one): valid values, except for a few props (none to all, usually one or two) that get
 * hostile values. Shrinking makes fewer props hostile, so a counterexample shows the props that
 * matter.
 */
export function hostilePropsArbitrary(component: ComponentDefinition, world: HostileWorld): fc.Arbitrary<HostileProps> {
  const valid: Record<string, fc.Arbitrary<Hostile>> = {};
  const hostile: Record<string, fc.Arbitrary<Hostile>> = {};
  for (const [name, prop] of Object.entries(component.props ?? {})) {
    if (isApp(prop)) continue;
    const spec = resolvePropSpec(prop);
    if (name === firstDataStore(component)) continue;
    valid[name] = validPropArbitrary(name, spec, world);
    hostile[name] = hostilePropArbitrary(name, spec, world);
  }
  const names = Object.keys(valid);
  const hostileNames = fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.subarray(names, { maxLength: Math.min(1, names.length) }), weight: 4 },
    { arbitrary: fc.subarray(names, { maxLength: Math.min(2, names.length) }), weight: 3 },
    { arbitrary: fc.subarray(names), weight: 2 },
  );
  return fc.tuple(fc.record(valid), fc.record(hostile), hostileNames).map(([validProps, hostileProps, chosen]) => {
    const props: HostileProps = {};
    for (const name of names) props[name] = (chosen.includes(name) ? hostileProps[name] : validProps[name])!;
    return props;
  });
}

/** The props of `component` that the generator fills (all but the app and the data store). */
export function generatedPropNames(component: ComponentDefinition): string[] {
  return Object.entries(component.props ?? {})
    .filter(([name, prop]) => !isApp(prop) && name !== firstDataStore(component))
    .map(([name]) => name);
}
