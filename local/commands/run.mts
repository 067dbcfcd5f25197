/**
 * `dskit run <name|key>`: one run of an action, or one poll of a source, against the embedded
 * store. The return value (or the events) goes to stdout as JSON, the `$summary` to stderr.
 */
import { loadComponent } from "../catalog.mjs";
import { collectPropValues, firstDataStoreProp, PropValueError, type PropSources } from "../prop-values.mjs";
import type { DataStore } from "../../lib/store/data-store.mjs";
import { resolvedProps, type ComponentDefinition } from "../../runtime/component.mjs";
import { runAction } from "../../runtime/run-action.mjs";
import { createSource } from "../../runtime/run-source.mjs";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import type { Output } from "../output.mjs";

/** Marks a source's db once its deploy hook has run, so the next run polls. */
const DEPLOYED_AT = "dskit:deployedAt";

export async function runComponent(
  nameOrKey: string,
  sources: PropSources,
  storeFile: StoreFile,
  dataStoreName: string,
  output: Output,
  buildRoot?: string,
): Promise<void> {
  const { entry, component } = await loadComponent(nameOrKey, buildRoot);
  const values = collectPropValues(component, sources);
  const props = { ...values, ...dataStoreProps(component, storeFile, dataStoreName, values) };
  if (entry.kind === "source") {
    const db = storeFile.sourceDb(entry.key, dataStoreName);
    const source = createSource(component, props, db);
    if (db.get(DEPLOYED_AT) === undefined) {
      await source.deploy();
      db.set(DEPLOYED_AT, new Date().toISOString());
      // A source may emit at deploy (New Value at Key's `existing` value): those events are shown too.
      const atDeploy = source.delivered;
      output.note(
        `Deployed ${entry.key} on data store "${dataStoreName}": what is there now is its baseline` +
          `${atDeploy.length > 0 ? ` (${atDeploy.length} event${atDeploy.length === 1 ? "" : "s"} emitted at deploy)` : ""}. Run it again to poll.`,
      );
      output.json(atDeploy);
      return;
    }
    const events = await source.poll();
    output.note(`${events.length} event${events.length === 1 ? "" : "s"} emitted`);
    output.json(events);
    return;
  }
  const result = await runAction(component, props);
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
): Record<string, unknown> {
  const first = firstDataStoreProp(component);
  const opened = new Map<string, DataStore>();
  const open = (name: string): DataStore => {
    const store = opened.get(name) ?? storeFile.dataStore(name);
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
