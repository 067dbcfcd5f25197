/**
 * Runs an action the way the Pipedream runtime does: `run({ $, steps })` gets a `$` with `export`
 * and `flow.exit` (which ends the step at once), and what the step exports or returns must be JSON.
 */
import { describeNonJson } from "../lib/store/json.mjs";
import { asComponent, buildThis } from "./component.mjs";

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

/**
 * Runs an action once with the given prop values (as the builder or an expression would pass
 * them). `exports` collects every `$.export`, so a caller still sees them when the run throws.
 */
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
