/**
 * Readers of props from their specs: each takes the value the builder handed over and the prop as
 * the component declared it, and reads label, default, range and options from that one object, so
 * a default or a range is stated once and every message names a prop the component really has.
 * A prop declared with `propDefinition: [app, "name"]` is read through the app's definition,
 * overridden by the prop's own fields, as the platform resolves it.
 */
import { ConfigurationError } from "@pipedream/platform";
import {
  isBlank,
  parseBoolean,
  parseChoice,
  parseInteger,
  parseKey,
  parseKeyList,
  parseNumber,
  parsePrefix,
  type PrefixOptions,
  type ReservedKeyOptions,
} from "./inputs.mjs";

/** What every reader needs: the prop's type, and the label its messages name. */
export interface PropSpec {
  readonly type: string;
  readonly label: string;
  readonly optional?: boolean;
}
export interface IntegerSpec extends PropSpec {
  readonly type: "integer";
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
}
export interface BooleanSpec extends PropSpec {
  readonly type: "boolean";
  readonly default: boolean;
}
export type ChoiceOption = string | { readonly label: string; readonly value: string };
export interface ChoiceSpec extends PropSpec {
  readonly type: "string";
  readonly default: string;
  readonly options: readonly ChoiceOption[];
}
/** A number entered as text (decimals and signs fit no integer prop); its default is text too. */
export interface NumberTextSpec extends PropSpec {
  readonly type: "string";
  readonly default: string;
}

type AppDefinitions<App> = App extends { readonly propDefinitions?: infer Definitions } ? NonNullable<Definitions> : never;

/** A prop with its `propDefinition` resolved: the app's definition, overridden by the prop's own fields. */
export type ResolvedProp<P> = P extends { readonly propDefinition: readonly [infer App, infer Name, ...unknown[]] }
  ? Omit<AppDefinitions<App>[Name & keyof AppDefinitions<App>], keyof P> & Omit<P, "propDefinition">
  : P;

/** `P` when it resolves to a spec of kind `S`; otherwise `S`, so passing the wrong prop fails to compile. */
export type PropOf<P, S> = ResolvedProp<P> extends S ? P : S;

/** The spec of a declared prop (see ResolvedProp). */
export function specOf<P>(prop: P): ResolvedProp<P> {
  const declared = prop as { propDefinition?: readonly unknown[] };
  if (!declared.propDefinition) return prop as ResolvedProp<P>;
  const [app, name] = declared.propDefinition as [{ app: string; propDefinitions?: Record<string, object> }, string];
  const definition = app.propDefinitions?.[name];
  if (!definition) throw new Error(`The ${app.app} app has no prop definition "${name}"`);
  const { propDefinition: _reference, ...overrides } = declared;
  return { ...definition, ...overrides } as ResolvedProp<P>;
}

/** The resolved spec of a prop already checked, at compile time, to be of kind `S`. */
export function resolveSpec<S extends PropSpec>(prop: unknown): S {
  return specOf(prop) as S;
}

type IntegerOf<S> = S extends { readonly default: number } ? number : S extends { readonly optional: true } ? number | undefined : number;

/**
 * An integer prop: its default (or `undefined` when optional without one) when left empty;
 * decimal integer text from expressions is accepted; values outside the spec's min..max refused.
 */
export function readInteger<P>(input: unknown, prop: PropOf<P, IntegerSpec>): IntegerOf<ResolvedProp<P>> {
  const spec = resolveSpec<IntegerSpec>(prop);
  if (isBlank(input) && spec.default !== undefined) return spec.default as IntegerOf<ResolvedProp<P>>;
  if (isBlank(input) && spec.optional) return undefined as IntegerOf<ResolvedProp<P>>;
  return parseInteger(input, spec.label, spec) as IntegerOf<ResolvedProp<P>>;
}

/**
 * A number from a text prop (`"-2.5"`, `"1e-7"`) or an expression, within `range`; the spec's
 * default, read by the same rule, when left empty.
 */
export function readNumber<P>(input: unknown, prop: PropOf<P, NumberTextSpec>, range: { min?: number; max?: number } = {}): number {
  const spec = resolveSpec<NumberTextSpec>(prop);
  const given = isBlank(input) ? spec.default : input;
  if (isBlank(given)) throw new ConfigurationError(`${spec.label} is required: enter a number.`);
  return parseNumber(given, spec.label, Number.NaN, range);
}

/** A boolean prop; `"true"`/`"false"` text is accepted, the spec's default when left empty. */
export function readBoolean<P>(input: unknown, prop: PropOf<P, BooleanSpec>): boolean {
  const spec = resolveSpec<BooleanSpec>(prop);
  return parseBoolean(input, spec.label, spec.default);
}

type ChoiceOf<S> = S extends { readonly options: readonly (infer Option)[] }
  ? Option extends string
    ? Option
    : Option extends { readonly value: infer Value }
      ? Value
      : never
  : never;

/** One of the spec's options (plain values, or `{ label, value }`); its default when left empty. */
export function readChoice<P>(input: unknown, prop: PropOf<P, ChoiceSpec>): ChoiceOf<ResolvedProp<P>> {
  const spec = resolveSpec<ChoiceSpec>(prop);
  const choices = spec.options.map((option) => (typeof option === "string" ? option : option.value));
  return parseChoice(input, choices, spec.label, spec.default) as ChoiceOf<ResolvedProp<P>>;
}

/** A data store key prop (see parseKey), named by its label. */
export function readKey<P>(input: unknown, prop: PropOf<P, PropSpec & { readonly type: "string" }>, options?: ReservedKeyOptions): string {
  return parseKey(input, resolveSpec(prop).label, options);
}

/** A list of keys (see parseKeyList), named by the prop's label. */
export function readKeyList<P>(input: unknown, prop: PropOf<P, PropSpec & { readonly type: "string[]" }>, options?: ReservedKeyOptions): string[] {
  return parseKeyList(input, resolveSpec(prop).label, options);
}

/** A key prefix (see parsePrefix), named by the prop's label; empty means every key. */
export function readPrefix<P>(input: unknown, prop: PropOf<P, PropSpec & { readonly type: "string" }>, options?: PrefixOptions): string {
  return parsePrefix(input, resolveSpec(prop).label, options);
}
