import { describe, expect, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import action from "../../actions/deduplicate/deduplicate.mjs";
import { runAction } from "../support/harness.mjs";
import { expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";

type Fake = Awaited<ReturnType<typeof setupStore>>;

const isoNow = (fake: Fake) => new Date(fake.clock.now()).toISOString();

describe("deduplicate", () => {
  test("the first execution with a key goes on, with firstSeenAt the time of this sighting", async () => {
    const fake = await setupStore();
    const { returnValue, summary, exitReason } = await runAction(action, { dataStore: fake.store, key: "evt-1" });
    expect(exitReason).toBeUndefined();
    expect(returnValue).toEqual({ key: "evt-1", duplicate: false, firstSeenAt: "2026-11-24T18:31:00.000Z" });
    expect(summary).toBe('First sighting of "evt-1"; remembered for good');
  });

  test("a repeat with whenDuplicate exit (the default) ends the workflow, naming the first sighting", async () => {
    const fake = await setupStore();
    const firstSeenAt = isoNow(fake);
    await runAction(action, { dataStore: fake.store, key: "evt-1" });
    fake.clock.advanceSeconds(30);
    const { returnValue, exitReason, summary } = await runAction(action, { dataStore: fake.store, key: "evt-1" });
    expect(returnValue).toBeUndefined();
    expect(exitReason).toBe(`Duplicate: "evt-1" was first seen at ${firstSeenAt}`);
    expect(summary).toBe(exitReason);
  });

  test("a repeat with whenDuplicate error fails the step with an error that is not a ConfigurationError", async () => {
    const fake = await setupStore();
    const firstSeenAt = isoNow(fake);
    await runAction(action, { dataStore: fake.store, key: "evt-1", whenDuplicate: "error" });
    const error = await runAction(action, { dataStore: fake.store, key: "evt-1", whenDuplicate: "error" }).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(`Duplicate: "evt-1" was first seen at ${firstSeenAt}`);
  });

  test("a repeat with whenDuplicate continue returns duplicate true with the first sighting's time", async () => {
    const fake = await setupStore();
    const firstSeenAt = isoNow(fake);
    await runAction(action, { dataStore: fake.store, key: "evt-1", whenDuplicate: "continue" });
    fake.clock.advanceSeconds(3600);
    const { returnValue, exitReason } = await runAction(action, { dataStore: fake.store, key: "evt-1", whenDuplicate: "continue" });
    expect(exitReason).toBeUndefined();
    expect(returnValue).toEqual({ key: "evt-1", duplicate: true, firstSeenAt });
  });

  test("with a ttl the key is a duplicate until the ttl has passed, then new again", async () => {
    const fake = await setupStore();
    const props = { dataStore: fake.store, key: "evt-1", ttl: 60, whenDuplicate: "continue" };
    const first = await runAction(action, props);
    expect(first.summary).toBe('First sighting of "evt-1"; remembered for 1 minute');
    fake.clock.advanceSeconds(59);
    expect((await runAction(action, props)).returnValue).toMatchObject({ duplicate: true });
    fake.clock.advanceSeconds(1);
    const again = await runAction(action, props);
    expect(again.returnValue).toEqual({ key: "evt-1", duplicate: false, firstSeenAt: isoNow(fake) });
  });

  test("without a ttl the key is remembered for good (still a duplicate a year later)", async () => {
    const fake = await setupStore();
    const firstSeenAt = isoNow(fake);
    await runAction(action, { dataStore: fake.store, key: "evt-1" });
    fake.clock.advanceSeconds(365 * 86_400);
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "evt-1", whenDuplicate: "continue" });
    expect(returnValue).toEqual({ key: "evt-1", duplicate: true, firstSeenAt });
  });

  test("different keys are independent", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "evt-a" });
    const b = await runAction(action, { dataStore: fake.store, key: "evt-b", whenDuplicate: "continue" });
    expect(b.returnValue).toMatchObject({ key: "evt-b", duplicate: false });
    const a = await runAction(action, { dataStore: fake.store, key: "evt-a", whenDuplicate: "continue" });
    expect(a.returnValue).toMatchObject({ key: "evt-a", duplicate: true });
  });

  test.each(["0", "false", "null", "undefined"])("the falsy-looking key %j is deduplicated like any other", async (key) => {
    const fake = await setupStore();
    const first = await runAction(action, { dataStore: fake.store, key, whenDuplicate: "continue" });
    expect(first.returnValue).toMatchObject({ key, duplicate: false });
    const second = await runAction(action, { dataStore: fake.store, key, whenDuplicate: "continue" });
    expect(second.returnValue).toMatchObject({ key, duplicate: true });
  });

  test("the marker lives under the reserved __dskit:dedupe: prefix and a user record with the same key is untouched", async () => {
    const fake = await setupStore({ "evt-1": "user value" });
    const { returnValue } = await runAction(action, { dataStore: fake.store, key: "evt-1", whenDuplicate: "continue" });
    expect(returnValue).toMatchObject({ duplicate: false });
    expect(fake.controls.records()).toEqual([
      { key: "__dskit:dedupe:evt-1", value: { firstSeenAt: isoNow(fake) }, expiresAt: null },
      { key: "evt-1", value: "user value", expiresAt: null },
    ]);
  });

  test("a first sighting costs two round trips (get and set)", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "evt-1" });
    expect(fake.controls.stats.calls).toMatchObject({ get: 1, set: 1 });
    expect(fake.controls.stats.total).toBe(2);
  });

  test("a duplicate costs one round trip (get only)", async () => {
    const fake = await setupStore();
    await runAction(action, { dataStore: fake.store, key: "evt-1" });
    fake.controls.resetStats();
    await runAction(action, { dataStore: fake.store, key: "evt-1" });
    expect(fake.controls.stats.calls.get).toBe(1);
    expect(fake.controls.stats.total).toBe(1);
  });

  describe("bad input is refused with a ConfigurationError and the store untouched", () => {
    test.each([
      ["an empty key", { key: "" }, /Deduplication Key is empty/],
      ["a negative ttl", { key: "evt-1", ttl: -1 }, /TTL \(seconds\) must be a whole number/],
      ["an unknown whenDuplicate", { key: "evt-1", whenDuplicate: "skip" }, /When Duplicate must be one of "exit", "error", "continue"/],
    ])("%s", async (_name, props, message) => {
      const fake = await setupStore({ "evt-1": "user value" });
      await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
      expect(fake.controls.stats.total).toBe(0);
    });
  });
});
