/**
 * The harness for sources: deploys a source as Pipedream does (props resolved as for actions, a
 * `$.service.db` holding at most 60 KB, the `deploy` and `activate` hooks), then runs one poll at a
 * time, with `this.$emit` recording each event and, for `dedupe: "unique"`, dropping ids as the
 * platform does (the first 64 characters, among the last 100 ids).
 */
import { createSource, type EmittedEvent } from "../../runtime/run-source.mjs";
import { MemorySourceDb } from "../../stores/memory-source-db.mjs";

export type { EmittedEvent } from "../../runtime/run-source.mjs";

/** Pipedream's limit on a source's `$.service.db`, as the package budgets it. */
export { SOURCE_DB_LIMIT_BYTES as SERVICE_DB_LIMIT_BYTES } from "../../lib/store/source-db.mjs";

/** `$.service.db` in memory (stores/memory-source-db.mts), under the name the source tests use. */
export { MemorySourceDb as ServiceDb };

export interface DeployedSource {
  db: MemorySourceDb;
  /** Every event emitted, including those dedupe dropped. */
  emitted: EmittedEvent[];
  /** Every event delivered to workflows (after dedupe), also by polls that failed after emitting. */
  delivered: EmittedEvent[];
  /** Runs one poll (the timer firing) and returns the events delivered to workflows (after dedupe). */
  poll(): Promise<EmittedEvent[]>;
  /** Edits the deployed source's props as Pipedream does: `deactivate`, then `activate` with `props`. */
  reconfigure(props: Record<string, unknown>): Promise<void>;
}

/** Deploys a source with the given props: builds `this`, runs the deploy and activate hooks. */
export async function deploySource(source: object, props: Record<string, unknown>, db = new MemorySourceDb()): Promise<DeployedSource> {
  const instance = createSource(source, props, db);
  await instance.deploy();
  return { db, emitted: instance.emitted, delivered: instance.delivered, poll: () => instance.poll(), reconfigure: (props) => instance.reconfigure(props) };
}
