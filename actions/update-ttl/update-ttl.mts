import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { withConfigurationErrors } from "../../components/common/errors.mjs";
import { readKey } from "../../components/common/props.mjs";
import { formatDuration } from "../../components/common/summary.mjs";
import { readTtl } from "../../components/common/ttl.mjs";
import { MAX_TTL_SECONDS } from "../../lib/store/ttl.mjs";
import { updateTtl } from "../../lib/records/records.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  key: { propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })] },
  ttl: {
    propDefinition: [app, "ttl"],
    description: `Seconds from now until the record is deleted, up to ${MAX_TTL_SECONDS} (two years). 0 removes the expiry.`,
    optional: false,
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-update-ttl",
  name: "Update Record TTL",
  description:
    "Set how many seconds from now an existing record expires, or make it permanent with 0. The value is not changed. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: false },
  props,
  async run({ $ }) {
    const key = readKey(this.key, props.key);
    const ttl = readTtl(this.ttl, props.ttl);
    const { found } = await withConfigurationErrors(updateTtl(this.dataStore, key, ttl));
    const summary = !found
      ? `No record found for "${key}"; nothing changed`
      : ttl === null
        ? `Successfully removed the expiry of "${key}"`
        : `Successfully set "${key}" to expire in ${formatDuration(ttl)}`;
    $.export("$summary", summary);
    return { key, found, ttl };
  },
} satisfies ActionComponent<typeof props>;
