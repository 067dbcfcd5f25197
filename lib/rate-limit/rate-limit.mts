/**
 * Rate limiting on a data store. Default mode keeps one state record per limiter: read it,
 * decide, write it back when the call is admitted (2 round trips; 1 when denied). Exact for
 * sequential calls; concurrent calls can both read the same state and both be admitted.
 *
 * Concurrency-safe mode writes a claim per call (a record whose key carries the call's time),
 * lists the limiter's claims with one `keys()`, and replays them in time order through the same
 * algorithm: a call is admitted when the replay admits its claim. Denied claims consume nothing
 * in any replay and are deleted. Sequential calls are decided exactly as in default mode. What
 * remains is a race: a claim written after a call ordered later has already listed, so the two
 * decide on different sets of claims. The benchmark measures it (README).
 */
import { randomUUID } from "node:crypto";
import { InvalidArgumentError, quote } from "../errors.mjs";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { isPlainObject } from "../store/json.mjs";
import { internalKey, internalKeyPrefix } from "../store/reserved-keys.mjs";
import { MAX_TTL_SECONDS } from "../store/ttl.mjs";
import { countOf } from "../plural.mjs";
import { ALGORITHMS, LIMITER_ALGORITHMS, type Algorithm, type Decision } from "./algorithms.mjs";

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
    super(`Rate limit reached for ${quote(key)}: ${countOf(result.limit, "call")} allowed; retry in ${countOf(result.retryAfterSeconds, "second")}.`);
    this.name = "RateLimitExceededError";
  }
}

/**
 * Counts one call against the limiter named `key` and says whether it is admitted. Settings that
 * cannot work (a `limit` below 1, a `windowSeconds` past two years…) are refused with an
 * InvalidArgumentError before the store is touched.
 */
export async function rateLimit(store: DataStore, key: string, options: RateLimitOptions): Promise<RateLimitResult> {
  const { limit, windowSeconds } = options;
  const algorithm = options.algorithm ?? "fixed-window";
  checkSettings(limit, windowSeconds, algorithm);
  const nowMs = options.nowMs ?? Date.now();
  // Claim keys and states hold integer ms: NaN or a fraction would be stored or break their order.
  if (!Number.isSafeInteger(nowMs) || nowMs < 0) {
    throw new InvalidArgumentError("nowMs", `nowMs must be a whole number of ms since the epoch, 0 or more; got ${quote(nowMs)}.`);
  }
  const windowMs = windowSeconds * 1000;
  const call: LimiterCall = { store, key, algorithm, nowMs, limit, windowMs };
  const decision = options.concurrencySafe ? await decideByClaims(call) : await decideByState(call);
  return {
    allowed: decision.allowed,
    limit,
    remaining: decision.remaining,
    resetInSeconds: Math.ceil(decision.resetInMs / 1000),
    retryAfterSeconds: Math.ceil(decision.retryAfterMs / 1000),
  };
}

/** One call to decide: which limiter, its settings, and when. */
interface LimiterCall {
  store: DataStore;
  key: string;
  algorithm: Algorithm;
  nowMs: number;
  limit: number;
  windowMs: number;
}

async function decideByState({ store, key, algorithm, nowMs, limit, windowMs }: LimiterCall): Promise<Decision> {
  const stateKey = internalKey("limit", algorithm, key);
  const decision = LIMITER_ALGORITHMS[algorithm].decide(await store.get(stateKey), nowMs, limit, windowMs);
  // A denied call changes nothing that the next decision cannot recompute from the stored state.
  if (decision.allowed) await store.set(stateKey, decision.state, { ttl: ttlFor(decision.keepStateMs) });
  return decision;
}

/** Orders this process's claims made in the same millisecond, as sequential calls arrived. */
let claimSequence = 0;

async function decideByClaims({ store, key, algorithm, nowMs, limit, windowMs }: LimiterCall): Promise<Decision> {
  const prefix = internalKeyPrefix("limit", `${algorithm}-claims`, key);
  // Zero-padded base-36 time, then this process's sequence, then a random id: claims sort by
  // time, sequential calls within one millisecond keep their order, and no two keys collide.
  const sequence = (claimSequence++ % 36 ** 4).toString(36).padStart(4, "0");
  const claimKey = `${prefix}${nowMs.toString(36).padStart(11, "0")}-${sequence}-${randomUUID()}`;
  const keepMs = windowMs + 1000;
  await store.set(claimKey, nowMs, { ttl: ttlFor(keepMs) });
  const checkpointKey = algorithm === "token-bucket" ? internalKey("limit", "token-bucket-checkpoint", key) : undefined;
  const [keys, stored] = await Promise.all([store.keys(), checkpointKey ? store.get(checkpointKey) : undefined]);
  // A checkpoint already past this claim was written by a call that saw it: replay from the start.
  const checkpoint = readCheckpoint(stored);
  const start = checkpoint && checkpoint.afterClaim < claimKey ? checkpoint : undefined;
  const claims = keys
    .filter((claim) => claim.startsWith(prefix) && claim <= claimKey && (!start || claim > start.afterClaim))
    .sort();
  const { decide } = LIMITER_ALGORITHMS[algorithm];
  let state = start?.state;
  let own: Decision | undefined;
  for (const claim of claims) {
    const claimMs = parseInt(claim.slice(prefix.length, prefix.length + 11), 36);
    const decision = decide(state, claimMs, limit, windowMs);
    if (decision.allowed) state = decision.state;
    if (claim === claimKey) own = decision;
  }
  // keys() lists the claim just written; should a store lag, decide it after the claims it saw.
  own ??= decide(state, nowMs, limit, windowMs);
  if (!own.allowed) {
    await store.delete(claimKey);
  } else if (checkpointKey) {
    await store.set(checkpointKey, { afterClaim: claimKey, state: own.state }, { ttl: ttlFor(keepMs) });
  }
  return own;
}

/**
 * A token bucket's state depends on its whole history, not just the last window: under steady
 * use it never refills. So concurrency-safe token buckets also keep a checkpoint, the state after
 * the latest admitted claim, and replay only the claims after it. Claims outlive the window by a
 * second; a checkpoint older than that has expired too, and then the bucket is full anyway (a
 * window with no admitted call refills it).
 */
interface Checkpoint {
  afterClaim: string;
  state: JsonValue;
}

function readCheckpoint(value: JsonValue | undefined): Checkpoint | undefined {
  if (!isPlainObject(value)) return undefined;
  const { afterClaim, state } = value;
  return typeof afterClaim === "string" && state !== undefined ? { afterClaim, state } : undefined;
}

function ttlFor(ms: number): number {
  return Math.min(MAX_TTL_SECONDS, Math.max(1, Math.ceil(ms / 1000)));
}

function checkSettings(limit: number, windowSeconds: number, algorithm: Algorithm): void {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidArgumentError("limit", `limit must be a whole number of calls, 1 or more; got ${quote(limit)}.`);
  }
  if (!Number.isInteger(windowSeconds) || windowSeconds < 1 || windowSeconds > MAX_TTL_SECONDS) {
    throw new InvalidArgumentError(
      "windowSeconds",
      `windowSeconds must be a whole number from 1 to ${MAX_TTL_SECONDS} (two years); got ${quote(windowSeconds)}.`,
    );
  }
  if (!Object.hasOwn(LIMITER_ALGORITHMS, algorithm)) {
    throw new InvalidArgumentError("algorithm", `algorithm must be one of ${ALGORITHMS.join(", ")}; got ${quote(algorithm)}.`);
  }
  if (algorithm === "sliding-window" && limit > MAX_SLIDING_WINDOW_LIMIT) {
    throw new InvalidArgumentError(
      "limit",
      `The sliding window stores one time per call, so its limit is at most ${MAX_SLIDING_WINDOW_LIMIT}; ` +
        `got ${limit}. Use the token bucket for larger limits.`,
    );
  }
  if (limit * windowSeconds * 1000 > Number.MAX_SAFE_INTEGER) {
    throw new InvalidArgumentError("limit", "limit × windowSeconds is too large to count exactly; lower the limit or the window.");
  }
}
