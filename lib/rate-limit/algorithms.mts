/**
 * The three limiter algorithms as pure decisions: given the state before a call (undefined when
 * fresh) and the call's time, whether it is admitted and the state after. Times are integer ms,
 * so sequential calls are exact; the store I/O lives in rate-limit.mts.
 */
import type { JsonValue } from "../store/data-store.mjs";
import { isPlainObject } from "../store/json.mjs";

export const ALGORITHMS = ["fixed-window", "sliding-window", "token-bucket"] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface Decision {
  allowed: boolean;
  /** The state to store after the call (unchanged when denied). */
  state: JsonValue;
  /** Calls that would be admitted right after this one. */
  remaining: number;
  /** Until the limiter is back to its full `limit`, in ms. */
  resetInMs: number;
  /** Until the next call would be admitted, in ms; 0 when one would be now. */
  retryAfterMs: number;
  /** How long the state must be kept, in ms: after that it equals a fresh limiter. */
  keepStateMs: number;
}

export interface LimiterAlgorithm {
  decide(state: JsonValue | undefined, nowMs: number, limit: number, windowMs: number): Decision;
}

/** Admits `limit` calls per window; windows align to multiples of the window since the Unix epoch. */
const fixedWindow: LimiterAlgorithm = {
  decide(state, nowMs, limit, windowMs) {
    const windowStartMs = Math.floor(nowMs / windowMs) * windowMs;
    const previous = readObject(state);
    const count = previous?.windowStartMs === windowStartMs ? Number(previous.count) || 0 : 0;
    const allowed = count < limit;
    const used = allowed ? count + 1 : count;
    const resetInMs = windowStartMs + windowMs - nowMs;
    return {
      allowed,
      state: { windowStartMs, count: used },
      remaining: limit - used,
      resetInMs,
      retryAfterMs: used < limit ? 0 : resetInMs,
      keepStateMs: resetInMs,
    };
  },
};

/** An exact log of admitted call times in the last window; denied calls are not logged. */
const slidingWindow: LimiterAlgorithm = {
  decide(state, nowMs, limit, windowMs) {
    const logged = readObject(state)?.times;
    const times = (Array.isArray(logged) ? logged : [])
      .filter((time): time is number => typeof time === "number" && time > nowMs - windowMs)
      .sort((a, b) => a - b);
    const allowed = times.length < limit;
    if (allowed) times.push(nowMs);
    const oldest = times[0] ?? nowMs;
    const newest = times[times.length - 1] ?? nowMs - windowMs;
    return {
      allowed,
      state: { times },
      remaining: limit - times.length,
      resetInMs: Math.max(0, newest + windowMs - nowMs),
      retryAfterMs: times.length < limit ? 0 : oldest + windowMs - nowMs,
      keepStateMs: windowMs,
    };
  },
};

/**
 * Holds `limit` tokens and refills continuously at `limit` per window. Credit is kept in integer
 * units of 1/windowMs token (a call costs windowMs units, each ms refills `limit` units), so no
 * rounding drifts.
 */
const tokenBucket: LimiterAlgorithm = {
  decide(state, nowMs, limit, windowMs) {
    const capacity = limit * windowMs;
    const previous = readObject(state);
    const lastCredit = typeof previous?.credit === "number" ? previous.credit : capacity;
    const updatedAtMs = typeof previous?.updatedAtMs === "number" ? Math.min(previous.updatedAtMs, nowMs) : nowMs;
    let credit = Math.min(capacity, lastCredit + (nowMs - updatedAtMs) * limit);
    const allowed = credit >= windowMs;
    if (allowed) credit -= windowMs;
    const resetInMs = Math.ceil((capacity - credit) / limit);
    return {
      allowed,
      state: { credit, updatedAtMs: nowMs },
      remaining: Math.floor(credit / windowMs),
      resetInMs,
      retryAfterMs: credit >= windowMs ? 0 : Math.ceil((windowMs - credit) / limit),
      keepStateMs: resetInMs,
    };
  },
};

export const LIMITER_ALGORITHMS: Record<Algorithm, LimiterAlgorithm> = {
  "fixed-window": fixedWindow,
  "sliding-window": slidingWindow,
  "token-bucket": tokenBucket,
};

/** Stored state is data from a store: anything unexpected reads as a fresh limiter. */
function readObject(state: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return isPlainObject(state) ? state : undefined;
}
