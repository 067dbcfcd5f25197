/**
 * What the package's HTTP requests share, whatever the client: the error a failed request throws
 * (naming the request by method, host and path only), and keeping secrets out of anything quoted.
 *
 * Secrets are header values and query values (of the URL and of query parameters): they may be
 * credentials, so no message, property, summary, return value or stored record holds them. What a
 * server sends back (a Location, an error body) can echo the request, so exact occurrences of the
 * request's secrets are scrubbed from it before it is quoted.
 */
import { truncate } from "../errors.mjs";

/** What replaces a secret in anything quoted. */
const REDACTED = "[redacted]";

/** Longest Location or body excerpt quoted in a message. */
const MAX_QUOTED_LENGTH = 200;

/** Values this short are not scrubbed from quoted text: they would blank out ordinary words and digits. */
const MIN_SECRET_LENGTH = 4;

/**
 * A request that got no HTTP answer: it timed out, the connection failed, or the client refused
 * it. Its message and properties hold the method, host and path and a code, never the query, the
 * headers or the client's own error (whose request config holds the headers).
 */
export class HttpRequestError extends Error {
  override name = "HttpRequestError";

  constructor(
    readonly method: string,
    /** Host and port, e.g. `api.example.com` or `127.0.0.1:8080`. */
    readonly host: string,
    /** The path without the query, e.g. `/ingest`. */
    readonly path: string,
    /** `ETIMEDOUT` when the attempt ran past its timeout; otherwise the client's or the system's code (`ECONNRESET`…). */
    readonly code: string,
    /** The failure in words, e.g. `timed out after 30 s`. */
    readonly reason: string,
  ) {
    super(`${method} ${host}${path} failed: ${reason}`);
  }
}

/** Method, host and path of `url` (no query, fragment or password), for an HttpRequestError. */
export function requestTarget(url: string): { host: string; path: string } {
  try {
    const parsed = new URL(url);
    return { host: parsed.host, path: bounded(parsed.pathname) };
  } catch {
    return { host: "(invalid URL)", path: "" };
  }
}

/**
 * An error code safe to quote: the shape of system and client codes (`ECONNRESET`, `ERR_CANCELED`),
 * or undefined. A code is never taken from free text, which could quote the request.
 */
export function safeErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" && /^[A-Z][A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}

/** An error's class name when it is a plain identifier (`SyntaxError`), else `Error`: never its message. */
export function safeErrorName(error: unknown): string {
  const name = (error as { name?: unknown } | null | undefined)?.name;
  return typeof name === "string" && /^[A-Za-z][A-Za-z0-9]{0,40}$/.test(name) ? name : "Error";
}

/**
 * The values of a request that may be credentials: every header value (and each long word of it,
 * so `Bearer <token>` also covers the bare token), every query value of the URL and of `params`
 * (as written and decoded), and the URL's user name and password.
 */
export function secretValuesOf(request: { url: string; headers?: Record<string, string>; params?: Record<string, string> }): string[] {
  const secrets = new Set<string>();
  const add = (value: string) => {
    secrets.add(value);
    const decoded = decodeQueryPart(value);
    if (decoded !== undefined) secrets.add(decoded);
  };
  for (const value of Object.values(request.headers ?? {})) {
    add(value);
    for (const word of value.split(/\s+/)) if (word.length >= 8) add(word);
  }
  for (const value of Object.values(request.params ?? {})) add(value);
  const [beforeFragment = "", fragment = ""] = splitOnce(request.url, "#");
  const [, query = ""] = splitOnce(beforeFragment, "?");
  for (const part of `${query}&${fragment}`.split("&")) {
    const [, value] = splitOnce(part, "=");
    add(value ?? part);
  }
  try {
    const { username, password } = new URL(request.url);
    add(username);
    add(password);
  } catch {
    // not a URL: nothing more to collect
  }
  return [...secrets].filter((secret) => secret.length >= MIN_SECRET_LENGTH);
}

/**
 * `text` with every occurrence of each secret replaced by [redacted]: as written, JSON-escaped
 * (in a quoted JSON body) and percent-encoded the ways clients encode (in an echoed URL). Longest secrets first, so a
 * secret inside another goes with it.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    // Encoders differ: encodeURIComponent keeps !'()*, URLSearchParams (form encoding) does not, and writes a space as +.
    const encoded = encodeURIComponent(secret);
    forms.add(encoded);
    forms.add(encoded.replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }
  let scrubbed = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) scrubbed = scrubbed.split(form).join(REDACTED);
  return scrubbed;
}

/**
 * A URL or a relative Location to quote: query values, the fragment and the user and password
 * replaced by [redacted] (a redirect may echo a token in them), control characters dropped, at
 * most 200 characters.
 */
export function redactUrl(text: string): string {
  // A header value may carry control characters; they have no place in a message.
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, "");
  const [beforeFragment = "", fragment] = splitOnce(clean, "#");
  const [beforeQuery = "", query] = splitOnce(beforeFragment, "?");
  const withoutUser = beforeQuery.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, `$1${REDACTED}@`);
  const redactedQuery =
    query === undefined
      ? ""
      : `?${query
          .split("&")
          .map((part) => {
            const [name, value] = splitOnce(part, "=");
            // A part without "=" may itself be a token (`?sk_live_…`): it goes too.
            return value === undefined ? (part === "" ? "" : REDACTED) : `${name}=${REDACTED}`;
          })
          .join("&")}`;
  return bounded(`${withoutUser}${redactedQuery}${fragment === undefined ? "" : `#${REDACTED}`}`);
}

/** Text from a server to quote: secrets scrubbed first (so no cut leaves part of one), then cut to 200 characters. */
export function quoteFromServer(text: string, secrets: readonly string[]): string {
  return bounded(scrubSecrets(text, secrets));
}

function bounded(text: string): string {
  return truncate(text, MAX_QUOTED_LENGTH);
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const index = text.indexOf(separator);
  return index === -1 ? [text, undefined] : [text.slice(0, index), text.slice(index + separator.length)];
}

function decodeQueryPart(text: string): string | undefined {
  try {
    const decoded = decodeURIComponent(text.replace(/\+/g, " "));
    return decoded === text ? undefined : decoded;
  } catch {
    return undefined;
  }
}
