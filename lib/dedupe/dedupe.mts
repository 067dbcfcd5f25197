/**
 * Deduplication: remember that a key was seen, for `ttlSeconds` or for good. One `get` to check
 * and one `set` on a first sighting. Two executions with the same new key at the same moment can
 * both see it as new; where that matters, give the workflow one worker (README).
 */
import type { DataStore } from "../store/data-store.mjs";
import { isPlainObject } from "../store/json.mjs";
import { internalKey } from "../store/reserved-keys.mjs";
import { checkNowMs } from "../store/time.mjs";
import { checkTtlSeconds } from "../store/ttl.mjs";

export interface DeduplicateOptions {
  /** Forget the key this many seconds after its first sighting; null to remember it for good. */
  ttlSeconds?: number | null;
  /** The sighting's time in ms since the epoch. Default now. */
  nowMs?: number;
}

export interface DeduplicateResult {
  key: string;
  /** True when the key was seen before, within the ttl. */
  duplicate: boolean;
  /** ISO time of the first sighting (this one, when not a duplicate). */
  firstSeenAt: string;
}

/**
 * Records a sighting of `key` and says whether it is a repeat. A bad `ttlSeconds` or `nowMs`, or a
 * key that is not well-formed text, is refused with an InvalidArgumentError before the store is read.
 */
export async function deduplicate(store: DataStore, key: string, options: DeduplicateOptions = {}): Promise<DeduplicateResult> {
  const markerKey = internalKey("dedupe", key);
  const nowMs = checkNowMs(options.nowMs);
  const ttlSeconds = checkTtlSeconds(options.ttlSeconds);
  const marker = await store.get(markerKey);
  const seenAt = isPlainObject(marker) ? marker.firstSeenAt : undefined;
  if (typeof seenAt === "string") return { key, duplicate: true, firstSeenAt: seenAt };
  const firstSeenAt = new Date(nowMs).toISOString();
  await store.set(markerKey, { firstSeenAt }, ttlSeconds === null ? undefined : { ttl: ttlSeconds });
  return { key, duplicate: false, firstSeenAt };
}
