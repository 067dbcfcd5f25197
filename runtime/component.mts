/**
 * The one component model: how the runtime reads an action or a source, and how it builds `this`
 * the way Pipedream does. Props are resolved through `propDefinition` (the app's definition,
 * overridden by the prop's own fields) with their defaults, the app prop becomes an object whose
 * methods are bound to it, and component methods are bound to `this`. runAction (run-action.mts),
 * createSource (run-source.mts), the code-step build (code-step.mts), dskit and the tests' harness
 * all read components through these types; `dskit run <file>` reads anyone's component file or
 * code step into the same shape (normaliseComponent).
 */

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

/** A component as its module exports it (an action or a source). */
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

/**
 * Components are typed by our components/common shapes and by @pipedream/types, whose prop and
 * method types are looser than ours; the runtime checks the few fields it relies on and reads the
 * rest through its own types.
 */
export function asComponent(definition: object): ComponentDefinition {
  const candidate = definition as Partial<ComponentDefinition>;
  if (typeof candidate.key !== "string" || typeof candidate.run !== "function") {
    throw new Error("not a Pipedream component: it needs a key and a run method");
  }
  const declared: Record<string, unknown> = candidate.props ?? {};
  if (!Object.values(declared).some((prop) => typeof prop === "string")) return candidate as ComponentDefinition;
  // Pipedream's shorthand: a prop written as its type alone (`db: "$.service.db"`, the registry's own form).
  const props = Object.fromEntries(
    Object.entries(declared).map(([name, prop]) => [name, typeof prop === "string" ? { type: prop } : prop]),
  ) as ComponentDefinition["props"];
  return { ...candidate, props } as ComponentDefinition;
}

/**
 * A module's default export as the runtime runs it, for component files written by anyone (dskit
 * run <file>): an action or a source as written for `pd publish`, or a Node.js code step
 * (`defineComponent({ props, run })`, which has neither key nor type). A code step runs as an
 * action under `fallbackKey`; a component with a key and no type is a source, as Pipedream reads
 * it. Props of type `alert` are notices in the builder's form, with no value: they are left out.
 * Throws when the export has no `run` method.
 */
export function normaliseComponent(definition: unknown, fallbackKey: string): ComponentDefinition {
  if (typeof definition !== "object" || definition === null || typeof (definition as { run?: unknown }).run !== "function") {
    throw new Error("not a Pipedream component: its default export needs a run method (an action, a source, or defineComponent({ … }) for a code step)");
  }
  const candidate = definition as Partial<ComponentDefinition>;
  const key = typeof candidate.key === "string" && candidate.key !== "" ? candidate.key : fallbackKey;
  const type = candidate.type ?? (candidate.key === undefined ? "action" : "source");
  if (type !== "action" && type !== "source") throw new Error(`not a component this runtime runs: its type is ${JSON.stringify(type)} (action or source)`);
  const props = Object.fromEntries(
    Object.entries(candidate.props ?? {}).filter(([, prop]) => !(typeof prop === "object" && prop !== null && prop.type === "alert")),
  );
  return asComponent({ ...candidate, key, type, version: candidate.version ?? "0.0.0", props });
}

export function isApp(prop: PropSpec | AppDefinition): prop is AppDefinition {
  return prop.type === "app";
}

/** Props the runtime fills in itself (the source's db and timer). */
export function isInterfaceProp(spec: PropSpec): boolean {
  return typeof spec.type === "string" && spec.type.startsWith("$.");
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

/** Every prop but the app, resolved, in declaration order. */
export function resolvedProps(component: ComponentDefinition): Map<string, PropSpec> {
  const props = new Map<string, PropSpec>();
  for (const [name, declared] of Object.entries(component.props ?? {})) {
    if (!isApp(declared)) props.set(name, resolvePropSpec(declared));
  }
  return props;
}

/** Credentials by app slug (`{ github: { oauth_access_token } }`), as a connected account gives them. */
export type AppAuth = Readonly<Record<string, Record<string, unknown>>>;

/** The app as a component sees it at `this.app`: its methods bound to it, and its credentials (none unless given). */
export function bindApp(app: AppDefinition, auth: Record<string, unknown> = {}): Record<string, unknown> {
  const instance: Record<string, unknown> = { $auth: auth };
  for (const [name, method] of Object.entries(app.methods ?? {})) instance[name] = method.bind(instance as never);
  return instance;
}

/** `this` of a component: resolved props, then the component's methods bound to it; each app gets its slug's `auth`. */
export function buildThis(component: ComponentDefinition, given: Record<string, unknown>, auth: AppAuth = {}): Record<string, unknown> {
  const declared = component.props ?? {};
  for (const name of Object.keys(given)) {
    if (!(name in declared)) throw new Error(`${component.key} has no prop "${name}"`);
  }
  const self: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(declared)) {
    if (isApp(prop)) {
      self[name] = bindApp(prop, Object.hasOwn(auth, prop.app) ? auth[prop.app] : undefined);
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
