/**
 * `dskit ui`'s JSON API, over a real server on 127.0.0.1 and a temporary store file (the harness:
 * test/support/dashboard.mts). Each endpoint, paging and prefix search in SQL, the actions'
 * validation with nothing saved, and the guards: token, Host, Origin, headers.
 */
import { request as httpRequest } from "node:http";
import { afterEach, describe, expect, test } from "@jest/globals";
import { startTestDashboard, type TestDashboard, type TestDashboardOptions } from "../support/dashboard.mjs";

let dashboard: TestDashboard | undefined;
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});

async function start(options: TestDashboardOptions = {}): Promise<TestDashboard> {
  dashboard = await startTestDashboard(options);
  return dashboard;
}

/** A data store "orders" with two records and one of the package's own. */
const seedOrders: TestDashboardOptions["seed"] = async (file) => {
  const orders = file.dataStore("orders");
  await orders.set("order:1", { total: 10 });
  await orders.set("order:2", "shipped");
  await orders.set("__dskit:limit:api", { tokens: 3 });
};

async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

const errorMessage = async (response: Response): Promise<string> => ((await json(response)).error as { message: string }).message;

describe("data stores", () => {
  test("GET /api/data-stores lists stores sorted by name with counts, internal records apart, and the store file", async () => {
    const dash = await start({ seed: async (file) => { await seedOrders(file); await file.dataStore("cache").set("k", 1); } });
    const body = await json(await dash.request("/api/data-stores"));
    expect(body).toEqual({
      storeFile: dash.storeFilePath,
      dataStores: [
        { name: "cache", records: 1, internalRecords: 0 },
        { name: "orders", records: 2, internalRecords: 1 },
      ],
    });
  });

  test("POST /api/data-stores creates an empty data store that the list then shows with 0 records", async () => {
    const dash = await start();
    const created = await dash.request("/api/data-stores", { method: "POST", json: { name: "customers" } });
    expect(created.status).toBe(201);
    expect(await json(created)).toEqual({ name: "customers" });
    expect((await json(await dash.request("/api/data-stores"))).dataStores).toEqual([{ name: "customers", records: 0, internalRecords: 0 }]);
  });

  test("POST /api/data-stores with a name that exists is 409 and names the field", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores", { method: "POST", json: { name: "orders" } });
    expect(response.status).toBe(409);
    expect(await errorMessage(response)).toMatch(/^Data store name: "orders" already exists/);
  });

  test.each([
    ["blank", "   ", /Data store name is empty/],
    ["a control character", "a\nb", /Data store name holds a control character/],
    ["over 200 characters", "x".repeat(201), /Data store name is 201 characters long/],
    ["not text", 42, /Data store name must be text/],
  ])("POST /api/data-stores refuses a name that is %s with 400, creating nothing", async (_what, name, message) => {
    const dash = await start();
    const response = await dash.request("/api/data-stores", { method: "POST", json: { name } });
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(message);
    expect(dash.storeFile.dataStoreNames()).toEqual([]);
  });

  test("GET /api/data-stores/:store weighs the store as `dskit store stats` does; an unknown store is 404", async () => {
    const dash = await start({ seed: seedOrders });
    const weight = await json(await dash.request("/api/data-stores/orders"));
    const everything = { "order:1": { total: 10 }, "order:2": "shipped", "__dskit:limit:api": { tokens: 3 } };
    expect(weight).toEqual({ dataStore: "orders", records: 2, internalRecords: 1, jsonBytes: expect.any(Number), brotliBytes: expect.any(Number) });
    expect(weight.jsonBytes).toBe(Buffer.byteLength(JSON.stringify(everything)));
    expect((await dash.request("/api/data-stores/nope")).status).toBe(404);
  });

  test("DELETE /api/data-stores/:store with the wrong confirmation is 400 and deletes nothing", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders", { method: "DELETE", json: { confirmName: "Orders" } });
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(/^Confirm name must be the data store's name exactly, "orders".*Nothing was deleted\.$/);
    expect(await dash.storeFile.dataStore("orders").keys()).toHaveLength(3);
  });

  test("DELETE /api/data-stores/:store with its name typed deletes every record, internal ones too, and the store and its sources' state", async () => {
    const dash = await start({ seed: seedOrders });
    dash.storeFile.sourceDb("data_stores-new-record", "orders").set("watchState", { epoch: 1 });
    const response = await dash.request("/api/data-stores/orders", { method: "DELETE", json: { confirmName: "orders" } });
    expect(await json(response)).toEqual({ dataStore: "orders", deletedRecords: 3 });
    expect(dash.storeFile.dataStoreNames()).toEqual([]);
    expect(dash.storeFile.sourceDb("data_stores-new-record", "orders").get("watchState")).toBeUndefined();
  });

  test("a created empty store can be deleted too, and is gone from the list", async () => {
    const dash = await start();
    await dash.request("/api/data-stores", { method: "POST", json: { name: "scratch" } });
    const response = await dash.request("/api/data-stores/scratch", { method: "DELETE", json: { confirmName: "scratch" } });
    expect(await json(response)).toEqual({ dataStore: "scratch", deletedRecords: 0 });
    expect((await json(await dash.request("/api/data-stores"))).dataStores).toEqual([]);
  });
});

describe("records: paging and search", () => {
  /** "key-000" … "key-(n-1)", plus "other" and an internal record. */
  const many = (count: number): TestDashboardOptions["seed"] => async (file) => {
    const store = file.dataStore("big");
    for (let i = count - 1; i >= 0; i--) await store.set(`key-${String(i).padStart(3, "0")}`, i);
    await store.set("other", "x");
    await store.set("__dskit:dedupe:a", true);
  };

  test("a page holds `limit` records sorted by key from `offset`, with the total that match", async () => {
    const dash = await start({ seed: many(120) });
    const body = await json(await dash.request("/api/data-stores/big/records?offset=100&limit=30"));
    expect(body).toMatchObject({ dataStore: "big", prefix: "", internal: false, total: 121, offset: 100, limit: 30 });
    const keys = (body.records as { key: string }[]).map(({ key }) => key);
    expect(keys).toEqual([...Array.from({ length: 20 }, (_, i) => `key-${100 + i}`), "other"]);
  });

  test("the default page is 50 records", async () => {
    const dash = await start({ seed: many(60) });
    const body = await json(await dash.request("/api/data-stores/big/records"));
    expect(body).toMatchObject({ total: 61, offset: 0, limit: 50 });
    expect(body.records).toHaveLength(50);
  });

  test("prefix search matches keys starting with the prefix, and `_` or `%` are not wildcards", async () => {
    const dash = await start({
      seed: async (file) => {
        const store = file.dataStore("s");
        for (const key of ["user:1", "user:2", "user;3", "users", "a_b", "axb", "100%", "1000"]) await store.set(key, 1);
      },
    });
    const keysFor = async (prefix: string) =>
      ((await json(await dash.request(`/api/data-stores/s/records?prefix=${encodeURIComponent(prefix)}`))).records as { key: string }[]).map(({ key }) => key);
    expect(await keysFor("user:")).toEqual(["user:1", "user:2"]);
    expect(await keysFor("a_")).toEqual(["a_b"]);
    expect(await keysFor("100%")).toEqual(["100%"]);
    expect((await json(await dash.request("/api/data-stores/s/records?prefix=user"))).total).toBe(4);
  });

  test("internal records are hidden unless internal=true, and then marked internal", async () => {
    const dash = await start({ seed: seedOrders });
    const hidden = await json(await dash.request("/api/data-stores/orders/records"));
    expect((hidden.records as { key: string }[]).map(({ key }) => key)).toEqual(["order:1", "order:2"]);
    const shown = await json(await dash.request("/api/data-stores/orders/records?internal=true"));
    expect(shown.total).toBe(3);
    expect(shown.records).toContainEqual(expect.objectContaining({ key: "__dskit:limit:api", internal: true }));
  });

  test("each row has a preview cut to 120 characters, its type, UTF-8 bytes and expiry", async () => {
    const long = "é".repeat(200);
    const dash = await start({
      seed: async (file) => {
        const store = file.dataStore("s");
        await store.set("long", long);
        await store.set("list", [1, 2], { ttl: 90 });
        await store.set("nothing", null);
      },
    });
    const rows = (await json(await dash.request("/api/data-stores/s/records"))).records as Record<string, unknown>[];
    expect(rows).toEqual([
      { key: "list", preview: "[1,2]", type: "array", bytes: 5, expiresAt: new Date(dash.clock.now() + 90_000).toISOString(), ttlSeconds: 90, internal: false },
      { key: "long", preview: `"${"é".repeat(119)}…`, type: "string", bytes: Buffer.byteLength(JSON.stringify(long)), expiresAt: null, ttlSeconds: null, internal: false },
      { key: "nothing", preview: "null", type: "null", bytes: 4, expiresAt: null, ttlSeconds: null, internal: false },
    ]);
  });

  test("time left counts down with the clock, and an expired record leaves the page", async () => {
    const dash = await start({ seed: async (file) => void (await file.dataStore("s").set("brief", 1, { ttl: 10 })) });
    dash.clock.advanceSeconds(3.5);
    expect(((await json(await dash.request("/api/data-stores/s/records"))).records as { ttlSeconds: number }[])[0]!.ttlSeconds).toBe(7);
    dash.clock.advanceSeconds(7);
    expect(await json(await dash.request("/api/data-stores/s/records"))).toMatchObject({ total: 0, records: [] });
  });

  test.each([
    ["offset=-1", /offset must be a whole number from 0/],
    ["limit=0", /limit must be a whole number from 1 to 500/],
    ["limit=501", /limit must be a whole number from 1 to 500/],
    ["limit=ten", /limit must be a whole number/],
  ])("paging with %s is 400 naming the parameter", async (query, message) => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request(`/api/data-stores/orders/records?${query}`);
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(message);
  });

  test("records of an unknown data store are 404", async () => {
    const dash = await start({ seed: seedOrders });
    expect((await dash.request("/api/data-stores/nope/records")).status).toBe(404);
  });
});

describe("one record", () => {
  test("GET a record by a key holding / and spaces answers its value, type, size and expiry", async () => {
    const dash = await start({ seed: async (file) => void (await file.dataStore("s").set("a/b c?", { n: 1 }, { ttl: 60 })) });
    const body = await json(await dash.request(`/api/data-stores/s/records/${encodeURIComponent("a/b c?")}`));
    expect(body).toEqual({ key: "a/b c?", value: { n: 1 }, type: "object", bytes: 7, expiresAt: new Date(dash.clock.now() + 60_000).toISOString(), ttlSeconds: 60, internal: false });
  });

  test("keys holding %, #, ? and an encoded-looking %2F round-trip through the path unchanged", async () => {
    const keys = ["50%", "a#b?c", "x%2Fy", "café ☕"];
    const dash = await start({ seed: async (file) => { for (const key of keys) await file.dataStore("s").set(key, key); } });
    for (const key of keys) {
      expect(await json(await dash.request(`/api/data-stores/s/records/${encodeURIComponent(key)}`))).toMatchObject({ key, value: key });
    }
  });

  test("GET a missing record is 404 naming the key", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/records/missing");
    expect(response.status).toBe(404);
    expect(await errorMessage(response)).toMatch(/no record "missing"/);
  });

  test("a <script> value is returned as data: JSON text, never markup", async () => {
    const dash = await start({ seed: async (file) => void (await file.dataStore("s").set("x", "<script>alert(1)</script>")) });
    const response = await dash.request("/api/data-stores/s/records/x");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await json(response)).toMatchObject({ value: "<script>alert(1)</script>", type: "string" });
  });

  test("POST adds a record read with the actions' Value Type rules and TTL", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/records", { method: "POST", json: { key: "n", value: "42", valueType: "auto", ttl: "3600" } });
    expect(response.status).toBe(201);
    expect(await json(response)).toMatchObject({ key: "n", value: 42, type: "number", ttlSeconds: 3600 });
    await dash.request("/api/data-stores/orders/records", { method: "POST", json: { key: "t", value: "42", valueType: "string" } });
    expect(await dash.storeFile.dataStore("orders").get("t")).toBe("42");
  });

  test.each([
    ["invalid JSON with Value Type json", { key: "k", value: "{oops", valueType: "json" }, /^Value is not valid JSON/],
    ["a reserved key", { key: "__dskit:limit:x", value: "1" }, /^Key starts with "__dskit:"/],
    ["an empty key", { key: " ", value: "1" }, /^Key is empty/],
    ["a negative TTL", { key: "k", value: "1", ttl: -5 }, /^TTL must be a whole number of seconds/],
    ["a TTL over two years", { key: "k", value: "1", ttl: 999_999_999 }, /^TTL must be a whole number of seconds/],
    ["an unknown Value Type", { key: "k", value: "1", valueType: "yaml" }, /Value Type/],
  ])("POST refuses %s with 400 naming the field, and nothing is saved", async (_what, body, message) => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/records", { method: "POST", json: body });
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(message);
    expect((await dash.storeFile.dataStore("orders").keys()).sort()).toEqual(["__dskit:limit:api", "order:1", "order:2"]);
  });

  test("POST with a key that exists is 409 and leaves the record as it was", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/records", { method: "POST", json: { key: "order:2", value: "new" } });
    expect(response.status).toBe(409);
    expect(await dash.storeFile.dataStore("orders").get("order:2")).toBe("shipped");
  });

  test("POST with a body that is not a JSON object is 400", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/records", { method: "POST", body: "not json", headers: { "Content-Type": "application/json" } });
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(/JSON object/);
  });

  test("PUT replaces the value and keeps the expiry", async () => {
    const dash = await start({ seed: async (file) => void (await file.dataStore("s").set("k", 1, { ttl: 100 })) });
    dash.clock.advanceSeconds(40);
    const response = await dash.request("/api/data-stores/s/records/k", { method: "PUT", json: { value: '{"a":[1]}', valueType: "json" } });
    expect(await json(response)).toMatchObject({ value: { a: [1] }, ttlSeconds: 60, expiresAt: new Date(dash.clock.now() + 60_000).toISOString() });
  });

  test("PUT with invalid JSON and Value Type json is 400 and the old value stays", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/records/order:1", { method: "PUT", json: { value: "{", valueType: "json" } });
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(/^Value is not valid JSON/);
    expect(await dash.storeFile.dataStore("orders").get("order:1")).toEqual({ total: 10 });
  });

  test("PUT on a missing record is 404 and creates nothing", async () => {
    const dash = await start({ seed: seedOrders });
    expect((await dash.request("/api/data-stores/orders/records/ghost", { method: "PUT", json: { value: "1" } })).status).toBe(404);
    expect(await dash.storeFile.dataStore("orders").has("ghost")).toBe(false);
  });

  test("PUT on an internal record is 400 naming Key: the package's records are not edited here", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request(`/api/data-stores/orders/records/${encodeURIComponent("__dskit:limit:api")}`, { method: "PUT", json: { value: "1" } });
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(/^Key starts with "__dskit:"/);
    expect(await dash.storeFile.dataStore("orders").get("__dskit:limit:api")).toEqual({ tokens: 3 });
  });

  test("PUT …/ttl sets an expiry, and null, \"\" or 0 clears it", async () => {
    const dash = await start({ seed: seedOrders });
    const path = "/api/data-stores/orders/records/order:1/ttl";
    expect(await json(await dash.request(path, { method: "PUT", json: { ttl: "120" } }))).toMatchObject({ ttlSeconds: 120 });
    for (const ttl of [null, "", 0]) {
      await dash.request(path, { method: "PUT", json: { ttl: 30 } });
      expect(await json(await dash.request(path, { method: "PUT", json: { ttl } }))).toMatchObject({ ttlSeconds: null, expiresAt: null });
    }
  });

  test("PUT …/ttl with a bad TTL is 400 and the expiry stays; on a missing record it is 404", async () => {
    const dash = await start({ seed: async (file) => void (await file.dataStore("s").set("k", 1, { ttl: 50 })) });
    const response = await dash.request("/api/data-stores/s/records/k/ttl", { method: "PUT", json: { ttl: "1.5" } });
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(/^TTL must be a whole number/);
    expect(dash.storeFile.inspectRecord("s", "k")?.expiresAt).toBe(dash.clock.now() + 50_000);
    expect((await dash.request("/api/data-stores/s/records/ghost/ttl", { method: "PUT", json: { ttl: 5 } })).status).toBe(404);
  });

  test("DELETE deletes a record, an internal one too (to reset a limiter); a missing one is 404", async () => {
    const dash = await start({ seed: seedOrders });
    expect(await json(await dash.request("/api/data-stores/orders/records/order:1", { method: "DELETE" }))).toEqual({ key: "order:1", deleted: true });
    expect(await json(await dash.request(`/api/data-stores/orders/records/${encodeURIComponent("__dskit:limit:api")}`, { method: "DELETE" }))).toEqual({
      key: "__dskit:limit:api",
      deleted: true,
    });
    expect(await dash.storeFile.dataStore("orders").keys()).toEqual(["order:2"]);
    expect((await dash.request("/api/data-stores/orders/records/order:1", { method: "DELETE" })).status).toBe(404);
  });
});

describe("export and import", () => {
  test("export downloads the { key: value } object as `dskit store export` writes it; internal records only when asked", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/export");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="orders\.json"/);
    expect(await response.json()).toEqual({ "order:1": { total: 10 }, "order:2": "shipped" });
    const everything = await (await dash.request("/api/data-stores/orders/export?internal=true")).json();
    expect(everything).toHaveProperty(["__dskit:limit:api"], { tokens: 3 });
  });

  test.each([
    ["json", "records.json", '{"a": 1, "b": "two"}'],
    ["ndjson", "records.ndjson", '{"key": "a", "value": 1}\n{"key": "b", "value": "two"}\n'],
    ["csv", "records.csv", "key,value\na,1\nb,two\n"],
  ])("import of %s adds every record with the CLI's parser", async (format, filename, text) => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request(`/api/data-stores/orders/import?filename=${filename}`, { method: "POST", body: text });
    expect(await json(response)).toEqual({ dataStore: "orders", format, imported: 2 });
    expect(await dash.storeFile.dataStore("orders").get("a")).toBe(1);
    expect(await dash.storeFile.dataStore("orders").get("b")).toBe("two");
  });

  test("an import with one bad row is 400 naming the row, and nothing is imported", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/import?format=csv", { method: "POST", body: "a,1\n__dskit:x,2\nc,3\n" });
    expect(response.status).toBe(400);
    expect(await errorMessage(response)).toMatch(/row 2 key starts with "__dskit:".*Nothing was imported\.$/s);
    expect(await dash.storeFile.dataStore("orders").has("a")).toBe(false);
  });
});

describe("security", () => {
  test("every API request without the token is 401, and changes nothing", async () => {
    const dash = await start({ seed: seedOrders });
    const read = await dash.request("/api/data-stores", { withoutToken: true });
    expect(read.status).toBe(401);
    expect(await errorMessage(read)).toMatch(/token/);
    const write = await dash.request("/api/data-stores/orders/records/order:1", { method: "DELETE", withoutToken: true });
    expect(write.status).toBe(401);
    const wrong = await dash.request("/api/data-stores", { withoutToken: true, headers: { Authorization: "Bearer not-the-token" } });
    expect(wrong.status).toBe(401);
    expect(await dash.storeFile.dataStore("orders").has("order:1")).toBe(true);
  });

  test("the page without the token is 401 with a text saying to open the printed address", async () => {
    const dash = await start();
    const response = await fetch(`${dash.origin}/`);
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/open the address `dskit ui` printed/);
  });

  test("opening the printed address sets an HttpOnly SameSite=Strict cookie and redirects to /, which the cookie then opens", async () => {
    const dash = await start();
    const login = await fetch(dash.url, { redirect: "manual" });
    expect(login.status).toBe(303);
    expect(login.headers.get("location")).toBe("/");
    const cookie = login.headers.get("set-cookie")!;
    expect(cookie).toMatch(new RegExp(`^dskit_ui_${dash.port}=${dash.token}; .*HttpOnly`));
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await fetch(`${dash.origin}/`, { headers: { Cookie: cookie.split(";")[0]! } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect((await fetch(`${dash.origin}/?token=wrong`, { redirect: "manual" })).status).toBe(401);
  });

  test("the token also works as Authorization: Bearer", async () => {
    const dash = await start();
    const response = await fetch(`${dash.origin}/api/data-stores`, { headers: { Authorization: `Bearer ${dash.token}` } });
    expect(response.status).toBe(200);
  });

  test("a Host other than this loopback address and port is refused with 403 (DNS rebinding), even with the token", async () => {
    const dash = await start({ seed: seedOrders });
    const statusFor = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest(
          { host: "127.0.0.1", port: dash.port, path: "/api/data-stores", headers: { Host: host, "X-Dskit-Token": dash.token }, setHost: false },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        request.on("error", reject);
        request.end();
      });
    expect(await statusFor("evil.example:80")).toBe(403);
    expect(await statusFor(`evil.example:${dash.port}`)).toBe(403);
    expect(await statusFor(`127.0.0.1:${dash.port + 1}`)).toBe(403);
    expect(await statusFor(`localhost:${dash.port}`)).toBe(200);
    expect(await statusFor(`127.0.0.1:${dash.port}`)).toBe(200);
  });

  test.each(["POST", "PUT", "DELETE"])("%s with a cross-site Origin is 403 and changes nothing (CSRF)", async (method) => {
    const dash = await start({ seed: seedOrders });
    const requests: Record<string, [string, unknown]> = {
      POST: ["/api/data-stores/orders/records", { key: "new", value: "1" }],
      PUT: ["/api/data-stores/orders/records/order:1", { value: "changed" }],
      DELETE: ["/api/data-stores/orders/records/order:1", undefined],
    };
    const [path, body] = requests[method]!;
    const response = await dash.request(path, { method, json: body, headers: { Origin: "http://evil.example" } });
    expect(response.status).toBe(403);
    expect(await errorMessage(response)).toMatch(/another site/);
    expect(await dash.storeFile.dataStore("orders").get("order:1")).toEqual({ total: 10 });
    expect(await dash.storeFile.dataStore("orders").has("new")).toBe(false);
  });

  test("Sec-Fetch-Site: cross-site is refused even without an Origin; this dashboard's own Origin is accepted", async () => {
    const dash = await start({ seed: seedOrders });
    const crossSite = await dash.request("/api/data-stores", { method: "POST", json: { name: "x" }, headers: { "Sec-Fetch-Site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    const own = await dash.request("/api/data-stores", { method: "POST", json: { name: "x" }, headers: { Origin: dash.origin, "Sec-Fetch-Site": "same-origin" } });
    expect(own.status).toBe(201);
  });

  test("every answer, refusals included, has the security headers and no CORS header", async () => {
    const dash = await start();
    const answers = [
      await dash.request("/api/data-stores"),
      await dash.request("/api/data-stores", { withoutToken: true }),
      await dash.request("/api/data-stores/missing"),
      await dash.request("/"),
    ];
    expect(answers.map(({ status }) => status)).toEqual([200, 401, 404, 200]);
    for (const response of answers) {
      expect(response.headers.get("content-security-policy")).toMatch(/^default-src 'none'; script-src 'self'/);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    }
  });

  test("page files are served with their type; paths climbing out of the page folder are 404", async () => {
    const dash = await start();
    expect((await dash.request("/index.html")).headers.get("content-type")).toBe("text/html; charset=utf-8");
    for (const path of ["/..%2Fserver.mts", "/%2e%2e%2fapi.mts", "/../package.json", "/.hidden", "/nope.js"]) {
      expect([path, (await dash.request(path)).status]).toEqual([path, 404]);
    }
  });

  test("a JSON body over the limit is 413 and nothing is saved", async () => {
    const dash = await start({ seed: seedOrders });
    const response = await dash.request("/api/data-stores/orders/records", { method: "POST", json: { key: "big", value: "x".repeat(17 * 1024 * 1024) } });
    expect(response.status).toBe(413);
    expect(await dash.storeFile.dataStore("orders").has("big")).toBe(false);
  });
});
