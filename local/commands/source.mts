/**
 * `dskit source reset <source>`: forgets a source's state so that its next run deploys again.
 * The state is in two places: its `$.service.db` in the store file (the header, and dskit's
 * deployed mark) and, for the sources that keep them, records in the watched data store under
 * `__dskit:source:<id>` (the marker and the sharded state, lib/watch/). The db names the id; once
 * the db is gone nothing names those records, so they are deleted too rather than left as garbage.
 */
import { loadComponent } from "../catalog.mjs";
import { PropValueError } from "../prop-values.mjs";
import { dedupeDbKey } from "./run.mjs";
import { sourceMarkerKey } from "../../lib/watch/watch-records.mjs";
import type { SourceDb } from "../../lib/store/source-db.mjs";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import type { Output } from "../output.mjs";

/** The db entries that may name the source's id: the header, a 0.1/0.2 state, New Value at Key's state. */
const ID_HOLDERS = ["watchHeader", "watchState", "valueAtKeyState"] as const;

/** The id under which the source keeps records in the watched store, if its db names one. */
export function sourceRecordId(db: SourceDb): string | undefined {
  for (const key of ID_HOLDERS) {
    const saved = db.get(key) as { source?: unknown } | null | undefined;
    if (typeof saved?.source === "string" && saved.source !== "") return saved.source;
  }
  return undefined;
}

export async function resetSourceCommand(nameOrKey: string, storeFile: StoreFile, dataStoreName: string, output: Output, buildRoot?: string): Promise<void> {
  const { entry } = await loadComponent(nameOrKey, buildRoot);
  if (entry.kind !== "source") throw new PropValueError(`${entry.key} is an action; only a source has state to reset.`);
  const db = storeFile.sourceDb(entry.key, dataStoreName);
  const id = sourceRecordId(db);
  let records = 0;
  if (id !== undefined) {
    // The marker is `__dskit:source:<id>`, its shards `__dskit:source:<id>:state:…`; the ":" keeps another id sharing a prefix safe.
    const marker = sourceMarkerKey(id);
    const store = storeFile.dataStore(dataStoreName);
    for (const key of await store.keys()) {
      if (key !== marker && !key.startsWith(`${marker}:`)) continue;
      await store.delete(key);
      records++;
    }
  }
  const entries = storeFile.deleteSourceDb(entry.key, dataStoreName);
  // dskit's own memory of the deployment (dedupe's last ids) goes with it; it is not the source's state.
  storeFile.deleteSourceDb(dedupeDbKey(entry.key), dataStoreName);
  if (entries === 0 && records === 0) {
    output.note(`${entry.key} on data store "${dataStoreName}" has no state: nothing to reset. Its next run deploys it.`);
    return;
  }
  output.note(
    `Reset ${entry.key} on data store "${dataStoreName}": forgot its $.service.db (${entries} entr${entries === 1 ? "y" : "ies"})` +
      (id === undefined ? "" : ` and deleted its ${records} state record${records === 1 ? "" : "s"} (${sourceMarkerKey(id)}…) from the data store`) +
      ". Its next run deploys it again.",
  );
}
