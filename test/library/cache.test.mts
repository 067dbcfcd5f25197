import { describe, expect, jest, test } from "@jest/globals";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { cachedRequest, getOrSet, HttpStatusError, requestCacheKey, type HttpRequest } from "../../lib/cache/cache.mjs";
import { redactUrl, scrubSecrets, secretValuesOf } from "../../lib/http/http-request.mjs";
import { setupStore } from "../support/fixtures.mjs";

describe("getOrSet", () => {
  test("a miss computes the value, stores it with the ttl and returns it", async () => {
    const fake = await setupStore();
    const compute = jest.fn(() => ({ rate: 1.08 }));
    expect(await getOrSet(fake.store, "rates", 60, compute)).toEqual({ rate: 1.08 });
    expect(compute).toHaveBeenCalledTimes(1);
    expect(fake.controls.records()).toEqual([{ key: "rates", value: { rate: 1.08 }, expiresAt: fake.clock.now() + 60_000 }]);
  });

  test("a value stored with a ttl expires after it, and the next call computes again", async () => {
    const fake = await setupStore();
    await getOrSet(fake.store, "rates", 60, () => 1);
    fake.clock.advanceSeconds(59);
    expect(await getOrSet(fake.store, "rates", 60, () => 2)).toBe(1);
    fake.clock.advanceSeconds(1);
    expect(await getOrSet(fake.store, "rates", 60, () => 2)).toBe(2);
  });

  test("a null ttl stores the value for good", async () => {
    const fake = await setupStore();
    await getOrSet(fake.store, "rates", null, () => 1);
    fake.clock.advanceSeconds(365 * 86_400);
    expect(await getOrSet(fake.store, "rates", null, () => 2)).toBe(1);
  });

  test("a hit returns the stored value without calling compute, in one round trip", async () => {
    const fake = await setupStore({ rates: { rate: 1.08 } });
    const compute = jest.fn(() => ({ rate: 2 }));
    expect(await getOrSet(fake.store, "rates", 60, compute)).toEqual({ rate: 1.08 });
    expect(compute).not.toHaveBeenCalled();
    expect(fake.controls.stats.total).toBe(1);
  });

  test.each([0, false, "", null])("the cached falsy value %j is a hit", async (value) => {
    const fake = await setupStore({ k: value });
    const compute = jest.fn(() => "computed");
    expect(await getOrSet(fake.store, "k", 60, compute)).toBe(value);
    expect(compute).not.toHaveBeenCalled();
  });

  test("concurrent calls for one missing key compute it once (single-flight)", async () => {
    const fake = await setupStore({}, { latencyMs: 1, jitterMs: 5, seed: 7 });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = jest.fn(async () => {
      await gate;
      return { rate: 1.08 };
    });
    const calls = Array.from({ length: 5 }, () => getOrSet(fake.store, "rates", 60, compute));
    // Let every call's get come back (the store's latency runs on real timers) before the compute finishes.
    while (fake.controls.stats.calls.get < 5 || fake.controls.stats.inFlight > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    release();
    expect(await Promise.all(calls)).toEqual(Array(5).fill({ rate: 1.08 }));
    expect(compute).toHaveBeenCalledTimes(1);
    expect(fake.controls.stats.calls.set).toBe(1);
  });

  test("a compute that throws stores nothing, and the next call computes again", async () => {
    const fake = await setupStore();
    const compute = jest
      .fn<() => Promise<JsonValue>>()
      .mockRejectedValueOnce(new Error("upstream down"))
      .mockResolvedValueOnce("fresh");
    await expect(getOrSet(fake.store, "k", 60, compute)).rejects.toThrow("upstream down");
    expect(fake.controls.records()).toEqual([]);
    expect(fake.controls.stats.calls.set).toBe(0);
    expect(await getOrSet(fake.store, "k", 60, compute)).toBe("fresh");
    expect(compute).toHaveBeenCalledTimes(2);
  });

  test.each<[string, unknown]>([
    ["a Map", new Map([["a", 1]])],
    ["NaN", Number.NaN],
    ["a function", () => 1],
    ["undefined", undefined],
  ])("a computed value that is not JSON (%s) is refused and nothing is stored", async (_name, value) => {
    const fake = await setupStore();
    await expect(getOrSet(fake.store, "k", 60, () => value as JsonValue)).rejects.toThrow(/getOrSet cannot store/);
    expect(fake.controls.records()).toEqual([]);
    expect(fake.controls.stats.calls.set).toBe(0);
  });
});

describe("requestCacheKey", () => {
  const request: HttpRequest = {
    method: "GET",
    url: "https://api.example.com/rates",
    headers: { Authorization: "Bearer secret-token-123", Accept: "application/json" },
    params: { city: "Paris", api_key: "abc" },
  };

  test("is the reserved __dskit:cache: prefix and a SHA-256 in hex, holding none of the request", () => {
    const key = requestCacheKey(request);
    expect(key).toMatch(/^__dskit:cache:[0-9a-f]{64}$/);
    for (const part of ["secret-token-123", "Bearer", "api_key", "example.com"]) expect(key).not.toContain(part);
  });

  test("is the same for the same request", () => {
    expect(requestCacheKey(request)).toBe(requestCacheKey(structuredClone(request)));
  });

  test("does not depend on the order of params and headers, nor on the case of header names", () => {
    const reordered: HttpRequest = {
      ...request,
      headers: { accept: "application/json", AUTHORIZATION: "Bearer secret-token-123" },
      params: { api_key: "abc", city: "Paris" },
    };
    expect(requestCacheKey(reordered)).toBe(requestCacheKey(request));
  });

  test.each<[string, Partial<HttpRequest>]>([
    ["method", { method: "POST" }],
    ["url", { url: "https://api.example.com/rates/eur" }],
    ["param value", { params: { city: "Rome", api_key: "abc" } }],
    ["header value", { headers: { Authorization: "Bearer other", Accept: "application/json" } }],
    ["body", { body: { q: 1 } }],
  ])("differs when the %s differs", (_name, change) => {
    expect(requestCacheKey({ ...request, ...change })).not.toBe(requestCacheKey(request));
  });

  test("a param value is not confused with a header of the same name and value", () => {
    const asParam: HttpRequest = { method: "GET", url: request.url, headers: {}, params: { x: "1" } };
    const asHeader: HttpRequest = { method: "GET", url: request.url, headers: { x: "1" }, params: {} };
    expect(requestCacheKey(asParam)).not.toBe(requestCacheKey(asHeader));
  });

  test("a cacheKey gives one key whatever the request, hashed, and unlike the request's own key", () => {
    const other: HttpRequest = { method: "POST", url: "https://other.example.com/", headers: {}, params: {}, body: [1] };
    const key = requestCacheKey(request, "rates");
    expect(requestCacheKey(other, "rates")).toBe(key);
    expect(key).toMatch(/^__dskit:cache:[0-9a-f]{64}$/);
    expect(key).not.toBe(requestCacheKey(request));
    expect(requestCacheKey(request, "other")).not.toBe(key);
  });
});

describe("cachedRequest and HttpStatusError keep the request's secrets out of what they quote", () => {
  const TOKEN = "tok_9d8f7a6b5c4e";
  const request: HttpRequest = {
    method: "GET",
    url: `https://api.example.com/rates?token=${TOKEN}&flag`,
    headers: { Authorization: `Bearer ${TOKEN}-h`, "X-Api-Key": "key with spaces & symbols\"" },
    params: { api_key: "p-secret-value" },
  };

  test("a 3xx is an HttpStatusError naming the status and the Location, query redacted, and nothing is stored", async () => {
    const fake = await setupStore();
    const send = jest.fn(async () => ({ status: 302, data: "", headers: { location: `https://cdn.example.com/rates?sig=${TOKEN}#frag` } }));
    const error = await cachedRequest(fake.store, request, send, { ttlSeconds: 60, staleIfError: true }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as HttpStatusError).message).toBe(
      "The request failed with HTTP 302, a redirect to https://cdn.example.com/rates?sig=[redacted]#[redacted]: " +
        "redirects are not followed, so use the final address.",
    );
    expect(send).toHaveBeenCalledTimes(1);
    expect(fake.controls.stats.calls.set).toBe(0);
  });

  test("a body echoing header and query values, as written, JSON-escaped or percent-encoded, is quoted scrubbed; no copy of it is kept", async () => {
    const fake = await setupStore();
    const echo = {
      authorization: request.headers.Authorization,
      apiKey: request.headers["X-Api-Key"],
      url: `/rates?token=${TOKEN}&api_key=${encodeURIComponent(request.params.api_key!)}&k=${encodeURIComponent(request.headers["X-Api-Key"]!)}`,
    };
    const send = async () => ({ status: 400, data: echo, headers: {} });
    const error = (await cachedRequest(fake.store, request, send, { ttlSeconds: 60, staleIfError: false }).catch((thrown: unknown) => thrown)) as HttpStatusError;
    const visible = [error.message, error.stack, JSON.stringify(error), ...Object.values(error).map(String)].join("\n");
    for (const secret of [TOKEN, "p-secret-value", "key with spaces", "key%20with"]) expect(visible).not.toContain(secret);
    expect(error.message).toMatch(/^The request failed with HTTP 400: \{"authorization":"\[redacted\]"/);
    expect(Object.keys(error).sort()).toEqual(["body", "location", "name", "status"]);
  });

  test("the quoted body is at most 200 characters, cut after scrubbing so no part of a secret is left at the cut", () => {
    const data = `${"x".repeat(190)}${TOKEN}${"y".repeat(500)}`;
    const error = new HttpStatusError(500, data, { secrets: [TOKEN] });
    expect(error.body).toHaveLength(200);
    expect(error.body).toBe(`${"x".repeat(190)}[redacted]`.slice(0, 197) + "...");
    expect(error.message).not.toContain(TOKEN.slice(0, 4));
  });

  test("secretValuesOf: header values and their long words, query values of the URL and of params, user and password", () => {
    const secrets = secretValuesOf({ url: "https://user:pass%20word@example.com/p?a=one%2Btwo&bare-token", headers: { A: "Bearer abcdefgh12" }, params: { b: "param-value" } });
    expect(secrets).toEqual(expect.arrayContaining(["Bearer abcdefgh12", "abcdefgh12", "one%2Btwo", "one+two", "bare-token", "param-value", "user", "pass%20word", "pass word"]));
    expect(secrets).not.toContain("example.com");
    expect(secrets).not.toContain("a");
  });

  test("scrubSecrets leaves text without secrets as it is, and ignores values under 4 characters", () => {
    expect(scrubSecrets("HTTP 200 from /p", ["2", "abc"])).toBe("HTTP 200 from /p");
    expect(scrubSecrets("a-secret and a-secret-longer", ["a-secret", "a-secret-longer"])).toBe("[redacted] and [redacted]");
  });

  test.each([
    ["/moved", "/moved"],
    ["/moved?token=abc&page=2", "/moved?token=[redacted]&page=[redacted]"],
    ["/moved?sk_live_abc", "/moved?[redacted]"],
    ["https://u:p@host.example/x#access_token=abc", "https://[redacted]@host.example/x#[redacted]"],
    ["/a\r\nSet-Cookie: x", "/aSet-Cookie: x"],
  ])("redactUrl(%j) is %j", (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });
});
