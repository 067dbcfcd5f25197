/**
 * What an HTTP request answered, as the package's transports return it: the app's request helper
 * gives it, the export and the cache take it. A transport throws instead when no answer came
 * (a timeout, a dropped connection), and must not follow redirects: a 3xx comes back as it is.
 */
export interface HttpResponse {
  status: number;
  /** The body as the client read it (JSON as data, other text as text); may be left out where unused. */
  data?: unknown;
  /** Response headers, names in lower case; the package reads `retry-after` and `location`. */
  headers: Record<string, string | undefined>;
}

/**
 * Whether a status says the server is down or busy rather than the request wrong: 408, 429 and
 * 5xx. Such a failure is worth a retry (the export) or a stale copy (the cache); other 4xx are not.
 */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
