/**
 * Runs components the way the Pipedream runtime does; the local runner (dskit) and the tests'
 * harness both use it. Props are resolved through `propDefinition` (the app's definition,
 * overridden by the prop's own fields) with their defaults, the app prop becomes an object whose
 * methods are bound to it, component methods are bound to `this`, and `run({ $, steps })` gets a
 * `$` with `export` and `flow.exit`, which ends the step at once. Sources get `this.db` and
 * `this.$emit`, and run their hooks and polls on demand.
 */
import { describeNonJson } from "../lib/store/json.mjs";
import type { SourceDb } from "../lib/store/source-db.mjs";

/** A prop as components declare it; only the fields the runtime acts on are typed. */
export interface PropSpec {
  type?: string;
  propDefinition?: [AppDefinition, string, ((configured: Record<string, unknown>) => object)?];
  default?: unknown;
  optional?: boolean;
  options?: unknown;
  label?: string;
  description?: string;
  secret?: boolean;
  [field: string]: unknown;
}

export interface AppDefinition {
  type: "app";
  app: string;
  propDefinitions?: Record<string, PropSpec>;
  methods?: Record<string, (...args: never[]) => unknown>;
}

export interface ComponentDefinition {
  key: string;
  type: "action" | "source";
  name?: string;
  description?: string;
  version: string;
  props?: Record<string, PropSpec | AppDefinition>;
  methods?: Record<string, (...args: never[]) => unknown>;
  hooks?: Record<string, (() => unknown) | undefined>;
  run: (this: never, options?: never) => unknown;
  [field: string]: unknown;
}

/** What one run of an action produced. */
export interface ActionResult {
  /** The step's `$return_value`; undefined when the run ended through `$.flow.exit`. */
  returnValue: unknown;
  /** The `$summary` export, if any. */
  summary: string | undefined;
  /** Every `$.export`, `$summary` included. */
  exports: Record<string, unknown>;
  /** The reason given to `$.flow.exit`, when the run ended the workflow. */
  exitReason: string | undefined;
}

/** Thrown by `$.flow.exit` to end the step at once, as the runtime does. */
class FlowExit {
  constructor(readonly reason: string) {}
}

/** Runs an action once with the given prop values (as the builder or an expression would pass them). */
export async function runAction(
  action: object,
  props: Record<string, unknown>,
  steps: Record<string, unknown> = {},
  exports: Record<string, unknown> = {},
): Promise<ActionResult> {
  const component = asComponent(action);
  if (component.type !== "action") throw new Error(`${component.key} is a ${component.type}, not an action`);
  const self = buildThis(component, props);
  const $ = {
    export(name: string, value: unknown) {
      const problem = describeNonJson(value, `$.export("${name}")`);
      if (problem) throw new Error(`The runtime would refuse this export: ${problem}`);
      exports[name] = value;
    },
    flow: {
      exit(reason: string): never {
        throw new FlowExit(reason);
      },
    },
  };
  let returnValue: unknown;
  let exitReason: string | undefined;
  try {
    returnValue = await (component.run as (this: unknown, options: unknown) => unknown).call(self, { $, steps });
  } catch (error) {
    if (!(error instanceof FlowExit)) throw error;
    exitReason = error.reason;
  }
  if (returnValue !== undefined) {
    const problem = describeNonJson(returnValue, "the return value");
    if (problem) throw new Error(`The runtime would refuse this return value: ${problem}`);
  }
  const summary = exports.$summary;
  return { returnValue, summary: typeof summary === "string" ? summary : undefined, exports, exitReason };
}

/** A prop with its `propDefinition` merged in: the app's definition, overridden by the prop's own fields. */
export function resolvePropSpec(prop: PropSpec): PropSpec {
  if (!prop.propDefinition) return prop;
  const [app, name] = prop.propDefinition;
  const definition = app.propDefinitions?.[name];
  if (!definition) throw new Error(`propDefinition "${name}" is not defined by the ${app.app} app`);
  const { propDefinition: _reference, ...overrides } = prop;
  return { ...definition, ...overrides };
}

/** `this` of a component: resolved props, then the component's methods bound to it. */
export function buildThis(component: ComponentDefinition, given: Record<string, unknown>): Record<string, unknown> {
  const declared = component.props ?? {};
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`${component.key} has no prop "${name}"`);
  }
  const self: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(declared)) {
    if (isApp(prop)) {
      self[name] = bindApp(prop);
      continue;
    }
    const spec = resolvePropSpec(prop);
    if (name in given) self[name] = given[name];
    else if (spec.default !== undefined) self[name] = structuredClone(spec.default);
    else if (!spec.optional && !isInterfaceProp(spec)) {
      throw new Error(`${component.key}: required prop "${name}" was not given (the builder would not run it)`);
    }
  }
  for (const [name, method] of Object.entries(component.methods ?? {})) self[name] = method.bind(self as never);
  return self;
}

/**
 * Components are typed by @pipedream/types, whose prop and method types are looser than ours;
 * the harness checks the few fields it relies on and reads the rest through its own types.
 */
export function asComponent(definition: object): ComponentDefinition {
  const candidate = definition as Partial<ComponentDefinition>;
  if (typeof candidate.key !== "string" || typeof candidate.run !== "function") {
    throw new Error("not a Pipedream component: it needs a key and a run method");
  }
  return candidate as ComponentDefinition;
}

export function bindApp(app: AppDefinition): Record<string, unknown> {
  const instance: Record<string, unknown> = { $auth: {} };
  for (const [name, method] of Object.entries(app.methods ?? {})) instance[name] = method.bind(instance as never);
  return instance;
}

export function isApp(prop: PropSpec | AppDefinition): prop is AppDefinition {
  return prop.type === "app";
}

/** Props the runtime fills in itself (the source's db and timer). */
function isInterfaceProp(spec: PropSpec): boolean {
  return typeof spec.type === "string" && spec.type.startsWith("$.");
}

export interface EmittedEvent {
  event: unknown;
  meta: { id: string; summary: string; ts: number };
}

/** A source ready to run: its hooks and its timer, with `this.db` and `this.$emit` wired. */
export interface SourceInstance {
  /** Every event emitted, including those dedupe dropped. */
  emitted: EmittedEvent[];
  /** Runs the deploy and activate hooks, as deploying the source on Pipedream does. */
  deploy(): Promise<void>;
  /** Runs one poll (the timer firing) and returns the events delivered to workflows (after dedupe). */
  poll(): Promise<EmittedEvent[]>;
}

/**
 * Prepares a source with the given props and `$.service.db`: `this.$emit` checks each event and
 * its meta (id, summary, ts) and, for `dedupe: "unique"`, drops ids already emitted.
 */
export function createSource(source: object, props: Record<string, unknown>, db: SourceDb): SourceInstance {
  const component = asComponent(source);
  if (component.type !== "source") throw new Error(`${component.key} is a ${component.type}, not a source`);
  const emitted: EmittedEvent[] = [];
  let delivered: EmittedEvent[] = [];
  const seenIds = new Set<string>();
  const self = buildThis(component, props);
  self.db = db;
  self.$emit = async (event: unknown, meta: EmittedEvent["meta"]) => {
    const problem = describeNonJson(event, "the event");
    if (problem) throw new Error(`The runtime would refuse this event: ${problem}`);
    if (typeof meta?.id !== "string" || typeof meta.summary !== "string" || typeof meta.ts !== "number") {
      throw new Error("Every event needs meta with an id, a summary and a ts");
    }
    const emittedEvent = { event, meta };
    emitted.push(emittedEvent);
    if (component.dedupe === "unique" && seenIds.has(meta.id)) return;
    seenIds.add(meta.id);
    delivered.push(emittedEvent);
  };
  return {
    emitted,
    async deploy() {
      for (const hook of ["deploy", "activate"]) await component.hooks?.[hook]?.call(self as never);
    },
    async poll() {
      delivered = [];
      const timer = self.timer as { intervalSeconds?: number } | undefined;
      const options = { timestamp: Math.floor(Date.now() / 1000), interval_seconds: timer?.intervalSeconds ?? 900 };
      await (component.run as (this: unknown, options: unknown) => unknown).call(self, options);
      return delivered;
    },
  };
}
