import { defineAction, type ActionRunOptions } from "@pipedream/types";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { parseKey } from "../../components/common/inputs.mjs";
import { putRecord } from "../../lib/records/records.mjs";
import { expirySuffix } from "../../components/common/summary.mjs";
import { parseTtlSeconds } from "../../lib/store/ttl.mjs";
import { parseValue, parseValueType } from "../../components/common/values.mjs";

export default defineAction({
  key: "data_stores-add-update-record",
  name: "Add or Update Record",
  description:
    "Store a value under a key, replacing any record already there, optionally with an expiry. " +
    `Falsy values (0, false, empty text, null) are stored like any other. [See the docs](${DATA_STORES_DOCS_URL})`,
  version: "0.1.1",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: false, readOnlyHint: false, idempotentHint: true },
  props: {
    app,
    dataStore: { propDefinition: [app, "dataStore"] },
    key: { propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })] },
    value: { propDefinition: [app, "value"] },
    ttl: { propDefinition: [app, "ttl"] },
    valueType: { propDefinition: [app, "valueType"] },
  },
  async run({ $ } = {} as ActionRunOptions) {
    const key = parseKey(this.key);
    const value = parseValue(this.value, parseValueType(this.valueType), "Value", { valueTypeLabel: "Value Type" });
    const ttl = parseTtlSeconds(this.ttl);
    const { created } = await putRecord(this.dataStore, { key, value, ttlSeconds: ttl });
    $.export("$summary", `Successfully ${created ? "added" : "updated"} the record "${key}"${expirySuffix(ttl)}`);
    return { key, value, ttl, created };
  },
});
