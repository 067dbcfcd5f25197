/**
 * The shapes of the package's components. Each component is a plain `export default { … }`
 * checked with `satisfies ActionComponent<typeof props>` (or `SourceComponent`), which types `this`
 * in `run` and the hooks: a prop's value is `unknown` until a reader in components/common checks
 * it, except the data store and the source's db, which the platform hands over ready to use.
 */
import type { JSONValue, Pipedream } from "@pipedream/types";
import type { DataStore } from "../../lib/store/data-store.mjs";
import type { SourceDb } from "../../lib/store/source-db.mjs";

/** What Pipedream passes to an action's `run`: always both, so `run({ $ })` needs no default. */
export interface ActionRunOptions {
  $: Pipedream;
  steps: JSONValue;
}

/** A prop as a component declares it: its own fields, or a `propDefinition` of the app with overrides. */
export interface PropDeclaration {
  readonly type?: string;
  readonly label?: string;
  readonly description?: string;
  readonly optional?: boolean;
  readonly default?: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly options?: unknown;
  readonly secret?: boolean;
  readonly propDefinition?: readonly unknown[];
}

/** A component's props, declared `as const` so readers see each label, default, range and option. */
export type PropDeclarations = Readonly<Record<string, PropDeclaration | "$.service.db">>;

/** What `this.<name>` holds for a prop: the store, the source's db, or input still to check. */
export type PropValue<P> = P extends { readonly type: "data_store" } | { readonly propDefinition: readonly [unknown, "dataStore", ...unknown[]] }
  ? DataStore
  : P extends "$.service.db" | { readonly type: "$.service.db" }
    ? SourceDb
    : unknown;

/** `this` of a component: one member per prop. */
export type PropValues<P> = { [Name in keyof P]: PropValue<P[Name]> };

/** What the registry asks of every component. */
interface ComponentInfo {
  key: `data_stores-${string}`;
  name: string;
  description: string;
  version: string;
}

export interface ActionComponent<P extends PropDeclarations> extends ComponentInfo {
  type: "action";
  annotations: { destructiveHint: boolean; openWorldHint: boolean; readOnlyHint: boolean; idempotentHint?: boolean };
  props: P;
  run(this: PropValues<P>, options: ActionRunOptions): Promise<unknown>;
}

/** `this.$emit` of a source; `id` is what `dedupe: "unique"` compares. */
export interface Emitter {
  $emit(event: unknown, meta: { id: string; summary: string; ts: number }): Promise<void> | void;
}

export type SourceThis<P> = PropValues<P> & Emitter;

export interface SourceComponent<P extends PropDeclarations> extends ComponentInfo {
  type: "source";
  dedupe?: "unique" | "greatest" | "last";
  props: P;
  hooks?: {
    deploy?(this: SourceThis<P>): Promise<void>;
    activate?(this: SourceThis<P>): Promise<void>;
    deactivate?(this: SourceThis<P>): Promise<void>;
  };
  run(this: SourceThis<P>): Promise<void>;
}
