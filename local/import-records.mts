/**
 * `dskit store import`'s input: records from a JSON object `{ key: value }`, a JSON array of
 * `{ key, value, ttl? }`, NDJSON of such objects (one a line), or CSV with key,value[,ttl]
 * columns. Every record is checked with the actions' rules (parse-records, parseKey, parseValue,
 * parseTtlSeconds) before this returns, so a bad row writes nothing; the error names the row.
 *
 * JSON and NDJSON values are kept exactly as typed in the JSON (text stays text, so an export
 * imports back unchanged); a CSV cell is only text, so it is read like Value Type `auto`.
 */
import { extname } from "node:path";
import { ConfigurationError } from "@pipedream/platform";
import { parse } from "csv-parse/sync";
import { describe, parseKey } from "../components/common/inputs.mjs";
import { parseRecords } from "../components/common/parse-records.mjs";
import { parseTtlSeconds } from "../components/common/ttl.mjs";
import { jsonTextError, parseValue } from "../components/common/values.mjs";
import { isPlainObject, MAX_JSON_DEPTH, parseJsonText } from "../lib/store/json.mjs";
import type { RecordToWrite } from "../lib/records/records.mjs";

export const IMPORT_FORMATS = ["json", "ndjson", "csv"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

const EXTENSIONS: Record<string, ImportFormat> = { ".json": "json", ".ndjson": "ndjson", ".jsonl": "ndjson", ".csv": "csv" };
const RECORD_FIELDS = new Set(["key", "value", "ttl"]);

/** The format named by --format, else the file's extension, else the text itself. */
export function detectFormat(text: string, file: string, format?: string): ImportFormat {
  if (format !== undefined) {
    const named = IMPORT_FORMATS.find((candidate) => candidate === format.toLowerCase());
    if (named === undefined) throw new ConfigurationError(`--format must be one of ${IMPORT_FORMATS.join(", ")}; got "${format}".`);
    return named;
  }
  const byExtension = file === "-" ? undefined : EXTENSIONS[extname(file).toLowerCase()];
  if (byExtension !== undefined) return byExtension;
  const start = text.trimStart();
  // One JSON document is JSON; several objects, one a line, are NDJSON.
  if (start.startsWith("[") || start.startsWith("{")) return parseJsonText(text).ok || start.startsWith("[") ? "json" : "ndjson";
  // stdin is JSON or NDJSON unless --format says CSV: a typo'd JSON should not pass as one CSV row.
  return file === "-" ? "json" : "csv";
}

/** The records of `text` (read from `file`, "-" for stdin), all checked; throws a ConfigurationError naming the first bad one. */
export function readImportRecords(text: string, file: string, format?: string): { format: ImportFormat; records: RecordToWrite[] } {
  const source = file === "-" ? "stdin" : file;
  const chosen = detectFormat(text, file, format);
  switch (chosen) {
    case "json":
      // The actions' Records rules, values exact ("string" keeps text as text, other JSON as it is).
      return { format: chosen, records: parseRecords(text, "string", null, `The JSON in ${source}`) };
    case "ndjson":
      return { format: chosen, records: unique(readNdjson(text, source), source) };
    case "csv":
      return { format: chosen, records: unique(readCsv(text, source), source) };
  }
}

function readNdjson(text: string, source: string): RecordToWrite[] {
  const records: RecordToWrite[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    const label = `${source} line ${index + 1}`;
    const parsed = parseJsonText(line, { inexactIntegers: "text", maxDepth: MAX_JSON_DEPTH + 1 });
    if (!parsed.ok) throw new ConfigurationError(jsonTextError(label, parsed.problem, parsed.reason));
    const item = parsed.value;
    if (!isPlainObject(item)) throw new ConfigurationError(`${label} must be an object with "key" and "value"; got ${describe(item)}.`);
    const unknownField = Object.keys(item).find((field) => !RECORD_FIELDS.has(field));
    if (unknownField !== undefined) throw new ConfigurationError(`${label} has an unknown field "${unknownField}"; use "key", "value" and "ttl".`);
    if (!Object.hasOwn(item, "value")) throw new ConfigurationError(`${label} has no "value".`);
    records.push({
      key: parseKey(item.key, `${label} "key"`),
      value: parseValue(item.value, "string", `${label} "value"`),
      ttlSeconds: Object.hasOwn(item, "ttl") ? parseTtlSeconds(item.ttl, `${label} "ttl"`) : null,
    });
  });
  if (records.length === 0) throw new ConfigurationError(`${source} holds no records: write one {"key": …, "value": …} object a line.`);
  return records;
}

/** A first row of exactly key,value[,ttl] is a header; without one the columns are in that order. */
function readCsv(text: string, source: string): RecordToWrite[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new ConfigurationError(`${source} is not valid CSV: ${(error as Error).message}`);
  }
  const first = rows[0]?.map((cell) => cell.trim().toLowerCase());
  const hasHeader = first !== undefined && first[0] === "key" && first[1] === "value" && (first.length === 2 || (first.length === 3 && first[2] === "ttl"));
  const records: RecordToWrite[] = [];
  rows.forEach((row, index) => {
    if (hasHeader && index === 0) return;
    const label = `${source} row ${index + 1}`;
    if (row.length < 2 || row.length > 3) {
      throw new ConfigurationError(`${label} has ${row.length} column${row.length === 1 ? "" : "s"}; write key,value or key,value,ttl.`);
    }
    const [key, value, ttl] = row as [string, string, string?];
    records.push({
      key: parseKey(key, `${label} key`),
      value: parseValue(value, "auto", `${label} value`),
      ttlSeconds: parseTtlSeconds(ttl?.trim(), `${label} ttl`),
    });
  });
  if (records.length === 0) throw new ConfigurationError(`${source} holds no records: write one key,value[,ttl] row a line.`);
  return records;
}

/** As the actions' Records: a key given twice is a mistake, not "last one wins". */
function unique(records: RecordToWrite[], source: string): RecordToWrite[] {
  const seen = new Set<string>();
  for (const { key } of records) {
    if (seen.has(key)) throw new ConfigurationError(`${source} has the key "${key}" more than once; give each key once.`);
    seen.add(key);
  }
  return records;
}
