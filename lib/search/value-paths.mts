/** Dot paths into JSON values (`customer.email`, `items.0.sku`): reading one, and walking every leaf. */
import { InvalidArgumentError, quote } from "../errors.mjs";
import type { JsonValue } from "../store/data-store.mjs";
import { isPlainObject, MAX_JSON_DEPTH } from "../store/json.mjs";

/** A list index as a path segment: `0`, `12`; not `01`, `-1` or `1.5`. */
const LIST_INDEX = /^(?:0|[1-9]\d*)$/;

/**
 * The segments of a dot path: `"items.0.sku"` → `["items", "0", "sku"]`, `""` → `[]` (the value
 * itself). A segment may not be empty (`"a..b"`, `".a"`), and a path deeper than MAX_JSON_DEPTH
 * segments could reach nothing: both throw an InvalidArgumentError for `argument`. A member whose
 * name holds a dot cannot be addressed.
 */
export function parsePath(path: string, argument = "field"): string[] {
  if (path === "") return [];
  const segments = path.split(".");
  if (segments.some((segment) => segment === "")) {
    throw new InvalidArgumentError(
      argument,
      `${argument} ${quote(path)} has an empty part: write member names and list positions separated by single dots, such as customer.email or items.0.sku.`,
    );
  }
  if (segments.length > MAX_JSON_DEPTH) {
    throw new InvalidArgumentError(argument, `${argument} has ${segments.length} parts; values nest at most ${MAX_JSON_DEPTH} levels deep.`);
  }
  return segments;
}

/**
 * The part of `value` at `segments`, or `undefined` when there is none. Objects are read by their
 * own members only, so a segment such as `__proto__` or `constructor` never reaches a prototype;
 * lists by a whole-number position within their length.
 */
export function valueAtPath(value: JsonValue, segments: readonly string[]): JsonValue | undefined {
  let current: JsonValue = value;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!LIST_INDEX.test(segment)) return undefined;
      const index = Number(segment);
      if (index >= current.length) return undefined;
      current = current[index]!;
    } else if (isPlainObject(current)) {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = current[segment]!;
    } else {
      return undefined;
    }
  }
  return current;
}

/** A leaf of a JSON value: its dot path and its text (text as is; numbers, booleans and null as JSON). */
export interface Leaf {
  path: string;
  text: string;
}

/** A list or object being walked, and the next member to visit. */
interface Frame {
  container: JsonValue[] | { [key: string]: JsonValue };
  path: string;
  /** An object's own keys; undefined for a list. */
  names: string[] | undefined;
  next: number;
}

/**
 * Every leaf (text, number, boolean, null) inside `root`, in document order, with its dot path
 * from `rootPath` (`""` for the root itself). Walks with its own stack, not recursion, so no depth
 * overflows the call stack; only own members of objects are visited. Empty lists and objects have
 * no leaves.
 */
export function* leavesOf(root: JsonValue, rootPath = ""): Generator<Leaf> {
  const stack: Frame[] = [];
  const enter = (value: JsonValue, path: string): Leaf | undefined => {
    if (Array.isArray(value)) stack.push({ container: value, path, names: undefined, next: 0 });
    else if (isPlainObject(value)) stack.push({ container: value, path, names: Object.keys(value), next: 0 });
    else return { path, text: typeof value === "string" ? value : JSON.stringify(value) };
    return undefined;
  };
  const first = enter(root, rootPath);
  if (first) yield first;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const size = frame.names ? frame.names.length : (frame.container as JsonValue[]).length;
    if (frame.next >= size) {
      stack.pop();
      continue;
    }
    const index = frame.next++;
    const name = frame.names ? frame.names[index]! : String(index);
    const member = frame.names ? (frame.container as { [key: string]: JsonValue })[name] : (frame.container as JsonValue[])[index];
    // A value read from a store is JSON; an undefined member can only come from a caller's object.
    if (member === undefined) continue;
    const leaf = enter(member, frame.path === "" ? name : `${frame.path}.${name}`);
    if (leaf) yield leaf;
  }
}
