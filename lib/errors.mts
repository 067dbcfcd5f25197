/**
 * The library's own errors, and how its messages quote values. A code step can catch them by
 * class; the components turn every UsageError into the platform's ConfigurationError (same
 * message), so a builder user sees what to fix. Messages speak of arguments (`ttlSeconds`,
 * `amount`), never of props.
 */

/** A call the caller can fix: a bad argument, or a record that holds the wrong kind of value for it. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** An argument of the wrong type or out of range; `argument` is its name, e.g. `ttlSeconds`. */
export class InvalidArgumentError extends UsageError {
  override name = "InvalidArgumentError";

  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A record whose stored value does not fit the call, e.g. appending to a record that holds no
 * list, or incrementing one that holds no number. The record is left as it was.
 */
export class StoredValueError extends UsageError {
  override name = "StoredValueError";

  constructor(
    /** The record's key. */
    readonly key: string,
    /** What the call needed the record to hold: `list` or `number`. */
    readonly expected: "list" | "number",
    message: string,
  ) {
    super(message);
  }
}

/** How many characters of a value a message quotes by default. */
export const MAX_QUOTED_CHARS = 100;

/**
 * `text` cut to at most `maxChars` characters (UTF-16 units), ending in "..." when cut; never
 * splits a surrogate pair. `maxChars` below 4 is taken as 4.
 */
export function truncate(text: string, maxChars: number): string {
  const limit = Math.max(4, Math.floor(maxChars));
  if (text.length <= limit) return text;
  let end = limit - 3;
  // Do not leave half of an emoji before the dots.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}...`;
}

/**
 * A value as a message quotes it, at most `maxChars` characters (default 100): text and objects
 * as JSON (`"5"`, `{"n":1}`), numbers as written (`NaN` included), `undefined` as itself. Never
 * throws: a value JSON cannot write (a cycle) is named by its kind.
 */
export function quote(value: unknown, maxChars = MAX_QUOTED_CHARS): string {
  return truncate(asText(value), maxChars);
}

function asText(value: unknown): string {
  if (typeof value === "function" || typeof value === "symbol") return `a ${typeof value}`;
  if (typeof value !== "string" && (typeof value !== "object" || value === null)) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle, a BigInt inside, or a getter that throws: not worth more than its kind.
    return Array.isArray(value) ? "a list" : "an object";
  }
}
