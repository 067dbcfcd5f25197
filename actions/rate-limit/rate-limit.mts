import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { withConfigurationErrors } from "../../components/common/errors.mjs";
import { readBoolean, readChoice, readInteger, readKey } from "../../components/common/props.mjs";
import { ALGORITHMS, rateLimit, RateLimitExceededError } from "../../lib/rate-limit/rate-limit.mjs";
import { countOf } from "../../components/common/summary.mjs";
import { MAX_TTL_SECONDS } from "../../lib/store/ttl.mjs";

const WHEN_LIMITED = ["exit", "error", "continue"] as const;

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  key: {
    type: "string",
    label: "Limiter Key",
    description:
      "Names the limiter: calls with the same key share one limit. Use an expression for a limit per user, " +
      "e.g. `api:{{steps.trigger.event.user_id}}`. Its state is kept under the reserved `__dskit:` prefix.",
  },
  limit: {
    type: "integer",
    label: "Limit",
    description: "How many calls are let through per window (for the token bucket: the bucket's size).",
    min: 1,
  },
  windowSeconds: {
    type: "integer",
    label: "Window (seconds)",
    description: "The window in seconds, e.g. 60 for per minute, 86400 for per day.",
    min: 1,
    max: MAX_TTL_SECONDS,
  },
  algorithm: {
    type: "string",
    label: "Algorithm",
    description:
      "`fixed-window` (the default): Limit calls per window, windows aligned to the clock (every minute on the minute). " +
      "`sliding-window`: at most Limit calls in any Window-long span, exactly. `token-bucket`: bursts up to Limit, " +
      "refilling steadily at Limit per Window.",
    optional: true,
    default: "fixed-window",
    options: [...ALGORITHMS],
  },
  whenLimited: {
    type: "string",
    label: "When Limited",
    description:
      "`exit` (the default): end the workflow quietly, saying when to retry. `error`: fail the step. " +
      "`continue`: go on and return `allowed: false` for later steps to act on.",
    optional: true,
    default: "exit",
    options: [...WHEN_LIMITED],
  },
  concurrencySafe: { propDefinition: [app, "concurrencySafe"] },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-rate-limit",
  name: "Rate Limit",
  description:
    "Let at most a number of executions through per time window, with a fixed window, an exact sliding window or " +
    "a token bucket; end the workflow, fail, or continue when the limit is reached. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: false, idempotentHint: false },
  props,
  async run({ $ }) {
    const key = readKey(this.key, props.key);
    const limit = readInteger(this.limit, props.limit);
    const windowSeconds = readInteger(this.windowSeconds, props.windowSeconds);
    const algorithm = readChoice(this.algorithm, props.algorithm);
    const whenLimited = readChoice(this.whenLimited, props.whenLimited);
    const concurrencySafe = readBoolean(this.concurrencySafe, props.concurrencySafe);
    const options = { limit, windowSeconds, algorithm, concurrencySafe };
    const result = await withConfigurationErrors(rateLimit(this.dataStore, key, options));
    if (result.allowed) {
      $.export("$summary", `Allowed: ${countOf(result.remaining, "call")} left for "${key}" (limit ${limit} per ${windowSeconds}s)`);
      return result;
    }
    const reason = `Rate limit reached for "${key}" (${limit} per ${windowSeconds}s); retry in ${countOf(result.retryAfterSeconds, "second")}`;
    $.export("$summary", reason);
    if (whenLimited === "exit") return $.flow.exit(reason);
    if (whenLimited === "error") throw new RateLimitExceededError(key, result);
    return result;
  },
} satisfies ActionComponent<typeof props>;
