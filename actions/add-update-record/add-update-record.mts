import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { withConfigurationErrors } from "../../components/common/errors.mjs";
import { readChoice, readKey } from "../../components/common/props.mjs";
import { putRecord } from "../../lib/records/records.mjs";
import { expirySuffix } from "../../components/common/summary.mjs";
import { readTtl } from "../../components/common/ttl.mjs";
import { readValue } from "../../components/common/values.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  key: { propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })] },
  value: { propDefinition: [app, "value"] },
  ttl: { propDefinition: [app, "ttl"] },
  valueType: { propDefinition: [app, "valueType"] },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-add-update-record",
  name: "Add or Update Record",
  description:
    "Store a value under a key, replacing any record already there, optionally with an expiry. " +
    `Falsy values (0, false, empty text, null) are stored like any other. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: true },
  props,
  async run({ $ }) {
    const key = readKey(this.key, props.key);
    const value = readValue(this.value, props.value, readChoice(this.valueType, props.valueType), props.valueType);
    const ttl = readTtl(this.ttl, props.ttl);
    const { created } = await withConfigurationErrors(putRecord(this.dataStore, { key, value, ttlSeconds: ttl }));
    $.export("$summary", `Successfully ${created ? "added" : "updated"} the record "${key}"${expirySuffix(ttl)}`);
    return { key, value, ttl, created };
  },
} satisfies ActionComponent<typeof props>;
