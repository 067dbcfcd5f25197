import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { isBlank } from "../../components/common/inputs.mjs";
import { readBoolean, readChoice, readInteger, readKeyList, readPrefix, specOf } from "../../components/common/props.mjs";
import { listChosenKeys, listChosenRecords, listKeys, listRecords, type ListedRecord } from "../../lib/records/list-records.mjs";
import { countOf } from "../../components/common/summary.mjs";
import { quote } from "../../lib/errors.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  keys: {
    propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })],
    type: "string[]",
    label: "Keys",
    description:
      "List only these records, in this order: select or enter keys (a JSON list of keys works too). Keys with no record " +
      "are named in the summary; Key Prefix and Limit are then ignored. Leave empty to list by prefix.",
    optional: true,
  },
  prefix: { propDefinition: [app, "keyPrefix"] },
  limit: {
    type: "integer",
    label: "Limit",
    description: "Return at most this many records (the first by key). Leave empty for all.",
    optional: true,
    min: 1,
  },
  includeInternal: {
    type: "boolean",
    label: "Include Internal Records",
    description:
      "Also list the records this package keeps for itself under the `__dskit:` prefix (rate limiter state, " +
      "deduplication markers, cache entries, counter parts); needed for a Key Prefix starting with `__dskit:`. Default: false.",
    optional: true,
    default: false,
  },
  output: {
    type: "string",
    label: "Output",
    description:
      "`array` (the default): a list of `{ key, value }`. `object`: one object of key to value. `keys`: the keys only.",
    optional: true,
    default: "array",
    options: [
      { label: "List of { key, value }", value: "array" },
      { label: "Object of key: value", value: "object" },
      { label: "Keys only", value: "keys" },
    ],
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-list-records",
  name: "List Records",
  description:
    "List the store's records sorted by key, optionally only keys with a prefix, or the records of chosen keys in the order " +
    "given, as a list, an object or just keys. Reads the store in one pass, not one request per key " +
    `(chosen keys: one request each, 10 at a time). [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.3.0",
  type: "action",
  annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: true, idempotentHint: true },
  props,
  async run({ $ }) {
    const includeInternal = readBoolean(this.includeInternal, props.includeInternal);
    // The package's records are listed only on the explicit opt-in, never through a "__dskit:"
    // prefix alone: such a prefix is refused (it would match nothing) and says how to opt in.
    const prefix = readPrefix(this.prefix, props.prefix, {
      refuseReserved: !includeInternal,
      whenReserved: `Turn on ${props.includeInternal.label} to list them.`,
    });
    const limit = readInteger(this.limit, props.limit);
    const output = readChoice(this.output, props.output);
    if (!isBlank(this.keys)) {
      // Chosen keys under "__dskit:" are read only with the same opt-in as a prefix.
      const keys = readChosenKeys(this.keys, includeInternal);
      const ignored = [prefix !== "" && specOf(props.prefix).label, limit !== undefined && props.limit.label].filter((label) => label !== false);
      const note = ignored.length > 0 ? `; ${ignored.join(" and ")} ignored, as ${props.keys.label} was given` : "";
      if (output === "keys") {
        const found = await listChosenKeys(this.dataStore, keys);
        $.export("$summary", `Successfully listed ${countOf(found.keys.length, "key")} of ${keys.length}${notFound(found.missing)}${note}`);
        return found.keys;
      }
      const { records, missing } = await listChosenRecords(this.dataStore, keys);
      $.export("$summary", `Successfully listed ${countOf(records.length, "record")} of ${keys.length}${notFound(missing)}${note}`);
      return output === "array" ? records : byKey(records);
    }
    const options = { prefix, limit, includeInternal };
    const where = prefix ? ` with keys starting "${prefix}"` : "";
    if (output === "keys") {
      const keys = await listKeys(this.dataStore, options);
      $.export("$summary", `Successfully listed ${countOf(keys.length, "key")}${where}`);
      return keys;
    }
    const records = await listRecords(this.dataStore, options);
    $.export("$summary", `Successfully listed ${countOf(records.length, "record")}${where}`);
    return output === "array" ? records : byKey(records);
  },
} satisfies ActionComponent<typeof props>;

/** How many missing keys a summary names before "and N more". */
const MAX_NAMED_MISSING = 10;

/**
 * The Keys prop: an empty list is zero keys, and lists nothing (an expression that found no keys
 * must not list the whole store); a list with an empty key is refused, as in Delete Records.
 */
function readChosenKeys(input: unknown, includeInternal: boolean): string[] {
  if (Array.isArray(input) && input.length === 0) return [];
  return readKeyList(input, props.keys, {
    allowReserved: includeInternal,
    whenReserved: `Turn on ${props.includeInternal.label} to list them.`,
  });
}

/** "; 2 keys had no record: "a", "b"", naming at most MAX_NAMED_MISSING keys; "" when none is missing. */
function notFound(missing: readonly string[]): string {
  if (missing.length === 0) return "";
  const named = missing.slice(0, MAX_NAMED_MISSING).map((key) => quote(key, 60));
  const rest = missing.length - named.length;
  return `; ${countOf(missing.length, "key")} had no record: ${named.join(", ")}${rest > 0 ? ` and ${rest} more` : ""}`;
}

/** A prototype-less object, so a key such as "__proto__" is an ordinary member; insertion order is kept. */
function byKey(records: readonly ListedRecord[]): Record<string, unknown> {
  const object: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const { key, value } of records) object[key] = value;
  return object;
}
