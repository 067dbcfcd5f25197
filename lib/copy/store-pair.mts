/**
 * Two data stores in one call: is a value a data store at all, and are two store objects one store?
 *
 * A data store has no documented id, and Pipedream hands each `data_store` prop its own object,
 * so the same store selected in two props is very likely two objects: identity alone cannot tell.
 * The rule: two stores are one when they are the same object (dskit and the test fakes hand one
 * object per store), or else when a probe record written into one is seen by the other.
 */
import { randomUUID } from "node:crypto";
import type { DataStore } from "../store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../store/reserved-keys.mjs";

/** The documented members a value needs to be used as a data store. */
const STORE_METHODS = ["get", "set", "setTtl", "has", "delete", "keys"] as const;

/** Long enough for the three requests of a probe; the probe expires by itself if its delete fails. */
const PROBE_TTL_SECONDS = 60;

/** Whether `value` has the data store's documented methods and its async iterator. */
export function isDataStore(value: unknown): value is DataStore {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as Record<string | symbol, unknown>;
  return STORE_METHODS.every((method) => typeof candidate[method] === "function") && typeof candidate[Symbol.asyncIterator] === "function";
}

/**
 * Whether `a` and `b` are one data store. The same object is, at no cost. Otherwise a probe record
 * under the reserved prefix is written into `b` (with a 60 s expiry), looked up in `a` with `has`,
 * and deleted again: 3 requests, and `b` ends as it was (unless the delete fails; then the probe
 * expires within a minute). Never touches a user's record.
 */
export async function isSameDataStore(a: DataStore, b: DataStore): Promise<boolean> {
  if (a === b) return true;
  const probeKey = `${INTERNAL_KEY_PREFIX}probe:${randomUUID()}`;
  await b.set(probeKey, true, { ttl: PROBE_TTL_SECONDS });
  try {
    return await a.has(probeKey);
  } finally {
    await b.delete(probeKey);
  }
}
