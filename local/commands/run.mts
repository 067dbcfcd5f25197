/**
 * `dskit run <name|key>`: one run of an action, or one poll of a source, against the embedded
 * store. The return value (or the events) goes to stdout as JSON, the `$summary` to stderr.
 * `--dry-run` polls a source against copy-on-write stand-ins (local/dry-run.mts), so nothing is saved.
 */
import { loadComponent } from "../catalog.mjs";
import { collectPropValues, firstDataStoreProp, PropValueError, type PropSources } from "../prop-values.mjs";
import type { DataStore } from "../../lib/store/data-store.mjs";
import { resolvedProps, type ComponentDefinition } from "../../runtime/component.mjs";
import { runAction } from "../../runtime/run-action.mjs";
import { createSource } from "../../runtime/run-source.mjs";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { BufferedDataStore, bufferedSourceDb } from "../dry-run.mjs";
import type { CliIo } from "../output.mjs";
import { countingDataStore, progressReporter } from "../progress.mjs";

/** Marks a source's db once its deploy hook has run, so the next run polls. */
const DEPLOYED_AT = "dskit:deployedAt";

export async function runComponent(
  nameOrKey: string,
  sources: PropSources,
  storeFile: StoreFile,
  dataStoreName: string,
  output: CliIo,
  buildRoot?: string,
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<void> {
  const { entry, component } = await loadComponent(nameOrKey, buildRoot);
  const values = collectPropValues(component, sources);
  if (dryRun && entry.kind !== "source") {
    throw new PropValueError(`--dry-run previews a source's poll; ${entry.key} is an action (run it against a copy: --store-file another file).`);
  }
  // Counts store operations, so a long poll or export shows it is alive (on a terminal only).
  const progress = progressReporter(output, entry.key, entry.kind === "source" ? "store operations" : "records and calls");
  const buffered: BufferedDataStore[] = [];
  const wrap = (store: DataStore): DataStore => {
    if (!dryRun) return countingDataStore(store, progress);
    const copyOnWrite = new BufferedDataStore(store);
    buffered.push(copyOnWrite);
    return countingDataStore(copyOnWrite, progress);
  };
  const props = { ...values, ...dataStoreProps(component, storeFile, dataStoreName, values, wrap) };
  // The progress line is erased before any note, so a note never lands after it on the same line.
  const notes: CliIo = { ...output, note: (text) => (progress.done(), output.note(text)) };
  try {
    if (entry.kind === "source") {
      await runSource(entry.key, component, props, storeFile, dataStoreName, notes, dryRun, buffered);
      return;
    }
    await runOneAction(component, props, notes);
  } finally {
    progress.done();
  }
}

async function runSource(
  key: string,
  component: ComponentDefinition,
  props: Record<string, unknown>,
  storeFile: StoreFile,
  dataStoreName: string,
  output: CliIo,
  dryRun: boolean,
  buffered: readonly BufferedDataStore[],
): Promise<void> {
  const realDb = storeFile.sourceDb(key, dataStoreName);
  const dryDb = dryRun ? bufferedSourceDb(realDb) : undefined;
  const db = dryDb ?? realDb;
  // Dropping the buffers is the whole of "not saving": nothing else is needed to undo the run.
  const discarded = (): string => {
    const writes = buffered.reduce((sum, store) => sum + store.writes, 0) + (dryDb?.writes.size ?? 0);
    return ` Dry run: nothing was saved (${writes} write${writes === 1 ? "" : "s"} discarded).`;
  };
  const source = createSource(component, props, db);
  if (db.get(DEPLOYED_AT) === undefined) {
    await source.deploy();
    db.set(DEPLOYED_AT, new Date().toISOString());
    // A source may emit at deploy (New Value at Key's `existing` value): those events are shown too.
    const atDeploy = source.delivered;
    output.note(
      `${dryRun ? "Would deploy" : "Deployed"} ${key} on data store "${dataStoreName}": what is there now is its baseline` +
        `${atDeploy.length > 0 ? ` (${atDeploy.length} event${atDeploy.length === 1 ? "" : "s"} emitted at deploy)` : ""}.` +
        (dryRun ? discarded() : " Run it again to poll."),
    );
    output.json(atDeploy);
    return;
  }
  const events = await source.poll();
  output.note(`${events.length} event${events.length === 1 ? "" : "s"} ${dryRun ? "a poll would emit now." + discarded() : "emitted"}`);
  output.json(events);
}

async function runOneAction(component: ComponentDefinition, props: Record<string, unknown>, output: CliIo): Promise<void> {
  // Passed in so that a run that throws still has what it exported: its $summary says how far it got.
  const exports: Record<string, unknown> = {};
  let result: Awaited<ReturnType<typeof runAction>>;
  try {
    result = await runAction(component, props, {}, exports);
  } catch (error) {
    if (typeof exports.$summary === "string") output.note(exports.$summary);
    throw error;
  }
  if (result.summary !== undefined && result.summary !== result.exitReason) output.note(result.summary);
  if (result.exitReason !== undefined) {
    output.note(`The workflow would end here ($.flow.exit): ${result.exitReason}`);
    return;
  }
  output.json(result.returnValue ?? null);
}

/**
 * The data_store props, as selecting stores in the builder would set them: the first is the store
 * `--data-store` names; any other is the store its prop value names (`--prop otherDataStore=b`),
 * in the same file. One name gives one object, so a store given twice is the same object.
 */
function dataStoreProps(
  component: ComponentDefinition,
  storeFile: StoreFile,
  dataStoreName: string,
  values: Record<string, unknown>,
  wrap: (store: DataStore) => DataStore,
): Record<string, unknown> {
  const first = firstDataStoreProp(component);
  const opened = new Map<string, DataStore>();
  const open = (name: string): DataStore => {
    const store = opened.get(name) ?? wrap(storeFile.dataStore(name));
    opened.set(name, store);
    return store;
  };
  const props: Record<string, unknown> = {};
  for (const [name, spec] of resolvedProps(component)) {
    if (spec.type !== "data_store") continue;
    if (name === first) {
      props[name] = open(dataStoreName);
      continue;
    }
    const named = values[name];
    if (typeof named !== "string") {
      throw new PropValueError(
        `${component.key} needs ${spec.label ?? name}: name another data store of the store file with --prop ${name}=NAME ` +
          `(--data-store picks the first one, here "${dataStoreName}").`,
      );
    }
    props[name] = open(named);
  }
  return props;
}
