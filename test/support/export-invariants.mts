/**
 * What an export must guarantee, checked record by record after a run, whatever failed on the way:
 * - every record was delivered at least once (in a chunk the receiver acknowledged), or is still
 *   in the store unchanged;
 * - no record was deleted without a 2xx for a chunk that carried it with the value it had;
 * - no record changed after it was sent was deleted;
 * - retries of one chunk carry one Idempotency-Key, and different chunks different keys.
 * Returns the violations, so a failing test (or property) says exactly what broke.
 */
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { isInternalKey } from "../../lib/store/reserved-keys.mjs";

/** One POST as the receiver saw it. */
export interface ReceivedChunk {
  idempotencyKey: string;
  body: string;
  records: { key: string; value: JsonValue }[];
  /** Whether the receiver answered 2xx (and the client got the answer). */
  acknowledged: boolean;
}

export interface ExportRun {
  /** Every record before the export. */
  before: ReadonlyMap<string, JsonValue>;
  /** Every record after it. */
  after: ReadonlyMap<string, JsonValue>;
  received: readonly ReceivedChunk[];
  /** Records the receiver (or anyone) rewrote during the export, with their new values. */
  changedDuringExport: ReadonlyMap<string, JsonValue>;
  /** Records someone else deleted during the export: gone for a reason the export is not to blame for. */
  deletedDuringExport?: ReadonlySet<string>;
  /** Only keys with this prefix were to be exported. */
  prefix?: string;
  /** When no chunk failed for good: also require every exportable record to have been acknowledged. */
  expectEveryRecordDelivered?: boolean;
}

export function exportViolations(run: ExportRun): string[] {
  const violations: string[] = [];
  const acknowledged = new Map<string, string[]>();
  for (const chunk of run.received) {
    if (!chunk.acknowledged) continue;
    for (const { key, value } of chunk.records) {
      acknowledged.set(key, [...(acknowledged.get(key) ?? []), JSON.stringify(value)]);
    }
  }
  for (const [key, value] of run.before) {
    const exportable = !isInternalKey(key) && key.startsWith(run.prefix ?? "");
    const deliveredAsItWas = acknowledged.get(key)?.includes(JSON.stringify(value)) ?? false;
    const deletedByOthers = run.deletedDuringExport?.has(key) ?? false;
    const changed = run.changedDuringExport.has(key) || deletedByOthers;
    if (!run.after.has(key) && !deliveredAsItWas && !changed) violations.push(`"${key}" was deleted without a 2xx for it`);
    if (exportable && !deliveredAsItWas && !changed && JSON.stringify(run.after.get(key)) !== JSON.stringify(value)) {
      violations.push(`"${key}" was neither delivered nor left as it was`);
    }
    if (!exportable && (acknowledged.has(key) || (!run.after.has(key) && !deletedByOthers))) violations.push(`"${key}" is not to be exported, yet was`);
    if (exportable && run.expectEveryRecordDelivered && !acknowledged.has(key)) violations.push(`"${key}" was never delivered`);
  }
  for (const [key, value] of run.changedDuringExport) {
    if (run.deletedDuringExport?.has(key)) continue;
    if (JSON.stringify(run.after.get(key)) !== JSON.stringify(value)) {
      violations.push(`"${key}" changed after it was sent, yet was deleted or overwritten`);
    }
  }
  const keyOfBody = new Map<string, string>();
  const bodyOfKey = new Map<string, string>();
  for (const { idempotencyKey, body } of run.received) {
    if ((keyOfBody.get(body) ?? idempotencyKey) !== idempotencyKey) violations.push("one chunk was retried with another Idempotency-Key");
    if ((bodyOfKey.get(idempotencyKey) ?? body) !== body) violations.push("two different chunks shared an Idempotency-Key");
    keyOfBody.set(body, idempotencyKey);
    bodyOfKey.set(idempotencyKey, body);
  }
  return violations;
}

/** The records of a chunk body in either wire format. */
export function parseChunkBody(body: string, contentType: string | undefined): { key: string; value: JsonValue }[] {
  if (contentType?.startsWith("application/x-ndjson")) {
    return body
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line) as { key: string; value: JsonValue });
  }
  return JSON.parse(body) as { key: string; value: JsonValue }[];
}
