/** Shared setup of the source tests: stores of many 32-character keys, a deployed source, a db that shows its writes. */
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { pollChanges, recordBaseline, type RecordChange, type SourceDb, type WatchKind } from "../../lib/watch/watch-records.mjs";
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

/** A fake store holding `records`, with its baseline recorded for `kind` in `db` (the library's deploy). */
export async function watched<Db extends SourceDb = ServiceDb>(kind: WatchKind, records: Record<string, JsonValue> = {}, db?: Db) {
  const fake = await setupStore(records);
  const state = db ?? (new ServiceDb() as SourceDb as Db);
  await recordBaseline(fake.store, state, kind);
  fake.controls.resetStats();
  return { fake, db: state };
}

/** One poll of the library, collecting what it emits as { change, id } pairs. */
export async function pollOnce(store: DataStore, db: SourceDb, kind: WatchKind): Promise<Array<{ change: RecordChange; id: string }>> {
  const emitted: Array<{ change: RecordChange; id: string }> = [];
  await pollChanges(store, db, kind, (change, id) => {
    emitted.push({ change, id });
  });
  return emitted;
}

/**
 * A $.service.db that keeps the text of every write, to show what the source stores, and can be
 * told to fail one write: `failWrite(3)` makes the third write from now throw, saving nothing.
 */
export class RecordingDb extends ServiceDb {
  readonly written: string[] = [];
  private writesUntilFailure = 0;

  failWrite(nth: number): void {
    this.writesUntilFailure = nth;
  }

  override set(key: string, value: unknown): void {
    if (this.writesUntilFailure > 0 && --this.writesUntilFailure === 0) throw new Error("$.service.db write failed");
    this.written.push(`${key}=${JSON.stringify(value)}`);
    super.set(key, value);
  }
}

/** `count` keys of about 130 characters that share their first 100: URLs of one site, say. */
export function longKeys(count: number): string[] {
  const prefix = `https://shop.example.com/catalog/${"category/".repeat(7)}`.padEnd(100, "x");
  return Array.from({ length: count }, (_, i) => `${prefix}/item-${String(i).padStart(4, "0")}?ref=feed`);
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
