/**
 * New Value at Key through the runtime's model of Pipedream (deploy, a change of props, polls
 * whose events pass `unique` dedupe), against the in-memory store on a test clock. What it notices
 * and when is the library's (test/library/value-at-key.test.mts); here: props, events, summaries,
 * meta, dedupe, cost, reserved keys and reconfiguring.
 */
import { describe, expect, jest, test } from "@jest/globals";
import { ConfigurationError, DEFAULT_POLLING_SOURCE_TIMER_INTERVAL } from "@pipedream/platform";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import newValueAtKey from "../../sources/new-value-at-key/new-value-at-key.mjs";
import { setupStore } from "../support/fixtures.mjs";
import { asComponent } from "../support/harness.mjs";
import { failureOf, nextInterval } from "../support/source-fixtures.mjs";
import { deploySource, ServiceDb, type EmittedEvent } from "../support/source-harness.mjs";

/** A store holding `records`, and the source deployed on it with `props` (key `flag` unless given). */
async function deployed(records: Record<string, JsonValue>, props: Record<string, unknown> = {}) {
  const fake = await setupStore(records);
  const deployment = await deploySource(newValueAtKey, { dataStore: fake.store, key: "flag", ...props });
  return { fake, deployment };
}

const events = (delivered: EmittedEvent[]) => delivered.map((e) => e.event);

test("declares the data store, the key from the app's propDefinition (options by store), Emit on Deploy (default true), the db and a 15-minute timer, with unique dedupe", () => {
  const component = asComponent(newValueAtKey) as ReturnType<typeof asComponent> & { dedupe?: string };
  const props = component.props as Record<string, { type?: string; propDefinition?: unknown[]; default?: unknown; optional?: boolean }>;
  expect(props.dataStore!.propDefinition![1]).toBe("dataStore");
  expect(props.key!.propDefinition![1]).toBe("key");
  const keyOptionsArgs = props.key!.propDefinition![2] as (configured: { dataStore: unknown }) => unknown;
  expect(keyOptionsArgs({ dataStore: "store" })).toEqual({ dataStore: "store" });
  expect(props.emitOnDeploy).toMatchObject({ type: "boolean", optional: true, default: true });
  expect(props.db!.type).toBe("$.service.db");
  expect(props.timer).toMatchObject({ type: "$.interface.timer", default: { intervalSeconds: DEFAULT_POLLING_SOURCE_TIMER_INTERVAL } });
  expect([component.name, component.version, component.dedupe]).toEqual(["New Value at Key", "0.1.0", "unique"]);
});

describe("deploy", () => {
  test("the key holds a value: emitted once as existing at deploy, by default, and the first poll emits nothing", async () => {
    const { fake, deployment } = await deployed({ flag: true });
    expect(deployment.delivered.map(({ event, meta }) => ({ event, summary: meta.summary, ts: meta.ts }))).toEqual([
      { event: { key: "flag", value: true, change: "existing" }, summary: 'Existing value at "flag": true', ts: fake.clock.now() },
    ]);
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
  });

  test("the key holds a value and Emit on Deploy is false: nothing at deploy, and a later change is updated", async () => {
    const { fake, deployment } = await deployed({ flag: true }, { emitOnDeploy: false });
    expect(deployment.emitted).toEqual([]);
    await fake.store.set("flag", false);
    expect(events(await deployment.poll())).toEqual([{ key: "flag", value: false, change: "updated" }]);
  });

  test.each([true, false])("the key is missing (Emit on Deploy %s): nothing at deploy, and its first value is created", async (emitOnDeploy) => {
    const { fake, deployment } = await deployed({ other: 1 }, { emitOnDeploy });
    expect(deployment.emitted).toEqual([]);
    await fake.store.set("flag", "on");
    expect(events(await deployment.poll())).toEqual([{ key: "flag", value: "on", change: "created" }]);
  });

  test.each([`${INTERNAL_KEY_PREFIX}limit:api`, "", "   "])("key %j is refused with a ConfigurationError naming the Key prop, and nothing is written", async (key) => {
    const fake = await setupStore({ flag: 1 });
    const db = new ServiceDb();
    const error = await failureOf(() => deploySource(newValueAtKey, { dataStore: fake.store, key }, db));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(/^Key /);
    expect(fake.controls.stats.total).toBe(0);
    expect(db.sizeBytes).toBe(0);
  });
});

describe("polls", () => {
  test("created, updated, unchanged, deleted, created again: one event per change, each with the poll's time", async () => {
    const { fake, deployment } = await deployed({});
    const polls: EmittedEvent[][] = [];
    for (const step of [() => fake.store.set("flag", 1), () => fake.store.set("flag", 2), async () => {}, () => fake.store.delete("flag"), () => fake.store.set("flag", 2)]) {
      await step();
      nextInterval(fake);
      polls.push(await deployment.poll());
      for (const { meta } of polls.at(-1)!) expect(meta.ts).toBe(fake.clock.now());
    }
    expect(polls.map(events)).toEqual([
      [{ key: "flag", value: 1, change: "created" }],
      [{ key: "flag", value: 2, change: "updated" }],
      [],
      [],
      [{ key: "flag", value: 2, change: "created" }],
    ]);
    expect(polls.flat().map((e) => e.meta.summary)).toEqual(['New value at "flag": 1', 'Updated value at "flag": 2', 'New value at "flag": 2']);
  });

  test("falsy values are values: 0, false, \"\" and null each delivered, with distinct ids", async () => {
    const { fake, deployment } = await deployed({});
    for (const value of [0, false, "", null]) {
      await fake.store.set("flag", value);
      await deployment.poll();
    }
    expect(events(deployment.delivered)).toEqual([
      { key: "flag", value: 0, change: "created" },
      { key: "flag", value: false, change: "updated" },
      { key: "flag", value: "", change: "updated" },
      { key: "flag", value: null, change: "updated" },
    ]);
    expect(new Set(deployment.delivered.map((e) => e.meta.id)).size).toBe(4);
  });

  test("other keys changing, the package's own records included, are not events", async () => {
    const { fake, deployment } = await deployed({ flag: 1 }, { emitOnDeploy: false });
    await fake.store.set("other", 2);
    await fake.store.set(`${INTERNAL_KEY_PREFIX}limit:api`, 3);
    expect(await deployment.poll()).toEqual([]);
  });

  test("each poll sends exactly one get to the store and nothing else", async () => {
    const { fake, deployment } = await deployed({ flag: 1, other: 2 });
    for (const change of [async () => {}, () => fake.store.set("flag", 5), () => fake.store.delete("flag")]) {
      await change();
      fake.controls.resetStats();
      await deployment.poll();
      expect(fake.controls.stats.calls).toMatchObject({ get: 1, set: 0, keys: 0, page: 0, has: 0 });
      expect(fake.controls.stats.total).toBe(1);
    }
  });

  test("a poll retried after its state save failed emits the same id, and dedupe drops it", async () => {
    const { fake, deployment } = await deployed({}, { emitOnDeploy: false });
    await fake.store.set("flag", "on");
    jest.spyOn(deployment.db, "set").mockImplementationOnce(() => {
      throw new Error("$.service.db write failed");
    });
    await expect(deployment.poll()).rejects.toThrow("$.service.db write failed");
    nextInterval(fake);
    expect(await deployment.poll()).toEqual([]);
    expect(deployment.emitted).toHaveLength(2);
    expect(deployment.emitted[1]!.meta.id).toBe(deployment.emitted[0]!.meta.id);
    expect(deployment.delivered).toHaveLength(1);
  });

  test("a key of 2,000 characters: ids of at most 64 characters, and a summary of at most 120", async () => {
    const key = `https://shop.example.com/${"segment/".repeat(250)}`;
    const { fake, deployment } = await deployed({ [key]: { note: "x".repeat(5000) } }, { key });
    await fake.store.set(key, "y".repeat(5000));
    await deployment.poll();
    expect(deployment.delivered).toHaveLength(2);
    for (const { meta } of deployment.delivered) {
      expect(meta.id.length).toBeLessThanOrEqual(64);
      expect(meta.summary.length).toBeLessThanOrEqual(120);
    }
  });
});

describe("props changed on the running source (activate, not deploy)", () => {
  test("another key: a new baseline; with Emit on Deploy, its value is emitted as existing on the next poll", async () => {
    const { fake, deployment } = await deployed({ flag: 1, other: "there" });
    await deployment.reconfigure({ dataStore: fake.store, key: "other" });
    expect(deployment.delivered).toHaveLength(1); // deploy's event only: activate emits nothing
    expect(events(await deployment.poll())).toEqual([{ key: "other", value: "there", change: "existing" }]);
    await fake.store.set("flag", 2);
    expect(await deployment.poll()).toEqual([]);
  });

  test("another key without Emit on Deploy: its value then is the baseline, and only its changes are emitted", async () => {
    const { fake, deployment } = await deployed({ flag: 1, other: "there" }, { emitOnDeploy: false });
    await deployment.reconfigure({ dataStore: fake.store, key: "other", emitOnDeploy: false });
    expect(await deployment.poll()).toEqual([]);
    await fake.store.set("other", "changed");
    expect(events(await deployment.poll())).toEqual([{ key: "other", value: "changed", change: "updated" }]);
  });

  test("another data store holding the key: a new baseline there (existing on the next poll, by default)", async () => {
    const { deployment } = await deployed({ flag: 1 });
    const other = await setupStore({ flag: "in the other store" });
    await deployment.reconfigure({ dataStore: other.store, key: "flag" });
    expect(events(await deployment.poll())).toEqual([{ key: "flag", value: "in the other store", change: "existing" }]);
    await other.store.set("flag", "changed");
    expect(events(await deployment.poll())).toEqual([{ key: "flag", value: "changed", change: "updated" }]);
  });

  test("the same key and store with another interval: no new baseline, so a change made before is still emitted as updated", async () => {
    const { fake, deployment } = await deployed({ flag: 1 });
    await fake.store.set("flag", 2);
    await deployment.reconfigure({ dataStore: fake.store, key: "flag", timer: { intervalSeconds: 60 } });
    expect(events(await deployment.poll())).toEqual([{ key: "flag", value: 2, change: "updated" }]);
  });

  test("switched to a reserved key: refused with a ConfigurationError, the state kept", async () => {
    const { fake, deployment } = await deployed({ flag: 1 });
    const saved = JSON.stringify(deployment.db.get("valueAtKeyState"));
    fake.controls.resetStats();
    const error = await failureOf(() => deployment.reconfigure({ dataStore: fake.store, key: `${INTERNAL_KEY_PREFIX}x` }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(JSON.stringify(deployment.db.get("valueAtKeyState"))).toBe(saved);
    expect(fake.controls.stats.total).toBe(0);
  });
});
