import { describe, expect, test } from "@jest/globals";
import action from "../../actions/append-to-list/append-to-list.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

describe("append-to-list", () => {
  test("a missing key starts a new list holding the value", async () => {
    const fake = await setupStore();
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "events", value: "signup" });
    expect(returnValue).toEqual({ key: "events", length: 1, value: ["signup"] });
    expect(summary).toBe('Successfully appended to "events", which now holds 1 item');
    expect(await fake.store.get("events")).toEqual(["signup"]);
  });

  test("appends to the end of an existing list and returns the whole list", async () => {
    const fake = await setupStore({ events: ["a", "b"] });
    const { returnValue, summary } = await runAction(action, { dataStore: fake.store, key: "events", value: "c" });
    expect(returnValue).toEqual({ key: "events", length: 3, value: ["a", "b", "c"] });
    expect(summary).toBe('Successfully appended to "events", which now holds 3 items');
    expect(await fake.store.get("events")).toEqual(["a", "b", "c"]);
  });

  test("an empty list is a list: the value becomes its first item", async () => {
    const fake = await setupStore({ events: [] });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "events", value: "x" });
    expect(returnValue).toEqual({ key: "events", length: 1, value: ["x"] });
  });

  test.each([
    ["5", 5],
    ['{"a":1}', { a: 1 }],
    ["true", true],
    ["null", null],
    ["007", "007"],
    ["2024-12-31", "2024-12-31"],
    ["plain text", "plain text"],
  ])("the value %j is read like auto and appended as %j", async (value, item) => {
    const fake = await setupStore({ list: [0] });
    await runAction(action, { dataStore: fake.store, key: "list", value });
    expect(await fake.store.get("list")).toEqual([0, item]);
  });

  test.each([
    ["a list", [1, 2]],
    ["JSON text of a list", "[1,2]"],
  ])("%s is appended as one item", async (_name, value) => {
    const fake = await setupStore({ list: ["first"] });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "list", value });
    expect(returnValue).toEqual({ key: "list", length: 2, value: ["first", [1, 2]] });
    expect(await fake.store.get("list")).toEqual(["first", [1, 2]]);
  });

  test("maxLength keeps only the newest items", async () => {
    const fake = await setupStore({ list: [1, 2, 3] });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "list", value: "4", maxLength: 3 });
    expect(returnValue).toEqual({ key: "list", length: 3, value: [2, 3, 4] });
    expect(await fake.store.get("list")).toEqual([2, 3, 4]);
  });

  test("maxLength smaller than the list drops every older item beyond it", async () => {
    const fake = await setupStore({ list: [1, 2, 3, 4, 5] });
    await runAction(action, { dataStore: fake.store, key: "list", value: "6", maxLength: 2 });
    expect(await fake.store.get("list")).toEqual([5, 6]);
  });

  test("maxLength larger than the list keeps every item", async () => {
    const fake = await setupStore({ list: [1, 2] });
    await runAction(action, { dataStore: fake.store, key: "list", value: "3", maxLength: 10 });
    expect(await fake.store.get("list")).toEqual([1, 2, 3]);
  });

  test("maxLength given as numeric text from an expression is accepted", async () => {
    const fake = await setupStore({ list: [1, 2, 3] });
    await runAction(action, { dataStore: fake.store, key: "list", value: "4", maxLength: "2" });
    expect(await fake.store.get("list")).toEqual([3, 4]);
  });

  test.each([0, false, "", null, "text", { a: 1 }, 42])(
    "a record holding %j, not a list, is refused unchanged",
    async (stored) => {
      const fake = await setupStore({ k: stored });
      await expectRefusedUnchanged(
        fake,
        () => runAction(action, { dataStore: fake.store, key: "k", value: "item" }),
        /not a list/,
      );
      expect(await fake.store.get("k")).toEqual(stored);
    },
  );

  test("a ttl makes the whole list expire after that many seconds", async () => {
    const fake = await setupStore({ list: [1] });
    await runAction(action, { dataStore: fake.store, key: "list", value: "2", ttl: 60 });
    fake.clock.advanceSeconds(59);
    expect(await fake.store.get("list")).toEqual([1, 2]);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("list")).toBe(false);
  });

  test("a ttl on a new list makes it expire", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "list", value: "1", ttl: "3600" });
    fake.clock.advanceSeconds(3599);
    expect(await fake.store.get("list")).toEqual([1]);
    fake.clock.advanceSeconds(1);
    expect(await fake.store.has("list")).toBe(false);
  });

  test.each([undefined, 0, ""])("ttl %j writes a list that never expires, even over a list that had an expiry", async (ttl) => {
    const fake = await setupStore();
    await fake.store.set("list", [1], { ttl: 10 });
    await runAction(action, { dataStore: fake.store, key: "list", value: "2", ttl });
    fake.clock.advanceSeconds(365 * 86_400);
    expect(await fake.store.get("list")).toEqual([1, 2]);
  });

  test("after the list expires, the next append starts a new list", async () => {
    const fake = await setupStore();
    await fake.store.set("list", [1, 2], { ttl: 10 });
    fake.clock.advanceSeconds(10);
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "list", value: "3" });
    expect(returnValue).toEqual({ key: "list", length: 1, value: [3] });
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["an empty key", { key: "", value: "v" }, /Key is empty/],
      ["a key of spaces", { key: "   ", value: "v" }, /Key is empty/],
      ["a key that is an object", { key: { a: 1 }, value: "v" }, /Key must be text/],
      ["maxLength 0", { key: "list", value: "v", maxLength: 0 }, /Max Length must be a whole number from 1/],
      ["maxLength -1", { key: "list", value: "v", maxLength: -1 }, /Max Length must be a whole number from 1/],
      ["maxLength 1.5", { key: "list", value: "v", maxLength: 1.5 }, /Max Length must be a whole number from 1/],
      ["maxLength that is not a number", { key: "list", value: "v", maxLength: "many" }, /Max Length must be a whole number/],
      ["a negative ttl", { key: "list", value: "v", ttl: -1 }, /TTL \(seconds\) must be a whole number/],
      ["a fractional ttl", { key: "list", value: "v", ttl: 1.5 }, /TTL \(seconds\) must be a whole number/],
      ["a value whose expression gave nothing", { key: "list", value: undefined }, /Value is required/],
      ["a value that is a function", { key: "list", value: () => 1 }, /Value is a function/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ list: [1] });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
    });
  });
});
