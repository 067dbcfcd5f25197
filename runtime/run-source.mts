/**
 * Runs a source the way the Pipedream runtime does: `this.db` is its `$.service.db`, `this.$emit`
 * checks each event and its meta, and the hooks and the timer's polls run on demand.
 */
import { describeNonJson } from "../lib/store/json.mjs";
import type { SourceDb } from "../lib/store/source-db.mjs";
import { asComponent, buildThis } from "./component.mjs";

/** Pipedream's default polling interval, when the timer prop gives none. */
const DEFAULT_INTERVAL_SECONDS = 900;

export interface EmittedEvent {
  event: unknown;
  meta: { id: string; summary: string; ts: number };
}

/** A source ready to run: its hooks and its timer, with `this.db` and `this.$emit` wired. */
export interface SourceInstance {
  /** Every event emitted, including those dedupe dropped. */
  emitted: EmittedEvent[];
  /** Runs the deploy and activate hooks, as deploying the source on Pipedream does. */
  deploy(): Promise<void>;
  /** Runs one poll (the timer firing) and returns the events delivered to workflows (after dedupe). */
  poll(): Promise<EmittedEvent[]>;
}

/**
 * Prepares a source with the given props and `$.service.db`: `this.$emit` checks each event and
 * its meta (id, summary, ts) and, for `dedupe: "unique"`, drops ids already emitted.
 */
export function createSource(source: object, props: Record<string, unknown>, db: SourceDb): SourceInstance {
  const component = asComponent(source);
  if (component.type !== "source") throw new Error(`${component.key} is a ${component.type}, not a source`);
  const emitted: EmittedEvent[] = [];
  let delivered: EmittedEvent[] = [];
  const seenIds = new Set<string>();
  const self = buildThis(component, props);
  self.db = db;
  self.$emit = async (event: unknown, meta: EmittedEvent["meta"]) => {
    const problem = describeNonJson(event, "the event");
    if (problem) throw new Error(`The runtime would refuse this event: ${problem}`);
    if (typeof meta?.id !== "string" || typeof meta.summary !== "string" || typeof meta.ts !== "number") {
      throw new Error("Every event needs meta with an id, a summary and a ts");
    }
    const emittedEvent = { event, meta };
    emitted.push(emittedEvent);
    if (component.dedupe === "unique" && seenIds.has(meta.id)) return;
    seenIds.add(meta.id);
    delivered.push(emittedEvent);
  };
  return {
    emitted,
    async deploy() {
      for (const hook of ["deploy", "activate"]) await component.hooks?.[hook]?.call(self as never);
    },
    async poll() {
      delivered = [];
      const timer = self.timer as { intervalSeconds?: number } | undefined;
      const options = { timestamp: Math.floor(Date.now() / 1000), interval_seconds: timer?.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS };
      await (component.run as (this: unknown, options: unknown) => unknown).call(self, options);
      return delivered;
    },
  };
}
