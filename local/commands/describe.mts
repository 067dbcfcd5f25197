/**
 * `dskit describe <component>` (and `dskit run <component> --help`): what a component does and
 * every prop a user sets, with its type, whether it is required, its default, options, range and
 * description, then a command line that fills the required props. Read from the built component
 * itself, so it cannot drift from what `dskit run` checks.
 */
import { loadComponent, type CatalogEntry } from "../catalog.mjs";
import { isRequired, optionValues, propRange, settableProps } from "../prop-values.mjs";
import type { ComponentDefinition, PropSpec } from "../../runtime/component.mjs";
import type { Output } from "../output.mjs";

/** Type names as the messages of `dskit run` give them. */
const TYPE_NAMES: Record<string, string> = {
  integer: "whole number",
  boolean: "true or false",
  "string[]": "list of text (repeat --prop, or a JSON list)",
  object: "JSON object",
  string: "text",
  any: "any (text as typed; JSON where the action reads it)",
  data_store: "name of another data store in the store file",
};

export async function describeCommand(nameOrKey: string, output: Output, buildRoot?: string): Promise<void> {
  const { entry, component } = await loadComponent(nameOrKey, buildRoot);
  for (const line of describeLines(entry, component)) output.line(line);
}

/** The whole description, as lines. */
export function describeLines(entry: CatalogEntry, component: ComponentDefinition): string[] {
  const lines = [
    `${component.name ?? entry.name} (${entry.kind})`,
    `  key:  ${entry.key}`,
    `  name: ${entry.name}  (dskit run takes either)`,
    "",
    ...wrap(component.description ?? "", 96, "  "),
    "",
  ];
  const props = settableProps(component);
  if (props.size === 0) lines.push("Props: none to set.");
  else lines.push("Props:");
  for (const [name, spec] of props) lines.push(...propLines(name, spec));
  lines.push(
    "",
    `The data store is the embedded one: --data-store NAME picks it (default "default"), --store-file the file.`,
    "",
    "Example:",
    `  ${exampleCommand(entry, component)}`,
  );
  return lines;
}

function propLines(name: string, spec: PropSpec): string[] {
  const facts = [TYPE_NAMES[spec.type ?? ""] ?? spec.type ?? "any", isRequired(spec) ? "required" : "optional"];
  if (spec.default !== undefined) facts.push(`default ${JSON.stringify(spec.default)}`);
  const { min, max } = propRange(spec);
  if (min !== undefined && max !== undefined) facts.push(`from ${min} to ${max}`);
  else if (min !== undefined) facts.push(`at least ${min}`);
  else if (max !== undefined) facts.push(`at most ${max}`);
  if (spec.secret === true) facts.push("secret");
  const lines = [`  ${name}  ${spec.label ?? ""}  (${facts.join(", ")})`.replace(/ {4}\(/, "  (")];
  const options = optionValues(spec);
  if (options !== undefined) {
    lines.push("      options:");
    for (const option of options) lines.push(`        ${String(option.value)}${option.label !== undefined ? `  ${option.label}` : ""}`);
  }
  if (spec.description) lines.push(...wrap(spec.description, 90, "      "));
  return lines;
}

/** Words wrapped to `width` columns, each line indented. */
function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.replace(/\s+/g, " ").trim().split(" ")) {
    if (word === "") continue;
    if (line !== "" && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(indent + line);
  return lines;
}

/** The arguments of `dskit run` that fill every required prop with a plausible value. */
export function exampleArgs(entry: CatalogEntry, component: ComponentDefinition): string[] {
  const args = ["run", entry.name];
  for (const [name, spec] of settableProps(component)) {
    if (!isRequired(spec)) continue;
    args.push("--prop", `${name}=${exampleValue(name, spec)}`);
  }
  return args;
}

/** The example as one line a shell takes as it is. */
export function exampleCommand(entry: CatalogEntry, component: ComponentDefinition): string {
  return ["dskit", ...exampleArgs(entry, component)].map(shellQuote).join(" ");
}

/** A value of the prop's type that dskit accepts: the first option, the low end of a range, or a name-shaped text. */
function exampleValue(name: string, spec: PropSpec): string {
  const options = optionValues(spec);
  if (options !== undefined && options.length > 0) return String(options[0]!.value);
  switch (spec.type) {
    case "integer": {
      const { min, max } = propRange(spec);
      return String(Math.min(max ?? Infinity, Math.max(min ?? 1, 1)));
    }
    case "boolean":
      return "true";
    case "object":
      return '{"name": "value"}';
    case "data_store":
      return "other";
    case "string[]":
      return "greeting";
    default:
      if (/url/i.test(name)) return "http://127.0.0.1:8080/";
      if (/key/i.test(name)) return "greeting";
      return "hello";
  }
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
