/**
 * Turns an action into the object a Pipedream Node.js code step passes to `defineComponent`, so
 * one pasted file does what the published action does (scripts/build-code-steps.mts bundles it).
 *
 * What a code step's `defineComponent` accepts: Pipedream's docs say code steps are written with
 * the same component API as actions ("develop Node.js steps right in your workflows"), and their
 * template is `defineComponent({ props, async run({ steps, $ }) { … } })`, with `methods` bound to
 * `this` as in any component. So we keep `name`, `description`, `version`, `props`, `methods` and
 * `run`, and drop what only the registry reads: `key` and `type` (a code step is not published,
 * `type: "action"` is only required by `pd publish`) and `annotations` (registry lint hints).
 * The docs do not say whether a code step shows `name` or `version`; they are kept as plain
 * metadata for the reader of the pasted file.
 */
import { isApp, resolvePropSpec, type AppDefinition, type PropSpec } from "./component.mjs";

/** A prop of a code step: `propDefinition` resolved away. */
export type CodeStepProp = PropSpec;

/**
 * An action component as `defineAction` returns it. `props` and `methods` are read as unknown
 * records (Pipedream hands us untyped component objects) and each prop is checked where it is used.
 */
export interface ActionComponent {
  key?: string;
  type?: string;
  name?: string;
  description?: string;
  version: string;
  annotations?: object;
  props?: Record<string, unknown>;
  methods?: Record<string, unknown>;
  run: (this: never, options?: never) => unknown;
}

/** What a code step passes to `defineComponent`. */
export interface CodeStepComponent {
  name?: string;
  description?: string;
  version: string;
  props: Record<string, CodeStepProp>;
  methods?: Record<string, unknown>;
  run: (this: never, options?: never) => unknown;
}

/**
 * The code-step form of `action`: every `propDefinition` resolved (the app's definition, overridden
 * by the prop's own fields), the app prop removed, and dynamic options from the app removed.
 * Throws when `action` is not an action (a source has no code-step form) or a propDefinition is unknown.
 */
export function toCodeStep(action: ActionComponent): CodeStepComponent {
  if (action.type !== undefined && action.type !== "action") {
    throw new Error(`${action.key ?? "this component"} is a ${action.type}; only actions can become code steps`);
  }
  if (typeof action.run !== "function") throw new Error(`${action.key ?? "this component"} has no run method`);
  const props: Record<string, CodeStepProp> = {};
  for (const [name, declared] of Object.entries(action.props ?? {})) {
    if (!isPropObject(declared)) throw new Error(`${action.key ?? "the action"}: prop "${name}" is not an object`);
    // A code step has no app to connect; the data store prop alone gives the step its store.
    if (isApp(declared as PropSpec | AppDefinition)) continue;
    props[name] = resolveProp(declared);
  }
  const { name, description, version, methods, run } = action;
  return {
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    version,
    props,
    ...(methods === undefined ? {} : { methods }),
    run,
  };
}

/** A prop with its `propDefinition` merged in (as the runtime does), ready for a code step. */
function resolveProp(prop: PropSpec): CodeStepProp {
  const { propDefinition: _reference, ...resolved } = resolvePropSpec(prop);
  const own = prop.options;
  // The app's dynamic options (the key dropdown) run with `this` bound to the app and call its
  // methods; a code step has no app, so it gets a plain field and the user types the key.
  if (typeof resolved.options === "function" && own === undefined) delete resolved.options;
  return resolved;
}

function isPropObject(value: unknown): value is PropSpec {
  return typeof value === "object" && value !== null;
}
