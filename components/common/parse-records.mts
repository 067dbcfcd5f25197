/** The Records prop of add-update-multiple-records: many records, all checked before any is written. */
import { ConfigurationError } from "@pipedream/platform";
import { describe, parseKey } from "./inputs.mjs";
import { isPlainObject, MAX_JSON_DEPTH, parseJsonText } from "../../lib/store/json.mjs";
import type { RecordToWrite } from "../../lib/records/records.mjs";
import { resolveSpec, type PropOf, type PropSpec } from "./props.mjs";
import { parseTtlSeconds } from "./ttl.mjs";
import { jsonTextError, parseValue, type ParseValueOptions, type ValueType } from "./values.mjs";

const EXAMPLE = `an object like {"sku-1": 5, "sku-2": 8}, or a list like [{"key": "sku-1", "value": 5, "ttl": 3600}]`;
const RECORD_FIELDS = new Set(["key", "value", "ttl"]);

/**
 * Reads records given as an object map `{ key: value }`, a list of `{ key, value, ttl? }`, or JSON
 * text of either. Values are read with `valueType` (which also decides, for JSON text, whether a
 * whole number too large to keep exactly stays text or is refused); a list item's `ttl` overrides
 * `defaultTtlSeconds`. Every record is checked in full (key, value, ttl) before this returns, and
 * a ConfigurationError names the first bad one, so nothing is written when any is bad.
 * `options.valueTypeLabel` names the component's Value Type prop, if it has one.
 */
export function parseRecords(
  input: unknown,
  valueType: ValueType,
  defaultTtlSeconds: number | null,
  label = "Records",
  options: ParseValueOptions = {},
): RecordToWrite[] {
  const data = typeof input === "string" ? parseRecordsText(input, label, valueType, options) : input;
  let records: RecordToWrite[];
  if (Array.isArray(data)) {
    records = data.map((item, index) =>
      parseListItem(item, `${label} item ${index + 1}`, valueType, defaultTtlSeconds, options),
    );
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
      value: parseValue(value, valueType, `${label} value of "${key}"`, options),
      ttlSeconds: defaultTtlSeconds,
    }));
  } else {
    throw new ConfigurationError(`${label} must be ${EXAMPLE}; got ${describe(data)}.`);
  }
  if (records.length === 0) throw new ConfigurationError(`${label} is empty: enter at least one record, as ${EXAMPLE}.`);
  return records;
}

/**
 * A Records prop (see parseRecords), named by its label; `valueTypeProp` is the component's Value
 * Type prop, which messages then suggest changing.
 */
export function readRecords<P, V>(
  input: unknown,
  prop: PropOf<P, PropSpec & { readonly type: "any" }>,
  options: { valueType: ValueType; defaultTtlSeconds: number | null; valueTypeProp: PropOf<V, PropSpec> },
): RecordToWrite[] {
  return parseRecords(input, options.valueType, options.defaultTtlSeconds, resolveSpec(prop).label, {
    valueTypeLabel: resolveSpec(options.valueTypeProp).label,
  });
}

function parseListItem(
  item: unknown,
  label: string,
  valueType: ValueType,
  defaultTtlSeconds: number | null,
  options: ParseValueOptions,
): RecordToWrite {
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
    value: parseValue(item.value, valueType, `${label} "value"`, options),
    ttlSeconds: Object.hasOwn(item, "ttl") ? parseTtlSeconds(item.ttl, `${label} "ttl"`) : defaultTtlSeconds,
  };
}

/**
 * The JSON text of the whole Records prop. It may nest two levels deeper than one value (a list
 * of `{ key, value }`); each value's own depth is checked with its record's label afterwards.
 */
function parseRecordsText(text: string, label: string, valueType: ValueType, options: ParseValueOptions): unknown {
  const parsed = parseJsonText(text, {
    inexactIntegers: valueType === "json" ? "refuse" : "text",
    maxDepth: MAX_JSON_DEPTH + 2,
  });
  if (parsed.ok) return parsed.value;
  switch (parsed.problem) {
    case "not-json":
      throw new ConfigurationError(`${label} is not valid JSON (${parsed.reason}); enter ${EXAMPLE}.`);
    case "too-deep":
      throw new ConfigurationError(
        `${label} holds a value nested deeper than ${MAX_JSON_DEPTH} levels of lists and objects. ` +
          `Flatten it to at most ${MAX_JSON_DEPTH} levels.`,
      );
    case "too-large":
      // Value Type does not change how the Records text itself is read, so it is no way out here.
      throw new ConfigurationError(jsonTextError(label, parsed.problem, parsed.reason));
    case "inexact-integer":
      throw new ConfigurationError(jsonTextError(label, parsed.problem, parsed.reason, options.valueTypeLabel));
  }
}
