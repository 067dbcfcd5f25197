import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { withConfigurationErrors } from "../../components/common/errors.mjs";
import { readInteger, readKey } from "../../components/common/props.mjs";
import { appendToList } from "../../lib/records/records.mjs";
import { countOf } from "../../components/common/summary.mjs";
import { readTtl } from "../../components/common/ttl.mjs";
import { readValue } from "../../components/common/values.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  key: { propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })] },
  value: {
    propDefinition: [app, "value"],
    description: "The item to append, read like Value Type `auto`: valid JSON is stored as JSON, other text as text. A list is appended as one item.",
  },
  maxLength: {
    type: "integer",
    label: "Max Length",
    description: "Keep only the newest this many items, dropping the oldest. Leave empty to keep every item.",
    optional: true,
    min: 1,
  },
  ttl: {
    propDefinition: [app, "ttl"],
    description: "Expiry in seconds of the whole list, counted from this write. Leave empty or 0 for no expiry.",
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-append-to-list",
  name: "Append to List",
  description:
    "Add a value to the end of the list stored under a key, starting a new list when the key is missing, and " +
    `optionally keep only the newest items. A record that is not a list is left alone. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: false },
  props,
  async run({ $ }) {
    const key = readKey(this.key, props.key);
    // Read like Value Type `auto`, as its description says: this action has no Value Type prop.
    const item = readValue(this.value, props.value, "auto");
    const maxLength = readInteger(this.maxLength, props.maxLength);
    const ttlSeconds = readTtl(this.ttl, props.ttl);
    const list = await withConfigurationErrors(appendToList(this.dataStore, key, item, { maxLength, ttlSeconds }));
    $.export("$summary", `Successfully appended to "${key}", which now holds ${countOf(list.length, "item")}`);
    return { key, length: list.length, value: list };
  },
} satisfies ActionComponent<typeof props>;
