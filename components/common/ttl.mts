/** The TTL prop: its spec (the app's `ttl` definition) and its reader. */
import { ConfigurationError } from "@pipedream/platform";
import { MAX_TTL_SECONDS } from "../../lib/store/ttl.mjs";
import { describe, integerFrom, isBlank } from "./inputs.mjs";
import { resolveSpec, type IntegerSpec, type PropOf } from "./props.mjs";

export const ttlProp = {
  type: "integer",
  label: "TTL (seconds)",
  description:
    `Delete the record automatically this many seconds after it is written, up to ${MAX_TTL_SECONDS} (two years). ` +
    "Leave empty or 0 for a record that never expires (the default).",
  optional: true,
  min: 0,
  max: MAX_TTL_SECONDS,
} as const;

/**
 * A TTL in whole seconds, or `null` for "no expiry" (empty or 0); negative, fractional or over
 * `maxSeconds` is refused. Decimal integer text from expressions is accepted (`"60"`, `" 60 "`),
 * as in every integer prop; `"0x10"` and `"1e3"` are not. For TTLs that are not a prop of their
 * own: a list item's `ttl`, the CLI's --ttl.
 */
export function parseTtlSeconds(input: unknown, label: string = ttlProp.label, maxSeconds: number = ttlProp.max): number | null {
  if (isBlank(input)) return null;
  const seconds = integerFrom(input);
  if (seconds === undefined || seconds < 0 || seconds > maxSeconds) {
    const upTo = maxSeconds === MAX_TTL_SECONDS ? `${maxSeconds} (two years)` : `${maxSeconds}`;
    throw new ConfigurationError(`${label} must be a whole number of seconds from 0 (no expiry) to ${upTo}; got ${describe(input)}.`);
  }
  return seconds === 0 ? null : seconds;
}

/** A TTL prop (see parseTtlSeconds), within the spec's max; when not optional, empty is refused. */
export function readTtl<P>(input: unknown, prop: PropOf<P, IntegerSpec>): number | null {
  const { label, optional, max } = resolveSpec<IntegerSpec>(prop);
  if (!optional && isBlank(input)) {
    throw new ConfigurationError(`${label} is required: enter the seconds until expiry, or 0 for none.`);
  }
  return parseTtlSeconds(input, label, max);
}
