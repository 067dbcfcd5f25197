/**
 * The package keeps its own state (rate limiter state, deduplication markers, cache entries,
 * concurrency-safe counter parts) in ordinary records under one reserved prefix, so it never
 * collides with a user's records. List Records skips these keys unless asked, and so do the
 * export and the sources. Parts after the prefix are URI-encoded, so a user's key can contain
 * any character (":" included) without making two internal keys ambiguous.
 */
export const INTERNAL_KEY_PREFIX = "__dskit:";

export type InternalKind = "counter" | "limit" | "dedupe" | "cache";

/** Whether `key` holds the package's own state rather than a user's record. */
export function isInternalKey(key: string): boolean {
  return key.startsWith(INTERNAL_KEY_PREFIX);
}

/** The internal key for `kind` and its parts, e.g. `__dskit:limit:api%3Acalls`. */
export function internalKey(kind: InternalKind, ...parts: string[]): string {
  return [INTERNAL_KEY_PREFIX + kind, ...parts.map(encodeURIComponent)].join(":");
}

/** The prefix every internal key of `kind` under `parts` starts with, ending in ":". */
export function internalKeyPrefix(kind: InternalKind, ...parts: string[]): string {
  return `${internalKey(kind, ...parts)}:`;
}
