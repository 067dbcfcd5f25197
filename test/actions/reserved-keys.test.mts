/**
 * Issue 9, keys: no action reads, writes or deletes the package's own records (reserved prefix
 * `__dskit:`), and no action or library call chokes on a key that is not well-formed text (a lone
 * UTF-16 surrogate made encodeURIComponent throw a URIError). Every key prop of every action goes
 * through parseKey, so one table covers them all; the stories after it are the repros.
 */
import { describe, expect, test } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import addUpdateMultipleRecords from "../../actions/add-update-multiple-records/add-update-multiple-records.mjs";
import addUpdateRecord from "../../actions/add-update-record/add-update-record.mjs";
import appendToList from "../../actions/append-to-list/append-to-list.mjs";
import deduplicateAction from "../../actions/deduplicate/deduplicate.mjs";
import deleteAllRecords from "../../actions/delete-all-records/delete-all-records.mjs";
import deleteRecords from "../../actions/delete-records/delete-records.mjs";
import getRecord from "../../actions/get-record/get-record.mjs";
import incrementCounter from "../../actions/increment-counter/increment-counter.mjs";
import listRecords from "../../actions/list-records/list-records.mjs";
import rateLimitAction from "../../actions/rate-limit/rate-limit.mjs";
import updateTtl from "../../actions/update-ttl/update-ttl.mjs";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { increment } from "../../lib/counter/counter.mjs";
import { deduplicate } from "../../lib/dedupe/dedupe.mjs";
import { internalKey, internalKeyPrefix } from "../../lib/store/reserved-keys.mjs";
import { rateLimit } from "../../lib/rate-limit/rate-limit.mjs";
import { InvalidArgumentError } from "../../lib/errors.mjs";
import { expectLibraryRefusal, expectRefusedUnchanged, setupStore } from "../support/fixtures.mjs";
import { runAction } from "../support/harness.mjs";

/** A forged part of the concurrency-safe counter "orders": the text after the last ":" is its amount. */
const FORGED_COUNTER_PART = "__dskit:counter:orders:forged:1000000";
const DEDUPE_MARKER = "__dskit:dedupe:evt-1";
const LIMITER_STATE = "__dskit:limit:fixed-window:api";

/** A store holding a user record and a record of each kind of package state, each under a key the table uses. */
const STORED: Record<string, JsonValue> = {
  ok: 0,
  [FORGED_COUNTER_PART]: 1_000_000,
  [DEDUPE_MARKER]: { firstSeenAt: "2026-11-24T18:31:00.000Z" },
  [LIMITER_STATE]: { windowStartMs: 0, count: 1 },
};

/**
 * Each way a key reaches an action: the action, the props that carry `key`, and the label the
 * refusal must name. A sibling "ok" key comes first where a prop takes several, so nothing is
 * written even when the bad key is not the first.
 */
const KEY_PROPS: [string, object, (key: string) => Record<string, unknown>, string][] = [
  ["add-update-record", addUpdateRecord, (key) => ({ key, value: "v" }), "Key"],
  ["add-update-multiple-records, object map", addUpdateMultipleRecords, (key) => ({ records: { ok: 1, [key]: 2 } }), "Records key"],
  [
    "add-update-multiple-records, list",
    addUpdateMultipleRecords,
    (key) => ({ records: [{ key: "ok", value: 1 }, { key, value: 2 }] }),
    'Records item 2 "key"',
  ],
  [
    "add-update-multiple-records, list as JSON text",
    addUpdateMultipleRecords,
    (key) => ({ records: JSON.stringify([{ key: "ok", value: 1 }, { key, value: 2 }]) }),
    'Records item 2 "key"',
  ],
  ["get-record", getRecord, (key) => ({ key }), "Key"],
  ["get-record, Create If Missing", getRecord, (key) => ({ key, defaultValue: 1, createIfMissing: true }), "Key"],
  ["delete-records, list", deleteRecords, (key) => ({ keys: ["ok", key] }), "Keys item 2"],
  ["delete-records, JSON list in text", deleteRecords, (key) => ({ keys: JSON.stringify(["ok", key]) }), "Keys item 2"],
  ["delete-records, one key", deleteRecords, (key) => ({ keys: key }), "Keys item 1"],
  ["update-ttl", updateTtl, (key) => ({ key, ttl: 1 }), "Key"],
  ["append-to-list", appendToList, (key) => ({ key, value: "item" }), "Key"],
  ["increment-counter", incrementCounter, (key) => ({ key, amount: 1 }), "Key"],
  ["increment-counter, concurrency-safe", incrementCounter, (key) => ({ key, amount: 1, concurrencySafe: true }), "Key"],
  ["deduplicate", deduplicateAction, (key) => ({ key }), "Deduplication Key"],
  ["rate-limit", rateLimitAction, (key) => ({ key, limit: 5, windowSeconds: 60 }), "Limiter Key"],
  [
    "rate-limit, concurrency-safe",
    rateLimitAction,
    (key) => ({ key, limit: 5, windowSeconds: 60, concurrencySafe: true }),
    "Limiter Key",
  ],
];

/** The props that take a prefix: a reserved one is refused unless the action's opt-in is on. */
const PREFIX_PROPS: [string, object, (prefix: string) => Record<string, unknown>][] = [
  ["list-records", listRecords, (prefix) => ({ prefix })],
  ["list-records, keys output", listRecords, (prefix) => ({ prefix, output: "keys" })],
  ["delete-all-records", deleteAllRecords, (prefix) => ({ prefix, confirm: "DELETE" })],
];

/** Keys that are the package's state, as the repros typed them, and the bare prefix. */
const RESERVED_KEYS = [FORGED_COUNTER_PART, DEDUPE_MARKER, LIMITER_STATE, "__dskit:"];

/** Text that is not well-formed: a lone high surrogate (an emoji cut in half), a lone low one, two highs. */
const MALFORMED_KEYS = ["evt-\ud83d", "\ude00-evt", "a\ud83d\ud83db"];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Refused before the store is touched at all: not even a read of the reserved or malformed key. */
async function expectRefusedUntouched(props: Record<string, unknown>, action: object, message: RegExp): Promise<void> {
  const fake = await setupStore(STORED);
  await expectRefusedUnchanged(fake, () => runAction(action, { dataStore: fake.store, ...props }), message);
  expect(fake.controls.stats.total).toBe(0);
}

describe("a key under the reserved __dskit: prefix", () => {
  describe.each(KEY_PROPS)("%s", (_name, action, propsFor, label) => {
    test.each(RESERVED_KEYS)("refuses %j, saying the prefix is the package's, with the store untouched", async (key) => {
      const message = new RegExp(`^${escapeRegExp(label)} starts with "__dskit:", which is reserved for the package's own records`);
      await expectRefusedUntouched(propsFor(key), action, message);
    });
  });

  describe.each(PREFIX_PROPS)("%s", (_name, action, propsFor) => {
    test.each(["__dskit:", "__dskit:limit:"])("refuses the Key Prefix %j, naming the opt-in, with the store untouched", async (prefix) => {
      await expectRefusedUntouched(propsFor(prefix), action, /^Key Prefix starts with "__dskit:".*Turn on Include/);
    });
  });

  test.each(["__DSKIT:x", " __dskit:x", "_dskit:x", "__dskit", "user:__dskit:x"])(
    "%j is not under the prefix and is an ordinary key",
    async (key) => {
      const fake = await setupStore();
      const { returnValue } = await runAction(addUpdateRecord, { dataStore: fake.store, key, value: 1 });
      expect(returnValue).toMatchObject({ key, created: true });
      const listed = await runAction(listRecords, { dataStore: fake.store, output: "keys" });
      expect(listed.returnValue).toEqual([key]);
    },
  );
});

describe("a key that is not well-formed text (a lone UTF-16 surrogate)", () => {
  describe.each(KEY_PROPS)("%s", (_name, action, propsFor, label) => {
    test.each(MALFORMED_KEYS)("refuses %j with a ConfigurationError, never a URIError, with the store untouched", async (key) => {
      const message = new RegExp(`^${escapeRegExp(label)} is not well-formed text: it holds a lone UTF-16 surrogate`);
      await expectRefusedUntouched(propsFor(key), action, message);
    });
  });

  describe.each(PREFIX_PROPS)("%s", (_name, action, propsFor) => {
    test.each(MALFORMED_KEYS)("refuses the Key Prefix %j", async (prefix) => {
      await expectRefusedUntouched(propsFor(prefix), action, /^Key Prefix is not well-formed text/);
    });
  });

  test("a whole emoji (a surrogate pair) is a well-formed key and works everywhere", async () => {
    const fake = await setupStore();
    const key = "evt-\ud83d\ude00";
    expect((await runAction(addUpdateRecord, { dataStore: fake.store, key, value: 1 })).returnValue).toMatchObject({ key });
    expect((await runAction(deduplicateAction, { dataStore: fake.store, key })).returnValue).toMatchObject({ duplicate: false });
    expect((await runAction(rateLimitAction, { dataStore: fake.store, key, limit: 2, windowSeconds: 60 })).returnValue).toMatchObject({
      allowed: true,
    });
    const counted = await runAction(incrementCounter, { dataStore: fake.store, key: "n-\ud83d\ude00", concurrencySafe: true });
    expect(counted.returnValue).toMatchObject({ value: 1 });
  });

  describe("the library, called directly from a code step, refuses it with its own error", () => {
    test("internalKey and internalKeyPrefix throw an InvalidArgumentError naming the key, not a URIError", () => {
      for (const build of [() => internalKey("dedupe", "evt-\ud83d"), () => internalKeyPrefix("counter", "ok", "\udc00")]) {
        expect(build).toThrow(InvalidArgumentError);
        expect(build).toThrow(/is not well-formed text: it holds a lone UTF-16 surrogate/);
      }
      expect(() => internalKey("dedupe", "evt-\ud83d")).toThrow(/"evt-\\ud83d"/);
    });

    test.each([
      ["deduplicate", (store: DataStore) => deduplicate(store, "evt-\ud83d")],
      ["rateLimit", (store: DataStore) => rateLimit(store, "evt-\ud83d", { limit: 1, windowSeconds: 60 })],
      [
        "rateLimit, concurrency-safe",
        (store: DataStore) => rateLimit(store, "evt-\ud83d", { limit: 1, windowSeconds: 60, concurrencySafe: true }),
      ],
      ["increment, concurrency-safe", (store: DataStore) => increment(store, "evt-\ud83d", { concurrencySafe: true })],
    ])("%s rejects with an InvalidArgumentError and writes nothing", async (_name, call) => {
      const fake = await setupStore({ ok: 0 });
      await expectLibraryRefusal(fake, () => call(fake.store), /is not well-formed text/, InvalidArgumentError);
    });
  });
});

describe("the issue's repros: the package's state cannot be forged or reset through the record actions", () => {
  test("a forged counter part written through Add or Update Record (one or many) adds nothing to a concurrency-safe counter", async () => {
    const fake = await setupStore();
    const count = () => runAction(incrementCounter, { dataStore: fake.store, key: "orders", amount: 1, concurrencySafe: true });
    expect((await count()).returnValue).toMatchObject({ value: 1 });
    await expect(runAction(addUpdateRecord, { dataStore: fake.store, key: FORGED_COUNTER_PART, value: 0 })).rejects.toThrow(
      ConfigurationError,
    );
    await expect(
      runAction(addUpdateMultipleRecords, { dataStore: fake.store, records: { [FORGED_COUNTER_PART]: 0 } }),
    ).rejects.toThrow(ConfigurationError);
    expect((await count()).returnValue).toMatchObject({ value: 2, previous: 1 });
  });

  test("deleting a deduplication marker through Delete Records is refused: the repeat is still a duplicate", async () => {
    const fake = await setupStore();
    expect((await runAction(deduplicateAction, { dataStore: fake.store, key: "evt-1" })).exitReason).toBeUndefined();
    await expect(runAction(deleteRecords, { dataStore: fake.store, keys: [internalKey("dedupe", "evt-1")] })).rejects.toThrow(
      /Keys item 1 starts with "__dskit:"/,
    );
    expect((await runAction(deduplicateAction, { dataStore: fake.store, key: "evt-1" })).exitReason).toMatch(/^Duplicate: "evt-1"/);
  });

  test("deleting or expiring a limiter's state through Delete Records or Update Record TTL is refused: the limit holds", async () => {
    const fake = await setupStore();
    const call = () => runAction(rateLimitAction, { dataStore: fake.store, key: "api", limit: 1, windowSeconds: 3600 });
    expect((await call()).returnValue).toMatchObject({ allowed: true, remaining: 0 });
    const [stateKey] = (await fake.store.keys()).filter((key) => key.startsWith("__dskit:limit:"));
    expect(stateKey).toBeDefined();
    await expect(runAction(deleteRecords, { dataStore: fake.store, keys: [stateKey] })).rejects.toThrow(ConfigurationError);
    await expect(runAction(updateTtl, { dataStore: fake.store, key: stateKey, ttl: 1 })).rejects.toThrow(ConfigurationError);
    fake.clock.advanceSeconds(2);
    expect((await call()).exitReason).toMatch(/Rate limit reached for "api"/);
  });

  test("Get Record cannot read the package's state", async () => {
    const fake = await setupStore();
    await runAction(deduplicateAction, { dataStore: fake.store, key: "evt-1" });
    await expect(runAction(getRecord, { dataStore: fake.store, key: internalKey("dedupe", "evt-1") })).rejects.toThrow(
      /Key starts with "__dskit:"/,
    );
  });
});
