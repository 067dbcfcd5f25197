import { defineAction, type ActionRunOptions } from "@pipedream/types";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { parseKey, parseOptionalInteger } from "../../components/common/inputs.mjs";
import { appendToList } from "../../lib/records/records.mjs";
import { countOf } from "../../components/common/summary.mjs";
import { parseTtlSeconds } from "../../lib/store/ttl.mjs";
import { parseValue } from "../../components/common/values.mjs";

export default defineAction({
  key: "data_stores-append-to-list",
  name: "Append to List",
  description:
    "Add a value to the end of the list stored under a key, starting a new list when the key is missing, and " +
    `optionally keep only the newest items. A record that is not a list is left alone. [See the docs](${DATA_STORES_DOCS_URL})`,
  version: "0.1.1",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: false, readOnlyHint: false, idempotentHint: false },
  props: {
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
  },
  async run({ $ } = {} as ActionRunOptions) {
    const key = parseKey(this.key);
    const item = parseValue(this.value, "auto");
    const maxLength = parseOptionalInteger(this.maxLength, "Max Length", { min: 1 });
    const ttlSeconds = parseTtlSeconds(this.ttl);
    const list = await appendToList(this.dataStore, key, item, { maxLength, ttlSeconds });
    $.export("$summary", `Successfully appended to "${key}", which now holds ${countOf(list.length, "item")}`);
    return { key, length: list.length, value: list };
  },
});
