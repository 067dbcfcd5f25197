/** Shared setup of action tests: a fake store on a test clock, and the check that bad input changes nothing. */
import { expect } from "@jest/globals";
import { ConfigurationError } from "@pipedream/platform";
import { UsageError } from "../../lib/errors.mjs";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { pause } from "../../lib/export/pause.mjs";
import { TestClock } from "./clock.mjs";
import { createFakeDataStore, type FakeDataStoreOptions } from "../../stores/memory-data-store.mjs";

/**
 * A fake store whose TTLs run on a test clock, optionally filled with `records` first (not
 * counted). `Date` follows the same clock, so components that read the time see it move too.
 */
export async function setupStore(records: Record<string, JsonValue> = {}, options: FakeDataStoreOptions = {}) {
  const clock = new TestClock().installAsSystemClock();
  const { store, controls } = createFakeDataStore({ now: clock.now, ...options });
  for (const [key, value] of Object.entries(records)) await store.set(key, value);
  controls.resetStats();
  return { clock, store, controls };
}

type Fake = Awaited<ReturnType<typeof setupStore>>;

/**
 * Expects `action` to fail with `errorClass` (default: the builder's ConfigurationError; library
 * calls pass UsageError) whose message matches `message`, having made no write: the records are as
 * they were and no set, setTtl, delete or clear was sent.
 */
export async function expectRefusedUnchanged(
  fake: Fake,
  action: () => Promise<unknown>,
  message: RegExp,
  errorClass: abstract new (...args: never[]) => Error = ConfigurationError,
): Promise<void> {
  const before = fake.controls.records();
  const error = await action().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(errorClass);
  expect((error as Error).message).toMatch(message);
  expect(fake.controls.records()).toEqual(before);
  const { set, setTtl, delete: deletes, clear } = fake.controls.stats.calls;
  expect({ set, setTtl, delete: deletes, clear }).toEqual({ set: 0, setTtl: 0, delete: 0, clear: 0 });
}

/** expectRefusedUnchanged for a library call: the error is one of the library's own UsageErrors. */
export function expectLibraryRefusal(
  fake: Fake,
  call: () => Promise<unknown>,
  message: RegExp,
  errorClass: abstract new (...args: never[]) => Error = UsageError,
): Promise<void> {
  return expectRefusedUnchanged(fake, call, message, errorClass);
}

/**
 * Makes the package's waits (retry backoff) move `clock` instead of sleeping, and returns the
 * waits asked for, in ms. test/support/setup.mts puts the real pause back after each test.
 */
export function recordPauses(clock: TestClock): number[] {
  const waits: number[] = [];
  pause.for = async (ms: number) => {
    waits.push(ms);
    clock.advanceSeconds(ms / 1000);
  };
  return waits;
}

/**
 * Another object for `store`: every call forwarded to it, except the members in `overrides`. As
 * Pipedream may hand two props that name one store, or as a test wraps a store to act around a call.
 */
export function forwardingTo(store: DataStore, overrides: Partial<DataStore> = {}): DataStore {
  return {
    get: (key) => store.get(key),
    set: (key, value, options) => store.set(key, value, options),
    setTtl: (key, seconds) => store.setTtl(key, seconds),
    has: (key) => store.has(key),
    delete: (key) => store.delete(key),
    keys: () => store.keys(),
    clear: () => store.clear(),
    [Symbol.asyncIterator]: () => store[Symbol.asyncIterator](),
    ...overrides,
  };
}
