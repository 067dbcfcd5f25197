import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { deleteRecords } from "../../lib/records/delete-records.mjs";
import { readBoolean, readKeyList } from "../../components/common/props.mjs";
import { countOf } from "../../components/common/summary.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  keys: {
    propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })],
    type: "string[]",
    label: "Keys",
    description: "The keys of the records to delete: select or enter one or more (a JSON list of keys works too).",
  },
  returnValues: {
    type: "boolean",
    label: "Return Values",
    description:
      "Also return the deleted records' values as `values` (an object of key to value), read just before each deletion. " +
      "Costs no extra request. Default: false.",
    optional: true,
    default: false,
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-delete-records",
  name: "Delete Records",
  description:
    "Delete one or more records by key, report which keys held no record, and optionally return the deleted values. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.2.0",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: true },
  props,
  async run({ $ }) {
    const keys = readKeyList(this.keys, props.keys);
    const returnValues = readBoolean(this.returnValues, props.returnValues);
    const result = await deleteRecords(this.dataStore, keys, { returnValues });
    const { deleted, notFound } = result;
    const missing = notFound.length > 0 ? `; ${countOf(notFound.length, "key")} had no record` : "";
    $.export("$summary", `Successfully deleted ${countOf(deleted.length, "record")}${missing}`);
    // Without Return Values the result keeps its earlier shape: no `values` member at all.
    return returnValues ? { deleted, notFound, values: result.values } : { deleted, notFound };
  },
} satisfies ActionComponent<typeof props>;
