/**
 * Watching one key (lib/watch/value-at-key.mts): what deploy, activate and a poll emit, at what
 * cost, with which ids, and what the source keeps in its $.service.db.
 */
import { describe, expect, test } from "@jest/globals";
import { InvalidArgumentError } from "../../lib/errors.mjs";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { INTERNAL_KEY_PREFIX } from "../../lib/store/reserved-keys.mjs";
import {
  activateValueAtKey,
  deployValueAtKey,
  pollValueAtKey,
  type ValueAtKeyEvent,
  type ValueAtKeyOptions,
} from "../../lib/watch/value-at-key.mjs";
import type { SourceDb } from "../../lib/store/source-db.mjs";
import { setupStore } from "../support/fixtures.mjs";
import { failureOf, RecordingDb } from "../support/source-fixtures.mjs";
import { ServiceDb } from "../support/source-harness.mjs";

const FALSY: JsonValue[] = [0, false, "", null];
const EMIT: ValueAtKeyOptions = { emitExisting: true };
const QUIET: ValueAtKeyOptions = { emitExisting: false };

type Emitted = { event: ValueAtKeyEvent; id: string };

/** A store holding `records`, a db, and what deploy/activate/poll on `key` emit, collected in order. */
async function watching(records: Record<string, JsonValue>, options: ValueAtKeyOptions = EMIT, key = "flag") {
  const fake = await setupStore(records);
  const db = new RecordingDb();
  const emitted: Emitted[] = [];
  const emit = (event: ValueAtKeyEvent, id: string) => void emitted.push({ event, id });
  const deployed = await deployValueAtKey(fake.store, db, key, options, emit);
  fake.controls.resetStats();
  return {
    fake,
    db,
    emitted,
    deployed,
    poll: (store: DataStore = fake.store, watchedKey = key, pollOptions = options, pollDb: SourceDb = db) =>
      pollValueAtKey(store, pollDb, watchedKey, pollOptions, emit),
    activate: (store: DataStore = fake.store, watchedKey = key, activateOptions = options) => activateValueAtKey(store, db, watchedKey, activateOptions),
  };
}

describe("deploy", () => {
  test("a key holding a value: emitted once as existing when asked", async () => {
    const { emitted, deployed } = await watching({ flag: "on" });
    expect(emitted.map((e) => e.event)).toEqual([{ key: "flag", value: "on", change: "existing" }]);
    expect(deployed).toEqual(emitted[0]!.event);
  });

  test("a key holding a value, not asked to emit it: nothing, and the value is the baseline", async () => {
    const { emitted, poll } = await watching({ flag: "on" }, QUIET);
    expect(await poll()).toBeUndefined();
    expect(emitted).toEqual([]);
  });

  test("a missing key: nothing, asked or not", async () => {
    for (const options of [EMIT, QUIET]) {
      const { emitted } = await watching({ other: 1 }, options);
      expect(emitted).toEqual([]);
    }
  });

  test.each(FALSY)("a stored %j is a value: emitted as existing", async (value) => {
    const { emitted } = await watching({ flag: value });
    expect(emitted.map((e) => e.event)).toEqual([{ key: "flag", value, change: "existing" }]);
  });

  test("a reserved key is refused with an InvalidArgumentError naming `key`, before the store is touched", async () => {
    const fake = await setupStore({ a: 1 });
    const error = await failureOf(() => deployValueAtKey(fake.store, new ServiceDb(), `${INTERNAL_KEY_PREFIX}limit:x`, EMIT, () => {}));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: "key" });
    expect(fake.controls.stats.total).toBe(0);
  });
});

describe("poll", () => {
  test("a key that gets a value: created; then another value: updated; then the same: nothing", async () => {
    const { fake, emitted, poll } = await watching({});
    await fake.store.set("flag", 1);
    await poll();
    await fake.store.set("flag", 2);
    await poll();
    await poll();
    expect(emitted.map((e) => e.event)).toEqual([
      { key: "flag", value: 1, change: "created" },
      { key: "flag", value: 2, change: "updated" },
    ]);
  });

  test("deleted, then given a value again (the same one): nothing for the deletion, then created, with a new id", async () => {
    const { fake, emitted, poll } = await watching({});
    await fake.store.set("flag", "on");
    await poll();
    await fake.store.delete("flag");
    expect(await poll()).toBeUndefined();
    await fake.store.set("flag", "on");
    await poll();
    expect(emitted.map((e) => e.event.change)).toEqual(["created", "created"]);
    expect(emitted[1]!.id).not.toBe(emitted[0]!.id);
  });

  test("falsy values are values: each change between 0, false, \"\" and null is an event", async () => {
    const { fake, emitted, poll } = await watching({});
    for (const value of FALSY) {
      await fake.store.set("flag", value);
      await poll();
    }
    expect(emitted.map((e) => e.event)).toEqual([
      { key: "flag", value: 0, change: "created" },
      { key: "flag", value: false, change: "updated" },
      { key: "flag", value: "", change: "updated" },
      { key: "flag", value: null, change: "updated" },
    ]);
  });

  test("a stored null deleted: the next null is created (a missing key is not null)", async () => {
    const { fake, emitted, poll } = await watching({ flag: null }, QUIET);
    await fake.store.delete("flag");
    await poll();
    await fake.store.set("flag", null);
    await poll();
    expect(emitted.map((e) => e.event)).toEqual([{ key: "flag", value: null, change: "created" }]);
  });

  test("a value changed and changed back between two polls: nothing (a poll sees states)", async () => {
    const { fake, emitted, poll } = await watching({ flag: "off" }, QUIET);
    await fake.store.set("flag", "on");
    await fake.store.set("flag", "off");
    await poll();
    expect(emitted).toEqual([]);
  });

  test("every poll is exactly one get, changed or not, and an unchanged poll writes nothing to the db", async () => {
    const { fake, db, poll } = await watching({ flag: 1, other: 2 });
    const writes = db.written.length;
    await poll();
    expect(db.written).toHaveLength(writes);
    expect(fake.controls.stats.calls.get).toBe(1);
    expect(fake.controls.stats.total).toBe(1);
    await fake.store.set("flag", 3);
    fake.controls.resetStats();
    await poll();
    expect(fake.controls.stats.calls.get).toBe(1);
    expect(fake.controls.stats.total).toBe(1);
  });

  test("the db keeps digests of the key and the value, never their text, in under 256 bytes", async () => {
    const key = `customer:${"k".repeat(500)}`;
    const { fake, db, poll } = await watching({}, EMIT, key);
    await fake.store.set(key, { secret: "SECRET-VALUE", blob: "x".repeat(10_000) });
    await poll();
    const saved = db.written.at(-1)!;
    expect(saved).not.toContain("SECRET-VALUE");
    expect(saved).not.toContain("kkkk");
    expect(db.sizeBytes).toBeLessThan(256);
  });

  test("retried after its state save failed: the same event with the same id", async () => {
    const { fake, db, emitted, poll } = await watching({});
    await fake.store.set("flag", "on");
    db.failWrite(1);
    expect(await failureOf(() => poll())).toMatchObject({ message: "$.service.db write failed" });
    await poll();
    expect(emitted).toHaveLength(2);
    expect(emitted[1]).toEqual(emitted[0]);
  });

  test("retried after a failed save, the value having changed again meanwhile: another id", async () => {
    const { fake, db, emitted, poll } = await watching({});
    await fake.store.set("flag", "on");
    db.failWrite(1);
    await failureOf(() => poll());
    await fake.store.set("flag", "off");
    await poll();
    expect(emitted.map((e) => e.event.value)).toEqual(["on", "off"]);
    expect(emitted[1]!.id).not.toBe(emitted[0]!.id);
  });

  test("ids are at most 64 characters and distinct for every event, also for long keys sharing a prefix", async () => {
    const prefix = "https://shop.example.com/".padEnd(100, "x");
    const ids: string[] = [];
    for (const key of [`${prefix}/a`, `${prefix}/b`]) {
      const { fake, emitted, poll } = await watching({ [key]: 0 }, EMIT, key);
      for (const value of [1, 0, 1]) {
        await fake.store.set(key, value);
        await poll();
      }
      ids.push(...emitted.map((e) => e.id));
    }
    expect(ids).toHaveLength(8);
    expect(new Set(ids.map((id) => id.slice(0, 64))).size).toBe(8);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(64);
  });

  test("a state of another key (props changed without activate): the first poll is the new key's baseline", async () => {
    const { fake, emitted, poll } = await watching({ flag: 1, other: "there" }, QUIET);
    expect(await poll(fake.store, "other", QUIET)).toBeUndefined();
    await fake.store.set("other", "changed");
    await poll(fake.store, "other", QUIET);
    expect(emitted.map((e) => e.event)).toEqual([{ key: "other", value: "changed", change: "updated" }]);
    expect(await poll(fake.store, "other", EMIT)).toBeUndefined();
    await poll(fake.store, "flag", EMIT);
    expect(emitted.at(-1)!.event).toEqual({ key: "flag", value: 1, change: "existing" });
  });

  test("without a saved state (never deployed), a poll does what deploy does", async () => {
    const fake = await setupStore({ flag: "on" });
    const emitted: ValueAtKeyEvent[] = [];
    await pollValueAtKey(fake.store, new ServiceDb(), "flag", EMIT, (event) => void emitted.push(event));
    expect(emitted).toEqual([{ key: "flag", value: "on", change: "existing" }]);
  });
});

describe("activate", () => {
  test("the same key on the same store: no new baseline, one get, no write", async () => {
    const { fake, emitted, activate, poll } = await watching({ flag: 1 }, QUIET);
    await fake.store.set("flag", 2);
    fake.controls.resetStats();
    expect(await activate()).toBe(false);
    expect(fake.controls.stats.calls).toMatchObject({ get: 1, set: 0 });
    await poll();
    expect(emitted.map((e) => e.event.change)).toEqual(["updated"]);
  });

  test("another key, asked to emit existing values: the next poll emits its value as existing, then only changes", async () => {
    const { fake, emitted, activate, poll } = await watching({ flag: 1, other: "there" });
    expect(await activate(fake.store, "other")).toBe(true);
    expect(emitted).toHaveLength(1); // deploy's; activate emits nothing
    await poll(fake.store, "other");
    await poll(fake.store, "other");
    expect(emitted.map((e) => e.event)).toEqual([
      { key: "flag", value: 1, change: "existing" },
      { key: "other", value: "there", change: "existing" },
    ]);
  });

  test("another key, not asked: its value then is the baseline, and only a later change is emitted", async () => {
    const { fake, emitted, activate, poll } = await watching({ flag: 1, other: "there" }, QUIET);
    expect(await activate(fake.store, "other")).toBe(true);
    expect(await poll(fake.store, "other")).toBeUndefined();
    await fake.store.set("other", "changed");
    await poll(fake.store, "other");
    expect(emitted.map((e) => e.event)).toEqual([{ key: "other", value: "changed", change: "updated" }]);
  });

  test("another key, announced but missing at the next poll: nothing, and its first value is created", async () => {
    const { fake, emitted, activate, poll } = await watching({ flag: 1 });
    await activate(fake.store, "later");
    await poll(fake.store, "later");
    await fake.store.set("later", false);
    await poll(fake.store, "later");
    expect(emitted.map((e) => e.event).slice(1)).toEqual([{ key: "later", value: false, change: "created" }]);
  });

  test("the same key on another store: a new baseline there, with the source's marker written into it", async () => {
    const { emitted, activate, poll } = await watching({ flag: 1 }, QUIET);
    const other = await setupStore({ flag: "other store" });
    expect(await activate(other.store)).toBe(true);
    expect((await other.store.keys()).filter((key) => key.startsWith(`${INTERNAL_KEY_PREFIX}source:`))).toHaveLength(1);
    expect(await poll(other.store)).toBeUndefined();
    expect(await activate(other.store)).toBe(false);
    expect(emitted).toEqual([]);
  });

  test("ids keep counting across baselines, so an event after a switch never reuses an earlier id", async () => {
    const { fake, emitted, activate, poll } = await watching({ flag: 1, other: 1 });
    await activate(fake.store, "other");
    await poll(fake.store, "other");
    await activate(fake.store, "flag");
    await poll(fake.store, "flag");
    expect(emitted.map((e) => e.id.split(":")[0])).toEqual(["1", "2", "3"]);
  });
});
