import { truncate } from "../errors.mjs";
import type { JsonValue } from "./data-store.mjs";

/**
 * How deeply lists and objects may nest in one value: `[[1]]` is 2 levels, so 100 brackets deep is
 * the most we accept. Deeper values are refused everywhere, so no check of ours can overflow the
 * stack (JSON.stringify itself overflows a few thousand levels down).
 */
export const MAX_JSON_DEPTH = 100;

/**
 * How deep `describeNonJson` looks by default: room for what wraps a value (a list of values, a
 * cache entry, a step's return value), and below where JSON.stringify overflows.
 */
export const MAX_CHECKED_DEPTH = 1000;

/**
 * Why `value` cannot be stored as JSON (a function, a Map, NaN, a cycle, nesting deeper than
 * `maxDepth` levels of lists and objects…), with the path to the offending part, or `undefined`
 * when it is JSON data. `undefined` inside an object is allowed: serialization drops it, as the
 * platform does. -0 is allowed (JSON stores it as 0). Never throws, and walks the value without
 * recursion, so no depth can overflow the stack. Values users enter are checked with MAX_JSON_DEPTH.
 */
export function describeNonJson(value: unknown, path = "value", maxDepth = MAX_CHECKED_DEPTH): string | undefined {
  try {
    return walk(value, path, maxDepth);
  } catch (error) {
    // A getter or a proxy that throws while being read is not data either.
    return `${path} could not be read (${messageOf(error)})`;
  }
}

/** A list or object being walked: its members, and the next one to visit. */
interface Frame {
  object: object;
  path: string;
  /** An object's keys; undefined for a list, whose members are its indexes. */
  keys: string[] | undefined;
  size: number;
  next: number;
}

function walk(root: unknown, rootPath: string, maxDepth: number): string | undefined {
  const stack: Frame[] = [];
  // The lists and objects on the path from the root: meeting one again is a cycle.
  const ancestors = new Set<object>();
  const visit = (value: unknown, path: string): string | undefined => {
    if (typeof value !== "object" || value === null) return describeNonObject(value, path);
    if (ancestors.has(value)) return `${path} refers to itself (a cycle)`;
    if (stack.length >= maxDepth) return `${rootPath} is nested deeper than ${maxDepth} levels of lists and objects`;
    let keys: string[] | undefined;
    if (!Array.isArray(value)) {
      if (!isPlainObject(value)) {
        const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? "class instance";
        return `${path} is a ${kind}; only plain objects, lists, text, numbers, true/false and null can be stored`;
      }
      keys = Object.keys(value);
    }
    stack.push({ object: value, path, keys, size: keys ? keys.length : (value as unknown[]).length, next: 0 });
    ancestors.add(value);
    return undefined;
  };
  const problem = visit(root, rootPath);
  if (problem) return problem;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next === frame.size) {
      stack.pop();
      ancestors.delete(frame.object);
      continue;
    }
    const index = frame.next++;
    if (frame.keys === undefined) {
      const problem = visit((frame.object as unknown[])[index], `${frame.path}[${index}]`);
      if (problem) return problem;
    } else {
      const name = frame.keys[index]!;
      const member = (frame.object as Record<string, unknown>)[name];
      if (member === undefined) continue;
      const problem = visit(member, `${frame.path}.${name}`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** Text, numbers, booleans and null are data; the rest of what is not an object is not. */
function describeNonObject(value: unknown, path: string): string | undefined {
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot hold`;
    case "undefined":
      return `${path} is missing (undefined)`;
    case "bigint":
      return `${path} is a BigInt; pass it as a string or a number`;
    case "function":
    case "symbol":
      return `${path} is a ${typeof value}, not data`;
    default:
      return undefined;
  }
}

/**
 * Whether `value` is a plain object: made by `{}`, JSON.parse or Object.create(null), not a list,
 * null, or an instance of a class (Date, Map…). For a value read from a store, that is a JSON object.
 */
export function isPlainObject(value: JsonValue | undefined): value is { [key: string]: JsonValue };
export function isPlainObject(value: unknown): value is Record<string, unknown>;
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

export interface JsonTextOptions {
  /**
   * A whole number written with more digits than a JSON number holds exactly
   * (`12345678901234567890` would become `12345678901234567000`): `text` keeps its digits as a
   * string, `refuse` refuses the text. Default `text`.
   */
  inexactIntegers?: "text" | "refuse";
  /** The deepest nesting accepted, in levels of lists and objects. Default MAX_JSON_DEPTH. */
  maxDepth?: number;
}

/** Why JSON text was not read: not JSON at all, or JSON we refuse because storing it would change it. */
export type JsonTextProblem = "not-json" | "too-deep" | "too-large" | "inexact-integer";

/**
 * JSON text read without losing anything: `{ ok: true, value }`, or `{ ok: false, problem,
 * reason }` where `reason` continues a sentence that starts with the name of what was read
 * ("… is nested deeper than 100 levels"), except for `not-json`, where it is the parser's message.
 * A number that overflows to Infinity (`1e400`) is refused; an inexact whole number is kept as
 * text or refused (see JsonTextOptions). Decimal fractions are read as usual (0.1 is 0.1).
 * The text is never evaluated as code.
 */
export function parseJsonText(
  text: string,
  options: JsonTextOptions = {},
): { ok: true; value: JsonValue } | { ok: false; problem: JsonTextProblem; reason: string } {
  const { inexactIntegers = "text", maxDepth = MAX_JSON_DEPTH } = options;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    return { ok: false, problem: "not-json", reason: messageOf(error) };
  }
  // Scanned only once JSON.parse accepted the text, so the scanner may assume valid JSON.
  const scan = scanNumbersAndDepth(text, maxDepth);
  if (scan.tooDeep) {
    return { ok: false, problem: "too-deep", reason: `is nested deeper than ${maxDepth} levels of lists and objects` };
  }
  if (scan.tooLarge !== undefined) {
    return {
      ok: false,
      problem: "too-large",
      reason: `holds the number ${shorten(scan.tooLarge)}, which is too large for a number (it would become Infinity)`,
    };
  }
  if (scan.inexact.length === 0) return { ok: true, value };
  if (inexactIntegers === "refuse") {
    const literal = text.slice(scan.inexact[0]!.start, scan.inexact[0]!.end);
    return {
      ok: false,
      problem: "inexact-integer",
      reason:
        `holds the whole number ${shorten(literal)}, which a JSON number cannot hold exactly ` +
        `(it would be stored as ${shorten(String(Number(literal)))})`,
    };
  }
  return { ok: true, value: JSON.parse(quoteLiterals(text, scan.inexact)) as JsonValue };
}

interface Span {
  start: number;
  end: number;
}

interface Scan {
  tooDeep: boolean;
  /** The first number literal that overflows to ±Infinity. */
  tooLarge?: string;
  /** Whole-number literals that a double cannot hold exactly, in text order. */
  inexact: Span[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** One pass over valid JSON text: nesting depth, and number literals outside strings. */
function scanNumbersAndDepth(text: string, maxDepth: number): Scan {
  const inexact: Span[] = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === '"') {
      i++;
      while (i < text.length && text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
    } else if (char === "[" || char === "{") {
      if (++depth > maxDepth) return { tooDeep: true, inexact };
    } else if (char === "]" || char === "}") {
      depth--;
    } else if (char === "-" || (char >= "0" && char <= "9")) {
      let end = i + 1;
      while (end < text.length && isNumberChar(text[end]!)) end++;
      const literal = text.slice(i, end);
      if (!Number.isFinite(Number(literal))) return { tooDeep: false, tooLarge: literal, inexact };
      if (isInexactInteger(literal)) inexact.push({ start: i, end });
      i = end - 1;
    }
  }
  return { tooDeep: false, inexact };
}

function isNumberChar(char: string): boolean {
  return (char >= "0" && char <= "9") || char === "-" || char === "+" || char === "." || char === "e" || char === "E";
}

/** A literal without fraction or exponent whose value a double would round. */
function isInexactInteger(literal: string): boolean {
  if (!/^-?\d+$/.test(literal)) return false;
  // Up to 15 significant digits always fit a double exactly; skip the BigInt work for them.
  if (literal.replace(/^-?0*/, "").length <= 15) return false;
  return BigInt(literal) !== BigInt(Number(literal));
}

/** `text` with each span wrapped in quotes, so its digits are read as a string. */
function quoteLiterals(text: string, spans: readonly Span[]): string {
  let result = "";
  let from = 0;
  for (const { start, end } of spans) {
    result += `${text.slice(from, start)}"${text.slice(start, end)}"`;
    from = end;
  }
  return result + text.slice(from);
}

/** A number literal quoted in a reason: at most 40 characters. */
function shorten(literal: string): string {
  return truncate(literal, 40);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
