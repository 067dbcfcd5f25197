/**
 * `dskit run <name|key>`: one run of an action, or one poll of a source, against the embedded
 * store. The return value (or the events) goes to stdout as JSON, the `$summary` to stderr.
 * `--dry-run` polls a source against copy-on-write stand-ins (local/dry-run.mts), so nothing is saved.
 * `runLoadedComponent` is the run itself, shared with `dskit run <file>` (commands/run-file.mts).
 */
import { loadComponent } from "../catalog.mjs";
import { collectPropValues, firstDataStoreProp, PropValueError, type PropSources } from "../prop-values.mjs";
import type { DataStore } from "../../lib/store/data-store.mjs";
import type { SourceDb } from "../../lib/store/source-db.mjs";
import { resolvedProps, type AppAuth, type ComponentDefinition } from "../../runtime/component.mjs";
import { runAction } from "../../runtime/run-action.mjs";
import { createSource } from "../../runtime/run-source.mjs";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { BufferedDataStore, bufferedSourceDb } from "../dry-run.mjs";
import type { CliIo } from "../output.mjs";
import { countingDataStore, progressReporter } from "../progress.mjs";

/** Marks a source's db once its deploy hook has run, so the next run polls. */
const DEPLOYED_AT = "dskit:deployedAt";

/**
 * Where `unique` dedupe's memory of a source is kept between runs: a db of its own beside the
 * source's (the platform does not count it against `$.service.db`), started afresh at each deploy.
 */
export function dedupeDbKey(componentKey: string): string {
  return `dskit:dedupe:${componentKey}`;
}

export async function runComponent(
  nameOrKey: string,
  sources: PropSources,
  storeFile: StoreFile,
  dataStoreName: string,
  output: CliIo,
  buildRoot?: string,
  { dryRun = false, steps = {} }: { dryRun?: boolean; steps?: Record<string, unknown> } = {},
): Promise<void> {
  const { entry, component } = await loadComponent(nameOrKey, buildRoot);
  const values = collectPropValues(component, sources);
  await runLoadedComponent({ key: entry.key, dbKey: entry.key, component }, values, storeFile, dataStoreName, output, { dryRun, steps });
}

/** A component ready to run: its key for messages, and the key its `$.service.db` is kept under. */
export interface LoadedComponent {
  key: string;
  dbKey: string;
  component: ComponentDefinition;
}

export interface RunOptions {
  dryRun?: boolean;
  /** `steps` of an action's `run({ steps, $ })`. */
  steps?: Record<string, unknown>;
  /** Credentials by app slug, for app props other than data stores. */
  auth?: AppAuth;
}

/** One run of a loaded component with checked prop values (collectPropValues), against the store file. */
export async function runLoadedComponent(
  { key, dbKey, component }: LoadedComponent,
  values: Record<string, unknown>,
  storeFile: StoreFile,
  dataStoreName: string,
  output: CliIo,
  { dryRun = false, steps = {}, auth = {} }: RunOptions = {},
): Promise<void> {
  const isSource = component.type === "source";
  if (dryRun && !isSource) {
    throw new PropValueError(`--dry-run previews a source's poll; ${key} is an action (run it against a copy: --store-file another file).`);
  }
  // Counts store operations, so a long poll or export shows it is alive (on a terminal only).
  const progress = progressReporter(output, key, isSource ? "store operations" : "records and calls");
  const buffered: BufferedDataStore[] = [];
  const wrap = (store: DataStore): DataStore => {
    if (!dryRun) return countingDataStore(store, progress);
    const copyOnWrite = new BufferedDataStore(store);
    buffered.push(copyOnWrite);
    return countingDataStore(copyOnWrite, progress);
  };
  const realDb = storeFile.sourceDb(dbKey, dataStoreName);
  const dryDb = dryRun ? bufferedSourceDb(realDb) : undefined;
  const db = dryDb ?? realDb;
  const props = { ...values, ...dataStoreProps(component, storeFile, dataStoreName, values, wrap), ...serviceDbProps(component, db) };
  // The progress line is erased before any note, so a note never lands after it on the same line.
  const notes: CliIo = { ...output, note: (text) => (progress.done(), output.note(text)) };
  try {
    if (isSource) {
      const dedupeDb = storeFile.sourceDb(dedupeDbKey(dbKey), dataStoreName);
      const run = { key, component, props, db, dryDb, dedupeDb: dryRun ? bufferedSourceDb(dedupeDb) : dedupeDb, auth };
      await runSource(run, dataStoreName, notes, dryRun, buffered);
      return;
    }
    await runOneAction(component, props, notes, steps, auth);
  } finally {
    progress.done();
  }
}

/** Every `$.service.db` prop (a source's `db`; any component may declare one) gets the component's db. */
function serviceDbProps(component: ComponentDefinition, db: SourceDb): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const [name, spec] of resolvedProps(component)) if (spec.type === "$.service.db") props[name] = db;
  return props;
}

interface SourceRun {
  key: string;
  component: ComponentDefinition;
  props: Record<string, unknown>;
  db: SourceDb;
  /** The copy-on-write db of a dry run, whose writes are counted as discarded. */
  dryDb: { readonly writes: ReadonlyMap<string, unknown> } | undefined;
  dedupeDb: SourceDb;
  auth: AppAuth;
}

async function runSource(
  { key, component, props, db, dryDb, dedupeDb, auth }: SourceRun,
  dataStoreName: string,
  output: CliIo,
  dryRun: boolean,
  buffered: readonly BufferedDataStore[],
): Promise<void> {
  // Dropping the buffers is the whole of "not saving": nothing else is needed to undo the run.
  const discarded = (): string => {
    const writes = buffered.reduce((sum, store) => sum + store.writes, 0) + (dryDb?.writes.size ?? 0);
    return ` Dry run: nothing was saved (${writes} write${writes === 1 ? "" : "s"} discarded).`;
  };
  const deployed = db.get(DEPLOYED_AT) !== undefined;
  // A new deployment starts with no dedupe memory, as on the platform.
  const remembered = deployed ? dedupeDb.get("ids") : undefined;
  const source = createSource(component, props, db, {
    auth,
    dedupeMemory: Array.isArray(remembered) ? remembered.filter((id): id is string => typeof id === "string") : [],
  });
  // Saved even when the poll fails: the events it delivered before failing were delivered.
  const rememberDedupe = () => {
    if (component.dedupe === "unique") dedupeDb.set("ids", source.dedupeMemory());
  };
  if (!deployed) {
    try {
      await source.deploy();
    } finally {
      rememberDedupe();
    }
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
  let events;
  try {
    events = await source.poll();
  } finally {
    rememberDedupe();
  }
  output.note(`${events.length} event${events.length === 1 ? "" : "s"} ${dryRun ? "a poll would emit now." + discarded() : "emitted"}`);
  output.json(events);
}

async function runOneAction(
  component: ComponentDefinition,
  props: Record<string, unknown>,
  output: CliIo,
  steps: Record<string, unknown>,
  auth: AppAuth,
): Promise<void> {
  // Passed in so that a run that throws still has what it exported: its $summary says how far it got.
  const exports: Record<string, unknown> = {};
  let result: Awaited<ReturnType<typeof runAction>>;
  // What the workflow would do with the step's requests is shown, never done.
  const effects = {
    auth,
    onSend: (destination: string, payload: unknown) => output.note(`$.send.${destination} (shown, not sent): ${asText(payload)}`),
    onRespond: (response: unknown) => output.note(`$.respond (shown, no HTTP trigger here): ${asText(response)}`),
  };
  try {
    result = await runAction(component, props, steps, exports, effects);
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

/** A payload as one line of text: JSON where it is JSON, else what String makes of it. */
function asText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
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
