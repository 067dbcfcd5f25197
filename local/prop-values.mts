/**
 * Prop values for `dskit run`, from `--prop name=value` pairs, `--props-json` and `--props-file`,
 * checked against the component's declared props and coerced by their type, as the builder would
 * hand them over: integers as numbers, booleans as booleans, string[] as lists, objects as objects.
 * Props of type `any` get the text as typed, as in the builder (the action reads it, e.g. as JSON).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { isPlainObject } from "../lib/store/json.mjs";
import { isInterfaceProp, resolvedProps, type ComponentDefinition, type PropSpec } from "../runtime/component.mjs";
import { didYouMean } from "./suggest.mjs";

/** A prop that does not exist, or a value that does not fit its type; exits 2 with this message. */
export class PropValueError extends Error {
  override name = "PropValueError";
}

export interface PropSources {
  /** `name=value` pairs, in order; a name given twice makes a list (for string[] props). */
  pairs?: string[];
  /** A JSON object of prop values. */
  json?: string;
  /** A file holding a JSON object of prop values. */
  file?: string;
  /** The folder a relative `file` is in. Default: the current folder. */
  cwd?: string;
}

/** The name of a component's first data_store prop: the store `--data-store` picks. */
export function firstDataStoreProp(component: ComponentDefinition): string | undefined {
  for (const [name, spec] of resolvedProps(component)) if (spec.type === "data_store") return name;
  return undefined;
}

/**
 * The props a user sets: not the app, not the first data store (`--data-store` picks it), not the
 * runtime's own. A further data store prop (Compare's Other Data Store, Copy's Target Data Store)
 * is set by naming another data store of the same store file: `--prop otherDataStore=b`.
 */
export function settableProps(component: ComponentDefinition): Map<string, PropSpec> {
  const props = resolvedProps(component);
  const first = firstDataStoreProp(component);
  for (const [name, spec] of props) {
    if (name === first || isInterfaceProp(spec)) props.delete(name);
  }
  return props;
}

/** The values a prop allows (its `options`, as text or `{ label, value }`), or undefined when any value goes. */
export function optionValues(spec: PropSpec): { value: unknown; label?: string }[] | undefined {
  if (!Array.isArray(spec.options)) return undefined;
  return (spec.options as unknown[]).map((option) =>
    isPlainObject(option) && "value" in option
      ? { value: option.value, label: typeof option.label === "string" ? option.label : undefined }
      : { value: option },
  );
}

/** A prop's declared `min` and `max`, where it has numbers there. */
export function propRange(spec: PropSpec): { min?: number; max?: number } {
  return {
    ...(typeof spec.min === "number" ? { min: spec.min } : {}),
    ...(typeof spec.max === "number" ? { max: spec.max } : {}),
  };
}

/** As the builder: a prop must be given unless it is optional or has a default. */
export function isRequired(spec: PropSpec): boolean {
  return spec.optional !== true && spec.default === undefined;
}

/** Merges the sources (file, then JSON, then pairs, later ones winning) into checked prop values. */
export function collectPropValues(component: ComponentDefinition, sources: PropSources): Record<string, unknown> {
  const props = settableProps(component);
  const values: Record<string, unknown> = {};
  const assign = (name: string, value: unknown, fromText: boolean) => {
    const spec = props.get(name);
    if (!spec) {
      const known = [...props.keys()].join(", ") || "none";
      const hint = didYouMean(name, [...props.keys()]);
      throw new PropValueError(`${component.key} has no prop "${name}".${hint} Its props: ${known}. See \`dskit describe ${component.key}\`.`);
    }
    // Text in JSON is read as --prop reads it (`{"limit": "5"}` is 5), so the three sources agree.
    const coerced = fromText || (typeof value === "string" && TEXT_COERCED.has(spec.type ?? "")) ? coerceText(name, spec, value as string | string[]) : checkJson(name, spec, value);
    values[name] = checkAllowed(name, spec, coerced);
  };
  if (sources.file !== undefined) {
    for (const [name, value] of Object.entries(readJsonObjectFile("--props-file", sources.file, sources.cwd))) {
      assign(name, value, false);
    }
  }
  if (sources.json !== undefined) {
    for (const [name, value] of Object.entries(readJsonObject(sources.json, "--props-json"))) assign(name, value, false);
  }
  const pairs = new Map<string, string[]>();
  for (const pair of sources.pairs ?? []) {
    const separator = pair.indexOf("=");
    // The text may be a secret typed without its name: only its length is told.
    if (separator <= 0) throw new PropValueError(`--prop takes name=value; one of ${pair.length} characters has no name before an "=".`);
    const name = pair.slice(0, separator);
    pairs.set(name, [...(pairs.get(name) ?? []), pair.slice(separator + 1)]);
  }
  for (const [name, texts] of pairs) assign(name, texts.length === 1 ? texts[0] : texts, true);
  // Checked here, before anything runs, so a missing prop is a mistake in the command (exit 2), not a failed run.
  // A further data store prop is left to the run, whose message says how to name one.
  const missing = [...props].filter(([name, spec]) => isRequired(spec) && spec.type !== "data_store" && !(name in values));
  if (missing.length > 0) {
    const names = missing.map(([name]) => name);
    const example = names.map((name) => `--prop ${name}=<value>`).join(" ");
    throw new PropValueError(
      `${component.key} needs ${names.length === 1 ? "the required prop" : "the required props"} ${names.map((name) => `"${name}"`).join(", ")}: add ${example}. See \`dskit describe ${component.key}\`.`,
    );
  }
  return values;
}

/** Prop types whose text from JSON is read as --prop reads it. */
const TEXT_COERCED = new Set(["integer", "boolean"]);

/** A value of the right type must also be one of the prop's options and within its min and max. */
function checkAllowed(name: string, spec: PropSpec, value: unknown): unknown {
  const options = optionValues(spec);
  if (options !== undefined) {
    const allowed = options.map((option) => option.value);
    for (const item of Array.isArray(value) && spec.type === "string[]" ? value : [value]) {
      if (allowed.includes(item)) continue;
      const texts = allowed.map(String);
      const hint = typeof item === "string" ? didYouMean(item, texts) : "";
      throw new PropValueError(`Prop "${name}" takes one of ${texts.join(", ")}; got ${describeValue(spec, item)}.${hint}`);
    }
  }
  const { min, max } = propRange(spec);
  if (typeof value === "number" && ((min !== undefined && value < min) || (max !== undefined && value > max))) {
    const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `${min} or more` : `${max} or less`;
    throw new PropValueError(`Prop "${name}" takes a number ${range}; got ${describeValue(spec, value)}.`);
  }
  return value;
}

/** Text from the command line, turned into what the builder would pass for the prop's type. */
function coerceText(name: string, spec: PropSpec, text: string | string[]): unknown {
  if (Array.isArray(text) && spec.type !== "string[]") {
    throw new PropValueError(`Prop "${name}" takes one value; it was given ${text.length}.`);
  }
  switch (spec.type) {
    case "integer": {
      if (!/^-?\d+$/.test((text as string).trim())) throw new PropValueError(`Prop "${name}" takes a whole number; got ${describeValue(spec, text)}.`);
      return Number(text);
    }
    case "boolean": {
      if (text !== "true" && text !== "false") throw new PropValueError(`Prop "${name}" takes true or false; got ${describeValue(spec, text)}.`);
      return text === "true";
    }
    case "string[]": {
      if (Array.isArray(text)) return text;
      if (!text.trim().startsWith("[")) return [text];
      return checkJson(name, spec, readJson(text, `Prop "${name}"`));
    }
    case "object":
      return readJsonObject(text as string, `Prop "${name}"`);
    case "data_store":
      return checkJson(name, spec, text);
    default:
      return text;
  }
}

/** A value from JSON must already have the prop's type. */
function checkJson(name: string, spec: PropSpec, value: unknown): unknown {
  const fits =
    spec.type === "integer"
      ? Number.isInteger(value)
      : spec.type === "boolean"
        ? typeof value === "boolean"
        : spec.type === "string[]"
          ? Array.isArray(value) && value.every((item) => typeof item === "string")
          : spec.type === "object"
            ? isPlainObject(value)
            : spec.type === "string"
              ? typeof value === "string"
              : spec.type === "data_store"
                ? typeof value === "string" && value !== ""
                : true;
  if (!fits) throw new PropValueError(`Prop "${name}" takes ${describeType(spec.type)}; got ${describeValue(spec, value)}.`);
  return value;
}

/**
 * A value that does not fit, as a message may show it: a short text or number of a prop that is
 * not secret is quoted (up to 40 characters); a secret prop's value, an object prop's value,
 * JSON text, objects and lists are only named by kind, as they may hold credentials.
 */
function describeValue(spec: PropSpec, value: unknown): string {
  const kind = Array.isArray(value) ? "a list" : value === null ? "null" : typeof value === "object" ? "an object" : undefined;
  if (kind !== undefined) return kind;
  if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") return `a value of type ${typeof value}`;
  const text = String(value);
  const looksLikeJson = typeof value === "string" && /^\s*[[{"]/.test(value);
  if (spec.secret === true || spec.type === "object" || looksLikeJson || text.length > 40) {
    return typeof value === "string" ? `text of ${value.length} characters` : `a ${typeof value}`;
  }
  return JSON.stringify(value);
}

function describeType(type: string | undefined): string {
  const names: Record<string, string> = {
    integer: "a whole number",
    boolean: "true or false",
    "string[]": "a list of text",
    object: "a JSON object",
    string: "text",
    data_store: "the name of a data store in the store file",
  };
  return names[type ?? ""] ?? "any value";
}

/**
 * The JSON object in the file a flag names (`--props-file`, `--steps-file`, `--auth-file`), relative
 * to `cwd`; an unreadable file, invalid JSON or anything but an object is a typing mistake (exit 2).
 */
export function readJsonObjectFile(flag: string, file: string, cwd = ".", example?: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (error) {
    throw new PropValueError(`${flag} ${file} cannot be read (${fileProblem(error)}).`);
  }
  return readJsonObject(text, `${flag} ${file}`, example);
}

/** Why a file could not be read, in words rather than an errno code. */
export function fileProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: "no such file",
    EACCES: "permission denied",
    EPERM: "permission denied",
    EISDIR: "it is a folder",
    ENOTDIR: "a part of its path is not a folder",
  };
  return (code !== undefined ? words[code] : undefined) ?? "it could not be opened";
}

function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse's message quotes the text around the error, which may be a secret: only the position is told.
    const position = /at position (\d+)/.exec((error as Error).message)?.[1];
    const where = position === undefined ? "" : ` at character ${Number(position) + 1}`;
    throw new PropValueError(`${what} is not valid JSON (an error${where}); check its quotes, commas and braces.`);
  }
}

/** `example`: what such an object looks like, told when the JSON is something else. */
function readJsonObject(text: string, what: string, example?: string): Record<string, unknown> {
  const value = readJson(text, what);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new PropValueError(`${what} must be a JSON object${example === undefined ? "" : `, e.g. ${example}`}.`);
  }
  return value as Record<string, unknown>;
}
