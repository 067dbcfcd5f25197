import type { JsonValue } from "./data-store.mjs";

/**
 * Why `value` cannot be stored as JSON (a function, a Map, NaN, a cycle…), with the path to the
 * offending part, or `undefined` when it is JSON data. `undefined` inside an object is allowed:
 * serialization drops it, as the platform does.
 */
export function describeNonJson(value: unknown, path = "value"): string | undefined {
  return check(value, path, new Set());
}

function check(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  switch (typeof value) {
    case "string":
    case "boolean":
      return undefined;
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot hold`;
    case "undefined":
      return `${path} is missing (undefined)`;
    case "bigint":
      return `${path} is a BigInt; pass it as a string or a number`;
    case "function":
    case "symbol":
      return `${path} is a ${typeof value}, not data`;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.has(object)) return `${path} refers to itself (a cycle)`;
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const problem = check(object[i], `${path}[${i}]`, ancestors);
        if (problem) return problem;
      }
      return undefined;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? "class instance";
      return `${path} is a ${kind}; only plain objects, lists, text, numbers, true/false and null can be stored`;
    }
    for (const [name, member] of Object.entries(object)) {
      if (member === undefined) continue;
      const problem = check(member, `${path}.${name}`, ancestors);
      if (problem) return problem;
    }
    return undefined;
  } finally {
    ancestors.delete(object);
  }
}

/** Whether `value` is JSON data that a data store can hold. */
export function isJsonValue(value: unknown): value is JsonValue {
  return describeNonJson(value) === undefined;
}

/** A deep copy through JSON, as the platform gives back what it stores. */
export function jsonCopy<T extends JsonValue>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
