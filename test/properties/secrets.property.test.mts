/**
 * Secrets never leak, whatever the server does: a random secret is placed in a header value and
 * in a URL query value (and a Query Parameter) of both HTTP actions, against a loopback server
 * that answers each request in a random way: 2xx, 3xx with a Location echoing the secret, 4xx and
 * 5xx echoing the request in their bodies, malformed JSON echoing it, a hang past the timeout, a
 * reset connection. The secret must appear nowhere in what a run returns, exports or throws
 * (message, stack, JSON, own properties, inspection), nor anywhere in the store. The receiver may
 * see it: that is where the headers are meant to go.
 *
 * A 2xx body is the user's data and is returned (and cached) as it came, so the server never
 * echoes the secret in a 2xx here. A hang costs one Timeout (1 s, the least the prop takes), so a
 * run hangs at most once; the run counts keep this file within a few seconds.
 */
import { afterAll, beforeAll, expect, test } from "@jest/globals";
import { inspect } from "node:util";
import fc from "fast-check";
import cachedHttpRequest from "../../actions/cached-http-request/cached-http-request.mjs";
import exportRecords from "../../actions/export-records/export-records.mjs";
import { runAction } from "../support/harness.mjs";
import { recordPauses, setupStore } from "../support/fixtures.mjs";
import { startTestServer, type RecordedRequest, type Reply, type TestServer } from "../support/http-server.mjs";

const RUNS_PER_ACTION = 25;
/** Each test takes some 5 s, mostly the hangs' timeouts; this is the ceiling, not the expectation. */
const TEST_TIMEOUT_MS = 30_000;

/** Printable ASCII without space: what a token or key can hold, quotes and backslashes included. */
const secretArbitrary = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((code) => String.fromCharCode(code)),
  minLength: 10,
  maxLength: 32,
});

const FAULTS = ["ok", "ok-malformed", "redirect", "client-error", "server-error", "malformed-error", "hang", "reset"] as const;
type Fault = (typeof FAULTS)[number];

const faultsArbitrary = fc.array(
  fc.record({
    fault: fc.constantFrom(...FAULTS),
    redirectStatus: fc.integer({ min: 300, max: 308 }),
    echoIn: fc.constantFrom("query", "path", "fragment"),
    errorStatus: fc.constantFrom(400, 401, 403, 404, 422),
    serverStatus: fc.constantFrom(500, 502, 503),
  }),
  { maxLength: 8 },
);
type ScriptedFault = { fault: Fault; redirectStatus: number; echoIn: "query" | "path" | "fragment"; errorStatus: number; serverStatus: number };

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server.close();
});

/** Makes the server answer each next request by the next fault (then 200s), hanging at most once. */
function answerBy(faults: readonly ScriptedFault[]): void {
  let next = 0;
  let hung = false;
  server.fallback = (request) => {
    const scripted = faults[next];
    next += 1;
    if (scripted?.fault === "hang" && hung) return { status: 503 };
    if (scripted?.fault === "hang") hung = true;
    return scripted === undefined ? { json: { ok: true } } : replyFor(scripted, request);
  };
}

function replyFor({ fault, redirectStatus, echoIn, errorStatus, serverStatus }: ScriptedFault, request: RecordedRequest): Reply {
  const echo = { headers: request.headers, url: request.url, method: request.method };
  const authorization = String(request.headers.authorization ?? "");
  switch (fault) {
    case "ok":
      return { json: { ok: true } };
    case "ok-malformed":
      return { headers: { "Content-Type": "application/json" }, text: '{"ok": tru' };
    case "redirect": {
      const token = encodeURIComponent(authorization);
      const location =
        echoIn === "query" ? `/moved${request.url}&echo=${token}` : echoIn === "path" ? `https://elsewhere.example/${token}/in` : `/moved#${token}`;
      return { status: redirectStatus, headers: { Location: location } };
    }
    case "client-error":
      return { status: errorStatus, json: { error: "rejected", echo } };
    case "server-error":
      return { status: serverStatus, text: `upstream failed for ${request.method} ${request.url} with ${authorization}` };
    case "malformed-error":
      return { status: serverStatus, headers: { "Content-Type": "application/json" }, text: `{"error": "bad token ${authorization}", "url": "${request.url}` };
    case "hang":
      return { hang: true };
    case "reset":
      return { drop: true };
  }
}

/** The forms a secret takes in text: as is, JSON-escaped, percent-encoded, form-encoded. */
function formsOf(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
}

/** Everything of a run that a user, a log or the builder can see. */
function exposedText(outcome: { returnValue?: unknown; exports: Record<string, unknown>; error?: unknown }): string {
  const parts = [JSON.stringify(outcome.returnValue ?? null), JSON.stringify(outcome.exports)];
  const { error } = outcome;
  if (error !== undefined) {
    parts.push(String(error), inspect(error, { showHidden: true, depth: 6 }));
    if (error instanceof Object) {
      parts.push(JSON.stringify(error) ?? "", (error as Error).stack ?? "");
      for (const name of Object.getOwnPropertyNames(error)) {
        const value = (error as Record<string, unknown>)[name];
        parts.push(String(value), inspect(value, { depth: 6 }));
      }
    }
  }
  return parts.join("\n");
}

async function run(action: object, props: Record<string, unknown>): Promise<{ returnValue?: unknown; exports: Record<string, unknown>; error?: unknown }> {
  const exports: Record<string, unknown> = {};
  try {
    const { returnValue } = await runAction(action, props, {}, exports);
    return { returnValue, exports };
  } catch (error) {
    return { exports, error };
  }
}

function expectNoSecret(text: string, secret: string, where: string): void {
  for (const form of formsOf(secret)) {
    if (text.includes(form)) throw new Error(`the secret (as ${JSON.stringify(form)}) appears in ${where}:\n${text}`);
  }
}

test(`Export Records: a secret in a header and the URL query never leaks, whatever the receiver answers (${RUNS_PER_ACTION} random runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(
      secretArbitrary,
      faultsArbitrary,
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 1, max: 2 }),
      fc.integer({ min: 0, max: 1 }),
      fc.boolean(),
      async (secret, faults, recordCount, chunkSize, maxRetries, deleteAfterExport) => {
        const fake = await setupStore(Object.fromEntries(Array.from({ length: recordCount }, (_, i) => [`rec-${i}`, { n: i }])));
        recordPauses(fake.clock);
        answerBy(faults);
        const before = server.requests.length;
        const outcome = await run(exportRecords, {
          dataStore: fake.store,
          url: `${server.url}/ingest?token=${encodeURIComponent(secret)}&flag`,
          headers: { Authorization: `Bearer ${secret}`, "X-Api-Key": secret },
          chunkSize,
          maxRetries,
          deleteAfterExport,
          timeoutSeconds: 1,
        });
        expect(server.requests.length).toBeGreaterThan(before);
        expect(server.requests[before]!.headers["x-api-key"]).toBe(secret);
        expectNoSecret(exposedText(outcome), secret, "the run's output");
        expectNoSecret(JSON.stringify(fake.controls.records()), secret, "the store");
      },
    ),
    { numRuns: RUNS_PER_ACTION },
  );
}, TEST_TIMEOUT_MS);

test(`Make Cached HTTP Request: a secret in a header, the URL query and a Query Parameter never leaks, whatever the upstream answers (${RUNS_PER_ACTION} random runs)`, async () => {
  await fc.assert(
    fc.asyncProperty(
      secretArbitrary,
      faultsArbitrary,
      fc.constantFrom("GET", "HEAD", "POST"),
      fc.boolean(),
      fc.integer({ min: 1, max: 3 }),
      async (secret, faults, method, staleIfError, calls) => {
        const fake = await setupStore();
        answerBy(faults);
        const props = {
          dataStore: fake.store,
          url: `${server.url}/rates?token=${encodeURIComponent(secret)}&flag`,
          method,
          headers: { Authorization: `Bearer ${secret}` },
          params: { api_key: secret },
          body: method === "POST" ? { q: 1 } : undefined,
          ttl: 60,
          staleIfError,
          timeoutSeconds: 1,
        };
        // Several calls a TTL apart, so refreshes fail over cached responses and stale ones are served too.
        for (let call = 0; call < calls; call++) {
          const outcome = await run(cachedHttpRequest, props);
          expectNoSecret(exposedText(outcome), secret, `call ${call + 1}'s output`);
          fake.clock.advanceSeconds(61);
        }
        expectNoSecret(JSON.stringify(fake.controls.records()), secret, "the store");
      },
    ),
    { numRuns: RUNS_PER_ACTION },
  );
}, TEST_TIMEOUT_MS);
