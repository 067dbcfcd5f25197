import { describe, expect, test } from "@jest/globals";
import { TestClock } from "../support/clock.mjs";
import { createFakeDataStore, DataStoreOutageError, requestBytes, requestLatencyMs } from "../../stores/memory-data-store.mjs";
import { dataStoreContract } from "./data-store-contract.mjs";

dataStoreContract("in-memory fake", (clock) => createFakeDataStore({ now: clock.now, pageSize: 128 }).store);
dataStoreContract("in-memory fake with latency and small pages", (clock) =>
  createFakeDataStore({ now: clock.now, pageSize: 7, jitterMs: 1 }).store,
);
dataStoreContract("in-memory fake with a cost per KB carried", (clock) =>
  createFakeDataStore({ now: clock.now, pageSize: 7, transferMsPerKb: 0.5 }).store,
);

describe("the fake's instrumentation and its platform-like hazards", () => {
  test("counts operations by kind, one per iterator page, and the keys transferred", async () => {
    const { store, controls } = createFakeDataStore({ pageSize: 2 });
    await store.set("a", 1);
    await store.set("b", 2);
    await store.set("c", 3);
    await store.get("a");
    await store.keys();
    for await (const _ of store) void _;
    expect(controls.stats.calls).toMatchObject({ set: 3, get: 1, keys: 1, page: 2 });
    expect(controls.stats.total).toBe(7);
    expect(controls.stats.keysTransferred).toBe(3 + 3);
  });

  test("counts the characters each request carries for the latency model: keys, and value JSON where a value travels", async () => {
    const { store, controls } = createFakeDataStore({ pageSize: 2, transferMsPerKb: 0.001 });
    await store.set("ab", { x: 1 }); // "ab" + '{"x":1}': 2 + 7
    await store.set("c", "hi"); // 1 + 4
    expect(controls.stats.bytesTransferred).toBe(9 + 5);
    controls.resetStats();
    await store.get("ab");
    await store.get("missing");
    await store.has("c");
    expect(controls.stats.bytesTransferred).toBe(9 + 7 + 1);
    controls.resetStats();
    await store.keys();
    for await (const _ of store) void _;
    expect(controls.stats.bytesTransferred).toBe(2 + 1 + (9 + 5));
    controls.resetStats();
    await store.delete("ab");
    expect(controls.stats.bytesTransferred).toBe(2);
  });

  test("the latency model charges a base per request plus a cost per KB carried", () => {
    expect(requestLatencyMs({ latencyMs: 5, transferMsPerKb: 0.01 }, 0)).toBe(5);
    expect(requestLatencyMs({ latencyMs: 5, transferMsPerKb: 0.01 }, 128 * 1024)).toBeCloseTo(6.28);
    expect(requestBytes("order:1", '{"a":1}')).toBe(14);
  });

  test("tracks the peak number of operations in flight", async () => {
    const { store, controls } = createFakeDataStore({ latencyMs: 2 });
    await Promise.all(["a", "b", "c", "d"].map((key) => store.set(key, 1)));
    await store.get("a");
    expect(controls.stats.peakInFlight).toBe(4);
    expect(controls.stats.inFlight).toBe(0);
  });

  test("an injected failure rejects the call and changes nothing", async () => {
    const { store, controls } = createFakeDataStore();
    await store.set("k", "before");
    controls.failWhen((call) => call.op === "set");
    await expect(store.set("k", "after")).rejects.toBeInstanceOf(DataStoreOutageError);
    controls.failWhen(null);
    expect(await store.get("k")).toBe("before");
  });

  test("latency with jitter interleaves concurrent read-modify-writes, losing updates as the platform can", async () => {
    const { store } = createFakeDataStore({ latencyMs: 1, jitterMs: 5, seed: 7 });
    await store.set("n", 0);
    const increment = async () => store.set("n", ((await store.get("n")) as number) + 1);
    await Promise.all(Array.from({ length: 10 }, increment));
    expect(await store.get("n")).toBeLessThan(10);
  });

  test("set without a ttl keeps an earlier expiry (undocumented, so the fake picks the behaviour that punishes relying on it)", async () => {
    const clock = new TestClock();
    const { store } = createFakeDataStore({ now: clock.now });
    await store.set("k", 1, { ttl: 10 });
    await store.set("k", 2);
    clock.advanceSeconds(11);
    expect(await store.has("k")).toBe(false);
  });

  test("deleting records while iterating makes the paged iterator skip records, as a cursor over a changing list does", async () => {
    const { store } = createFakeDataStore({ pageSize: 2 });
    for (const key of ["a", "b", "c", "d", "e", "f"]) await store.set(key, key);
    const seen: string[] = [];
    for await (const [key] of store) {
      seen.push(key);
      await store.delete(key);
    }
    expect(seen.length).toBeLessThan(6);
  });

  test("entries() is refused: its shape is not documented", () => {
    const { store } = createFakeDataStore();
    expect(() => (store as unknown as { entries(): unknown }).entries()).toThrow(/not documented/);
  });
});
