/**
 * What a Pipedream Node.js code step passes to `defineComponent`, computed from an action when the
 * code steps are BUILT (scripts/build-code-steps.mts writes the result into each file as literal
 * text), so a pasted file carries no runtime transform.
 *
 * Pipedream's docs say code steps are written with the same component API as actions, and their
 * template is `defineComponent({ props, async run({ steps, $ }) { … } })`, with `methods` bound to
 * `this` as in any component. So a code step keeps `name`, `description`, `version`, `props`,
 * `methods` and `run`, and drops what only the registry reads: `key` and `type` (a code step is not
 * published) and `annotations` (registry lint hints). The docs do not say whether a code step shows
 * `name` or `version`; they stay as metadata for the reader of the pasted file.
 */
import { describeNonJson } from "../lib/store/json.mjs";
import { asComponent, isApp, resolvePropSpec, type PropSpec } from "./component.mjs";

/** What a code step passes to `defineComponent`. */
export interface CodeStepComponent {
  name?: string;
  description?: string;
  version: string;
  props: Record<string, PropSpec>;
  methods?: Record<string, unknown>;
  run: (this: never, options?: never) => unknown;
}

/** The part of a code step the build writes as literal text: everything but its code. */
export type CodeStepData = Omit<CodeStepComponent, "methods" | "run">;

/**
 * The literal part of `action`'s code step: every `propDefinition` resolved (the app's definition,
 * overridden by the prop's own fields), the app prop removed, and the app's dynamic options removed
 * (with a description that says to enter the key where it said to select one).
 * Throws when `action` is not an action (a source has no code-step form), a propDefinition is
 * unknown, or a prop is not JSON data (it could not be written into the file).
 */
export function toCodeStepData(action: object): CodeStepData {
  const component = asComponent(action);
  if (component.type !== "action") throw new Error(`${component.key} is a ${component.type}; only actions can become code steps`);
  const props: Record<string, PropSpec> = {};
  for (const [name, declared] of Object.entries(component.props ?? {})) {
    // A code step has no app to connect; the data store prop alone gives the step its store.
    if (isApp(declared)) continue;
    const prop = codeStepProp(declared, `${component.key}: prop "${name}"`);
    const problem = describeNonJson(prop, `${component.key}: prop "${name}"`);
    if (problem) throw new Error(`A code step's props are written into the file as JSON, and ${problem}`);
    props[name] = prop;
  }
  const { name, description, version } = component;
  return {
    ...(name === undefined ? {} : { name }),
    ...(description === undefined ? {} : { description }),
    version,
    props,
  };
}

/**
 * What a prop whose dropdown is gone says in a code step, by prop type, when its own description
 * tells the user to select: the user types the key, or writes an expression.
 */
export const TYPED_KEY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  string: "The key of the record. Enter the key as text, or as an expression such as `{{steps.trigger.event.id}}`.",
  "string[]": "The keys of the records. Enter one key per entry, or an expression giving a list of keys (a JSON list of keys works too).",
};

/** A description that sends the user to a dropdown ("Select one of the store's keys", "select or enter"). */
const MENTIONS_SELECTING = /\bselect/i;

/** A prop with its `propDefinition` merged in (as the runtime does), ready for a code step. */
function codeStepProp(prop: PropSpec, where: string): PropSpec {
  const { propDefinition: _reference, ...resolved } = resolvePropSpec(prop);
  // The app's dynamic options (the key dropdown) run with `this` bound to the app and call its
  // methods; a code step has no app, so it gets a plain field and the user types the key.
  if (typeof resolved.options === "function" && prop.options === undefined) {
    delete resolved.options;
    if (typeof resolved.description === "string" && MENTIONS_SELECTING.test(resolved.description)) {
      const typed = TYPED_KEY_DESCRIPTIONS[String(resolved.type)];
      if (!typed) throw new Error(`${where} loses its dropdown in a code step, and there is no code-step description for a ${String(resolved.type)} prop`);
      resolved.description = typed;
    }
  }
  return resolved;
}
