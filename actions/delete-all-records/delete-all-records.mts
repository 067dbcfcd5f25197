import { defineAction, type ActionRunOptions } from "@pipedream/types";
import { ConfigurationError } from "@pipedream/platform";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { deleteAllRecords } from "../../components/lib/delete-records.mjs";
import { parsePrefix } from "../../components/lib/inputs.mjs";
import { countOf } from "../../components/lib/summary.mjs";

/** What Confirm must hold, exactly: deleting a whole store cannot be undone, even while testing. */
const CONFIRMATION = "DELETE";

export default defineAction({
  key: "data_stores-delete-all-records",
  name: "Delete All Records",
  description:
    "Delete every record of the store, or every record whose key starts with a prefix. Irreversible, even when " +
    `testing in the builder, so it runs only when Confirm is \`${CONFIRMATION}\`. [See the docs](${DATA_STORES_DOCS_URL})`,
  version: "0.1.0",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: false, readOnlyHint: false, idempotentHint: true },
  props: {
    app,
    dataStore: { propDefinition: [app, "dataStore"] },
    prefix: {
      type: "string",
      label: "Key Prefix",
      description: "Delete only records whose key starts with this text, e.g. `session:`. Leave empty to delete every record.",
      optional: true,
    },
    confirm: {
      type: "string",
      label: "Confirm",
      description: `Type \`${CONFIRMATION}\` (in capitals) to confirm. Anything else deletes nothing.`,
    },
  },
  async run({ $ } = {} as ActionRunOptions) {
    if (this.confirm !== CONFIRMATION) {
      throw new ConfigurationError(`Nothing was deleted: set Confirm to exactly ${CONFIRMATION} to delete records.`);
    }
    const prefix = parsePrefix(this.prefix);
    const deleted = await deleteAllRecords(this.dataStore, prefix);
    const where = prefix ? ` with keys starting "${prefix}"` : "";
    $.export("$summary", `Successfully deleted ${countOf(deleted, "record")}${where}`);
    return { deleted };
  },
});
