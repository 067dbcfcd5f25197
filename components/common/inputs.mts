/**
 * Checks of the values the Pipedream builder hands a component. Props arrive untyped (an integer
 * prop can hold a string from an expression), so each is checked once here and typed from then on.
 * Every failure is a ConfigurationError naming the prop and what to enter instead.
 */
import { ConfigurationError } from "@pipedream/platform";
import { INTERNAL_KEY_PREFIX, isInternalKey, isWellFormedText } from "../../lib/store/reserved-keys.mjs";
import { parseJsonText } from "../../lib/store/json.mjs";

/** Whether the user left an optional prop empty. */
export function isBlank(input: unknown): input is undefined | null | "" {
  return input === undefined || input === null || (typeof input === "string" && input.trim() === "");
}

/** How the key parsers treat the package's reserved `__dskit:` prefix. */
export interface ReservedKeyOptions {
  /** Accept text under the reserved prefix (dskit's --internal, an opt-in to the package's state). Default false. */
  allowReserved?: boolean;
  /** How the user can lift the refusal, ending its message; default: use text that does not start with the prefix. */
  whenReserved?: string;
}

/**
 * A data store key: non-empty, well-formed text (a finite number from an expression is turned into
 * text). A key under the reserved `__dskit:` prefix is refused unless `allowReserved`: through an
 * action it could forge a counter's parts or reset a limiter. Counter, limiter and deduplication
 * keys go through here too; the package adds the prefix itself, so a user never needs to type it.
 */
export function parseKey(input: unknown, label = "Key", options: ReservedKeyOptions = {}): string {
  if (typeof input === "number" && Number.isFinite(input)) return String(input);
  if (typeof input !== "string") {
    throw new ConfigurationError(`${label} must be text; got ${describe(input)}.`);
  }
  if (input.trim() === "") throw new ConfigurationError(`${label} is empty: enter the key of a record.`);
  checkKeyText(input, label, options);
  return input;
}

/** How `parsePrefix` treats a prefix under the reserved `__dskit:` prefix. */
export interface PrefixOptions {
  /**
   * Refuse it. Where the package's records are skipped (unless an opt-in prop is on), such a
   * prefix matches nothing: refusing says why, and `whenReserved` names the opt-in. Default false.
   */
  refuseReserved?: boolean;
  whenReserved?: string;
}

/**
 * A key prefix; empty means every key. Not trimmed: a prefix of spaces is a prefix, never "all".
 * Refused when not well-formed text, and under the reserved prefix when `refuseReserved`.
 */
export function parsePrefix(input: unknown, label = "Key Prefix", options: PrefixOptions = {}): string {
  if (input === undefined || input === null) return "";
  if (typeof input === "number" && Number.isFinite(input)) return String(input);
  if (typeof input !== "string") throw new ConfigurationError(`${label} must be text; got ${describe(input)}.`);
  checkKeyText(input, label, { allowReserved: options.refuseReserved !== true, whenReserved: options.whenReserved });
  return input;
}

/** Refuses text with a lone UTF-16 surrogate, and text under the reserved prefix unless allowed. */
function checkKeyText(text: string, label: string, options: ReservedKeyOptions): void {
  if (!isWellFormedText(text)) {
    throw new ConfigurationError(
      `${label} is not well-formed text: it holds a lone UTF-16 surrogate (half of a character such as an emoji, ` +
        `often left by cutting text in the middle of it); got ${describe(text)}. Enter the whole character, or remove the half.`,
    );
  }
  if (!options.allowReserved && isInternalKey(text)) {
    throw new ConfigurationError(
      `${label} starts with "${INTERNAL_KEY_PREFIX}", which is reserved for the package's own records (concurrency-safe ` +
        "counter parts, rate limiter state, deduplication markers, cached responses), kept apart from yours. " +
        (options.whenReserved ?? `Use text that does not start with "${INTERNAL_KEY_PREFIX}".`),
    );
  }
}

/**
 * A list of keys: an array of keys, one key, or a JSON array of keys in text. Duplicates are
 * dropped and order is kept. At least one key is required. Each key is checked as by `parseKey`.
 */
export function parseKeyList(input: unknown, label = "Keys", options: ReservedKeyOptions = {}): string[] {
  let items: unknown = input;
  if (typeof input === "string" && input.trim().startsWith("[")) {
    // A key that merely starts with "[" is still a key; big numbers in the list keep their digits.
    const parsed = parseJsonText(input);
    items = parsed.ok ? parsed.value : input;
  }
  const list = Array.isArray(items) ? items : [items];
  if (list.length === 0 || (list.length === 1 && isBlank(list[0]))) {
    throw new ConfigurationError(`${label} is empty: enter at least one key.`);
  }
  const keys = list.map((item, index) => parseKey(item, `${label} item ${index + 1}`, options));
  return [...new Set(keys)];
}

/** Decimal integer text: an optional sign and digits, nothing else (no hex, exponent or fraction). */
const INTEGER_TEXT = /^[+-]?\d+$/;

/**
 * A whole number from a number, or from decimal integer text with surrounding spaces allowed
 * (`" -12 "`); `undefined` for anything else, `"0x10"` and `"1e3"` included. -0 gives 0.
 * The one rule every integer prop follows.
 */
export function integerFrom(input: unknown): number | undefined {
  const text = typeof input === "string" ? input.trim() : undefined;
  const number = text === undefined ? input : INTEGER_TEXT.test(text) ? Number(text) : undefined;
  return typeof number === "number" && Number.isInteger(number) ? number + 0 : undefined;
}

/**
 * A whole number from an integer prop, or `undefined` when left empty. Accepts decimal integer
 * text from expressions (see `integerFrom`); refuses fractions and values outside `min`..`max`.
 */
export function parseOptionalInteger(
  input: unknown,
  label: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  if (isBlank(input)) return undefined;
  const number = integerFrom(input);
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = range;
  if (number === undefined || number < min || number > max) {
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
 * or "1e-7" (not hex, not Infinity), within `min`..`max` when given. Empty gives `fallback`.
 */
export function parseNumber(
  input: unknown,
  label: string,
  fallback: number,
  range: { min?: number; max?: number } = {},
): number {
  if (isBlank(input)) return fallback;
  const number = typeof input === "string" && DECIMAL_TEXT.test(input.trim()) ? Number(input.trim()) : input;
  const { min = -Number.MAX_VALUE, max = Number.MAX_VALUE } = range;
  if (typeof number !== "number" || !Number.isFinite(number) || number < min || number > max) {
    const bounds = range.min === undefined && range.max === undefined ? "" : ` from ${min} to ${max}`;
    throw new ConfigurationError(`${label} must be a number${bounds}, such as 1, -3 or 0.25; got ${describe(input)}.`);
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
