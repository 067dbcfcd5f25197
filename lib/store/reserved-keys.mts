/**
 * The package keeps its own state (rate limiter state, deduplication markers, cache entries,
 * concurrency-safe counter parts) in ordinary records under one reserved prefix, so it never
 * collides with a user's records. No action reads, writes or deletes a key under this prefix
 * (parseKey refuses it); List Records, the export and the sources skip these keys unless asked.
 * Parts after the prefix are URI-encoded, so a user's key can contain any character (":"
 * included) without making two internal keys ambiguous.
 */
import { InvalidArgumentError, quote } from "../errors.mjs";

export const INTERNAL_KEY_PREFIX = "__dskit:";

/** `source`: the marker a polling source keeps in the store it watches, to recognise it. */
export type InternalKind = "counter" | "limit" | "dedupe" | "cache" | "source";

/** Whether `key` holds the package's own state rather than a user's record. */
export function isInternalKey(key: string): boolean {
  return key.startsWith(INTERNAL_KEY_PREFIX);
}

/**
 * Whether `text` is well-formed UTF-16: no lone surrogate (half of an emoji, say, left by cutting
 * text at a code-unit index). With the `u` flag a proper pair is one code point, so only a lone
 * half matches. Same as String.prototype.isWellFormed, which the ES2022 typings lack.
 */
export function isWellFormedText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * The internal key for `kind` and its parts, e.g. `__dskit:limit:api%3Acalls`. A part that is not
 * well-formed text cannot be encoded (encodeURIComponent would throw a URIError): it is refused
 * with an InvalidArgumentError (argument `key`) instead.
 */
export function internalKey(kind: InternalKind, ...parts: string[]): string {
  for (const part of parts) {
    if (!isWellFormedText(part)) {
      throw new InvalidArgumentError(
        "key",
        `The key ${quote(part)} is not well-formed text: it holds a lone UTF-16 surrogate (half of a character ` +
          "such as an emoji, often left by cutting text in the middle of it). Pass the whole character, or remove the half.",
      );
    }
  }
  return [INTERNAL_KEY_PREFIX + kind, ...parts.map(encodeURIComponent)].join(":");
}

/** The prefix every internal key of `kind` under `parts` starts with, ending in ":". */
export function internalKeyPrefix(kind: InternalKind, ...parts: string[]): string {
  return `${internalKey(kind, ...parts)}:`;
}
