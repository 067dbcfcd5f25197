/** Searching inside records' values: one pass over the store, memory bounded by the limit. */
import { InvalidArgumentError, quote } from "../errors.mjs";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { keyFilter } from "../records/list-records.mjs";
import { SmallestKeys } from "./smallest-keys.mjs";
import { leavesOf, parsePath, valueAtPath } from "./value-paths.mjs";

/** How a leaf's text is compared with the query. */
export const MATCH_MODES = ["contains", "equals", "startsWith"] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

/** The most matches returned by default, and the most a search may ask for. */
export const DEFAULT_SEARCH_LIMIT = 100;
export const MAX_SEARCH_LIMIT = 10_000;

export interface SearchOptions {
  /** `contains` (default), `equals` or `startsWith`. */
  match?: MatchMode;
  /** Compare case as written. Default false: both sides lower-cased with `toLowerCase()` (see searchRecords). */
  caseSensitive?: boolean;
  /** A dot path into the value (`customer.email`, `items.0.sku`); empty or omitted: the whole value. */
  field?: string;
  /** Only records whose key starts with this text; empty for all. */
  prefix?: string;
  /** Return at most this many matches, the first by key; 1 to MAX_SEARCH_LIMIT, default DEFAULT_SEARCH_LIMIT. */
  limit?: number;
}

export interface SearchMatch {
  key: string;
  value: JsonValue;
  /** The dot paths inside `value` whose leaf matched, in document order; `""` when the value itself matched. */
  paths: string[];
}

export interface SearchResult {
  /** The matching records with the smallest keys, sorted by key, at most `limit`. */
  matches: SearchMatch[];
  /** How many records were read and considered: the user's records under the prefix (the package's own are never counted). */
  scanned: number;
  /** Whether more records matched than `limit`. */
  truncated: boolean;
}

/**
 * The records whose value matches `query` (non-empty text), with the paths that matched, sorted by
 * key. Every leaf of the value is compared (or of the part at `field`): text as is, numbers,
 * booleans and null by their JSON text (`0` matches "0", `false` "false", `null` "null"); empty
 * lists and objects never match. Case-insensitive comparison lower-cases both sides with
 * `toLowerCase()`, the same on every machine whatever its locale (no Turkish dotless i, no
 * folding of "ß" to "ss"). Reads the store once with `for await` (one request per page, no `get`,
 * no `keys()`), and holds at most `limit` matches: the smallest keys seen so far, since the
 * store's order is not key order. The package's `__dskit:` records are skipped.
 */
export async function searchRecords(store: DataStore, query: string, options: SearchOptions = {}): Promise<SearchResult> {
  const { match, caseSensitive, segments, prefix, limit } = checkOptions(query, options);
  const matches = matcher(query, match, caseSensitive);
  const wanted = keyFilter({ prefix, includeInternal: false });
  const kept = new SmallestKeys<SearchMatch>(limit);
  let scanned = 0;
  let truncated = false;
  for await (const [key, value] of store) {
    // A key the iterator repeats (pages shift when others write meanwhile) is searched once.
    if (!wanted(key) || kept.has(key)) continue;
    scanned += 1;
    // Once a match was dropped, a record that could not be kept need not be searched at all.
    if (truncated && !kept.wouldKeep(key)) continue;
    const paths = matchingPaths(value, segments, matches);
    if (paths.length === 0) continue;
    if (!kept.wouldKeep(key)) {
      truncated = true;
      continue;
    }
    // A full heap evicts its largest key to keep this one: that evicted match is dropped.
    if (kept.size === limit) truncated = true;
    kept.offer({ key, value, paths });
  }
  return { matches: kept.sorted(), scanned, truncated };
}

/** The paths of the leaves under `segments` in `value` that match. */
function matchingPaths(value: JsonValue, segments: readonly string[], matches: (text: string) => boolean): string[] {
  const start = valueAtPath(value, segments);
  if (start === undefined) return [];
  const paths: string[] = [];
  for (const leaf of leavesOf(start, segments.join("."))) if (matches(leaf.text)) paths.push(leaf.path);
  return paths;
}

function matcher(query: string, match: MatchMode, caseSensitive: boolean): (text: string) => boolean {
  const fold = caseSensitive ? (text: string) => text : (text: string) => text.toLowerCase();
  const needle = fold(query);
  switch (match) {
    case "equals":
      return (text) => fold(text) === needle;
    case "startsWith":
      return (text) => fold(text).startsWith(needle);
    default:
      return (text) => fold(text).includes(needle);
  }
}

function checkOptions(query: unknown, options: SearchOptions) {
  if (typeof query !== "string" || query === "") {
    throw new InvalidArgumentError("query", `query must be non-empty text; got ${quote(query)}.`);
  }
  const { match = "contains", caseSensitive = false, field = "", prefix = "", limit = DEFAULT_SEARCH_LIMIT } = options;
  if (!(MATCH_MODES as readonly unknown[]).includes(match)) {
    throw new InvalidArgumentError("match", `match must be one of ${MATCH_MODES.join(", ")}; got ${quote(match)}.`);
  }
  if (typeof caseSensitive !== "boolean") {
    throw new InvalidArgumentError("caseSensitive", `caseSensitive must be true or false; got ${quote(caseSensitive)}.`);
  }
  if (typeof field !== "string") throw new InvalidArgumentError("field", `field must be text (a dot path); got ${quote(field)}.`);
  if (typeof prefix !== "string") throw new InvalidArgumentError("prefix", `prefix must be text; got ${quote(prefix)}.`);
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT) {
    throw new InvalidArgumentError("limit", `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}; got ${quote(limit)}.`);
  }
  return { match, caseSensitive, segments: parsePath(field), prefix, limit };
}
