import { ConfigurationError } from "@pipedream/platform";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { describeNonJson, MAX_JSON_DEPTH, parseJsonText, type JsonTextProblem } from "../../lib/store/json.mjs";
import { parseChoice } from "./inputs.mjs";
import { resolveSpec, type PropOf, type PropSpec } from "./props.mjs";

/** The Value prop (the app's `value` definition): any value, text read as `valueTypeProp` says. */
export const valueProp = {
  type: "any",
  label: "Value",
  description:
    "The value to store: text, a number, a list, an object, or an expression. With Value Type `auto`, " +
    "text that is valid JSON is stored as JSON (`42` as a number, `{\"a\":1}` as an object) and other text as text.",
} as const;

/** The Value Type prop (the app's `valueType` definition): how text entered as a value is stored. */
export const valueTypeProp = {
  type: "string",
  label: "Value Type",
  description:
    "How text values are stored. `auto` (the default): valid JSON becomes JSON, other text stays text " +
    "(`2024-12-31` and `007` stay text). `string`: always text, exactly as entered. `json`: must be valid JSON.",
  optional: true,
  default: "auto",
  options: [
    { label: "Auto: JSON when it parses, text otherwise", value: "auto" },
    { label: "Text: store exactly as entered", value: "string" },
    { label: "JSON: must parse as JSON", value: "json" },
  ],
} as const;

export type ValueType = (typeof valueTypeProp.options)[number]["value"];
export const VALUE_TYPES: readonly ValueType[] = valueTypeProp.options.map((option) => option.value);

/** A Value Type given outside a prop (the CLI's --value-type), its default when empty. */
export function parseValueType(input: unknown, label: string = valueTypeProp.label): ValueType {
  return parseChoice(input, VALUE_TYPES, label, valueTypeProp.default);
}

/**
 * A value prop (see parseValue), named by its label. `valueTypeProp` is the component's Value
 * Type prop, when it has one: messages then suggest changing it.
 */
export function readValue<P, V = never>(
  input: unknown,
  prop: PropOf<P, PropSpec & { readonly type: "any" }>,
  valueType: ValueType,
  valueTypeProp?: PropOf<V, PropSpec>,
): JsonValue {
  const valueTypeLabel = valueTypeProp === undefined ? undefined : resolveSpec(valueTypeProp).label;
  return parseValue(input, valueType, resolveSpec(prop).label, { valueTypeLabel });
}

export interface ParseValueOptions {
  /**
   * The label of the component's Value Type prop, when it has one: error messages then suggest
   * changing it. Without it they never mention a prop the component does not have.
   */
  valueTypeLabel?: string;
}

/**
 * Turns a value entered in the builder into what is stored. Text is never evaluated as code, and
 * no number is silently changed:
 * - `auto`: text that is valid JSON is stored as that JSON (`"42"` → 42, `'{"a":1}'` → an object);
 *   other text is kept as written (`"2024-12-31"`, `"007"`). A whole number too large to keep
 *   exactly stays text, at any depth (`{"id": 12345678901234567890}` → `{"id": "12345678901234567890"}`).
 * - `string`: text is stored exactly as written.
 * - `json`: text must be valid JSON, without whole numbers too large to keep exactly.
 * In every mode a number that overflows (`1e400`) and nesting deeper than MAX_JSON_DEPTH are
 * refused. Values that are not text (from expressions or object props) are stored as they are,
 * in every mode, once checked to be JSON data.
 */
export function parseValue(input: unknown, valueType: ValueType, label = "Value", options: ParseValueOptions = {}): JsonValue {
  if (input === undefined) throw new ConfigurationError(`${label} is required: enter the value to store.`);
  if (typeof input === "string") {
    if (valueType === "string") return input;
    const parsed = parseJsonText(input, { inexactIntegers: valueType === "json" ? "refuse" : "text" });
    if (parsed.ok) return parsed.value;
    if (parsed.problem === "not-json" && valueType === "auto") return input;
    throw new ConfigurationError(jsonTextError(label, parsed.problem, parsed.reason, options.valueTypeLabel));
  }
  const problem = describeNonJson(input, label, MAX_JSON_DEPTH);
  if (problem) {
    throw new ConfigurationError(
      `${problem}. Data stores hold JSON data only: text, numbers, true/false, null, and lists and plain objects ` +
        `nested at most ${MAX_JSON_DEPTH} levels deep.`,
    );
  }
  return input as JsonValue;
}

/**
 * The message for JSON text the prop `label` cannot take, saying what to fix. `valueTypeLabel`
 * names the component's Value Type prop, if it has one.
 */
export function jsonTextError(label: string, problem: JsonTextProblem, reason: string, valueTypeLabel?: string): string {
  const orValueType = (types: string, effect: string) =>
    valueTypeLabel === undefined ? "" : `, or set ${valueTypeLabel} to ${types} to ${effect}`;
  switch (problem) {
    case "not-json":
      return `${label} is not valid JSON (${reason}). Fix the JSON${orValueType('"auto" or "string"', "store it as text")}.`;
    case "too-deep":
      return `${label} ${reason}. Flatten it to at most ${MAX_JSON_DEPTH} levels${orValueType('"string"', "store the text as it is")}.`;
    case "too-large":
      return `${label} ${reason}. Enter a smaller number, or put it in quotes to store it as text${orValueType('"string"', "store the text as it is")}.`;
    case "inexact-integer":
      return `${label} ${reason}. Put it in quotes to keep every digit as text${orValueType('"auto"', "do that for you")}.`;
  }
}
