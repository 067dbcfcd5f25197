import { afterEach, beforeEach, describe, expect, jest, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import action from "../../actions/export-records/export-records.mjs";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import { runAction, runActionExpectingError } from "../support/harness.mjs";
import { expectRefusedUnchanged, recordPauses, setupStore } from "../support/fixtures.mjs";
import { startTestServer, type RecordedRequest, type Reply, type Responder, type TestServer } from "../support/http-server.mjs";
import { exportViolations, parseChunkBody, type ReceivedChunk } from "../support/export-invariants.mjs";

type Fake = Awaited<ReturnType<typeof setupStore>>;
type Records = Record<string, JsonValue>;

/** Records per iterator page of the fake when no pageSize is given (the platform's page size). */
const FAKE_PAGE_SIZE = 128;
const SECRET = "s3cret-token";

let server: TestServer;
/** For each request the server received, by index: whether the reply it was given is a 2xx. */
let acknowledged: boolean[];

/** Wraps a responder so the acknowledgement of every reply it gives is recorded, in request order. */
function tracked(responder: Responder): Responder {
  return (request) => {
    const reply = typeof responder === "function" ? responder(request) : responder;
    // A drip is only used to outlast the timeout: the client never gets the whole answer.
    const status = "drop" in reply || "hang" in reply || "drip" in reply ? 0 : (reply.status ?? 200);
    acknowledged.push(status >= 200 && status <= 299);
    return reply;
  };
}

/** Queues replies for the next requests, in order. */
function script(...replies: Responder[]): void {
  server.reply(...replies.map(tracked));
}

/** Answers every request not scripted. */
function answerOtherwise(responder: Responder): void {
  server.fallback = tracked(responder);
}

beforeEach(async () => {
  acknowledged = [];
  server = await startTestServer();
  answerOtherwise({ json: { ok: true } });
});

afterEach(async () => {
  await server.close();
  jest.restoreAllMocks();
});

const ingestUrl = () => `${server.url}/ingest`;

/** `count` records `rec-001`, `rec-002`, … holding `{ n }`, in this order in the store. */
function makeRecords(count: number): Records {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`rec-${String(i + 1).padStart(3, "0")}`, { n: i + 1 }]));
}

function recordsOf(request: RecordedRequest): { key: string; value: JsonValue }[] {
  return parseChunkBody(request.body, request.headers["content-type"]);
}

function keysOf(request: RecordedRequest): string[] {
  return recordsOf(request).map(({ key }) => key);
}

function idempotencyKeyOf(request: RecordedRequest): string {
  const key = request.headers["idempotency-key"];
  if (typeof key !== "string" || key === "") throw new Error(`request without an Idempotency-Key: ${JSON.stringify(request.headers)}`);
  return key;
}

function snapshot(fake: Fake): Map<string, JsonValue> {
  return new Map(fake.controls.records().map(({ key, value }) => [key, value]));
}

/** The export's record-by-record guarantees (test/support/export-invariants.mts) for what the server saw. */
function violations(
  fake: Fake,
  before: ReadonlyMap<string, JsonValue>,
  options: {
    changedDuringExport?: Map<string, JsonValue>;
    deletedDuringExport?: ReadonlySet<string>;
    prefix?: string;
    expectEveryRecordDelivered?: boolean;
  } = {},
): string[] {
  expect(acknowledged).toHaveLength(server.requests.length);
  const received: ReceivedChunk[] = server.requests.map((request, index) => ({
    idempotencyKey: idempotencyKeyOf(request),
    body: request.body,
    records: recordsOf(request),
    acknowledged: acknowledged[index]!,
  }));
  return exportViolations({
    before,
    after: snapshot(fake),
    received,
    changedDuringExport: options.changedDuringExport ?? new Map(),
    deletedDuringExport: options.deletedDuringExport,
    prefix: options.prefix,
    expectEveryRecordDelivered: options.expectEveryRecordDelivered,
  });
}

/** Answers `reply` to POSTs carrying `key`, 200 to the others (including a GET to where a redirect points). */
function forChunkWith(key: string, reply: Reply): Responder {
  return (request) => (request.method === "POST" && keysOf(request).includes(key) ? reply : { json: { ok: true } });
}

/** Every 3xx a server can send. */
const REDIRECT_STATUSES = [300, 301, 302, 303, 304, 305, 306, 307, 308];

/** Everything a failed run left that a user or a log can see. */
function visibleText({ error, summary, exports }: { error: unknown; summary?: string; exports: Record<string, unknown> }): string {
  const own = error instanceof Object ? Object.getOwnPropertyNames(error).map((name) => String((error as Record<string, unknown>)[name])) : [];
  return [String(error), (error as Error).stack, JSON.stringify(error), ...own, summary, JSON.stringify(exports)].join("\n");
}

describe("export-records", () => {
  describe("wire format", () => {
    test("json: one POST with Content-Type application/json whose body is an array of {key, value}", async () => {
      const fake = await setupStore({ a: 1, b: { nested: [true] }, c: "text" });
      await runAction(action, { dataStore: fake.store, url: ingestUrl() });
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request!.method).toBe("POST");
      expect(new URL(request!.url, server.url).pathname).toBe("/ingest");
      expect(request!.headers["content-type"]).toMatch(/^application\/json(;|$)/);
      expect(JSON.parse(request!.body)).toEqual([
        { key: "a", value: 1 },
        { key: "b", value: { nested: [true] } },
        { key: "c", value: "text" },
      ]);
    });

    test("ndjson: Content-Type application/x-ndjson and one {key, value} object per line", async () => {
      const fake = await setupStore({ a: 1, b: { nested: [true] }, c: "two\nlines" });
      await runAction(action, { dataStore: fake.store, url: ingestUrl(), format: "ndjson" });
      expect(server.requests).toHaveLength(1);
      const [request] = server.requests;
      expect(request!.headers["content-type"]).toMatch(/^application\/x-ndjson(;|$)/);
      const lines = request!.body.replace(/\n$/, "").split("\n");
      expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
        { key: "a", value: 1 },
        { key: "b", value: { nested: [true] } },
        { key: "c", value: "two\nlines" },
      ]);
    });

    test("chunkSize splits the records: 7 records in chunks of 3 are 3 POSTs of 3, 3 and 1, each record once, in order", async () => {
      const records = makeRecords(7);
      const fake = await setupStore(records);
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), chunkSize: 3 });
      expect(server.requests.map((request) => keysOf(request).length)).toEqual([3, 3, 1]);
      expect(server.requests.flatMap(keysOf)).toEqual(Object.keys(records));
      expect(returnValue).toMatchObject({ exported: 7, chunks: 3 });
    });

    test("every request carries an Idempotency-Key, a different one for each chunk", async () => {
      const fake = await setupStore(makeRecords(7));
      await runAction(action, { dataStore: fake.store, url: ingestUrl(), chunkSize: 3 });
      const keys = server.requests.map(idempotencyKeyOf);
      expect(keys).toHaveLength(3);
      expect(new Set(keys).size).toBe(3);
    });

    test("the Idempotency-Key stays the same across retries of one chunk (503, then 200)", async () => {
      const fake = await setupStore(makeRecords(2));
      const waits = recordPauses(fake.clock);
      script({ status: 503 }, { status: 200 });
      await runAction(action, { dataStore: fake.store, url: ingestUrl() });
      expect(server.requests).toHaveLength(2);
      expect(waits).toHaveLength(1);
      const [first, retry] = server.requests;
      expect(retry!.body).toBe(first!.body);
      expect(idempotencyKeyOf(retry!)).toBe(idempotencyKeyOf(first!));
    });
  });

  describe("result", () => {
    test("returns { exported, deleted, chunks, failedChunks, skippedChanged } and a $summary with those counts", async () => {
      const fake = await setupStore(makeRecords(5));
      const { returnValue, summary } = await runAction(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        chunkSize: 2,
        deleteAfterExport: true,
      });
      expect(returnValue).toEqual({ exported: 5, deleted: 5, chunks: 3, failedChunks: 0, skippedChanged: 0 });
      expect(summary).toBe("Exported 5 records in 3 chunks; deleted 5");
    });

    test("an empty store sends nothing and reports zero records in zero chunks", async () => {
      const fake = await setupStore();
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, url: ingestUrl() });
      expect(server.requests).toHaveLength(0);
      expect(returnValue).toEqual({ exported: 0, deleted: 0, chunks: 0, failedChunks: 0, skippedChanged: 0 });
      expect(summary).toBe("Exported 0 records in 0 chunks");
    });
  });

  describe("which records are exported", () => {
    test(`records under the reserved prefix ${INTERNAL_KEY_PREFIX} are never exported, nor deleted`, async () => {
      const internal = { [`${INTERNAL_KEY_PREFIX}limit:api`]: { tokens: 3 }, [`${INTERNAL_KEY_PREFIX}cache:abc`]: { status: 200 } };
      const fake = await setupStore({ ...internal, user: "kept?" });
      const before = snapshot(fake);
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true });
      expect(server.requests.flatMap(keysOf)).toEqual(["user"]);
      expect(returnValue).toMatchObject({ exported: 1, deleted: 1 });
      expect(Object.fromEntries(snapshot(fake))).toEqual(internal);
      expect(violations(fake, before, { expectEveryRecordDelivered: true })).toEqual([]);
    });

    test(`even a prefix of ${INTERNAL_KEY_PREFIX} exports none of the package's records`, async () => {
      const fake = await setupStore({ [`${INTERNAL_KEY_PREFIX}limit:api`]: 1, user: 2 });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), prefix: INTERNAL_KEY_PREFIX });
      expect(server.requests).toHaveLength(0);
      expect(returnValue).toMatchObject({ exported: 0, chunks: 0 });
    });

    test("a prefix exports only the records whose key starts with it", async () => {
      const fake = await setupStore({ "user:1": "a", "order:1": "b", "user:2": "c", "xuser:3": "d", user: "e" });
      const before = snapshot(fake);
      const { returnValue } = await runAction(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        prefix: "user:",
        deleteAfterExport: true,
      });
      expect(server.requests.flatMap(keysOf)).toEqual(["user:1", "user:2"]);
      expect(returnValue).toMatchObject({ exported: 2, deleted: 2 });
      expect([...snapshot(fake).keys()]).toEqual(["order:1", "user", "xuser:3"]);
      expect(violations(fake, before, { prefix: "user:", expectEveryRecordDelivered: true })).toEqual([]);
    });

    test('falsy values (0, false, "", null) are exported as the records they are', async () => {
      const fake = await setupStore({ zero: 0, no: false, empty: "", nothing: null });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl() });
      expect(server.requests.flatMap(recordsOf)).toEqual([
        { key: "zero", value: 0 },
        { key: "no", value: false },
        { key: "empty", value: "" },
        { key: "nothing", value: null },
      ]);
      expect(returnValue).toMatchObject({ exported: 4 });
    });
  });

  describe("deletion", () => {
    test("deleteAfterExport defaults to false: every record is exported and none is deleted", async () => {
      const fake = await setupStore(makeRecords(5));
      const before = fake.controls.records();
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), chunkSize: 2 });
      expect(returnValue).toMatchObject({ exported: 5, deleted: 0 });
      expect(fake.controls.records()).toEqual(before);
      expect(fake.controls.stats.calls.delete).toBe(0);
    });

    test("with deleteAfterExport the records of acknowledged chunks are deleted", async () => {
      const fake = await setupStore(makeRecords(5));
      const before = snapshot(fake);
      const { returnValue } = await runAction(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        chunkSize: 2,
        deleteAfterExport: true,
      });
      expect(returnValue).toMatchObject({ exported: 5, deleted: 5 });
      expect(fake.controls.records()).toEqual([]);
      expect(violations(fake, before, { expectEveryRecordDelivered: true })).toEqual([]);
    });
  });

  describe("retries", () => {
    test("a 429 with Retry-After in seconds waits that long (2 s) and retries", async () => {
      const fake = await setupStore(makeRecords(3));
      const before = snapshot(fake);
      const waits = recordPauses(fake.clock);
      script({ status: 429, headers: { "Retry-After": "2" } });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true });
      expect(waits).toEqual([2000]);
      expect(server.requests).toHaveLength(2);
      expect(returnValue).toMatchObject({ exported: 3, deleted: 3, failedChunks: 0 });
      expect(violations(fake, before, { expectEveryRecordDelivered: true })).toEqual([]);
    });

    test("a 429 with Retry-After as an HTTP date waits until that date (5 s from now)", async () => {
      const fake = await setupStore(makeRecords(3));
      const before = snapshot(fake);
      const waits = recordPauses(fake.clock);
      script({ status: 429, headers: { "Retry-After": new Date(fake.clock.now() + 5000).toUTCString() } });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true });
      expect(waits).toHaveLength(1);
      expect(waits[0]).toBeGreaterThanOrEqual(4000);
      expect(waits[0]).toBeLessThanOrEqual(5000);
      expect(server.requests).toHaveLength(2);
      expect(returnValue).toMatchObject({ exported: 3, deleted: 3, failedChunks: 0 });
      expect(violations(fake, before, { expectEveryRecordDelivered: true })).toEqual([]);
    });

    test.each([503, 500])("HTTP %d is retried with backoff, each wait within the ceiling 500 * 2^(n-1) ms", async (status) => {
      const fake = await setupStore(makeRecords(3));
      const before = snapshot(fake);
      const waits = recordPauses(fake.clock);
      script({ status }, { status }, { status });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true });
      expect(server.requests).toHaveLength(4);
      expect(waits).toHaveLength(3);
      waits.forEach((wait, index) => {
        expect(wait).toBeGreaterThanOrEqual(0);
        expect(wait).toBeLessThan(500 * 2 ** index);
      });
      expect(returnValue).toMatchObject({ exported: 3, deleted: 3, failedChunks: 0 });
      expect(violations(fake, before, { expectEveryRecordDelivered: true })).toEqual([]);
    });

    test("the backoff ceiling doubles with each retry: with random near 1 the waits are just under 500, 1000 and 2000 ms", async () => {
      const fake = await setupStore(makeRecords(3));
      const waits = recordPauses(fake.clock);
      jest.spyOn(Math, "random").mockReturnValue(0.9999);
      script({ status: 503 }, { status: 503 }, { status: 503 });
      await runAction(action, { dataStore: fake.store, url: ingestUrl() });
      expect(waits).toEqual([499, 999, 1999]);
    });

    test("a connection dropped mid-request is retried", async () => {
      const fake = await setupStore(makeRecords(3));
      const before = snapshot(fake);
      const waits = recordPauses(fake.clock);
      script({ drop: true });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true });
      expect(server.requests).toHaveLength(2);
      expect(waits).toHaveLength(1);
      expect(returnValue).toMatchObject({ exported: 3, deleted: 3, failedChunks: 0 });
      expect(violations(fake, before, { expectEveryRecordDelivered: true })).toEqual([]);
    });

    test("a POST that outlasts the timeout while the server drips its answer byte by byte is a timeout, retried, and then failed", async () => {
      const fake = await setupStore(makeRecords(2));
      const before = snapshot(fake);
      const waits = recordPauses(fake.clock);
      // 200, then one byte every 100 ms for 4 s: never idle for a second, so only a whole-attempt bound stops it.
      answerOtherwise({ drip: { intervalMs: 100, bytes: 40 } });
      const { error, summary } = await runActionExpectingError(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        timeoutSeconds: 1,
        maxRetries: 1,
        deleteAfterExport: true,
      });
      expect(server.requests).toHaveLength(2);
      expect(waits).toHaveLength(1);
      expect((error as Error).message).toContain('chunk 1 ("rec-001" to "rec-002"): timed out after 2 attempts');
      expect(summary).toBe("Exported 0 records in 1 chunk; 1 chunk failed");
      expect(fake.controls.stats.calls.delete).toBe(0);
      expect(snapshot(fake)).toEqual(before);
    });

    test("a POST answered slowly but within the timeout is delivered", async () => {
      const fake = await setupStore(makeRecords(2));
      server.reply({ drip: { intervalMs: 20, bytes: 5 } });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), timeoutSeconds: 1, deleteAfterExport: true });
      expect(server.requests).toHaveLength(1);
      expect(returnValue).toMatchObject({ exported: 2, deleted: 2, failedChunks: 0 });
    });

    test("retries stop after maxRetries: maxRetries 2 and always 503 is exactly 3 requests for that chunk, which fails", async () => {
      const fake = await setupStore(makeRecords(4));
      const before = snapshot(fake);
      const waits = recordPauses(fake.clock);
      answerOtherwise(forChunkWith("rec-001", { status: 503 }));
      const { error, summary } = await runActionExpectingError(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        chunkSize: 2,
        maxRetries: 2,
        deleteAfterExport: true,
      });
      const requestsPerChunk = server.requests.map((request) => keysOf(request).join(","));
      expect(requestsPerChunk).toEqual(["rec-001,rec-002", "rec-001,rec-002", "rec-001,rec-002", "rec-003,rec-004"]);
      expect(waits).toHaveLength(2);
      expect((error as Error).message).toMatch(/^1 of 2 chunks failed/);
      expect((error as Error).message).toMatch(/HTTP 503 after 3 attempts/);
      expect(summary).toBe("Exported 2 records in 2 chunks; deleted 2; 1 chunk failed");
      expect(fake.controls.records().map(({ key }) => key)).toEqual(["rec-001", "rec-002"]);
      expect(violations(fake, before)).toEqual([]);
    });

    test("a permanent 400 fails its chunk at once, the others go on, and the step fails at the end with what failed", async () => {
      const fake = await setupStore(makeRecords(6));
      const before = snapshot(fake);
      const waits = recordPauses(fake.clock);
      answerOtherwise(forChunkWith("rec-003", { status: 400, json: { error: "bad record" } }));
      const { error, summary } = await runActionExpectingError(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        chunkSize: 2,
        deleteAfterExport: true,
      });
      expect(server.requests.map((request) => keysOf(request).join(","))).toEqual(["rec-001,rec-002", "rec-003,rec-004", "rec-005,rec-006"]);
      expect(waits).toEqual([]);
      const message = (error as Error).message;
      expect(message).toMatch(/^1 of 3 chunks failed, so 2 records were not exported \(and not deleted\)/);
      expect(message).toContain('chunk 2 ("rec-003" to "rec-004"): HTTP 400');
      expect(summary).toBe("Exported 4 records in 3 chunks; deleted 4; 1 chunk failed");
      expect(fake.controls.records()).toEqual([
        { key: "rec-003", value: { n: 3 }, expiresAt: null },
        { key: "rec-004", value: { n: 4 }, expiresAt: null },
      ]);
      expect(violations(fake, before)).toEqual([]);
    });
  });

  describe("a record changed while its chunk is in flight", () => {
    test("is kept with its new value and counted in skippedChanged; the others are deleted", async () => {
      const fake = await setupStore(makeRecords(4));
      const before = snapshot(fake);
      const changed = { n: 2, changedBy: "receiver" };
      answerOtherwise((request) => {
        if (keysOf(request).includes("rec-002")) void fake.store.set("rec-002", changed);
        return { json: { ok: true } };
      });
      const { returnValue, summary } = await runAction(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        chunkSize: 2,
        deleteAfterExport: true,
      });
      expect(returnValue).toEqual({ exported: 4, deleted: 3, chunks: 2, failedChunks: 0, skippedChanged: 1 });
      expect(summary).toBe("Exported 4 records in 2 chunks; deleted 3; kept 1 changed since sending");
      expect(Object.fromEntries(snapshot(fake))).toEqual({ "rec-002": changed });
      const changedDuringExport = new Map<string, JsonValue>([["rec-002", changed]]);
      expect(violations(fake, before, { changedDuringExport, expectEveryRecordDelivered: true })).toEqual([]);
    });
  });

  describe("headers", () => {
    test.each([
      ["unterminated", `{"Authorization": "Bearer ${SECRET}`],
      ["unquoted", `{"Api-Key": ${SECRET}}`],
      ["a list", `["Bearer ${SECRET}"]`],
      ["a JSON string", JSON.stringify(`Bearer ${SECRET}`)],
    ])("headers JSON text that is %s is refused without quoting it, naming only props the action has", async (_name, headers) => {
      const fake = await setupStore(makeRecords(2));
      const error = await runAction(action, { dataStore: fake.store, url: ingestUrl(), headers }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(ConfigurationError);
      const message = (error as Error).message;
      expect(message).toMatch(/^Headers /);
      expect(message).not.toMatch(/Value Type/);
      // Not even part of it: JSON.parse's own message quotes ten characters from the error on.
      expect(visibleText({ error, exports: {} })).not.toContain(SECRET.slice(0, 6));
      expect(server.requests).toHaveLength(0);
    });

    test("an Authorization header reaches the receiver and never appears in the summary or the return value", async () => {
      const fake = await setupStore(makeRecords(3));
      const { returnValue, summary, exports } = await runAction(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        headers: { Authorization: `Bearer ${SECRET}` },
      });
      expect(server.requests).toHaveLength(1);
      expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect(summary).not.toContain(SECRET);
      expect(JSON.stringify(returnValue)).not.toContain(SECRET);
      expect(JSON.stringify(exports)).not.toContain(SECRET);
    });

    test("the secret never appears in the error or the summary of a failed export (a 400)", async () => {
      const fake = await setupStore(makeRecords(3));
      answerOtherwise({ status: 400, json: { error: "bad request" } });
      const { error, summary, exports } = await runActionExpectingError(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        headers: { Authorization: `Bearer ${SECRET}` },
      });
      expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${SECRET}`);
      expect((error as Error).message).toMatch(/HTTP 400/);
      expect((error as Error).message).not.toContain(SECRET);
      expect(String(error)).not.toContain(SECRET);
      expect(summary).toBe("Exported 0 records in 1 chunk; 1 chunk failed");
      expect(JSON.stringify(exports)).not.toContain(SECRET);
    });
  });

  describe("redirects are never followed: a 3xx fails its chunk at once and nothing of it is deleted", () => {
    const cases = REDIRECT_STATUSES.flatMap((status) => [
      [status, false],
      [status, true],
    ]) as [number, boolean][];
    test.each(cases)("HTTP %i with deleteAfterExport %s", async (status, deleteAfterExport) => {
      const fake = await setupStore(makeRecords(4));
      const before = snapshot(fake);
      const waits = recordPauses(fake.clock);
      answerOtherwise(forChunkWith("rec-001", { status, headers: { Location: `/moved?token=${SECRET}&page=2` } }));
      const run = await runActionExpectingError(action, { dataStore: fake.store, url: ingestUrl(), chunkSize: 2, deleteAfterExport });
      // One POST per chunk: no retry of the 3xx, and no GET to /moved (whose 200 would pass for an acknowledgement).
      expect(server.requests.map(({ method, url }) => `${method} ${url}`)).toEqual(["POST /ingest", "POST /ingest"]);
      expect(waits).toEqual([]);
      const message = (run.error as Error).message;
      expect(message).toMatch(/^1 of 2 chunks failed, so 2 records were not exported/);
      expect(message).toContain(
        `chunk 1 ("rec-001" to "rec-002"): HTTP ${status} redirecting to /moved?token=[redacted]&page=[redacted]: ` +
          "redirects are not followed, so use the final address",
      );
      expect(run.summary).toBe(`Exported 2 records in 2 chunks; ${deleteAfterExport ? "deleted 2; " : ""}1 chunk failed`);
      expect(visibleText(run)).not.toContain(SECRET);
      const kept = deleteAfterExport ? ["rec-001", "rec-002"] : ["rec-001", "rec-002", "rec-003", "rec-004"];
      expect([...snapshot(fake).keys()]).toEqual(kept);
      expect(violations(fake, before)).toEqual([]);
    });

    test("a 3xx without a Location still fails its chunk, and says to use the final address", async () => {
      const fake = await setupStore(makeRecords(2));
      answerOtherwise({ status: 302 });
      const { error } = await runActionExpectingError(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true });
      expect((error as Error).message).toContain("HTTP 302: redirects are not followed, so use the final address");
      expect(fake.controls.records()).toHaveLength(2);
    });

    test("a Location that echoes a header value in its path is quoted with the value scrubbed", async () => {
      const fake = await setupStore(makeRecords(2));
      answerOtherwise({ status: 307, headers: { Location: `https://elsewhere.example/${SECRET}/ingest` } });
      const run = await runActionExpectingError(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        headers: { Authorization: `Bearer ${SECRET}` },
      });
      expect((run.error as Error).message).toContain("HTTP 307 redirecting to https://elsewhere.example/[redacted]/ingest");
      expect(visibleText(run)).not.toContain(SECRET);
    });
  });

  describe("the URL's query is sent as written", () => {
    test("a parameter without = (?token=…&flag) works, and every chunk reaches the receiver with that query", async () => {
      const fake = await setupStore(makeRecords(3));
      const { returnValue } = await runAction(action, {
        dataStore: fake.store,
        url: `${ingestUrl()}?token=${SECRET}&flag`,
        chunkSize: 2,
        deleteAfterExport: true,
      });
      expect(returnValue).toMatchObject({ exported: 3, deleted: 3, failedChunks: 0 });
      expect(server.requests.map(({ url }) => url)).toEqual([`/ingest?token=${SECRET}&flag`, `/ingest?token=${SECRET}&flag`]);
    });

    test("repeated names, an = inside a value and encoded characters reach the receiver unchanged", async () => {
      const fake = await setupStore(makeRecords(1));
      const query = "a=1&a=2&sig=ab%3D%3D&q=x+y%20z&quote=%22";
      await runAction(action, { dataStore: fake.store, url: `${ingestUrl()}?${query}` });
      expect(server.requests[0]!.url).toBe(`/ingest?${query}`);
    });

    test("a connection failure names method, host and path, never the query", async () => {
      const fake = await setupStore(makeRecords(1));
      recordPauses(fake.clock);
      answerOtherwise({ drop: true });
      const run = await runActionExpectingError(action, {
        dataStore: fake.store,
        url: `${ingestUrl()}?token=${SECRET}&flag`,
        maxRetries: 0,
        headers: { "X-Api-Key": SECRET },
      });
      expect((run.error as Error).message).toContain("connection failed (ECONNRESET)");
      expect(visibleText(run)).not.toContain(SECRET);
    });
  });

  describe("round trips", () => {
    test.each([300, 256])("without deletion, exporting %d records makes only iterator page requests", async (count) => {
      const fake = await setupStore(makeRecords(count));
      await runAction(action, { dataStore: fake.store, url: ingestUrl() });
      const { calls, total } = fake.controls.stats;
      expect(calls.keys).toBe(0);
      expect(calls.get).toBe(0);
      expect(total).toBe(calls.page);
      const pages = Math.ceil(count / FAKE_PAGE_SIZE);
      expect(calls.page).toBeGreaterThanOrEqual(pages);
      expect(calls.page).toBeLessThanOrEqual(pages + 1);
    });

    test("with deletion of 10,000 records: at most 1.05 store operations per record, pages counted; no get, no keys()", async () => {
      const count = 10_000;
      const fake = await setupStore(makeRecords(count));
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true });
      expect(returnValue).toMatchObject({ exported: count, deleted: count, skippedChanged: 0 });
      const { calls, total } = fake.controls.stats;
      expect(calls.keys).toBe(0);
      expect(calls.get).toBe(0);
      expect(calls.delete).toBe(count);
      // Two passes of pages (the export, the check), each ending on a short page: 2 × 79.
      expect(calls.page).toBe(2 * (Math.floor(count / FAKE_PAGE_SIZE) + 1));
      expect(total).toBe(calls.page + calls.delete);
      expect(total / count).toBeLessThanOrEqual(1.05);
    });

    test.each([
      ["the default, 20", {}, 20],
      ["Concurrency 5", { concurrency: 5 }, 5],
      ["Concurrency 1", { concurrency: 1 }, 1],
    ])("deletes run with at most the concurrency in flight: %s", async (_name, props, concurrency) => {
      const fake = await setupStore(makeRecords(60), { latencyMs: 1 });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true, ...props });
      expect(returnValue).toMatchObject({ exported: 60, deleted: 60 });
      // Pages are read one at a time and the deletes start after the last one, so the peak is the deletes'.
      expect(fake.controls.stats.peakInFlight).toBe(concurrency);
    });

    test("a record changed after the export pass, before the check, is kept; one deleted meanwhile is counted as kept too", async () => {
      const fake = await setupStore(makeRecords(6), { pageSize: 2 });
      const before = snapshot(fake);
      const changed = { n: 5, changedBy: "another workflow" };
      let pagesRead = 0;
      fake.controls.failWhen(({ op }) => {
        // The export pass of 6 records in pages of 2 reads 4 pages; the writes land just as the check's first page is read.
        if (op === "page" && ++pagesRead === 5) {
          void fake.store.set("rec-005", changed);
          void fake.store.delete("rec-006");
        }
        return false;
      });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true, chunkSize: 3 });
      expect(returnValue).toMatchObject({ exported: 6, deleted: 4, skippedChanged: 2 });
      expect(Object.fromEntries(snapshot(fake))).toEqual({ "rec-005": changed });
      const changedDuringExport = new Map<string, JsonValue>([["rec-005", changed]]);
      expect(violations(fake, before, { changedDuringExport, deletedDuringExport: new Set(["rec-006"]) })).toEqual([]);
    });

    test("no record is deleted before the iteration is over, so small pages and chunks still export every record", async () => {
      const records = makeRecords(23);
      const fake = await setupStore(records, { pageSize: 5 });
      const before = snapshot(fake);
      const operations: string[] = [];
      fake.controls.failWhen(({ op }) => {
        operations.push(op); // an observer only: no operation fails
        return false;
      });
      const deletesSeenByReceiver: number[] = [];
      answerOtherwise(() => {
        deletesSeenByReceiver.push(fake.controls.stats.calls.delete);
        return { json: { ok: true } };
      });
      const { returnValue } = await runAction(action, {
        dataStore: fake.store,
        url: ingestUrl(),
        chunkSize: 2,
        deleteAfterExport: true,
      });
      expect(server.requests.flatMap(keysOf)).toEqual(Object.keys(records));
      expect(returnValue).toMatchObject({ exported: 23, deleted: 23, chunks: 12 });
      expect(deletesSeenByReceiver.every((deletes) => deletes === 0)).toBe(true);
      expect(operations.indexOf("delete")).toBeGreaterThan(operations.lastIndexOf("page"));
      expect(fake.controls.records()).toEqual([]);
      expect(violations(fake, before, { expectEveryRecordDelivered: true })).toEqual([]);
    });
  });

  describe("bad settings fail with a ConfigurationError before anything is sent or deleted", () => {
    test.each<[string, Record<string, unknown>, RegExp]>([
      ["an ftp URL", { url: "ftp://example.com" }, /URL must be a full http or https address/],
      ["text that is not a URL", { url: "not a url" }, /URL must be a full http or https address/],
      ["an empty URL", { url: "" }, /URL must be a full http or https address/],
      ["a chunkSize of 0", { chunkSize: 0 }, /Chunk Size must be a whole number from 1 to 10000/],
      ["a chunkSize of 10001", { chunkSize: 10_001 }, /Chunk Size must be a whole number from 1 to 10000/],
      ["a chunkSize of 1.5", { chunkSize: 1.5 }, /Chunk Size must be a whole number from 1 to 10000/],
      ["maxRetries -1", { maxRetries: -1 }, /Max Retries must be a whole number from 0 to 10/],
      ["concurrency 0", { concurrency: 0 }, /Concurrency must be a whole number from 1 to 100/],
      ["concurrency 101", { concurrency: 101 }, /Concurrency must be a whole number from 1 to 100/],
      ["concurrency 2.5", { concurrency: 2.5 }, /Concurrency must be a whole number from 1 to 100/],
      ["timeoutSeconds 0", { timeoutSeconds: 0 }, /Timeout \(seconds\) must be a whole number from 1 to 300/],
      ["the format csv", { format: "csv" }, /Format must be one of "json", "ndjson"/],
      ["headers given as a list", { headers: ["Authorization: Bearer x"] }, /Headers must be an object/],
      ["headers as JSON text of a list", { headers: '["Bearer x"]' }, /Headers must be an object of names and values/],
      ["headers as invalid JSON text", { headers: '{"Authorization": "Bearer x' }, /^Headers is not valid JSON \(at character \d+\)\. Enter an object/],
      ["a header name with a space", { headers: { "Authorization: Bearer x": "" } }, /^Headers: name number 1 is not one HTTP can send/],
      ["a header name with a lone surrogate", { headers: { "X-\ud83d": "x" } }, /^Headers: name number 1 is not one HTTP can send/],
      ["a header value with a line break", { headers: { "X-Note": "a\r\nX-Injected: 1" } }, /^Headers "X-Note" has a value HTTP cannot send/],
      ["a header value beyond Latin-1", { headers: { "X-Note": "\u20ac" } }, /^Headers "X-Note" has a value HTTP cannot send/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore(makeRecords(3));
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, url: ingestUrl(), deleteAfterExport: true, ...props }),
        message,
      );
      expect(server.requests).toHaveLength(0);
    });
  });
});
