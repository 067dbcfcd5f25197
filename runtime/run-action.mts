/**
 * Runs an action the way the Pipedream runtime does: `run({ $, steps })` gets a `$` with `export`
 * and `flow.exit` (which ends the step at once), and what the step exports or returns must be JSON.
 * What only a workflow does is handed to the caller (`$.send.*`, `$.respond`), or refused where one
 * step run alone cannot do it (`$.flow.delay`, `$.flow.rerun`, `$.flow.suspend` pause the workflow
 * and resume it later).
 */
import { describeNonJson } from "../lib/store/json.mjs";
import { asComponent, buildThis, type AppAuth } from "./component.mjs";

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

/** What the workflow would do after the step, or for the HTTP trigger: handed to the caller, never done. */
export interface ActionEffects {
  /** Credentials by app slug, for the app props' `$auth`. */
  auth?: AppAuth;
  /** `$.send.http(…)` and the other destinations (`email`, `s3`, `emit`, `sse`): what would be sent. */
  onSend?(destination: string, payload: unknown): void;
  /** `$.respond(…)`: the HTTP response the workflow would give. */
  onRespond?(response: unknown): void;
}

/** The destinations of `$.send`. */
const SEND_DESTINATIONS = ["http", "email", "s3", "emit", "sse"] as const;

/** Thrown by what a single step run cannot do (`$.flow.delay`, …): a failed run that says why. */
export class UnsupportedStepFeatureError extends Error {
  override name = "UnsupportedStepFeatureError";
}

function pausesTheWorkflow(call: string): () => never {
  return () => {
    throw new UnsupportedStepFeatureError(
      `${call} pauses the workflow and resumes it later, which needs Pipedream's workflow engine; ` +
        "a step run on its own cannot pause. Run the step, then run what follows it yourself.",
    );
  };
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
  effects: ActionEffects = {},
): Promise<ActionResult> {
  const component = asComponent(action);
  if (component.type !== "action") throw new Error(`${component.key} is a ${component.type}, not an action`);
  const self = buildThis(component, props, effects.auth);
  const send = Object.fromEntries(
    SEND_DESTINATIONS.map((destination) => [
      destination,
      (payload: unknown) => {
        effects.onSend?.(destination, payload);
      },
    ]),
  );
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
      delay: pausesTheWorkflow("$.flow.delay"),
      rerun: pausesTheWorkflow("$.flow.rerun"),
      suspend: pausesTheWorkflow("$.flow.suspend"),
    },
    send,
    async respond(response: unknown) {
      effects.onRespond?.(response);
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
