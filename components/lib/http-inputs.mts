/** Props of components that make HTTP requests: the URL, and maps of headers or query parameters. */
import { ConfigurationError } from "@pipedream/platform";
import { isBlank } from "./inputs.mjs";
import { parseValue } from "./values.mjs";

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

/** Headers or query parameters: an object (or JSON text of one) whose values become text; empty gives {}. */
export function parseTextMap(input: unknown, label: string): Record<string, string> {
  if (isBlank(input)) return {};
  const value = typeof input === "string" ? parseValue(input, "json", label) : input;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigurationError(`${label} must be an object of names and values, such as {"Accept": "application/json"}.`);
  }
  const entries = Object.entries(value).filter(([, entry]) => entry !== undefined && entry !== null);
  for (const [name, entry] of entries) {
    if (typeof entry === "object") throw new ConfigurationError(`${label} "${name}" must be text or a number, not an object or list.`);
  }
  return Object.fromEntries(entries.map(([name, entry]) => [name, String(entry)]));
}
