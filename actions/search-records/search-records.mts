import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import { ConfigurationError, withConfigurationErrors } from "../../components/common/errors.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { describe, isBlank } from "../../components/common/inputs.mjs";
import { readBoolean, readChoice, readInteger, readPrefix } from "../../components/common/props.mjs";
import { countOf } from "../../components/common/summary.mjs";
import { quote, UsageError } from "../../lib/errors.mjs";
import { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, searchRecords } from "../../lib/search/search-records.mjs";
import { parsePath } from "../../lib/search/value-paths.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  query: {
    type: "string",
    label: "Query",
    description: "The text to look for. Numbers, true/false and null in values match by their JSON text (`0`, `false`, `null`).",
  },
  match: {
    type: "string",
    label: "Match",
    description: "`contains` (the default): the query appears anywhere in the text. `equals`: the whole text. `startsWith`: its beginning.",
    optional: true,
    default: "contains",
    options: [
      { label: "Contains", value: "contains" },
      { label: "Equals", value: "equals" },
      { label: "Starts with", value: "startsWith" },
    ],
  },
  caseSensitive: {
    type: "boolean",
    label: "Case Sensitive",
    description: "Tell upper from lower case. Default: false (`Ann` finds `ann` and `ANN`).",
    optional: true,
    default: false,
  },
  field: {
    type: "string",
    label: "Field",
    description:
      "Search only this part of each value: a dot path such as `customer.email`, or `items.0.sku` for the first item's sku " +
      "(a list or object there is searched throughout). Leave empty to search every text, number and true/false in the value.",
    optional: true,
  },
  prefix: { propDefinition: [app, "keyPrefix"] },
  limit: {
    type: "integer",
    label: "Limit",
    description: `Return at most this many matches, the first by key. Default: ${DEFAULT_SEARCH_LIMIT}.`,
    optional: true,
    default: DEFAULT_SEARCH_LIMIT,
    min: 1,
    max: MAX_SEARCH_LIMIT,
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-search-records",
  name: "Search Records",
  description:
    "Find the records whose value contains, equals or starts with a text, anywhere inside the value or at one field, " +
    `with the paths that matched. Reads the store in one pass, not one request per key. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.0.1",
  type: "action",
  annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: true, idempotentHint: true },
  props,
  async run({ $ }) {
    const query = readQuery(this.query);
    const match = readChoice(this.match, props.match);
    const caseSensitive = readBoolean(this.caseSensitive, props.caseSensitive);
    const field = readField(this.field);
    // The package's records are never searched, so a "__dskit:" prefix would match nothing: refused.
    const prefix = readPrefix(this.prefix, props.prefix, { refuseReserved: true, whenReserved: "Search Records never searches them." });
    const limit = readInteger(this.limit, props.limit);
    const result = await withConfigurationErrors(searchRecords(this.dataStore, query, { match, caseSensitive, field, prefix, limit }));
    const where = field === "" ? "" : ` at ${field}`;
    const more = result.truncated ? ` (the first ${limit} by key; more matched)` : "";
    $.export(
      "$summary",
      `Found ${countOf(result.matches.length, "record")} whose value ${matchWords[match]} ${quote(query, 60)}${where} ` +
        `among ${countOf(result.scanned, "record")} searched${more}`,
    );
    return result;
  },
} satisfies ActionComponent<typeof props>;

const matchWords = { contains: "contains", equals: "equals", startsWith: "starts with" } as const;

/** The query: text, or a number or true/false from an expression, read as its JSON text. */
function readQuery(input: unknown): string {
  const { label } = props.query;
  if (isBlank(input)) throw new ConfigurationError(`${label} is empty: enter the text to look for.`);
  if (typeof input === "string") return input;
  if (typeof input === "boolean" || (typeof input === "number" && Number.isFinite(input))) return JSON.stringify(input);
  throw new ConfigurationError(`${label} must be text, a number or true/false; got ${describe(input)}.`);
}

/** The field's dot path, its parts checked under the prop's label; empty for the whole value. */
function readField(input: unknown): string {
  const { label } = props.field;
  if (isBlank(input)) return "";
  if (typeof input !== "string") throw new ConfigurationError(`${label} must be a dot path such as customer.email; got ${describe(input)}.`);
  try {
    parsePath(input, label);
  } catch (error) {
    throw error instanceof UsageError ? new ConfigurationError(error.message) : error;
  }
  return input;
}
