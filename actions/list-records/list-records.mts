import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { readBoolean, readChoice, readInteger, readPrefix } from "../../components/common/props.mjs";
import { listKeys, listRecords } from "../../lib/records/list-records.mjs";
import { countOf } from "../../components/common/summary.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  prefix: {
    type: "string",
    label: "Key Prefix",
    description: "Only records whose key starts with this text, e.g. `user:`. Leave empty for all records.",
    optional: true,
  },
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
    "List the store's records sorted by key, optionally only keys with a prefix, as a list, an object or just keys. " +
    `Reads the store in one pass, not one request per key. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.2.2",
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
    const options = { prefix, limit, includeInternal };
    const where = prefix ? ` with keys starting "${prefix}"` : "";
    if (output === "keys") {
      const keys = await listKeys(this.dataStore, options);
      $.export("$summary", `Successfully listed ${countOf(keys.length, "key")}${where}`);
      return keys;
    }
    const records = await listRecords(this.dataStore, options);
    $.export("$summary", `Successfully listed ${countOf(records.length, "record")}${where}`);
    if (output === "array") return records;
    // A prototype-less object, so a key such as "__proto__" is an ordinary member.
    const byKey: Record<string, unknown> = Object.create(null);
    for (const { key, value } of records) byKey[key] = value;
    return byKey;
  },
} satisfies ActionComponent<typeof props>;
