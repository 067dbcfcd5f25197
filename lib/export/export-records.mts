/**
 * Export records to an HTTP endpoint in chunks, optionally deleting what was delivered.
 *
 * - One pass over the store with `for await`, never `keys()`; only two chunks' values are in memory
 *   (the one in flight and the next being read), with deletion also a digest per acknowledged record.
 * - While a chunk is POSTed the next one is read: the POSTs hide behind the pages.
 * - The store is never changed while it is iterated: the paged iterator would skip records.
 * - Each chunk is retried on 408, 429, 5xx, timeouts and dropped connections (see retry.mts), with
 *   an Idempotency-Key that is the same on every retry (a hash of the chunk) so a receiver can
 *   drop duplicates, also across re-runs.
 * - A chunk that fails for good is not deleted; the export goes on and reports it.
 * - Deletion happens after the pass, only for records of acknowledged chunks, and only when a
 *   second paged pass finds the record still holding what was sent: a record changed (or gone)
 *   since is kept (`skippedChanged`), so a re-run exports it. Between a record's check and its
 *   delete a write would be lost (see delete-verified.mts): the store offers no compare-and-delete.
 *
 * Data store operations: 1 per page of records (the platform pages at 128); with deletion, a
 * second pass of pages plus 1 delete per record (about 1.016 per record).
 */
import { createHash } from "node:crypto";
import type { DataStore, JsonValue } from "../store/data-store.mjs";
import { isInternalKey } from "../store/reserved-keys.mjs";
import { sentDigest } from "../records/delete-unchanged.mjs";
import type { HttpResponse } from "../http/http-response.mjs";
import { deliverWithRetry, type RetryPolicy } from "./retry.mjs";
import { checkDeleteConcurrency, DEFAULT_DELETE_CONCURRENCY, deleteVerified } from "./delete-verified.mjs";

export const EXPORT_FORMATS = ["json", "ndjson"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ExportFormat, string> = {
  json: "application/json",
  ndjson: "application/x-ndjson",
};

/** One POST: the body as sent, its content type, and the key that stays the same across retries. */
export interface ChunkRequest {
  body: string;
  contentType: string;
  idempotencyKey: string;
}

/** Sends one chunk once (no redirects followed); throws on timeouts and dropped connections. */
export type SendChunk = (request: ChunkRequest) => Promise<HttpResponse>;

export interface ExportOptions {
  /** Records per POST. */
  chunkSize: number;
  format: ExportFormat;
  /** Only keys starting with this; empty for all. The package's `__dskit:` records are never exported. */
  prefix?: string;
  deleteAfterExport: boolean;
  /** Deletes in flight with deleteAfterExport, 1 to 100. Default 20. */
  concurrency?: number;
  retry: RetryPolicy;
}

export interface FailedChunk {
  /** 1-based position of the chunk in the export. */
  chunk: number;
  records: number;
  firstKey: string;
  lastKey: string;
  reason: string;
}

export interface ExportResult {
  /** Records in chunks the receiver acknowledged with a 2xx. */
  exported: number;
  deleted: number;
  chunks: number;
  failedChunks: number;
  /** Records delivered but not deleted, because they changed (or went) after they were sent. */
  skippedChanged: number;
}

export interface ExportReport extends ExportResult {
  failures: FailedChunk[];
}

/**
 * Sends every user record (keys starting with `prefix`) through `send` in chunks of `chunkSize`,
 * retrying each per `retry`, and with `deleteAfterExport` deletes what was acknowledged and is
 * unchanged. A chunk that fails for good is reported in `failures`, never thrown.
 */
export async function exportRecords(store: DataStore, send: SendChunk, options: ExportOptions): Promise<ExportReport> {
  const prefix = options.prefix ?? "";
  const concurrency = options.concurrency ?? DEFAULT_DELETE_CONCURRENCY;
  checkDeleteConcurrency(concurrency); // before anything is sent
  const report: ExportReport = { exported: 0, deleted: 0, chunks: 0, failedChunks: 0, skippedChanged: 0, failures: [] };
  /** Key → digest of the value delivered, for records to delete after the pass (a whole SHA-256: a collision would delete a changed record). */
  const delivered = new Map<string, string>();

  const flush = async (records: [string, JsonValue][]): Promise<void> => {
    const chunkNumber = ++report.chunks;
    const request = buildChunkRequest(records, options.format);
    const outcome = await deliverWithRetry(() => send(request), options.retry);
    if (outcome.delivered) {
      report.exported += records.length;
      if (options.deleteAfterExport) for (const [key, value] of records) delivered.set(key, sentDigest(value));
      return;
    }
    report.failedChunks += 1;
    const [firstKey] = records[0]!;
    const [lastKey] = records[records.length - 1]!;
    report.failures.push({ chunk: chunkNumber, records: records.length, firstKey, lastKey, reason: outcome.reason });
  };

  // At most one POST in flight while the next chunk is read, so memory stays at two chunks.
  let sending: Promise<void> | undefined;
  const startSending = (records: [string, JsonValue][]) => {
    sending = flush(records);
    sending.catch(() => undefined); // handled where it is awaited; this keeps it from counting as unhandled meanwhile
  };
  let chunk: [string, JsonValue][] = [];
  try {
    for await (const [key, value] of store) {
      if (isInternalKey(key) || !key.startsWith(prefix)) continue;
      chunk.push([key, value]);
      if (chunk.length === options.chunkSize) {
        await sending;
        startSending(chunk);
        chunk = [];
      }
    }
    await sending;
    if (chunk.length > 0) await flush(chunk);
  } finally {
    await sending?.catch(() => undefined); // a failed read must not leave a POST running behind the error
  }

  if (options.deleteAfterExport) {
    const { deleted, changed } = await deleteVerified(store, delivered, concurrency);
    report.deleted += deleted;
    report.skippedChanged += changed;
  }
  return report;
}

/** The wire format: `json` is an array of `{ key, value }`; `ndjson` one such object per line. */
export function buildChunkRequest(records: readonly [string, JsonValue][], format: ExportFormat): ChunkRequest {
  const objects = records.map(([key, value]) => ({ key, value }));
  const body = format === "json" ? JSON.stringify(objects) : `${objects.map((object) => JSON.stringify(object)).join("\n")}\n`;
  const idempotencyKey = `dskit-export-${createHash("sha256").update(body).digest("hex").slice(0, 40)}`;
  return { body, contentType: CONTENT_TYPES[format], idempotencyKey };
}
