import { defineAction, type ActionRunOptions } from "@pipedream/types";
import { ConfigurationError } from "@pipedream/platform";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { isBlank, parseKey } from "../../components/common/inputs.mjs";
import { formatDuration } from "../../components/common/summary.mjs";
import { parseTtlSeconds } from "../../lib/store/ttl.mjs";
import { updateTtl } from "../../lib/records/records.mjs";

export default defineAction({
  key: "data_stores-update-ttl",
  name: "Update Record TTL",
  description:
    "Set how many seconds from now an existing record expires, or make it permanent with 0. The value is not changed. " +
    `[See the docs](${DATA_STORES_DOCS_URL})`,
  version: "0.1.1",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: false, readOnlyHint: false, idempotentHint: false },
  props: {
    app,
    dataStore: { propDefinition: [app, "dataStore"] },
    key: { propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })] },
    ttl: {
      propDefinition: [app, "ttl"],
      description: "Seconds from now until the record is deleted, up to 63072000 (two years). 0 removes the expiry.",
      optional: false,
    },
  },
  async run({ $ } = {} as ActionRunOptions) {
    const key = parseKey(this.key);
    if (isBlank(this.ttl)) throw new ConfigurationError("TTL (seconds) is required: enter seconds until expiry, or 0 to remove it.");
    const ttl = parseTtlSeconds(this.ttl);
    const { found } = await updateTtl(this.dataStore, key, ttl);
    const summary = !found
      ? `No record found for "${key}"; nothing changed`
      : ttl === null
        ? `Successfully removed the expiry of "${key}"`
        : `Successfully set "${key}" to expire in ${formatDuration(ttl)}`;
    $.export("$summary", summary);
    return { key, found, ttl };
  },
});
