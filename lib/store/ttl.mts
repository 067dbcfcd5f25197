import { InvalidArgumentError, quote } from "../errors.mjs";

/** The longest expiry we accept: two years. Longer is almost always a unit mistake (ms for s). */
export const MAX_TTL_SECONDS = 63_072_000;

/**
 * An expiry given to a library function, in whole seconds: null, undefined and 0 mean none and
 * give null. Anything else that is not a whole number from 1 to MAX_TTL_SECONDS (text such as
 * "60" included: parse the builder's text first) is refused with an InvalidArgumentError.
 */
export function checkTtlSeconds(ttlSeconds: number | null | undefined, argument = "ttlSeconds"): number | null {
  if (ttlSeconds === null || ttlSeconds === undefined) return null;
  if (typeof ttlSeconds !== "number" || !Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be a whole number of seconds from 0 (no expiry) to ${MAX_TTL_SECONDS} (two years); got ${quote(ttlSeconds)}.`,
    );
  }
  return ttlSeconds === 0 ? null : ttlSeconds;
}
