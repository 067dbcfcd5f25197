/** Props of components that make HTTP requests: the URL, and maps of headers or query parameters. */
import { ConfigurationError } from "@pipedream/platform";
import { isPlainObject } from "../../lib/store/json.mjs";
import { isBlank } from "./inputs.mjs";
import { resolveSpec, type PropOf, type PropSpec } from "./props.mjs";

type TextPropSpec = PropSpec & { readonly type: "string" };
type ObjectPropSpec = PropSpec & { readonly type: "object" };

/** A URL prop (see parseHttpUrl), named by its label. */
export function readHttpUrl<P>(input: unknown, prop: PropOf<P, TextPropSpec>): string {
  return parseHttpUrl(input, resolveSpec(prop).label);
}

/** A headers prop (see parseHeaders), named by its label. */
export function readHeaders<P>(input: unknown, prop: PropOf<P, ObjectPropSpec>): Record<string, string> {
  return parseHeaders(input, resolveSpec(prop).label);
}

/** A prop of names and text values, such as query parameters (see parseTextMap), named by its label. */
export function readTextMap<P>(input: unknown, prop: PropOf<P, ObjectPropSpec>): Record<string, string> {
  return parseTextMap(input, resolveSpec(prop).label);
}

/** A full http or https URL, normalized. */
export function parseHttpUrl(input: unknown, label = "URL"): string {
  let url: URL | undefined;
  try {
    url = typeof input === "string" ? new URL(input.trim()) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
    throw new ConfigurationError(`${label} must be a full http or https address, such as https://api.example.com/items.`);
  }
  return url.toString();
}

/**
 * Headers or query parameters: an object (or JSON text of one) whose values become text; empty
 * gives {}. Messages name the prop and a position, never the text: its values may be credentials.
 */
export function parseTextMap(input: unknown, label: string): Record<string, string> {
  if (isBlank(input)) return {};
  const example = `such as {"Accept": "application/json"}`;
  const value = typeof input === "string" ? parseJsonObjectText(input, label, example) : input;
  if (!isPlainObject(value)) {
    throw new ConfigurationError(`${label} must be an object of names and values, ${example}.`);
  }
  const entries = Object.entries(value).filter(([, entry]) => entry !== undefined && entry !== null);
  for (const [name, entry] of entries) {
    if (typeof entry === "object" || typeof entry === "function" || typeof entry === "symbol") {
      throw new ConfigurationError(`${label} "${quoteName(name)}" must be text or a number, not an object or list.`);
    }
  }
  return Object.fromEntries(entries.map(([name, entry]) => [name, String(entry)]));
}

/** An HTTP token (RFC 9110), what a header name must be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header value may carry: tab, visible ASCII and space, and Latin-1 beyond; no line breaks. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

/**
 * Request headers: as `parseTextMap`, and each name and value one that HTTP can carry, so a bad
 * header is refused here, before anything is sent, rather than failing every request. Messages
 * name the header, never its value.
 */
export function parseHeaders(input: unknown, label = "Headers"): Record<string, string> {
  const headers = parseTextMap(input, label);
  for (const [index, [name, value]] of Object.entries(headers).entries()) {
    if (!HEADER_NAME.test(name)) {
      // Not quoted: a whole header line typed as a name ("Authorization: Bearer …") holds the credential.
      throw new ConfigurationError(
        `${label}: name number ${index + 1} is not one HTTP can send (it is empty, or has a space, ":" or another character names cannot). ` +
          "Use letters, digits and - only, such as X-Api-Key, with the value on its own.",
      );
    }
    if (!HEADER_VALUE.test(value)) {
      throw new ConfigurationError(
        `${label} "${quoteName(name)}" has a value HTTP cannot send (a line break, a control character, or a character beyond Latin-1): remove it.`,
      );
    }
  }
  return headers;
}

function parseJsonObjectText(text: string, label: string, example: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse's message quotes the text around the error, which may be a credential: keep only the position.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    const where = position === undefined ? "" : ` (at character ${Number(position) + 1})`;
    throw new ConfigurationError(`${label} is not valid JSON${where}. Enter an object of names and values, ${example}.`);
  }
}

/** A header or parameter name to quote (names are not secret): at most 60 characters. */
function quoteName(name: string): string {
  return name.length > 60 ? `${name.slice(0, 57)}...` : name;
}
