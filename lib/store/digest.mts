/** Fingerprints of stored values, to notice that a record changed without keeping the record. */
import { createHash } from "node:crypto";
import type { JsonValue } from "./data-store.mjs";

/** The most characters a digest has: all of a SHA-256 (256 bits) in base64url. */
export const FULL_DIGEST_LENGTH = 43;

/**
 * A stable fingerprint of `value`: the first `length` characters (default 8, at most 43) of the
 * base64url SHA-256 of its JSON text. Equal values as the store returns them give equal digests.
 * 8 characters (48 bits) keep a source's saved state small and tell edits apart; where a collision
 * would lose data (deleting a record thought unchanged), take FULL_DIGEST_LENGTH.
 */
export function valueDigest(value: JsonValue, length = 8): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, length);
}
