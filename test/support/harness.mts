/**
 * Runs components the way the Pipedream runtime does, so each test states only its scenario:
 * props are resolved through `propDefinition` (the app's definition, overridden by the prop's own
 * fields) with their defaults, the app prop becomes an object whose methods are bound to it,
 * component methods are bound to `this`, and `run({ $, steps })` gets a `$` with `export` and
 * `flow.exit`, which ends the step at once.
 */
import { describeNonJson } from "../../components/lib/json.mjs";

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

/** What a run that failed left behind: the error, and what it exported before failing. */
export interface FailedActionRun {
  error: unknown;
  summary: string | undefined;
  exports: Record<string, unknown>;
}

/**
 * Runs an action that is expected to fail, and returns the error with the exports made before
 * it (on Pipedream the `$summary` of a failed step still shows). Fails the test if the run succeeds.
 */
export async function runActionExpectingError(
  action: object,
  props: Record<string, unknown>,
  steps: Record<string, unknown> = {},
): Promise<FailedActionRun> {
  const exports: Record<string, unknown> = {};
  try {
    await runAction(action, props, steps, exports);
  } catch (error) {
    const summary = exports.$summary;
    return { error, summary: typeof summary === "string" ? summary : undefined, exports };
  }
  throw new Error(`${asComponent(action).key} was expected to fail, but it succeeded`);
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

/** Loads a prop's dynamic options as the builder does, with `this` the app and the configured props. */
export async function loadPropOptions(
  definition: object,
  propName: string,
  configured: Record<string, unknown>,
): Promise<unknown> {
  const prop = asComponent(definition).props?.[propName];
  if (!prop || isApp(prop) || !prop.propDefinition) throw new Error(`${propName} has no propDefinition with options`);
  const [app, , optionsArgs] = prop.propDefinition;
  const { options } = resolvePropSpec(prop);
  if (typeof options !== "function") throw new Error(`${propName} has no dynamic options`);
  const args = { ...(optionsArgs ? optionsArgs(configured) : {}), page: 0, prevContext: {} };
  return options.call(bindApp(app), args);
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

function bindApp(app: AppDefinition): Record<string, unknown> {
  const instance: Record<string, unknown> = { $auth: {} };
  for (const [name, method] of Object.entries(app.methods ?? {})) instance[name] = method.bind(instance as never);
  return instance;
}

function isApp(prop: PropSpec | AppDefinition): prop is AppDefinition {
  return prop.type === "app";
}

/** Props the runtime fills in itself (the source's db and timer). */
function isInterfaceProp(spec: PropSpec): boolean {
  return typeof spec.type === "string" && spec.type.startsWith("$.");
}
