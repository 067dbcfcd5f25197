import { ConfigurationError } from "@pipedream/platform";
import type { JsonValue } from "./data-store.mjs";
import { describeNonJson } from "./json.mjs";
import { parseChoice } from "./inputs.mjs";

/** How text entered as a value is stored. */
export const VALUE_TYPES = ["auto", "string", "json"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** The Value Type prop, `auto` when empty. */
export function parseValueType(input: unknown, label = "Value Type"): ValueType {
  return parseChoice(input, VALUE_TYPES, label, "auto");
}

/**
 * Turns a value entered in the builder into what is stored. Text is never evaluated as code:
 * - `auto`: text that is valid JSON is stored as that JSON (`"42"` → 42, `'{"a":1}'` → an object);
 *   other text is kept as written (`"2024-12-31"`, `"007"`); so is a whole number too large to
 *   keep exactly (`"12345678901234567890"` stays text, as IDs often are).
 * - `string`: text is stored exactly as written.
 * - `json`: text must be valid JSON.
 * Values that are not text (from expressions or object props) are stored as they are, in every mode,
 * once checked to be JSON data.
 */
export function parseValue(input: unknown, valueType: ValueType, label = "Value"): JsonValue {
  if (input === undefined) throw new ConfigurationError(`${label} is required: enter the value to store.`);
  if (typeof input === "string") {
    if (valueType === "string") return input;
    const parsed = parseJsonText(input);
    if (parsed.ok) return parsed.value;
    if (valueType === "json") {
      throw new ConfigurationError(
        `${label} is not valid JSON (${parsed.reason}). Fix the JSON, or set Value Type to "auto" or "string" to store it as text.`,
      );
    }
    return input;
  }
  const problem = describeNonJson(input, label);
  if (problem) throw new ConfigurationError(`${problem}. Data stores hold JSON data only.`);
  return input as JsonValue;
}

type ParsedJson = { ok: true; value: JsonValue } | { ok: false; reason: string };

function parseJsonText(text: string): ParsedJson {
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return { ok: false, reason: "the number is too large to store exactly" };
  }
  return { ok: true, value };
}
