/**
 * `dskit info` and `dskit stores`: where the data is. Both only read: the store file is opened
 * read-only and a missing one is reported, never created.
 */
import { statSync } from "node:fs";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { countOf } from "../../components/common/summary.mjs";
import type { Output } from "../output.mjs";
import type { StoreFileChoice } from "../store-file.mjs";

/** The store file in use and why, its size (with the WAL beside it), and each data store's counts. */
export function infoCommand(storeFile: StoreFile, choice: StoreFileChoice, output: Output): 0 {
  const counts = storeFile.dataStoreCounts();
  const bytes = fileBytes(choice.path) + fileBytes(`${choice.path}-wal`);
  output.line(`Store file:  ${choice.path}`);
  output.line(`Chosen by:   ${choice.why}`);
  output.line(`Size:        ${formatBytes(bytes)}`);
  if (counts.length === 0) output.line("Data stores: none yet (a write creates one)");
  else {
    output.line(`Data stores: ${counts.length}`);
    const width = Math.max(...counts.map(({ name }) => name.length));
    for (const { name, records, internalRecords } of counts) {
      const internal = internalRecords > 0 ? `, ${countOf(internalRecords, "internal record")}` : "";
      output.line(`  ${name.padEnd(width)}  ${countOf(records, "record")}${internal}`);
    }
  }
  return 0;
}

/** One data store name a line, for scripts; the file's path on stderr. */
export function storesCommand(storeFile: StoreFile, choice: StoreFileChoice, output: Output): 0 {
  const names = storeFile.dataStoreNames();
  for (const name of names) output.line(name);
  output.note(`${countOf(names.length, "data store")} in ${choice.path}`);
  return 0;
}

function fileBytes(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]} (${bytes} bytes)`;
}
