/** The Records prop of add-update-multiple-records: many records, all checked before any is written. */
import { ConfigurationError } from "@pipedream/platform";
import { describe, parseKey } from "./inputs.mjs";
import type { RecordToWrite } from "./records.mjs";
import { parseTtlSeconds } from "./ttl.mjs";
import { parseValue, type ValueType } from "./values.mjs";

const EXAMPLE = `an object like {"sku-1": 5, "sku-2": 8}, or a list like [{"key": "sku-1", "value": 5, "ttl": 3600}]`;
const RECORD_FIELDS = new Set(["key", "value", "ttl"]);

/**
 * Reads records given as an object map `{ key: value }`, a list of `{ key, value, ttl? }`, or JSON
 * text of either. Values are read with `valueType`; a list item's `ttl` overrides `defaultTtlSeconds`.
 * Throws a ConfigurationError naming the first bad record, so nothing is written when any is bad.
 */
export function parseRecords(
  input: unknown,
  valueType: ValueType,
  defaultTtlSeconds: number | null,
  label = "Records",
): RecordToWrite[] {
  const data = typeof input === "string" ? parseJsonText(input, label) : input;
  let records: RecordToWrite[];
  if (Array.isArray(data)) {
    records = data.map((item, index) => parseListItem(item, `${label} item ${index + 1}`, valueType, defaultTtlSeconds));
    const seen = new Set<string>();
    for (const record of records) {
      if (seen.has(record.key)) {
        throw new ConfigurationError(`${label} has the key "${record.key}" more than once; give each key once.`);
      }
      seen.add(record.key);
    }
  } else if (isPlainObject(data)) {
    records = Object.entries(data).map(([key, value]) => ({
      key: parseKey(key, `${label} key`),
      value: parseValue(value, valueType, `${label} value of "${key}"`),
      ttlSeconds: defaultTtlSeconds,
    }));
  } else {
    throw new ConfigurationError(`${label} must be ${EXAMPLE}; got ${describe(data)}.`);
  }
  if (records.length === 0) throw new ConfigurationError(`${label} is empty: enter at least one record, as ${EXAMPLE}.`);
  return records;
}

function parseListItem(item: unknown, label: string, valueType: ValueType, defaultTtlSeconds: number | null): RecordToWrite {
  if (!isPlainObject(item)) {
    throw new ConfigurationError(`${label} must be an object with "key" and "value"; got ${describe(item)}.`);
  }
  const unknownField = Object.keys(item).find((field) => !RECORD_FIELDS.has(field));
  if (unknownField !== undefined) {
    throw new ConfigurationError(`${label} has an unknown field "${unknownField}"; use "key", "value" and "ttl".`);
  }
  if (!Object.hasOwn(item, "value")) throw new ConfigurationError(`${label} has no "value".`);
  return {
    key: parseKey(item.key, `${label} "key"`),
    value: parseValue(item.value, valueType, `${label} "value"`),
    ttlSeconds: Object.hasOwn(item, "ttl") ? parseTtlSeconds(item.ttl, `${label} "ttl"`) : defaultTtlSeconds,
  };
}

function parseJsonText(text: string, label: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`${label} is not valid JSON (${(error as Error).message}); enter ${EXAMPLE}.`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
