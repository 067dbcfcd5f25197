import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { ConfigurationError, withConfigurationErrors } from "../../components/common/errors.mjs";
import { readInteger, readPrefix } from "../../components/common/props.mjs";
import { compareDataStores } from "../../lib/compare/compare-data-stores.mjs";
import { isDataStore } from "../../lib/copy/store-pair.mjs";
import { countOf } from "../../components/common/summary.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  otherDataStore: {
    propDefinition: [app, "dataStore"],
    label: "Other Data Store",
    description: "The data store to compare Data Store with.",
  },
  prefix: {
    propDefinition: [app, "keyPrefix"],
    description: "Compare only records whose key starts with this text, e.g. `user:`. Leave empty to compare every record.",
  },
  limit: {
    type: "integer",
    label: "Limit",
    description:
      "The most entries returned in each list (the first by key); the summary counts them all. From 1 to 10000. Default: 1000.",
    optional: true,
    default: 1000,
    min: 1,
    max: 10_000,
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-compare-data-stores",
  name: "Compare Data Stores",
  description:
    "Compare two data stores: the records only in one of them, the keys whose values differ, and how many are the same. " +
    `Reads each store once, not one request per key. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.0.1",
  type: "action",
  annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: true, idempotentHint: true },
  props,
  async run({ $ }) {
    const prefix = readPrefix(this.prefix, props.prefix, {
      refuseReserved: true,
      whenReserved: "The package's own records are never compared.",
    });
    const limit = readInteger(this.limit, props.limit);
    // Typed as a store, but an expression or a code step can pass anything.
    const other: unknown = this.otherDataStore;
    if (!isDataStore(other)) throw new ConfigurationError(`${props.otherDataStore.label} is required: select the data store to compare with.`);

    const { onlyHere, onlyInOther, changed, unchanged, truncated, counts } = await withConfigurationErrors(
      compareDataStores(this.dataStore, other, { prefix, limit }),
    );
    const where = prefix ? ` (keys starting "${prefix}")` : "";
    const cut = truncated ? `; lists cut at ${countOf(limit, "entry", "entries")}` : "";
    $.export(
      "$summary",
      `Compared${where}: ${counts.onlyHere} only here, ${counts.onlyInOther} only in the other, ` +
        `${counts.changed} changed, ${unchanged} unchanged${cut}`,
    );
    return { onlyHere, onlyInOther, changed, unchanged, truncated };
  },
} satisfies ActionComponent<typeof props>;
