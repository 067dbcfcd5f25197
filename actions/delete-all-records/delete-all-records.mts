import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import { ConfigurationError } from "../../components/common/errors.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { deleteAllRecords } from "../../lib/records/delete-records.mjs";
import { readBoolean, readPrefix } from "../../components/common/props.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import { countOf } from "../../components/common/summary.mjs";

/** What Confirm must hold, exactly: deleting a whole store cannot be undone, even while testing. */
const CONFIRMATION = "DELETE";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  prefix: {
    propDefinition: [app, "keyPrefix"],
    description: "Delete only records whose key starts with this text, e.g. `session:`. Leave empty to delete every record.",
  },
  includeInternal: {
    type: "boolean",
    label: "Include Package State",
    description:
      `Also delete the records this package keeps for itself under \`${INTERNAL_KEY_PREFIX}\` (concurrency-safe counter ` +
      "parts, rate limiter state, deduplication markers, cached responses), which resets every counter's safe increments, " +
      "rate limit, deduplication and cache. With a Key Prefix, only those whose key starts with it. Default: false " +
      "(only your records are deleted).",
    optional: true,
    default: false,
  },
  confirm: {
    type: "string",
    label: "Confirm",
    description: `Type \`${CONFIRMATION}\` (in capitals) to confirm. Anything else deletes nothing.`,
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-delete-all-records",
  name: "Delete All Records",
  description:
    "Delete every record of the store, or every record whose key starts with a prefix; the package's own state " +
    "(counters' safe increments, rate limits, deduplication, caches) only with Include Package State. Irreversible, even when " +
    `testing in the builder, so it runs only when Confirm is \`${CONFIRMATION}\`. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.2.1",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: true },
  props,
  async run({ $ }) {
    if (this.confirm !== CONFIRMATION) {
      throw new ConfigurationError(`Nothing was deleted: set ${props.confirm.label} to exactly ${CONFIRMATION} to delete records.`);
    }
    const includeInternal = readBoolean(this.includeInternal, props.includeInternal);
    const prefix = readPrefix(this.prefix, props.prefix, {
      refuseReserved: !includeInternal,
      whenReserved: `Turn on ${props.includeInternal.label} to delete them.`,
    });
    const { deleted, internalDeleted } = await deleteAllRecords(this.dataStore, prefix, { includeInternal });
    const where = prefix ? ` with keys starting "${prefix}"` : "";
    const state = includeInternal ? ` and reset the package's state (${countOf(internalDeleted, "internal record")})` : "";
    $.export("$summary", `Successfully deleted ${countOf(deleted, "record")}${where}${state}`);
    return { deleted, internalDeleted };
  },
} satisfies ActionComponent<typeof props>;
