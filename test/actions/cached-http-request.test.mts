import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import action from "../../actions/cached-http-request/cached-http-request.mjs";
import { HttpStatusError, STALE_KEEP_SECONDS } from "../../lib/cache/cache.mjs";
import { HttpRequestError } from "../../lib/http/http-request.mjs";
import { runAction, runActionExpectingError } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";
import { startTestServer, type Reply, type TestServer } from "../support/http-server.mjs";

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ json: { rate: 1.08 } });
});

afterEach(async () => {
  await server.close();
});

const ratesUrl = () => `${server.url}/rates`;
const SECRET = "sk_live_4f9Qz81xYw";

/** Every 3xx a server can send. */
const REDIRECT_STATUSES = [300, 301, 302, 303, 304, 305, 306, 307, 308];

/** Everything a failed run left that a user or a log can see: message, stack, JSON, own properties, exports. */
function visibleText({ error, exports }: { error: unknown; exports: Record<string, unknown> }): string {
  const own = error instanceof Object ? Object.getOwnPropertyNames(error).map((name) => String((error as Record<string, unknown>)[name])) : [];
  return [String(error), (error as Error).stack, JSON.stringify(error), ...own, JSON.stringify(exports)].join("\n");
}

describe("cached-http-request", () => {
  test("the first call requests the server and returns the response with cached false", async () => {
    const fake = await setupStore();
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    expect(returnValue).toEqual({ status: 200, data: { rate: 1.08 }, cached: false, stale: false, ageSeconds: 0 });
    expect(summary).toBe("Fetched HTTP 200 and cached it for 5 minutes");
    expect(server.requests).toHaveLength(1);
  });

  test("a second call within the ttl is served from the cache without a request, with its age from the clock", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    server.fallback = { json: { rate: 2 } };
    fake.clock.advanceSeconds(120);
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    expect(returnValue).toEqual({ status: 200, data: { rate: 1.08 }, cached: true, stale: false, ageSeconds: 120 });
    expect(summary).toBe("Served from cache (HTTP 200, 2 minutes old)");
    expect(server.requests).toHaveLength(1);
  });

  test("once the ttl has passed a request is made again", async () => {
    const fake = await setupStore();
    const props = { dataStore: fake.store, url: ratesUrl(), ttl: 60 };
    await runAction(action, props);
    server.fallback = { json: { rate: 2 } };
    fake.clock.advanceSeconds(59);
    expect((await runAction(action, props)).returnValue).toMatchObject({ cached: true, data: { rate: 1.08 } });
    expect(server.requests).toHaveLength(1);
    fake.clock.advanceSeconds(1);
    const { returnValue } = await runAction(action, props);
    expect(returnValue).toEqual({ status: 200, data: { rate: 2 }, cached: false, stale: false, ageSeconds: 0 });
    expect(server.requests).toHaveLength(2);
  });

  describe("a failed refresh with staleIfError on serves the last good response", () => {
    const failures: [string, Reply][] = [
      ["503", { status: 503, json: { error: "unavailable" } }],
      ["500", { status: 500, text: "boom" }],
      ["429", { status: 429, headers: { "Retry-After": "30" }, json: { error: "slow down" } }],
      ["408", { status: 408 }],
      ["a dropped connection", { drop: true }],
    ];
    test.each(failures)("%s", async (_name, failure) => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, url: ratesUrl() });
      fake.clock.advanceSeconds(600);
      server.reply(failure);
      const { returnValue, summary } = await runAction(action, { dataStore: fake.store, url: ratesUrl() });
      expect(returnValue).toEqual({ status: 200, data: { rate: 1.08 }, cached: true, stale: true, ageSeconds: 600 });
      expect(summary).toBe("The request failed; served the last good response (HTTP 200, 10 minutes old)");
      expect(server.requests).toHaveLength(2);
    });
  });

  test("the last good response is kept for stale use a day past its ttl, and no longer", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl(), ttl: 60 });
    server.fallback = { status: 503 };
    fake.clock.advanceSeconds(60 + STALE_KEEP_SECONDS - 1);
    expect((await runAction(action, { dataStore: fake.store, url: ratesUrl(), ttl: 60 })).returnValue).toMatchObject({ stale: true });
    fake.clock.advanceSeconds(1);
    await expect(runAction(action, { dataStore: fake.store, url: ratesUrl(), ttl: 60 })).rejects.toThrow(/HTTP 503/);
  });

  test("with staleIfError false a failed refresh fails the step, even with a good response cached", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    fake.clock.advanceSeconds(600);
    server.reply({ status: 503, json: { error: "unavailable" } });
    await expect(runAction(action, { dataStore: fake.store, url: ratesUrl(), staleIfError: false })).rejects.toThrow(
      'The request failed with HTTP 503: {"error":"unavailable"}',
    );
  });

  test("with staleIfError false a dropped connection on refresh fails the step", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    fake.clock.advanceSeconds(600);
    server.reply({ drop: true });
    await expect(runAction(action, { dataStore: fake.store, url: ratesUrl(), staleIfError: false })).rejects.toThrow();
    expect(server.requests).toHaveLength(2);
  });

  test("a 404 on refresh is not masked by the stale response: the step fails", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    fake.clock.advanceSeconds(600);
    server.reply({ status: 404, json: { error: "gone" } });
    await expect(runAction(action, { dataStore: fake.store, url: ratesUrl() })).rejects.toThrow(/HTTP 404/);
  });

  test.each<[string, Reply, RegExp]>([
    ["503", { status: 503 }, /The request failed with HTTP 503/],
    ["a dropped connection", { drop: true }, /socket hang up|ECONNRESET/],
  ])("with nothing cached, a failure (%s) fails the step", async (_name, failure, message) => {
    const fake = await setupStore();
    server.reply(failure);
    await expect(runAction(action, { dataStore: fake.store, url: ratesUrl() })).rejects.toThrow(message);
    expect(fake.controls.records()).toEqual([]);
  });

  test("a non-2xx response is not cached: a 500 followed by a 200 makes a request both times", async () => {
    const fake = await setupStore();
    server.reply({ status: 500, json: { error: "boom" } });
    await expect(runAction(action, { dataStore: fake.store, url: ratesUrl() })).rejects.toThrow(/HTTP 500/);
    const { returnValue } = await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    expect(returnValue).toMatchObject({ status: 200, cached: false });
    expect(server.requests).toHaveLength(2);
  });

  describe("redirects are never followed: a 3xx fails the step, naming the status and the Location", () => {
    test.each(REDIRECT_STATUSES)("HTTP %i", async (status) => {
      const fake = await setupStore();
      server.reply({ status, headers: { Location: `/moved?token=${SECRET}` } });
      const run = await runActionExpectingError(action, { dataStore: fake.store, url: ratesUrl() });
      expect(run.error).toBeInstanceOf(HttpStatusError);
      expect((run.error as Error).message).toBe(
        `The request failed with HTTP ${status}, a redirect to /moved?token=[redacted]: redirects are not followed, so use the final address.`,
      );
      expect(server.requests.map(({ method, url }) => `${method} ${url}`)).toEqual(["GET /rates"]);
      expect(visibleText(run)).not.toContain(SECRET);
      expect(fake.controls.records()).toEqual([]);
    });

    test("a 3xx on refresh is not covered by the stale response: the URL needs fixing", async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, url: ratesUrl() });
      fake.clock.advanceSeconds(600);
      server.reply({ status: 301, headers: { Location: "https://api.example.com/v2/rates" } });
      await expect(runAction(action, { dataStore: fake.store, url: ratesUrl() })).rejects.toThrow(
        /HTTP 301, a redirect to https:\/\/api\.example\.com\/v2\/rates/,
      );
      expect(server.requests).toHaveLength(2);
    });
  });

  describe("Timeout (seconds) bounds the whole request, body included", () => {
    // 200, then one byte every 100 ms for 4 s: never idle for a second, so only a whole-attempt bound stops it.
    const drip: Reply = { drip: { intervalMs: 100, bytes: 40 } };

    test("with nothing cached, a server dripping its body past the timeout fails the step as a timeout, storing nothing", async () => {
      const fake = await setupStore();
      server.reply(drip);
      const run = await runActionExpectingError(action, { dataStore: fake.store, url: ratesUrl(), timeoutSeconds: 1 });
      expect(run.error).toBeInstanceOf(HttpRequestError);
      expect((run.error as Error).message).toBe(`GET ${new URL(server.url).host}/rates failed: timed out after 1 s`);
      expect(run.error).toMatchObject({ code: "ETIMEDOUT", method: "GET", path: "/rates" });
      expect(fake.controls.records()).toEqual([]);
    });

    test("with a good response cached, a timed-out refresh serves it stale", async () => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, url: ratesUrl() });
      fake.clock.advanceSeconds(600);
      server.reply(drip);
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ratesUrl(), timeoutSeconds: 1 });
      expect(returnValue).toMatchObject({ status: 200, data: { rate: 1.08 }, stale: true });
    });

    test("a server that answers slowly but within the timeout is fetched", async () => {
      const fake = await setupStore();
      server.reply({ drip: { intervalMs: 20, bytes: 5 } });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ratesUrl(), timeoutSeconds: 1 });
      expect(returnValue).toMatchObject({ status: 200, data: "xxxxx", cached: false });
    });
  });

  describe("the URL's query is sent as written", () => {
    test.each<[string, string, Record<string, unknown>, string]>([
      ["a parameter without =", `?token=${SECRET}&flag`, {}, `?token=${SECRET}&flag`],
      ["repeated names and an = inside a value", "?a=1&a=2&sig=ab%3D%3D", {}, "?a=1&a=2&sig=ab%3D%3D"],
      ["Query Parameters after the URL's own", "?flag&x=1", { city: "Paris" }, "?flag&x=1&city=Paris"],
      ["a Query Parameter replacing the URL's of that name", "?city=Rome&flag", { city: "Paris" }, "?flag&city=Paris"],
    ])("%s", async (_name, query, params, sent) => {
      const fake = await setupStore();
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: `${ratesUrl()}${query}`, params });
      expect(returnValue).toMatchObject({ status: 200, cached: false });
      expect(server.requests.map(({ url }) => url)).toEqual([`/rates${sent}`]);
    });
  });

  describe("header and query values never appear in an error", () => {
    const secretProps = () => ({
      url: `${ratesUrl()}?token=${SECRET}&flag`,
      headers: { Authorization: `Bearer ${SECRET}` },
      params: { api_key: SECRET },
    });

    test("a dropped connection is an HttpRequestError with method, host, path and code only, not the client's error", async () => {
      const fake = await setupStore();
      server.reply({ drop: true });
      const run = await runActionExpectingError(action, { dataStore: fake.store, ...secretProps() });
      expect(run.error).toBeInstanceOf(HttpRequestError);
      expect((run.error as Error).message).toBe(`GET ${new URL(server.url).host}/rates failed: connection failed (ECONNRESET)`);
      expect(Object.keys(run.error as object).sort()).toEqual(["code", "host", "method", "name", "path", "reason"]);
      expect(visibleText(run)).not.toContain(SECRET);
    });

    test("a 4xx body that echoes the request is quoted with the secrets scrubbed", async () => {
      const fake = await setupStore();
      server.reply((request) => ({ status: 401, json: { error: "bad key", got: request.headers.authorization, url: request.url } }));
      const run = await runActionExpectingError(action, { dataStore: fake.store, ...secretProps() });
      expect((run.error as Error).message).toBe(
        // The whole header value goes, and so does the bare "flag": a query part without "=" may be a token itself.
        'The request failed with HTTP 401: {"error":"bad key","got":"[redacted]","url":"/rates?token=[redacted]&[redacted]&api_key=[redacted]"}',
      );
      expect(visibleText(run)).not.toContain(SECRET);
    });

    test.each([
      ["unterminated", "headers", `{"Authorization": "Bearer ${SECRET}`, /^Headers is not valid JSON/],
      ["unquoted", "headers", `{"Api-Key": ${SECRET}}`, /^Headers is not valid JSON/],
      ["a list", "headers", `["Bearer ${SECRET}"]`, /^Headers must be an object/],
      ["unterminated", "params", `{"api_key": "${SECRET}`, /^Query Parameters is not valid JSON/],
    ])("%s %s JSON text is refused without quoting it, naming only props the action has", async (_name, prop, text, message) => {
      const fake = await setupStore({ existing: "record" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, url: ratesUrl(), [prop]: text }), message);
      const error = await runAction(action, { dataStore: fake.store, url: ratesUrl(), [prop]: text }).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).not.toMatch(/Value Type/);
      // Not even part of it: JSON.parse's own message quotes ten characters from the error on.
      expect(visibleText({ error, exports: {} })).not.toContain(SECRET.slice(0, 6));
      expect(server.requests).toHaveLength(0);
    });
  });

  test.each([404, 304])("a %d response is not stored", async (status) => {
    const fake = await setupStore();
    server.reply({ status, json: { error: "not found" } });
    await expect(runAction(action, { dataStore: fake.store, url: ratesUrl() })).rejects.toThrow(`HTTP ${status}`);
    expect(fake.controls.records()).toEqual([]);
    expect(fake.controls.stats.calls.set).toBe(0);
  });

  test("a 2xx other than 200 is cached with its status", async () => {
    const fake = await setupStore();
    server.reply({ status: 203, json: { rate: 1 } });
    await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    const { returnValue } = await runAction(action, { dataStore: fake.store, url: ratesUrl() });
    expect(returnValue).toMatchObject({ status: 203, data: { rate: 1 }, cached: true });
    expect(server.requests).toHaveLength(1);
  });

  test("stored keys and values never hold the URL, headers or parameters: keys are __dskit:cache: and a SHA-256", async () => {
    const fake = await setupStore();
    await runAction(action, {
      dataStore: fake.store,
      url: ratesUrl(),
      headers: { Authorization: "Bearer secret-token-123" },
      params: { api_key: "abc" },
    });
    expect(server.requests[0]!.headers.authorization).toBe("Bearer secret-token-123");
    const records = fake.controls.records();
    expect(records).toHaveLength(1);
    expect(records[0]!.key).toMatch(/^__dskit:cache:[0-9a-f]{64}$/);
    const stored = JSON.stringify(records);
    for (const secret of ["secret-token-123", "Bearer", "Authorization", "authorization", "api_key", "127.0.0.1", "/rates"]) {
      expect(stored).not.toContain(secret);
    }
  });

  describe("requests that differ get different cache entries", () => {
    test.each<[string, Record<string, unknown>, Record<string, unknown>]>([
      ["params", { params: { city: "Paris" } }, { params: { city: "Rome" } }],
      ["methods", { method: "GET" }, { method: "POST" }],
      ["bodies", { method: "POST", body: { q: 1 } }, { method: "POST", body: { q: 2 } }],
      ["headers", { headers: { "X-Tenant": "a" } }, { headers: { "X-Tenant": "b" } }],
    ])("%s", async (_name, first, second) => {
      const fake = await setupStore();
      await runAction(action, { dataStore: fake.store, url: ratesUrl(), ...first });
      const { returnValue } = await runAction(action, { dataStore: fake.store, url: ratesUrl(), ...second });
      expect(returnValue).toMatchObject({ cached: false });
      expect(server.requests).toHaveLength(2);
      expect(fake.controls.records()).toHaveLength(2);
    });
  });

  test("a cacheKey shares one entry between requests that differ", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl(), headers: { "X-Request-Id": "1" }, cacheKey: "rates" });
    const { returnValue } = await runAction(action, {
      dataStore: fake.store,
      url: ratesUrl(),
      headers: { "X-Request-Id": "2" },
      cacheKey: "rates",
    });
    expect(returnValue).toMatchObject({ cached: true, data: { rate: 1.08 } });
    expect(server.requests).toHaveLength(1);
    expect(fake.controls.records()).toHaveLength(1);
    expect(fake.controls.records()[0]!.key).toMatch(/^__dskit:cache:[0-9a-f]{64}$/);
  });

  test("query parameters and headers reach the server", async () => {
    const fake = await setupStore();
    await runAction(action, {
      dataStore: fake.store,
      url: ratesUrl(),
      params: { city: "Paris", days: 3 },
      headers: { "X-Api-Version": "2" },
    });
    const [request] = server.requests;
    expect(request!.method).toBe("GET");
    const url = new URL(request!.url, server.url);
    expect(url.pathname).toBe("/rates");
    expect(Object.fromEntries(url.searchParams)).toEqual({ city: "Paris", days: "3" });
    expect(request!.headers["x-api-version"]).toBe("2");
  });

  test.each<[string, unknown, string]>([
    ["true", true, "true"],
    ["a number", 3, "3"],
    ["null as JSON text", "null", "null"],
    ["a list", [1, "a"], '[1,"a"]'],
  ])("a POST body that is %s reaches the server as JSON text", async (_name, body, sent) => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl(), method: "POST", body });
    expect(server.requests[0]!.body).toBe(sent);
    expect(server.requests[0]!.headers["content-type"]).toMatch(/^application\/json/);
  });

  test("a Content-Type in Headers is kept for a JSON body", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl(), method: "POST", body: { q: 1 }, headers: { "content-type": "application/vnd.api+json" } });
    expect(server.requests[0]!.headers["content-type"]).toBe("application/vnd.api+json");
  });

  test("a POST body reaches the server as JSON", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, url: ratesUrl(), method: "POST", body: '{"query": {"city": "Paris"}}' });
    const [request] = server.requests;
    expect(request!.method).toBe("POST");
    expect(request!.headers["content-type"]).toMatch(/^application\/json/);
    expect(JSON.parse(request!.body)).toEqual({ query: { city: "Paris" } });
  });

  describe("bad input is refused with a ConfigurationError, no request made and the store untouched", () => {
    test.each<[string, Record<string, unknown>, RegExp]>([
      ["an ftp URL", { url: "ftp://x" }, /URL must be a full http or https address/],
      ["text that is not a URL", { url: "not a url" }, /URL must be a full http or https address/],
      ["an empty URL", { url: "" }, /URL must be a full http or https address/],
      ["the method DELETE", { method: "DELETE" }, /Method must be one of "GET", "HEAD", "POST"/],
      ["a ttl of 0", { ttl: 0 }, /Cache TTL \(seconds\) must be a whole number from 1/],
      ["a negative ttl", { ttl: -5 }, /Cache TTL \(seconds\) must be a whole number from 1/],
      ["a timeout of 0", { timeoutSeconds: 0 }, /Timeout \(seconds\) must be a whole number from 1 to 300/],
      ["a header name holding a whole header line", { headers: { [`Authorization: Bearer ${SECRET}`]: "" } }, /^Headers: name number 1 is not one HTTP can send/],
      ["a header value with a line break", { headers: { "X-Note": "a\nb" } }, /^Headers "X-Note" has a value HTTP cannot send/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ existing: "record" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, url: ratesUrl(), ...props }), message);
      expect(server.requests).toHaveLength(0);
    });
  });
});
