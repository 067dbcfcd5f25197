/**
 * What the three sources share: their props (the store, the source's own db, the timer) and the
 * glue between the library's change detection and `this.$emit`. Each source names what it
 * watches for and how an event reads.
 */
import { DEFAULT_POLLING_SOURCE_TIMER_INTERVAL } from "@pipedream/platform";
import app from "../../components/data_stores.app.mjs";
import type { PropDeclarations, SourceComponent, SourceThis } from "../../components/common/component.mjs";
import { activateWatch, pollChanges, recordBaseline, type RecordChange, type WatchKind } from "../../lib/watch/watch-records.mjs";

export const pollingProps = {
  app,
  dataStore: {
    propDefinition: [app, "dataStore"],
    description:
      "The data store to watch. Records already in it when the source is deployed, or when you switch the source to it, are not emitted.",
  },
  // The shorthand form, as the registry writes it: an interface prop needs no label or description.
  db: "$.service.db",
  timer: {
    type: "$.interface.timer",
    label: "Polling Interval",
    description: "How often to check the data store for changes. Default: every 15 minutes.",
    default: { intervalSeconds: DEFAULT_POLLING_SOURCE_TIMER_INTERVAL },
  },
} as const satisfies PropDeclarations;

/** A source on this base: `export default { … } satisfies PollingSource` types `this` in run and hooks. */
export type PollingSource = SourceComponent<typeof pollingProps>;

/** `this` of a source on this base: the store, the source's db and `$emit`. */
export type PollingSourceThis = SourceThis<typeof pollingProps>;

/** The deploy hook: the store as it is now is the baseline. */
export async function deployWatch(source: PollingSourceThis, kind: WatchKind): Promise<void> {
  await recordBaseline(source.dataStore, source.db, kind);
}

/**
 * The activate hook. Changing props runs `deactivate` and `activate`, not `deploy`, so this is where
 * a switch to another data store is noticed: that store's records become the new baseline.
 */
export async function activateWatchedStore(source: PollingSourceThis, kind: WatchKind): Promise<void> {
  await activateWatch(source.dataStore, source.db, kind);
}

/** One poll: emits each change of `kind` with the event and summary `describe` gives it. */
export async function pollAndEmit(
  source: PollingSourceThis,
  kind: WatchKind,
  describe: (change: RecordChange) => { event: unknown; summary: string },
): Promise<void> {
  const ts = Date.now();
  await pollChanges(source.dataStore, source.db, kind, async (change, id) => {
    const { event, summary } = describe(change);
    await source.$emit(event, { id, summary, ts });
  });
}
