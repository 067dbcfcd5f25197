/**
 * `dskit run <name|key>`: one run of an action, or one poll of a source, against the embedded
 * store. The return value (or the events) goes to stdout as JSON, the `$summary` to stderr.
 */
import { loadComponent } from "../catalog.mjs";
import { collectPropValues, type PropSources } from "../prop-values.mjs";
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
): Promise<void> {
  const { entry, component } = await loadComponent(nameOrKey);
  const props = { ...collectPropValues(component, sources), ...dataStoreProps(component, storeFile, dataStoreName) };
  if (entry.kind === "source") {
    const db = storeFile.sourceDb(entry.key, dataStoreName);
    const source = createSource(component, props, db);
    if (db.get(DEPLOYED_AT) === undefined) {
      await source.deploy();
      db.set(DEPLOYED_AT, new Date().toISOString());
      output.note(`Deployed ${entry.key} on data store "${dataStoreName}": the records there now are its baseline. Run it again to poll.`);
      output.json([]);
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

/** Every data_store prop gets the embedded store, as selecting a store in the builder would. */
function dataStoreProps(component: ComponentDefinition, storeFile: StoreFile, dataStoreName: string): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const [name, spec] of resolvedProps(component)) {
    if (spec.type === "data_store") props[name] = storeFile.dataStore(dataStoreName);
  }
  return props;
}
