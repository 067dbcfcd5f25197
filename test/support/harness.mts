/**
 * The tests' harness: the runtime (runtime/), which runs components the way the Pipedream runtime
 * does, plus what only tests need: a failed run's exports, and a prop's options.
 */
import { asComponent, bindApp, isApp, resolvePropSpec } from "../../runtime/component.mjs";
import { runAction } from "../../runtime/run-action.mjs";

export {
  asComponent,
  buildThis,
  isApp,
  resolvePropSpec,
  type AppDefinition,
  type ComponentDefinition,
  type PropSpec,
} from "../../runtime/component.mjs";
export { runAction, type ActionResult } from "../../runtime/run-action.mjs";

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

