import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { withConfigurationErrors } from "../../components/common/errors.mjs";
import { readRecords } from "../../components/common/parse-records.mjs";
import { readChoice } from "../../components/common/props.mjs";
import { writeRecords } from "../../lib/records/records.mjs";
import { countOf } from "../../components/common/summary.mjs";
import { readTtl } from "../../components/common/ttl.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  records: {
    type: "any",
    label: "Records",
    description:
      'The records to store: an object like `{"sku-1": 5, "sku-2": 8}`, a list like ' +
      '`[{"key": "sku-1", "value": 5, "ttl": 3600}]` (a `ttl` there overrides TTL below), or JSON text of either.',
  },
  ttl: {
    propDefinition: [app, "ttl"],
    description: "Expiry in seconds for every record without its own `ttl`. Leave empty or 0 for no expiry (the default).",
  },
  valueType: { propDefinition: [app, "valueType"] },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-add-update-multiple-records",
  name: "Add or Update Multiple Records",
  description:
    "Store many records at once, from an object of keys and values or a list of `{ key, value, ttl }`. " +
    `Every record is checked before any is written. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: true },
  props,
  async run({ $ }) {
    const records = readRecords(this.records, props.records, {
      valueType: readChoice(this.valueType, props.valueType),
      defaultTtlSeconds: readTtl(this.ttl, props.ttl),
      valueTypeProp: props.valueType,
    });
    const keys = await withConfigurationErrors(writeRecords(this.dataStore, records));
    $.export("$summary", `Successfully added or updated ${countOf(keys.length, "record")}`);
    return { count: keys.length, keys };
  },
} satisfies ActionComponent<typeof props>;
