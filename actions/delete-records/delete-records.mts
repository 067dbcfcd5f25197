import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { deleteRecords } from "../../lib/records/delete-records.mjs";
import { readKeyList } from "../../components/common/props.mjs";
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
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-delete-records",
  name: "Delete Records",
  description:
    "Delete one or more records by key, and report which keys held no record. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: true },
  props,
  async run({ $ }) {
    const keys = readKeyList(this.keys, props.keys);
    const { deleted, notFound } = await deleteRecords(this.dataStore, keys);
    const missing = notFound.length > 0 ? `; ${countOf(notFound.length, "key")} had no record` : "";
    $.export("$summary", `Successfully deleted ${countOf(deleted.length, "record")}${missing}`);
    return { deleted, notFound };
  },
} satisfies ActionComponent<typeof props>;
