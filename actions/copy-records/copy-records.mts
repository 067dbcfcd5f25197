import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { ConfigurationError, withConfigurationErrors } from "../../components/common/errors.mjs";
import { readBoolean, readChoice, readPrefix } from "../../components/common/props.mjs";
import { countOf, expirySuffix } from "../../components/common/summary.mjs";
import { readTtl } from "../../components/common/ttl.mjs";
import { copyRecords, type CopyReport } from "../../lib/copy/copy-records.mjs";
import { isDataStore } from "../../lib/copy/store-pair.mjs";
import { MAX_TTL_SECONDS } from "../../lib/store/ttl.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"], description: "The data store to copy records from." },
  targetDataStore: {
    propDefinition: [app, "dataStore"],
    label: "Target Data Store",
    description: "The data store the copies are written to: another one than Data Store.",
  },
  prefix: {
    propDefinition: [app, "keyPrefix"],
    description: "Copy only records whose key starts with this text, e.g. `user:`. Leave empty to copy every record.",
  },
  existing: {
    type: "string",
    label: "Existing Records",
    description:
      "When the target already has a record under a key: `skip` (the default) keeps the target's record and does not copy; " +
      "`overwrite` replaces it with the copy.",
    optional: true,
    default: "skip",
    options: [
      { label: "Skip: keep the target's record", value: "skip" },
      { label: "Overwrite it with the copy", value: "overwrite" },
    ],
  },
  deleteAfterCopy: {
    type: "boolean",
    label: "Delete After Copy",
    description:
      "Move instead of copy: delete each source record once its copy was written, unless it changed meanwhile (then it is " +
      "kept). Records skipped because the target had them are kept too. Default: false.",
    optional: true,
    default: false,
  },
  ttl: {
    propDefinition: [app, "ttl"],
    description:
      `Delete the copies automatically this many seconds after they are written, up to ${MAX_TTL_SECONDS} (two years). ` +
      "Leave empty or 0 for copies that never expire (the default). A source record's own expiry is not copied: the data store cannot tell it.",
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-copy-records",
  name: "Copy Records",
  description:
    "Copy records to another data store, for a backup, from a test store to a production one, or to merge two stores: keep " +
    "or overwrite what the target already has, optionally as a move that deletes each record copied. Reads the source in " +
    `one pass. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.0.1",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: false },
  props,
  async run({ $ }) {
    const prefix = readPrefix(this.prefix, props.prefix, {
      refuseReserved: true,
      whenReserved: "The package's own records are never copied.",
    });
    const existing = readChoice(this.existing, props.existing);
    const deleteAfterCopy = readBoolean(this.deleteAfterCopy, props.deleteAfterCopy);
    const ttlSeconds = readTtl(this.ttl, props.ttl);
    // Typed as a store, but an expression or a code step can pass anything.
    const target: unknown = this.targetDataStore;
    if (!isDataStore(target)) throw new ConfigurationError(`${props.targetDataStore.label} is required: select the data store to copy to.`);

    const report = await withConfigurationErrors(copyRecords(this.dataStore, target, { prefix, existing, deleteAfterCopy, ttlSeconds }));
    $.export("$summary", summarize(report, ttlSeconds));
    const { copied, skippedExisting, deleted } = report;
    return { copied, skippedExisting, deleted };
  },
} satisfies ActionComponent<typeof props>;

function summarize({ copied, skippedExisting, deleted, keptChanged }: CopyReport, ttlSeconds: number | null): string {
  const parts = [`Copied ${countOf(copied, "record")}${copied > 0 ? expirySuffix(ttlSeconds) : ""}`];
  if (skippedExisting > 0) parts.push(`skipped ${skippedExisting} the target already had`);
  if (deleted > 0 || keptChanged > 0) parts.push(`deleted ${deleted} from the source`);
  if (keptChanged > 0) parts.push(`kept ${keptChanged} changed since copying`);
  return parts.join("; ");
}
