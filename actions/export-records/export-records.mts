import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL, requestAnyStatus } from "../../components/data_stores.app.mjs";
import { ExportIncompleteError } from "../../components/common/errors.mjs";
import { EXPORT_FORMATS, exportRecords, type ExportReport } from "../../lib/export/export-records.mjs";
import { DEFAULT_DELETE_CONCURRENCY, MAX_DELETE_CONCURRENCY } from "../../lib/export/delete-verified.mjs";
import { readHeaders, readHttpUrl } from "../../components/common/http-inputs.mjs";
import { redactUrl, scrubSecrets, secretValuesOf } from "../../lib/http/http-request.mjs";
import { readBoolean, readChoice, readInteger, readPrefix } from "../../components/common/props.mjs";
import { countOf } from "../../components/common/summary.mjs";

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  url: {
    type: "string",
    label: "URL",
    description:
      "The http or https endpoint that receives one POST per chunk, e.g. `https://example.com/ingest`. Redirects are " +
      "not followed: a 3xx answer fails its chunk, so give the final address.",
  },
  chunkSize: {
    type: "integer",
    label: "Chunk Size",
    description: "Records per POST, from 1 to 10000. Default: 100.",
    optional: true,
    default: 100,
    min: 1,
    max: 10_000,
  },
  deleteAfterExport: {
    type: "boolean",
    label: "Delete After Export",
    description:
      "Delete each record once its chunk was acknowledged (2xx) and the record still holds what was sent; a record " +
      "changed meanwhile is kept for the next run. Default: false: run an export without it first.",
    optional: true,
    default: false,
  },
  concurrency: {
    type: "integer",
    label: "Concurrency",
    description:
      `With Delete After Export: how many deletes are in flight at once, from 1 to ${MAX_DELETE_CONCURRENCY}. Higher finishes ` +
      `sooner; lower keeps the request rate down. Default: ${DEFAULT_DELETE_CONCURRENCY}.`,
    optional: true,
    default: DEFAULT_DELETE_CONCURRENCY,
    min: 1,
    max: MAX_DELETE_CONCURRENCY,
  },
  format: {
    type: "string",
    label: "Format",
    description:
      "`json` (the default): each POST is a JSON array of `{ \"key\", \"value\" }`. `ndjson`: one such object per line " +
      "(`application/x-ndjson`).",
    optional: true,
    default: "json",
    options: [...EXPORT_FORMATS],
  },
  headers: {
    type: "object",
    label: "Headers",
    description:
      "Headers sent with every POST, e.g. `Authorization`. Kept secret: never written to the summary, the return value or an error. Leave empty for none.",
    optional: true,
    secret: true,
  },
  prefix: {
    propDefinition: [app, "keyPrefix"],
    description: "Export only records whose key starts with this text. Leave empty to export every record.",
  },
  maxRetries: {
    type: "integer",
    label: "Max Retries",
    description:
      "Retries per chunk after a 408, 429, 5xx, timeout or dropped connection, with growing random waits (a Retry-After " +
      "header is honoured). Other 4xx fail the chunk at once. From 0 to 10. Default: 3.",
    optional: true,
    default: 3,
    min: 0,
    max: 10,
  },
  timeoutSeconds: {
    type: "integer",
    label: "Timeout (seconds)",
    description:
      "How long one POST may take in all (connecting, sending, and reading the whole answer) before it counts as timed " +
      "out (and is retried). From 1 to 300. Default: 30.",
    optional: true,
    default: 30,
    min: 1,
    max: 300,
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-export-records",
  name: "Export Records",
  description:
    "Send the store's records to an HTTP endpoint in chunks (JSON or NDJSON), retrying what fails, and optionally delete " +
    "each record once the receiver has acknowledged it and it has not changed since. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.2.0",
  type: "action",
  annotations: { destructiveHint: true, openWorldHint: true, readOnlyHint: false, idempotentHint: false },
  props,
  async run({ $ }) {
    const url = readHttpUrl(this.url, props.url);
    const chunkSize = readInteger(this.chunkSize, props.chunkSize);
    const deleteAfterExport = readBoolean(this.deleteAfterExport, props.deleteAfterExport);
    const concurrency = readInteger(this.concurrency, props.concurrency);
    const format = readChoice(this.format, props.format);
    const headers = readHeaders(this.headers, props.headers);
    const prefix = readPrefix(this.prefix, props.prefix);
    const maxRetries = readInteger(this.maxRetries, props.maxRetries);
    const timeoutMs = readInteger(this.timeoutSeconds, props.timeoutSeconds) * 1000;

    // A receiver's Location can echo the request; header and query values are scrubbed from it before it is quoted.
    const secrets = secretValuesOf({ url, headers });

    const report = await exportRecords(
      this.dataStore,
      async ({ body, contentType, idempotencyKey }) => {
        const headersSent = { ...headers, "Content-Type": contentType, "Idempotency-Key": idempotencyKey };
        const answer = await requestAnyStatus($, { method: "POST", url, headers: headersSent, data: body, timeoutMs });
        const location = answer.headers.location;
        const safeLocation = location === undefined ? undefined : redactUrl(scrubSecrets(location, secrets));
        return { status: answer.status, headers: { "retry-after": answer.headers["retry-after"], location: safeLocation } };
      },
      { chunkSize, format, prefix, deleteAfterExport, concurrency, retry: { maxRetries } },
    );
    $.export("$summary", summarize(report));
    const { exported, deleted, chunks, failedChunks, skippedChanged } = report;
    if (failedChunks > 0) throw new ExportIncompleteError(scrubSecrets(describeFailures(report), secrets));
    return { exported, deleted, chunks, failedChunks, skippedChanged };
  },
} satisfies ActionComponent<typeof props>;

function summarize({ exported, deleted, chunks, failedChunks, skippedChanged }: ExportReport): string {
  const parts = [`Exported ${countOf(exported, "record")} in ${countOf(chunks, "chunk")}`];
  if (deleted > 0 || skippedChanged > 0) parts.push(`deleted ${deleted}`);
  if (skippedChanged > 0) parts.push(`kept ${skippedChanged} changed since sending`);
  if (failedChunks > 0) parts.push(`${countOf(failedChunks, "chunk")} failed`);
  return parts.join("; ");
}

function describeFailures({ failedChunks, chunks, failures }: ExportReport): string {
  const notExported = failures.reduce((sum, failure) => sum + failure.records, 0);
  const shown = failures
    .slice(0, 5)
    .map(({ chunk, firstKey, lastKey, reason }) => `chunk ${chunk} ("${firstKey}" to "${lastKey}"): ${reason}`);
  const more = failures.length > shown.length ? `; and ${failures.length - shown.length} more` : "";
  return (
    `${failedChunks} of ${countOf(chunks, "chunk")} failed, so ${countOf(notExported, "record")} ` +
    `${notExported === 1 ? "was" : "were"} not exported ` +
    `(and not deleted): ${shown.join("; ")}${more}. Run the export again to retry them.`
  );
}
