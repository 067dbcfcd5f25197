import { describe, expect, test } from "@jest/globals";
import { buildChunkRequest } from "../../lib/export/export-records.mjs";
import { deliverWithRetry, parseRetryAfter } from "../../lib/export/retry.mjs";
import type { HttpResponse } from "../../lib/http/http-response.mjs";
import { TestClock } from "../support/clock.mjs";
import { recordPauses } from "../support/fixtures.mjs";

/** An attempt function answering from a script: a status, or "drop" / "timeout" to throw as the transport would. */
function scripted(...answers: (number | "drop" | "timeout" | HttpResponse)[]) {
  const calls: number[] = [];
  const attempt = async (): Promise<HttpResponse> => {
    const answer = answers[calls.length] ?? 200;
    calls.push(calls.length + 1);
    if (answer === "drop") throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    if (answer === "timeout") throw Object.assign(new Error("timeout of 30000ms exceeded"), { code: "ECONNABORTED" });
    return typeof answer === "number" ? { status: answer, headers: {} } : answer;
  };
  return { attempt, calls };
}

describe("deliverWithRetry", () => {
  test("full jitter: each wait is random up to a ceiling that doubles from 500 ms", async () => {
    const waits = recordPauses(new TestClock());
    const { attempt } = scripted(503, 503, 503, 200);
    const outcome = await deliverWithRetry(attempt, { maxRetries: 3, random: () => 0.5 });
    expect(outcome).toEqual({ delivered: true, attempts: 4, status: 200 });
    expect(waits).toEqual([250, 500, 1000]);
  });

  test("the backoff ceiling is capped at maxDelayMs", async () => {
    const waits = recordPauses(new TestClock());
    const { attempt } = scripted(500, 500, 500, 500, 500, 500);
    await deliverWithRetry(attempt, { maxRetries: 6, random: () => 0.999, maxDelayMs: 3000 });
    expect(Math.max(...waits)).toBeLessThan(3000);
    expect(waits.slice(3).every((wait) => wait >= 2990)).toBe(true);
  });

  test("Retry-After in seconds is waited exactly, instead of the backoff", async () => {
    const waits = recordPauses(new TestClock());
    const { attempt } = scripted({ status: 429, headers: { "retry-after": "7" } }, 200);
    await deliverWithRetry(attempt, { maxRetries: 3, random: () => 0 });
    expect(waits).toEqual([7000]);
  });

  test("a Retry-After longer than the export will wait fails the chunk without waiting", async () => {
    const waits = recordPauses(new TestClock());
    const { attempt, calls } = scripted({ status: 503, headers: { "retry-after": "3600" } });
    const outcome = await deliverWithRetry(attempt, { maxRetries: 3 });
    expect(outcome).toMatchObject({ delivered: false, attempts: 1, reason: expect.stringContaining("asked to wait 3600 s") });
    expect(waits).toEqual([]);
    expect(calls).toHaveLength(1);
  });

  test.each([400, 401, 404, 409, 422])("HTTP %i fails at once, without a retry", async (status) => {
    const { attempt, calls } = scripted(status);
    const outcome = await deliverWithRetry(attempt, { maxRetries: 3 });
    expect(outcome).toEqual({ delivered: false, attempts: 1, reason: `HTTP ${status}` });
    expect(calls).toHaveLength(1);
  });

  test.each([300, 301, 302, 303, 304, 305, 306, 307, 308])(
    "HTTP %i fails at once, naming the Location with its query redacted, and telling to use the final address",
    async (status) => {
      const { attempt, calls } = scripted({ status, headers: { location: "https://new.example/ingest?token=abc123&x" } });
      const outcome = await deliverWithRetry(attempt, { maxRetries: 3 });
      expect(outcome).toEqual({
        delivered: false,
        attempts: 1,
        reason: `HTTP ${status} redirecting to https://new.example/ingest?token=[redacted]&[redacted]: redirects are not followed, so use the final address`,
      });
      expect(calls).toHaveLength(1);
    },
  );

  test("a transport error is described by its code or class, never by its message (which can quote the request)", async () => {
    recordPauses(new TestClock());
    const leaky = new SyntaxError('Unexpected token \'f\', ..."{"token":"abc123","flag"}" is not valid JSON');
    const withBadCode = Object.assign(new Error("x"), { code: "token abc123" });
    const outcome = await deliverWithRetry(
      async () => {
        throw leaky;
      },
      { maxRetries: 0 },
    );
    expect(outcome).toEqual({ delivered: false, attempts: 1, reason: "request failed (SyntaxError) after 1 attempt" });
    const second = await deliverWithRetry(
      async () => {
        throw withBadCode;
      },
      { maxRetries: 0 },
    );
    expect(second).toEqual({ delivered: false, attempts: 1, reason: "request failed (Error) after 1 attempt" });
  });

  test("408, 429, 5xx, dropped connections and timeouts are retried", async () => {
    recordPauses(new TestClock());
    const { attempt, calls } = scripted(408, 429, 500, 502, "drop", "timeout", 204);
    const outcome = await deliverWithRetry(attempt, { maxRetries: 6 });
    expect(outcome).toEqual({ delivered: true, attempts: 7, status: 204 });
    expect(calls).toHaveLength(7);
  });

  test("retries stop after maxRetries, and the reason says what the last attempt got", async () => {
    recordPauses(new TestClock());
    const { attempt, calls } = scripted(503, 503, "timeout");
    const outcome = await deliverWithRetry(attempt, { maxRetries: 2 });
    expect(outcome).toEqual({ delivered: false, attempts: 3, reason: "timed out after 3 attempts" });
    expect(calls).toHaveLength(3);
  });

  test("maxRetries 0 makes one attempt", async () => {
    const { attempt, calls } = scripted("drop");
    const outcome = await deliverWithRetry(attempt, { maxRetries: 0 });
    expect(outcome).toMatchObject({ delivered: false, attempts: 1, reason: expect.stringContaining("ECONNRESET") });
    expect(calls).toHaveLength(1);
  });

  test.each([[200], [201], [204], [299]])("HTTP %i is delivered", async (status) => {
    const { attempt } = scripted(status);
    expect(await deliverWithRetry(attempt, { maxRetries: 0 })).toEqual({ delivered: true, attempts: 1, status });
  });
});

describe("parseRetryAfter", () => {
  const now = Date.UTC(2026, 10, 24, 18, 31, 0);

  test("reads delay-seconds", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
  });

  test("reads an HTTP date as the time until it", () => {
    expect(parseRetryAfter(new Date(now + 5000).toUTCString(), now)).toBe(5000);
  });

  test("a date in the past means now", () => {
    expect(parseRetryAfter(new Date(now - 60_000).toUTCString(), now)).toBe(0);
  });

  test.each([undefined, "", "soon", "-5"])("%j is ignored", (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe("buildChunkRequest", () => {
  const records: [string, null | number | { a: number[] }][] = [
    ["a", 1],
    ["b", { a: [1] }],
    ["c", null],
  ];

  test("json: one array of { key, value }", () => {
    const request = buildChunkRequest(records, "json");
    expect(request.contentType).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual([
      { key: "a", value: 1 },
      { key: "b", value: { a: [1] } },
      { key: "c", value: null },
    ]);
  });

  test("ndjson: one { key, value } per line", () => {
    const request = buildChunkRequest(records, "ndjson");
    expect(request.contentType).toBe("application/x-ndjson");
    expect(request.body).toBe('{"key":"a","value":1}\n{"key":"b","value":{"a":[1]}}\n{"key":"c","value":null}\n');
  });

  test("the Idempotency-Key is a function of the chunk: the same for the same records, different otherwise", () => {
    expect(buildChunkRequest(records, "json").idempotencyKey).toBe(buildChunkRequest(records, "json").idempotencyKey);
    expect(buildChunkRequest(records.slice(1), "json").idempotencyKey).not.toBe(buildChunkRequest(records, "json").idempotencyKey);
  });
});
