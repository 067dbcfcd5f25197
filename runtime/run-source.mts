/**
 * Runs a source the way the Pipedream runtime does: `this.db` is its `$.service.db`, `this.$emit`
 * checks each event and its meta, `dedupe: "unique"` drops ids as the platform does, and the hooks
 * (deploy, a change of props) and the timer's polls run on demand.
 */
import { describeNonJson } from "../lib/store/json.mjs";
import type { SourceDb } from "../lib/store/source-db.mjs";
import { asComponent, buildThis, type AppAuth } from "./component.mjs";

/** Pipedream's default polling interval, when the timer prop gives none. */
const DEFAULT_INTERVAL_SECONDS = 900;

/** What Pipedream's `unique` dedupe compares of an id, and how many of the latest ids it remembers. */
export const DEDUPE_ID_CHARS = 64;
export const DEDUPE_WINDOW_IDS = 100;

export interface EmittedEvent {
  event: unknown;
  meta: { id: string; summary: string; ts: number };
}

/** A source ready to run: its hooks and its timer, with `this.db` and `this.$emit` wired. */
export interface SourceInstance {
  /** Every event emitted, including those dedupe dropped. */
  emitted: EmittedEvent[];
  /** Every event delivered to workflows (after dedupe), also by polls that failed after emitting. */
  delivered: EmittedEvent[];
  /** Runs the deploy and activate hooks, as deploying the source on Pipedream does. */
  deploy(): Promise<void>;
  /**
   * Gives the deployed source new prop values as editing it on Pipedream does: `deactivate`, then
   * `activate` with the new values (not `deploy`). The db and dedupe's memory stay.
   */
  reconfigure(props: Record<string, unknown>): Promise<void>;
  /** Runs one poll (the timer firing) and returns the events delivered to workflows (after dedupe). */
  poll(): Promise<EmittedEvent[]>;
  /** The ids `unique` dedupe remembers (compared part only, oldest first), to carry into the next run. */
  dedupeMemory(): string[];
}

export interface SourceOptions {
  /** Credentials by app slug, for the app props' `$auth`. */
  auth?: AppAuth;
  /** Ids `unique` dedupe remembers from earlier runs of the same deployment (as `dedupeMemory()` gave them). */
  dedupeMemory?: readonly string[];
}

/**
 * Pipedream's `unique` dedupe: an event is dropped when the first 64 characters of its id equal
 * those of one of the last 100 ids delivered. Longer ids sharing 64 characters collide, and an id
 * older than the last 100 is delivered again.
 */
class UniqueDedupe {
  readonly recent: string[];

  constructor(remembered: readonly string[] = []) {
    this.recent = remembered.slice(-DEDUPE_WINDOW_IDS);
  }

  /** Whether an event with `id` is delivered; a delivered id becomes the latest remembered. */
  admit(id: string): boolean {
    const compared = id.slice(0, DEDUPE_ID_CHARS);
    if (this.recent.includes(compared)) return false;
    this.recent.push(compared);
    if (this.recent.length > DEDUPE_WINDOW_IDS) this.recent.shift();
    return true;
  }
}

/**
 * Prepares a source with the given props and `$.service.db`: `this.$emit` checks each event and
 * its meta (id, summary, ts) and, for `dedupe: "unique"`, drops ids as the platform does.
 * `$emit` works synchronously, as the platform's: a source may call it without awaiting it.
 */
export function createSource(source: object, props: Record<string, unknown>, db: SourceDb, options: SourceOptions = {}): SourceInstance {
  const component = asComponent(source);
  if (component.type !== "source") throw new Error(`${component.key} is a ${component.type}, not a source`);
  const emitted: EmittedEvent[] = [];
  const delivered: EmittedEvent[] = [];
  let deliveredByPoll: EmittedEvent[] = [];
  const dedupe = new UniqueDedupe(options.dedupeMemory);
  const $emit = (event: unknown, meta: EmittedEvent["meta"]): void => {
    const problem = describeNonJson(event, "the event");
    if (problem) throw new Error(`The runtime would refuse this event: ${problem}`);
    if (typeof meta?.id !== "string" || typeof meta.summary !== "string" || typeof meta.ts !== "number") {
      throw new Error("Every event needs meta with an id, a summary and a ts");
    }
    const emittedEvent = { event, meta };
    emitted.push(emittedEvent);
    if (component.dedupe === "unique" && !dedupe.admit(meta.id)) return;
    delivered.push(emittedEvent);
    deliveredByPoll.push(emittedEvent);
  };
  const withProps = (values: Record<string, unknown>) => Object.assign(buildThis(component, values, options.auth), { db, $emit });
  let self = withProps(props);
  const runHooks = async (...hooks: string[]) => {
    for (const hook of hooks) await component.hooks?.[hook]?.call(self as never);
  };
  return {
    emitted,
    delivered,
    deploy: () => runHooks("deploy", "activate"),
    async reconfigure(newProps) {
      await runHooks("deactivate");
      self = withProps(newProps);
      await runHooks("activate");
    },
    async poll() {
      deliveredByPoll = [];
      const timer = self.timer as { intervalSeconds?: number } | undefined;
      const options = { timestamp: Math.floor(Date.now() / 1000), interval_seconds: timer?.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS };
      await (component.run as (this: unknown, options: unknown) => unknown).call(self, options);
      return deliveredByPoll;
    },
    dedupeMemory: () => [...dedupe.recent],
  };
}
