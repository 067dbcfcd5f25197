import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import { ConfigurationError, withConfigurationErrors } from "../../components/common/errors.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { readBoolean, readKey } from "../../components/common/props.mjs";
import { getRecord } from "../../lib/records/records.mjs";
import { expirySuffix } from "../../components/common/summary.mjs";
import { readTtl } from "../../components/common/ttl.mjs";
import { readValue } from "../../components/common/values.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  key: { propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })] },
  defaultValue: {
    propDefinition: [app, "value"],
    label: "Default Value",
    description: "Returned as `value` when the key is missing, read like Value Type `auto`. Leave empty for null.",
    optional: true,
  },
  createIfMissing: {
    type: "boolean",
    label: "Create If Missing",
    description: "When the key is missing, store Default Value under it. Default: false (never writes).",
    optional: true,
    default: false,
  },
  ttl: {
    propDefinition: [app, "ttl"],
    description: "Expiry in seconds of a record created by Create If Missing. Leave empty or 0 for no expiry.",
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-get-record",
  name: "Get Record",
  description:
    "Read the value stored under a key. A missing key gives the default value (or null), and can create the record. " +
    `Stored falsy values (0, false, empty text, null) are found like any other. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: false, idempotentHint: true },
  props,
  async run({ $ }) {
    const key = readKey(this.key, props.key);
    const hasDefault = this.defaultValue !== undefined;
    const defaultValue = hasDefault ? readValue(this.defaultValue, props.defaultValue, "auto") : null;
    const createIfMissing = readBoolean(this.createIfMissing, props.createIfMissing);
    const ttlSeconds = readTtl(this.ttl, props.ttl);
    if (createIfMissing && !hasDefault) {
      const { createIfMissing: create, defaultValue: value } = props;
      throw new ConfigurationError(`${create.label} needs a ${value.label} to store: enter one, or turn ${create.label} off.`);
    }
    const result = await withConfigurationErrors(getRecord(this.dataStore, key, { defaultValue, createIfMissing, ttlSeconds }));
    const summary = result.found
      ? `Successfully retrieved the record "${key}"`
      : result.created
        ? `Created the missing record "${key}" with the default value${expirySuffix(ttlSeconds)}`
        : `No record found for "${key}"; returned ${hasDefault ? "the default value" : "null"}`;
    $.export("$summary", summary);
    return result;
  },
} satisfies ActionComponent<typeof props>;
