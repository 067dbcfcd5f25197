import { afterEach, beforeEach, describe, expect, test } from "@jest/globals";
import action from "../../actions/cached-http-request/cached-http-request.mjs";
import { STALE_KEEP_SECONDS } from "../../components/lib/cache.mjs";
import { runAction } from "../support/harness.mjs";
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
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ existing: "record" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, url: ratesUrl(), ...props }), message);
      expect(server.requests).toHaveLength(0);
    });
  });
});
