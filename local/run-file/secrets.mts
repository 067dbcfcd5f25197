/**
 * What a component file's run prints goes through here: every text of the `--auth-file` and of
 * the secret props is replaced by `[redacted]` wherever it would appear (notes, the JSON result,
 * console output, error messages), and `console` writes to stderr through dskit's output, so stdout
 * stays the JSON result alone.
 */
import { format, inspect } from "node:util";
import type { AppAuth, ComponentDefinition } from "../../runtime/component.mjs";
import { resolvedProps } from "../../runtime/component.mjs";
import type { CliIo } from "../output.mjs";

/** Shorter texts are left as they are: replacing `us` or `v2` everywhere would garble the output and hide nothing. */
const MIN_SECRET_CHARS = 4;

const REDACTED = "[redacted]";

/** Replaces each secret text in a string. */
export type Redact = (text: string) => string;

function stringLeaves(value: unknown, into: string[]): string[] {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringLeaves(item, into);
  else if (typeof value === "object" && value !== null) for (const item of Object.values(value)) stringLeaves(item, into);
  return into;
}

/** The secrets of a run: every text in the auth entries, and the values of props declared `secret`. */
export function secretTexts(component: ComponentDefinition, values: Record<string, unknown>, auth: AppAuth): string[] {
  const texts = stringLeaves(auth, []);
  for (const [name, spec] of resolvedProps(component)) if (spec.secret === true && name in values) stringLeaves(values[name], texts);
  return texts;
}

export function makeRedact(secrets: readonly string[]): Redact {
  // Longest first, so a secret that contains another is replaced whole.
  const texts = [...new Set(secrets.filter((text) => text.length >= MIN_SECRET_CHARS))].sort((a, b) => b.length - a.length);
  if (texts.length === 0) return (text) => text;
  return (text) => texts.reduce((result, secret) => result.split(secret).join(REDACTED), text);
}

function redactValue(value: unknown, redact: Redact): unknown {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redact));
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redact(key), redactValue(item, redact)]));
  }
  return value;
}

/** `io` with every text it writes redacted. */
export function redactingIo(io: CliIo, redact: Redact): CliIo {
  return {
    ...io,
    json: (value) => io.json(redactValue(value, redact)),
    line: (text) => io.line(redact(text)),
    note: (text) => io.note(redact(text)),
    writeOut: (text) => io.writeOut(redact(text)),
    writeErr: (text) => io.writeErr(redact(text)),
  };
}

const CONSOLE_METHODS = ["log", "info", "debug", "warn", "error", "trace"] as const;

/**
 * Sends `console` to `io.note` (stderr) while `work` runs, as the step's logs; restores it after.
 * Pipedream shows console output in the step's logs, never as its result.
 */
export async function withConsoleToStderr<T>(io: CliIo, work: () => Promise<T>): Promise<T> {
  const saved = CONSOLE_METHODS.map((method) => [method, console[method]] as const);
  const savedDir = console.dir;
  for (const method of CONSOLE_METHODS) console[method] = (...args: unknown[]) => io.note(format(...args));
  console.dir = (value: unknown, options?: object) => io.note(inspect(value, options));
  try {
    return await work();
  } finally {
    for (const [method, original] of saved) console[method] = original;
    console.dir = savedDir;
  }
}
