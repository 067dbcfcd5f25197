/**
 * `dskit store …`: the dashboard's record operations from a terminal, on one named data store of
 * the embedded store file. Values are read like the actions read them (Value Type), keys and TTLs
 * checked the same way, so what works here works in a workflow.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { DataStore, JsonValue } from "../../lib/store/data-store.mjs";
import { deleteAllRecords, deleteRecords } from "../../lib/records/delete-records.mjs";
import { parseKey, parseKeyList, type ReservedKeyOptions } from "../../components/common/inputs.mjs";
import { isInternalKey } from "../../lib/store/reserved-keys.mjs";
import { listRecords, type ListedRecord } from "../../lib/records/list-records.mjs";
import { ConfigurationError } from "@pipedream/platform";
import { readImportRecords } from "../import-records.mjs";
import { measureDataStore } from "../store-weight.mjs";
import { writeRecord, writeRecords } from "../../lib/records/records.mjs";
import { countOf, expirySuffix } from "../../components/common/summary.mjs";
import { parseTtlSeconds } from "../../components/common/ttl.mjs";
import { parseValue, parseValueType } from "../../components/common/values.mjs";
import type { Output } from "../output.mjs";

/** A command's outcome: the process exit code (2: the command cannot run as typed, e.g. an unreadable file). */
export type ExitCode = 0 | 1 | 2;

export interface ListOptions {
  prefix?: string;
  includeInternal?: boolean;
  keysOnly?: boolean;
}

/**
 * One line per record, sorted by key: `key<TAB>value as JSON`, or only keys. The count note says
 * what `store stats` says: the user's records, and the package's internal ones apart.
 */
export async function listCommand(store: DataStore, options: ListOptions, output: Output): Promise<ExitCode> {
  const all = await listRecords(store, { prefix: options.prefix ?? "", includeInternal: true });
  const internal = all.filter(({ key }) => isInternalKey(key)).length;
  const records = options.includeInternal ? all : all.filter(({ key }) => !isInternalKey(key));
  for (const { key, value } of records) output.line(options.keysOnly ? key : `${key}\t${JSON.stringify(value)}`);
  output.note(recordCounts(all.length - internal, internal, options.includeInternal === true));
  return 0;
}

/** "3 records", "3 records and 1 internal record (the package's state; --include-internal lists it)". */
function recordCounts(records: number, internal: number, listed: boolean): string {
  if (internal === 0) return countOf(records, "record");
  return `${countOf(records, "record")} and ${countOf(internal, "internal record")} (the package's state${listed ? "" : "; --include-internal lists it"})`;
}

/** --internal: a key under the reserved `__dskit:` prefix is the package's state, touched only on purpose. */
export interface InternalOption {
  internal?: boolean;
}

/** The key check of every command that takes keys: the actions' check, reserved keys only with --internal. */
function reservedKeyOptions(options: InternalOption, verb: string): ReservedKeyOptions {
  return { allowReserved: options.internal === true, whenReserved: `Add --internal to ${verb} it anyway.` };
}

/** Prints the value as JSON; a missing key is exit 1, as `test -e` would be. */
export async function getCommand(store: DataStore, key: string, options: InternalOption, output: Output): Promise<ExitCode> {
  const value = await store.get(parseKey(key, "Key", reservedKeyOptions(options, "read")));
  if (value === undefined) {
    output.note(`No record "${key}"`);
    return 1;
  }
  output.json(value);
  return 0;
}

export async function setCommand(
  store: DataStore,
  key: string,
  text: string,
  options: { ttl?: string; valueType?: string } & InternalOption,
  output: Output,
): Promise<ExitCode> {
  const record = {
    key: parseKey(key, "Key", reservedKeyOptions(options, "write")),
    value: parseValue(text, parseValueType(options.valueType, "--value-type"), "The value", { valueTypeLabel: "--value-type" }),
    ttlSeconds: parseTtlSeconds(options.ttl, "--ttl"),
  };
  await writeRecord(store, record);
  output.note(`Stored "${record.key}"${expirySuffix(record.ttlSeconds)}`);
  return 0;
}

export async function removeCommand(store: DataStore, keys: string[], options: InternalOption, output: Output): Promise<ExitCode> {
  const { deleted, notFound } = await deleteRecords(store, parseKeyList(keys, "Keys", reservedKeyOptions(options, "delete")));
  output.note(`Deleted ${countOf(deleted.length, "record")}${notFound.length > 0 ? `; no record for ${notFound.join(", ")}` : ""}`);
  return 0;
}

/**
 * Deletes every record of this data store once `confirm` says yes; the package's own records
 * (counter parts, limiters, dedupe markers, caches) only with --internal, like Include Package State.
 */
export async function clearCommand(
  store: DataStore,
  confirm: () => Promise<boolean>,
  options: InternalOption,
  output: Output,
): Promise<ExitCode> {
  if (!(await confirm())) {
    output.note("Nothing deleted.");
    return 1;
  }
  const { deleted, internalDeleted } = await deleteAllRecords(store, "", { includeInternal: options.internal === true });
  const state = options.internal ? ` and ${countOf(internalDeleted, "internal record")} of the package's state` : "";
  output.note(`Deleted ${countOf(deleted, "record")}${state}`);
  return 0;
}

/**
 * Adds the records of a JSON object, a JSON array of { key, value, ttl? }, NDJSON or CSV (see
 * local/import-records.mts), from a file or stdin ("-"). All are checked before the first write.
 * `readInput` reads the file or stdin, as the caller's process has them.
 */
export async function importCommand(
  store: DataStore,
  file: string,
  options: { format?: string },
  readInput: (file: string) => string,
  output: Output,
): Promise<ExitCode> {
  let text: string;
  try {
    text = readInput(file);
  } catch (error) {
    output.note(`dskit: store import ${file}: ${(error as Error).message}`);
    return 2;
  }
  let read: ReturnType<typeof readImportRecords>;
  try {
    read = readImportRecords(text, file, options.format);
  } catch (error) {
    // A bad record is a mistake in the input: nothing was written, and the message names the row.
    if (!(error instanceof ConfigurationError)) throw error;
    output.note(`dskit: store import ${file}: ${error.message} Nothing was imported.`);
    return 2;
  }
  const keys = await writeRecords(store, read.records);
  output.note(`Imported ${countOf(keys.length, "record")} (${read.format.toUpperCase()})`);
  return 0;
}

/** Writes every record as one JSON object `{ key: value }` to a file (relative to `cwd`), or stdout. */
export async function exportCommand(
  store: DataStore,
  file: string | undefined,
  options: { includeInternal?: boolean; cwd?: string },
  output: Output,
): Promise<ExitCode> {
  const records = await listRecords(store, { includeInternal: options.includeInternal ?? false });
  const object = asObject(records);
  if (file === undefined || file === "-") output.json(object);
  else writeFileSync(resolve(options.cwd ?? ".", file), `${JSON.stringify(object, null, 2)}\n`);
  output.note(`Exported ${countOf(records.length, "record")}${file && file !== "-" ? ` to ${file}` : ""}`);
  return 0;
}

/** Records, bytes as JSON, and bytes after Brotli (see local/store-weight.mts): the dashboard shows the same. */
export async function statsCommand(store: DataStore, name: string, output: Output): Promise<ExitCode> {
  output.json(await measureDataStore(store, name));
  return 0;
}

/** Records as one JSON object of key to value; prototype-less, so "__proto__" stays a key. */
function asObject(records: readonly ListedRecord[]): Record<string, JsonValue> {
  const object: Record<string, JsonValue> = Object.create(null);
  for (const { key, value } of records) object[key] = value;
  return object;
}
