/**
 * The harness for sources: deploys a source as Pipedream does (props resolved as for actions, a
 * `$.service.db` holding at most 60 KB, the `deploy` hook), then runs one poll at a time, with
 * `this.$emit` recording each event and, for `dedupe: "unique"`, dropping ids already emitted.
 */
import { describeNonJson } from "../../lib/store/json.mjs";
import { createSource, type EmittedEvent } from "../../runtime/component.mjs";

export type { EmittedEvent } from "../../runtime/component.mjs";

/** Pipedream's limit on a source's `$.service.db`. */
export { SOURCE_DB_LIMIT_BYTES as SERVICE_DB_LIMIT_BYTES } from "../../lib/store/source-db.mjs";
import { SOURCE_DB_LIMIT_BYTES as SERVICE_DB_LIMIT_BYTES } from "../../lib/store/source-db.mjs";

/** `$.service.db`: JSON values by key, refusing a write that takes the whole over 60 KB, as the platform would. */
export class ServiceDb {
  private readonly entries = new Map<string, string>();

  constructor(private readonly limitBytes = SERVICE_DB_LIMIT_BYTES) {}

  get(key: string): unknown {
    const json = this.entries.get(key);
    return json === undefined ? undefined : JSON.parse(json);
  }

  set(key: string, value: unknown): void {
    const problem = describeNonJson(value, `$.service.db "${key}"`);
    if (problem) throw new Error(`$.service.db holds JSON only: ${problem}`);
    const json = JSON.stringify(value);
    const others = this.sizeBytes - (this.entries.has(key) ? Buffer.byteLength(key) + Buffer.byteLength(this.entries.get(key)!) : 0);
    const total = others + Buffer.byteLength(key) + Buffer.byteLength(json);
    if (total > this.limitBytes) {
      throw new Error(`$.service.db is limited to ${this.limitBytes} bytes; this write would make it ${total}`);
    }
    this.entries.set(key, json);
  }

  /** Bytes in use: keys plus their JSON values. */
  get sizeBytes(): number {
    let bytes = 0;
    for (const [key, json] of this.entries) bytes += Buffer.byteLength(key) + Buffer.byteLength(json);
    return bytes;
  }
}

export interface DeployedSource {
  db: ServiceDb;
  /** Every event emitted, including those dedupe dropped. */
  emitted: EmittedEvent[];
  /** Runs one poll (the timer firing) and returns the events delivered to workflows (after dedupe). */
  poll(): Promise<EmittedEvent[]>;
}

/** Deploys a source with the given props: builds `this`, runs the deploy and activate hooks. */
export async function deploySource(source: object, props: Record<string, unknown>, db = new ServiceDb()): Promise<DeployedSource> {
  const instance = createSource(source, props, db);
  await instance.deploy();
  return { db, emitted: instance.emitted, poll: () => instance.poll() };
}
