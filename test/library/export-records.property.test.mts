/**
 * The export's guarantees over random stores, chunk sizes, page sizes and fault schedules: each
 * request the receiver sees is answered by the next fault in the schedule (a 2xx, a 503, a 429, a
 * dropped connection, a permanent 400, or a record rewritten while the chunk is in flight).
 */
import { expect, test } from "@jest/globals";
import fc from "fast-check";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { exportRecords, type ChunkRequest } from "../../lib/export/export-records.mjs";
import type { HttpResponse } from "../../lib/http/http-response.mjs";
import { pause } from "../../lib/export/pause.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";
import { exportViolations, parseChunkBody, type ReceivedChunk } from "../support/export-invariants.mjs";

const FAULTS = ["ok", "ok", "ok", "503", "429", "drop", "400", "change"] as const;
type Fault = (typeof FAULTS)[number];

const keyArbitrary = fc.oneof(
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.constantFrom("__proto__", "constructor", "__dskit:limit:x", "__dskit:cache:y", "user:1", "user:2"),
);
const recordsArbitrary = fc.uniqueArray(fc.tuple(keyArbitrary, fc.jsonValue({ maxDepth: 2 })), {
  selector: ([key]) => key,
  maxLength: 60,
});

test("every record is delivered or kept, nothing is deleted without a 2xx, nothing changed is deleted (200 random runs)", async () => {
  pause.for = async () => {}; // backoff waits are the retry tests' concern; setup.mts restores it
  await fc.assert(
    fc.asyncProperty(
      recordsArbitrary,
      fc.integer({ min: 1, max: 25 }),
      fc.integer({ min: 1, max: 40 }),
      fc.array(fc.constantFrom(...FAULTS), { maxLength: 60 }),
      fc.integer({ min: 0, max: 3 }),
      fc.boolean(),
      fc.constantFrom("json", "ndjson") as fc.Arbitrary<"json" | "ndjson">,
      fc.constantFrom("", "user:"),
      async (records, chunkSize, pageSize, faults, maxRetries, deleteAfterExport, format, prefix) => {
        const { store, controls } = createFakeDataStore({ pageSize });
        for (const [key, value] of records) await store.set(key, value as JsonValue);
        const before = new Map(records.map(([key, value]) => [key, JSON.parse(JSON.stringify(value)) as JsonValue]));
        const received: ReceivedChunk[] = [];
        const changedDuringExport = new Map<string, JsonValue>();
        let requestNumber = 0;

        const send = async (request: ChunkRequest): Promise<HttpResponse> => {
          const fault: Fault = faults[requestNumber] ?? "ok";
          requestNumber += 1;
          const chunkRecords = parseChunkBody(request.body, request.contentType);
          const chunk: ReceivedChunk = { ...request, records: chunkRecords, acknowledged: false };
          received.push(chunk);
          switch (fault) {
            case "drop":
              throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
            case "503":
              return { status: 503, headers: {} };
            case "429":
              return { status: 429, headers: { "retry-after": "1" } };
            case "400":
              return { status: 400, headers: {} };
            case "change": {
              const [first] = chunkRecords;
              if (first) {
                const changed = { changedBy: "receiver", request: requestNumber };
                await store.set(first.key, changed);
                changedDuringExport.set(first.key, changed);
              }
              break;
            }
          }
          chunk.acknowledged = true;
          return { status: 200, headers: {} };
        };

        const report = await exportRecords(store, send, { chunkSize, format, prefix, deleteAfterExport, retry: { maxRetries } });
        const after = new Map(controls.records().map(({ key, value }) => [key, value]));
        const violations = exportViolations({
          before,
          after,
          received,
          changedDuringExport,
          prefix,
          expectEveryRecordDelivered: report.failedChunks === 0,
        });
        expect(violations).toEqual([]);
        expect(controls.stats.calls.keys).toBe(0);
        const acknowledgedRecords = received.filter((chunk) => chunk.acknowledged).reduce((sum, chunk) => sum + chunk.records.length, 0);
        expect(report.exported).toBe(acknowledgedRecords);
        expect(report.deleted + report.skippedChanged).toBe(deleteAfterExport ? report.exported : 0);
        if (!deleteAfterExport) expect(controls.stats.calls.delete).toBe(0);
      },
    ),
    { numRuns: 200 },
  );
});
