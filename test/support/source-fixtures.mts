/** Shared setup of the source tests: stores of many 32-character keys, a deployed source, a db that shows its writes. */
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { setupStore } from "./fixtures.mjs";
import { deploySource, ServiceDb } from "./source-harness.mjs";

export type Fake = Awaited<ReturnType<typeof setupStore>>;

/** A key of exactly 32 characters, e.g. `key-0000000000000000000000000007`. */
export function key32(index: number, prefix = "key-"): string {
  return prefix + String(index).padStart(32 - prefix.length, "0");
}

/** `count` records under 32-character keys, each with a small value. */
export function manyRecords(count: number, prefix = "key-"): Record<string, JsonValue> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [key32(i, prefix), { n: i, note: "some value" }]));
}

/** A fake store holding `records`, and `source` deployed on it (the deploy hook has run). */
export async function deployOn(source: object, records: Record<string, JsonValue> = {}, db = new ServiceDb()) {
  const fake = await setupStore(records);
  const deployment = await deploySource(source, { dataStore: fake.store }, db);
  return { fake, deployment };
}

/** A $.service.db that keeps the text of every write, to show what the source stores. */
export class RecordingDb extends ServiceDb {
  readonly written: string[] = [];
  override set(key: string, value: unknown): void {
    this.written.push(`${key}=${JSON.stringify(value)}`);
    super.set(key, value);
  }
}

/** What `run` threw, or undefined when it did not. */
export async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
}

/** Advances the clock by one polling interval (Pipedream's default 15 minutes), as the timer would. */
export function nextInterval(fake: Fake): void {
  fake.clock.advanceSeconds(900);
}
