/**
 * A component object written back as JavaScript object-literal text, for the file's
 * `export default { … }`. Pipedream's lint rules read only a top-level object literal, and read
 * `name`, `description`, `props` and `annotations` as literals, so every JSON part is written as
 * a literal. Code is not data: every function (run, methods, hooks, options, a propDefinition's
 * third element) and every app object is written as a reference into the bundled component it was
 * read from (`x.run`, `x.props.app`), so the literal and the bundled code cannot disagree.
 */

/** Why `componentLiteral` could not write a value; names where it is, e.g. `props.when.default`. */
export class UnwritableValueError extends Error {
  override name = "UnwritableValueError";
}

/** An app prop (`{ type: "app", app, propDefinitions, methods }`): written by reference, as the registry's components import their app. */
function isAppObject(value: object): boolean {
  return (value as { type?: unknown }).type === "app" && typeof (value as { app?: unknown }).app === "string";
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** `base` followed by member `key` as JavaScript: `x.props`, `x.props["a-b"]`, `x.propDefinition[2]`. */
function member(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return IDENTIFIER.test(key) ? `${base}.${key}` : `${base}[${JSON.stringify(key)}]`;
}

/** A member name in an object literal; a literal `__proto__: …` would set the prototype, a computed one does not. */
function memberName(key: string): string {
  if (key === "__proto__") return `["__proto__"]`;
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/**
 * `value` as object-literal text, one member per line, lists of short plain values on one line.
 * `reference` is the expression that reads `value` from the bundled component (`x.props.key`);
 * `where` is its path for error messages; an app or function met again is written as its first
 * reference. Throws UnwritableValueError on anything that is neither
 * JSON data, a function nor an app (a Date, a Map, undefined, a symbol, a getter, …).
 */
export function literalOf(value: unknown, reference: string, where: string, indent = "", firstReferences = new Map<object, string>()): string {
  if (typeof value === "string" || typeof value === "boolean" || value === null) return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value) || Object.is(value, -0)) throw new UnwritableValueError(`${where} is ${String(value)}, which JSON cannot hold`);
    return JSON.stringify(value);
  }
  if (typeof value !== "function" && typeof value !== "object") {
    throw new UnwritableValueError(`${where} is ${value === undefined ? "undefined" : `a ${typeof value}`}, which cannot be written as a literal`);
  }
  if (typeof value === "function" || isAppObject(value)) {
    // One app reached through several props reads `x.props.app` each time: the same object, and readable.
    if (!firstReferences.has(value)) firstReferences.set(value, reference);
    return firstReferences.get(value)!;
  }
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (Object.keys(value).length !== value.length) throw new UnwritableValueError(`${where} is an array with holes or extra members`);
    const items = value.map((item, index) => literalOf(item, member(reference, index), `${where}[${index}]`, inner, firstReferences));
    const flat = `[${items.join(", ")}]`;
    return items.every((item) => !item.includes("\n")) && flat.length <= 80 ? flat : `[\n${items.map((item) => `${inner}${item},`).join("\n")}\n${indent}]`;
  }
  if (!isPlainObject(value)) throw new UnwritableValueError(`${where} is a ${value.constructor?.name ?? "object"}, which cannot be written as a literal`);
  const keys = Object.keys(value);
  if (Reflect.ownKeys(value).length !== keys.length) throw new UnwritableValueError(`${where} has symbol or non-enumerable members`);
  if (keys.length === 0) return "{}";
  const lines = keys.map((key) => {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    if (!("value" in descriptor)) throw new UnwritableValueError(`${where}.${key} is a getter or setter`);
    return `${inner}${memberName(key)}: ${literalOf(descriptor.value, member(reference, key), `${where}.${key}`, inner, firstReferences)},`;
  });
  return `{\n${lines.join("\n")}\n${indent}}`;
}

/** The whole component as `{ … }` text, every member read from `variable` where it is code. */
export function componentLiteral(component: object, variable: string): string {
  return literalOf(component, variable, "the component");
}

/**
 * Where `actual` differs from `expected`, or undefined: same members in the same order, JSON values
 * equal, functions the same code (`toString`), and an app or function that `expected` reaches
 * through two paths one object in `actual` too. Built to compare a component with
 * the same component re-read from its written literal, which live in two module instances, so
 * functions cannot be compared by identity.
 */
export function differenceBetween(actual: unknown, expected: unknown, where = "the component", pairs = new Map<object, unknown>()): string | undefined {
  if (typeof expected !== "object" && typeof expected !== "function") {
    return Object.is(actual, expected) ? undefined : `${where} is ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`;
  }
  if (expected === null) return actual === null ? undefined : `${where} is not null`;
  // Code and apps are written as references, so whatever shares one in the bundle shares it in the file.
  const shared = typeof expected === "function" || isAppObject(expected);
  if (shared && pairs.has(expected)) return pairs.get(expected) === actual ? undefined : `${where} is not the same object as where it first appeared`;
  if (typeof actual !== typeof expected || actual === null) return `${where} is a ${actual === null ? "null" : typeof actual}, expected a ${typeof expected}`;
  if (shared) pairs.set(expected, actual);
  if (typeof expected === "function") {
    return String(actual) === String(expected) ? undefined : `${where} is not the bundled function`;
  }
  if (Array.isArray(expected) !== Array.isArray(actual)) return `${where}: one is an array, the other is not`;
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return `${where} has another prototype`;
  const expectedKeys = Reflect.ownKeys(expected);
  const actualKeys = Reflect.ownKeys(actual as object);
  if (JSON.stringify(actualKeys.map(String)) !== JSON.stringify(expectedKeys.map(String))) {
    return `${where} has members ${actualKeys.map(String).join(", ")}, expected ${expectedKeys.map(String).join(", ")}`;
  }
  for (const key of expectedKeys) {
    const difference = differenceBetween(
      (actual as Record<PropertyKey, unknown>)[key],
      (expected as Record<PropertyKey, unknown>)[key],
      `${where}.${String(key)}`,
      pairs,
    );
    if (difference) return difference;
  }
  return undefined;
}
