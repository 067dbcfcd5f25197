import { ConfigurationError } from "@pipedream/platform";
import { describe, integerFrom, isBlank } from "../../components/common/inputs.mjs";

/** The longest expiry we accept: two years. Longer is almost always a unit mistake (ms for s). */
export const MAX_TTL_SECONDS = 63_072_000;

/**
 * A TTL prop in whole seconds. Empty or 0 means "no expiry" and gives `null`; negative,
 * fractional or over two years is refused. Decimal integer text from expressions is accepted
 * (`"60"`, `" 60 "`), as in every integer prop; `"0x10"` and `"1e3"` are not.
 */
export function parseTtlSeconds(input: unknown, label = "TTL (seconds)"): number | null {
  if (isBlank(input)) return null;
  const seconds = integerFrom(input);
  if (seconds === undefined || seconds < 0 || seconds > MAX_TTL_SECONDS) {
    throw new ConfigurationError(
      `${label} must be a whole number of seconds from 0 (no expiry) to ${MAX_TTL_SECONDS} (two years); ` +
        `got ${describe(input)}.`,
    );
  }
  return seconds === 0 ? null : seconds;
}

/** An expiry given to a library function (a code step's `ttlSeconds`): null, undefined or 0 for none. */
export function checkTtlSeconds(ttlSeconds: number | null | undefined): number | null {
  return parseTtlSeconds(ttlSeconds, "ttlSeconds");
}
