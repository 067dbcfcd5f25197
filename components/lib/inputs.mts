/**
 * Checks of the values the Pipedream builder hands a component. Props arrive untyped (an integer
 * prop can hold a string from an expression), so each is checked once here and typed from then on.
 * Every failure is a ConfigurationError naming the prop and what to enter instead.
 */
import { ConfigurationError } from "@pipedream/platform";

/** Whether the user left an optional prop empty. */
export function isBlank(input: unknown): input is undefined | null | "" {
  return input === undefined || input === null || (typeof input === "string" && input.trim() === "");
}

/** A data store key: a non-empty string (a finite number from an expression is turned into text). */
export function parseKey(input: unknown, label = "Key"): string {
  if (typeof input === "number" && Number.isFinite(input)) return String(input);
  if (typeof input !== "string") {
    throw new ConfigurationError(`${label} must be text; got ${describe(input)}.`);
  }
  if (input.trim() === "") throw new ConfigurationError(`${label} is empty: enter the key of a record.`);
  return input;
}

/**
 * A key prefix; empty means every key. Not trimmed: a prefix of spaces is a prefix, never "all".
 */
export function parsePrefix(input: unknown, label = "Key Prefix"): string {
  if (input === undefined || input === null) return "";
  if (typeof input === "number" && Number.isFinite(input)) return String(input);
  if (typeof input !== "string") throw new ConfigurationError(`${label} must be text; got ${describe(input)}.`);
  return input;
}

/**
 * A list of keys: an array of keys, one key, or a JSON array of keys in text. Duplicates are
 * dropped and order is kept. At least one key is required.
 */
export function parseKeyList(input: unknown, label = "Keys"): string[] {
  let items: unknown = input;
  if (typeof input === "string" && input.trim().startsWith("[")) {
    try {
      items = JSON.parse(input);
    } catch {
      items = input; // a key that merely starts with "[" is still a key
    }
  }
  const list = Array.isArray(items) ? items : [items];
  if (list.length === 0 || (list.length === 1 && isBlank(list[0]))) {
    throw new ConfigurationError(`${label} is empty: enter at least one key.`);
  }
  const keys = list.map((item, index) => parseKey(item, `${label} item ${index + 1}`));
  return [...new Set(keys)];
}

/**
 * A whole number from an integer prop, or `undefined` when left empty. Accepts numeric text from
 * expressions; refuses fractions and values outside `min`..`max`.
 */
export function parseOptionalInteger(
  input: unknown,
  label: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  if (isBlank(input)) return undefined;
  const number = typeof input === "string" ? Number(input.trim()) : input;
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (typeof number !== "number" || !Number.isInteger(number) || number < min || number > max) {
    throw new ConfigurationError(`${label} must be a whole number from ${min} to ${max}; got ${describe(input)}.`);
  }
  return number;
}

/** A required integer prop: as `parseOptionalInteger`, but empty is refused. */
export function parseInteger(input: unknown, label: string, range: { min?: number; max?: number } = {}): number {
  const number = parseOptionalInteger(input, label, range);
  if (number === undefined) throw new ConfigurationError(`${label} is required: enter a whole number.`);
  return number;
}

const DECIMAL_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number from a string prop or an expression: a finite number, or decimal text such as "-2.5"
 * (not hex, not empty). Empty gives `fallback`.
 */
export function parseNumber(input: unknown, label: string, fallback: number): number {
  if (isBlank(input)) return fallback;
  const number = typeof input === "string" && DECIMAL_TEXT.test(input.trim()) ? Number(input.trim()) : input;
  if (typeof number !== "number" || !Number.isFinite(number)) {
    throw new ConfigurationError(`${label} must be a number such as 1, -3 or 0.25; got ${describe(input)}.`);
  }
  return number;
}

/** A boolean prop; `"true"`/`"false"` text from expressions is accepted, empty gives `fallback`. */
export function parseBoolean(input: unknown, label: string, fallback: boolean): boolean {
  if (isBlank(input)) return fallback;
  if (typeof input === "boolean") return input;
  if (input === "true" || input === "false") return input === "true";
  throw new ConfigurationError(`${label} must be true or false; got ${describe(input)}.`);
}

/** One of a prop's fixed options; empty gives `fallback`. */
export function parseChoice<const T extends string>(
  input: unknown,
  choices: readonly T[],
  label: string,
  fallback: T,
): T {
  if (isBlank(input)) return fallback;
  if (typeof input === "string" && (choices as readonly string[]).includes(input)) return input as T;
  throw new ConfigurationError(
    `${label} must be one of ${choices.map((choice) => `"${choice}"`).join(", ")}; got ${describe(input)}.`,
  );
}

/** A short, safe description of an unexpected input for error messages. */
export function describe(input: unknown): string {
  if (input === undefined) return "nothing";
  if (typeof input === "string") return JSON.stringify(input.length > 60 ? `${input.slice(0, 57)}...` : input);
  if (typeof input === "number" || typeof input === "boolean" || input === null) return String(input);
  if (Array.isArray(input)) return `a list of ${input.length}`;
  return `a ${typeof input}`;
}
