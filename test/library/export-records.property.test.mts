/**
 * The export's guarantees over random stores, chunk sizes, page sizes and fault schedules: each
 * request the receiver sees is answered by the next fault in the schedule (a 2xx, a 503, a 429, a
 * dropped connection, a permanent 400, or a record rewritten while the chunk is in flight). With
 * deletion, another writer may also act around the check pass: rewrite or delete a record between
 * the two passes, rewrite one the check has not read yet, or delete one it has read (which shifts
 * the pages, so the check misses a record). Not injected: a write to a record after the check read
 * it and before its delete, the window the store's lack of compare-and-delete leaves open.
 */
import { expect, test } from "@jest/globals";
import fc from "fast-check";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { exportRecords, type ChunkRequest } from "../../lib/export/export-records.mjs";
import type { HttpResponse } from "../../lib/http/http-response.mjs";
import { pause } from "../../lib/export/pause.mjs";
import { createFakeDataStore } from "../../stores/memory-data-store.mjs";
import { exportViolations, parseChunkBody, type ReceivedChunk } from "../support/export-invariants.mjs";
import { forwardingTo } from "../support/fixtures.mjs";

const FAULTS = ["ok", "ok", "ok", "503", "429", "drop", "400", "change"] as const;
type Fault = (typeof FAULTS)[number];

const keyArbitrary = fc.oneof(
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.constantFrom("__proto__", "constructor", "__dskit:limit:x", "__dskit:cache:y", "user:1", "user:2"),
);
/** Another writer acting once around the check pass: `at` is the entry of the check pass it acts before, `pick` chooses the record. */
interface Injection {
  when: "between passes" | "during the check";
  kind: "change" | "delete";
  at: number;
  pick: number;
}
const injectionArbitrary: fc.Arbitrary<Injection | null> = fc.option(
  fc.record({
    when: fc.constantFrom("between passes", "during the check") as fc.Arbitrary<Injection["when"]>,
    kind: fc.constantFrom("change", "delete") as fc.Arbitrary<Injection["kind"]>,
    at: fc.nat({ max: 60 }),
    pick: fc.nat(),
  }),
);

/**
 * `store` with `injection` applied to its second pass (the check). A change goes only to a record on
 * a page the check has not read yet; a delete may hit any record, also one already read.
 */
function withInjection(
  store: DataStore,
  pageSize: number,
  injection: Injection | null,
  changedDuringExport: Map<string, JsonValue>,
  deletedDuringExport: Set<string>,
): DataStore {
  let passes = 0;
  const order: string[] = []; // the first pass's order, which is the check's until someone deletes
  const inject = async (unreadFrom: number) => {
    if (!injection) return;
    const candidates = (injection.kind === "change" ? order.slice(unreadFrom) : order).filter((key) => !deletedDuringExport.has(key));
    const key = candidates[injection.pick % Math.max(1, candidates.length)];
    if (key === undefined) return;
    if (injection.kind === "delete") {
      await store.delete(key);
      deletedDuringExport.add(key);
      return;
    }
    const changed = { changedBy: "another writer", at: injection.at };
    await store.set(key, changed);
    changedDuringExport.set(key, changed);
  };
  return forwardingTo(store, {
    async *[Symbol.asyncIterator]() {
      const pass = ++passes;
      if (pass === 2 && injection?.when === "between passes") await inject(0);
      let entry = 0;
      for await (const record of store) {
        if (pass === 1) order.push(record[0]);
        // Entries before the end of the current page have been read; the rest have not.
        if (pass === 2 && injection?.when === "during the check" && entry === injection.at) {
          await inject((Math.floor(entry / pageSize) + 1) * pageSize);
        }
        entry += 1;
        yield record;
      }
    },
  });
}

const recordsArbitrary = fc.uniqueArray(fc.tuple(keyArbitrary, fc.jsonValue({ maxDepth: 2 })), {
  selector: ([key]) => key,
  maxLength: 60,
});

test("every record is delivered or kept, nothing is deleted without a 2xx, nothing changed is deleted, whoever writes around the check (300 random runs)", async () => {
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
      injectionArbitrary,
      fc.integer({ min: 1, max: 8 }),
      async (records, chunkSize, pageSize, faults, maxRetries, deleteAfterExport, format, prefix, injection, concurrency) => {
        const { store, controls } = createFakeDataStore({ pageSize });
        for (const [key, value] of records) await store.set(key, value as JsonValue);
        const before = new Map(records.map(([key, value]) => [key, JSON.parse(JSON.stringify(value)) as JsonValue]));
        const received: ReceivedChunk[] = [];
        const changedDuringExport = new Map<string, JsonValue>();
        const deletedDuringExport = new Set<string>();
        const exported = withInjection(store, pageSize, injection, changedDuringExport, deletedDuringExport);
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

        const report = await exportRecords(exported, send, { chunkSize, format, prefix, deleteAfterExport, concurrency, retry: { maxRetries } });
        const after = new Map(controls.records().map(({ key, value }) => [key, value]));
        const violations = exportViolations({
          before,
          after,
          received,
          changedDuringExport,
          deletedDuringExport,
          prefix,
          expectEveryRecordDelivered: report.failedChunks === 0,
        });
        expect(violations).toEqual([]);
        expect(controls.stats.calls.keys).toBe(0);
        expect(controls.stats.calls.get).toBe(0);
        // Injected writes are the test's own operations, not the export's.
        const exportDeletes = controls.stats.calls.delete - (injection?.kind === "delete" ? deletedDuringExport.size : 0);
        expect(exportDeletes).toBe(report.deleted);
        const acknowledgedRecords = received.filter((chunk) => chunk.acknowledged).reduce((sum, chunk) => sum + chunk.records.length, 0);
        expect(report.exported).toBe(acknowledgedRecords);
        expect(report.deleted + report.skippedChanged).toBe(deleteAfterExport ? report.exported : 0);
        if (!deleteAfterExport) expect(exportDeletes).toBe(0);
      },
    ),
    { numRuns: 300 },
  );
});
