/**
 * Rate limiting on a data store. Default mode keeps one state record per limiter: read it,
 * decide, write it back when the call is admitted (2 round trips; 1 when denied). Exact for
 * sequential calls; concurrent calls can both read the same state and both be admitted.
 *
 * Concurrency-safe mode writes a claim per call (a record whose key carries the call's time),
 * lists the limiter's claims with one `keys()`, and replays them in time order through the same
 * algorithm: a call is admitted when the replay admits its claim. Denied claims consume nothing
 * in any replay and are deleted. What remains is a narrow race: a call whose claim is written
 * after a later call has already listed. The benchmark measures it (README).
 */
import { randomUUID } from "node:crypto";
import { ConfigurationError } from "@pipedream/platform";
import type { DataStore } from "../data-store.mjs";
import { internalKey, internalKeyPrefix } from "../internal-keys.mjs";
import { MAX_TTL_SECONDS } from "../ttl.mjs";
import { LIMITER_ALGORITHMS, type Algorithm, type Decision } from "./algorithms.mjs";

export { ALGORITHMS, type Algorithm } from "./algorithms.mjs";

/** A sliding-window log stores one time per admitted call: past this, use the token bucket. */
export const MAX_SLIDING_WINDOW_LIMIT = 10_000;

export interface RateLimitOptions {
  /** Calls admitted per window (the bucket's size for `token-bucket`). */
  limit: number;
  /** The window, in whole seconds. */
  windowSeconds: number;
  /** Default `fixed-window`. */
  algorithm?: Algorithm;
  /** Claims instead of read-modify-write (see the module comment). Default false. */
  concurrencySafe?: boolean;
  /** The call's time in ms since the epoch. Default now. */
  nowMs?: number;
}

/** The outcome of one call, in whole seconds rounded up. */
export interface RateLimitResult {
  allowed: boolean;
  limit: number;
  /** Calls that would be admitted right after this one. */
  remaining: number;
  /** Seconds until the limiter is back to its full limit. */
  resetInSeconds: number;
  /** Seconds until a call would next be admitted; 0 when one would be now. */
  retryAfterSeconds: number;
}

/** Thrown by the Rate Limit action's `error` mode; carries the result. */
export class RateLimitExceededError extends Error {
  constructor(
    readonly key: string,
    readonly result: RateLimitResult,
  ) {
    super(`Rate limit reached for "${key}": ${result.limit} calls allowed; retry in ${result.retryAfterSeconds} seconds.`);
    this.name = "RateLimitExceededError";
  }
}

/** Counts one call against the limiter named `key` and says whether it is admitted. */
export async function rateLimit(store: DataStore, key: string, options: RateLimitOptions): Promise<RateLimitResult> {
  const { limit, windowSeconds } = options;
  const algorithm = options.algorithm ?? "fixed-window";
  checkSettings(limit, windowSeconds, algorithm);
  const nowMs = options.nowMs ?? Date.now();
  const windowMs = windowSeconds * 1000;
  const decision = options.concurrencySafe
    ? await decideByClaims(store, key, algorithm, nowMs, limit, windowMs)
    : await decideByState(store, key, algorithm, nowMs, limit, windowMs);
  return {
    allowed: decision.allowed,
    limit,
    remaining: decision.remaining,
    resetInSeconds: Math.ceil(decision.resetInMs / 1000),
    retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000),
  };
}

async function decideByState(
  store: DataStore,
  key: string,
  algorithm: Algorithm,
  nowMs: number,
  limit: number,
  windowMs: number,
): Promise<Decision> {
  const stateKey = internalKey("limit", algorithm, key);
  const decision = LIMITER_ALGORITHMS[algorithm].decide(await store.get(stateKey), nowMs, limit, windowMs);
  // A denied call changes nothing that the next decision cannot recompute from the stored state.
  if (decision.allowed) await store.set(stateKey, decision.state, { ttl: ttlFor(decision.keepStateMs) });
  return decision;
}

async function decideByClaims(
  store: DataStore,
  key: string,
  algorithm: Algorithm,
  nowMs: number,
  limit: number,
  windowMs: number,
): Promise<Decision> {
  const prefix = internalKeyPrefix("limit", `${algorithm}-claims`, key);
  // Zero-padded base-36 time first, so claims sort by time, ties broken by the random id.
  const claimKey = `${prefix}${nowMs.toString(36).padStart(11, "0")}-${randomUUID()}`;
  await store.set(claimKey, nowMs, { ttl: ttlFor(windowMs) + 1 });
  const claims = (await store.keys()).filter((claim) => claim.startsWith(prefix) && claim <= claimKey).sort();
  const { decide } = LIMITER_ALGORITHMS[algorithm];
  let state: Decision["state"] | undefined;
  let own: Decision | undefined;
  for (const claim of claims) {
    const claimMs = parseInt(claim.slice(prefix.length, prefix.length + 11), 36);
    const decision = decide(state, claimMs, limit, windowMs);
    if (decision.allowed) state = decision.state;
    if (claim === claimKey) own = decision;
  }
  // keys() lists the claim just written; should a store lag, decide it after the claims it saw.
  own ??= decide(state, nowMs, limit, windowMs);
  if (!own.allowed) await store.delete(claimKey);
  return own;
}

function ttlFor(ms: number): number {
  return Math.min(MAX_TTL_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
}

function checkSettings(limit: number, windowSeconds: number, algorithm: Algorithm): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ConfigurationError(`Limit must be a whole number of calls, 1 or more; got ${String(limit)}.`);
  }
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_TTL_SECONDS) {
    throw new ConfigurationError(
      `Window (seconds) must be a whole number from 1 to ${MAX_TTL_SECONDS} (two years); got ${String(windowSeconds)}.`,
    );
  }
  if (!(algorithm in LIMITER_ALGORITHMS)) {
    throw new ConfigurationError(`Algorithm must be one of ${Object.keys(LIMITER_ALGORITHMS).join(", ")}; got ${String(algorithm)}.`);
  }
  if (algorithm === "sliding-window" && limit > MAX_SLIDING_WINDOW_LIMIT) {
    throw new ConfigurationError(
      `The sliding window stores one time per call, so its Limit is at most ${MAX_SLIDING_WINDOW_LIMIT}; ` +
        `got ${limit}. Use the token bucket for larger limits.`,
    );
  }
  if (limit * windowSeconds * 1000 > Number.MAX_SAFE_INTEGER) {
    throw new ConfigurationError("Limit × Window is too large to count exactly; lower the limit or the window.");
  }
}
