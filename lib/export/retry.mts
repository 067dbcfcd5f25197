/**
 * Delivery of one chunk with retries: capped exponential backoff with full jitter, honouring
 * Retry-After. Hand-written rather than p-retry, which cannot take a delay from the response
 * (Retry-After) nor draw full jitter (it multiplies by 1 to 2).
 */
import { redactUrl, safeErrorCode, safeErrorName } from "../http/http-request.mjs";
import { isTransientStatus, type HttpResponse } from "../http/http-response.mjs";
import { pause } from "./pause.mjs";
import { countOf } from "../plural.mjs";

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff ceiling, doubled per retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 30 s. */
  maxDelayMs?: number;
  /** Longest Retry-After honoured; a receiver asking for more fails the chunk. Default 120 s. */
  maxRetryAfterMs?: number;
  /** For tests: a random number in [0, 1). Default Math.random. */
  random?: () => number;
}

export type DeliveryOutcome =
  | { delivered: true; attempts: number; status: number }
  | { delivered: false; attempts: number; reason: string };

/**
 * Calls `attempt` until it answers 2xx, a status that is not worth retrying, or the retries run
 * out. Errors thrown by `attempt` (timeouts, dropped connections) are retried like 5xx. Only a 2xx
 * to the request itself delivers: a 3xx fails at once, naming the Location (query redacted).
 */
export async function deliverWithRetry(attempt: () => Promise<HttpResponse>, policy: RetryPolicy): Promise<DeliveryOutcome> {
  const { maxRetries, baseDelayMs = 500, maxDelayMs = 30_000, maxRetryAfterMs = 120_000, random = Math.random } = policy;
  for (let attemptNumber = 1; ; attemptNumber++) {
    let reason: string;
    let retryAfterMs: number | undefined;
    try {
      const response = await attempt();
      if (response.status >= 200 && response.status <= 299) {
        return { delivered: true, attempts: attemptNumber, status: response.status };
      }
      if (response.status >= 300 && response.status <= 399) {
        return { delivered: false, attempts: attemptNumber, reason: describeRedirect(response.status, response.headers.location) };
      }
      reason = `HTTP ${response.status}`;
      if (!isTransientStatus(response.status)) return { delivered: false, attempts: attemptNumber, reason };
      retryAfterMs = parseRetryAfter(response.headers["retry-after"], Date.now());
    } catch (error) {
      reason = describeTransportError(error);
    }
    if (attemptNumber > maxRetries) {
      return { delivered: false, attempts: attemptNumber, reason: `${reason} after ${countOf(attemptNumber, "attempt")}` };
    }
    if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
      const seconds = Math.ceil(retryAfterMs / 1000);
      return { delivered: false, attempts: attemptNumber, reason: `${reason}; the receiver asked to wait ${seconds} s` };
    }
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attemptNumber - 1));
    await pause.for(retryAfterMs ?? Math.floor(random() * ceiling));
  }
}

/** Retry-After as delay-seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Otherwise an HTTP date ("Wed, 25 Nov 2026 13:00:00 GMT"); Date.parse alone would take "-5" as a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** A 3xx in words: what it pointed to, and what to do about it. */
function describeRedirect(status: number, location: string | undefined): string {
  const target = location === undefined || location.trim() === "" ? "" : ` redirecting to ${redactUrl(location.trim())}`;
  return `HTTP ${status}${target}: redirects are not followed, so use the final address`;
}

/**
 * A transport failure in words, from its code only: an error's message can quote the request
 * (a client's parse error quoted a token in the URL), so it is never repeated.
 */
function describeTransportError(error: unknown): string {
  const code = safeErrorCode(error);
  if (code === "ECONNABORTED" || code === "ETIMEDOUT") return "timed out";
  if (code !== undefined && !code.startsWith("ERR_")) return `connection failed (${code})`;
  return `request failed (${code ?? safeErrorName(error)})`;
}
