import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { withConfigurationErrors } from "../../components/common/errors.mjs";
import { BUCKETS } from "../../lib/counter/buckets.mjs";
import { increment, MAX_COUNTER_AMOUNT } from "../../lib/counter/counter.mjs";
import { readBoolean, readChoice, readKey, readNumber } from "../../components/common/props.mjs";
import { readTtl } from "../../components/common/ttl.mjs";

// Within ±2^53 - 1 every whole number is exact and no total can overflow to Infinity.
const AMOUNT_RANGE = { min: -MAX_COUNTER_AMOUNT, max: MAX_COUNTER_AMOUNT };

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  key: {
    propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })],
    description: "The counter's key. With a Bucket, the count is kept under `<key>:<period>`, e.g. `signups:2026-11-24`.",
  },
  amount: {
    type: "string",
    label: "Amount",
    description:
      "What to add: a whole or decimal number, negative to subtract (e.g. `1`, `-3`, `19.99`), at most " +
      `${MAX_COUNTER_AMOUNT} either way. Default: 1.`,
    optional: true,
    default: "1",
  },
  initialValue: {
    type: "string",
    label: "Initial Value",
    description: "The counter's value before its first increment: with 100, the first increment by 1 gives 101. Default: 0.",
    optional: true,
    default: "0",
  },
  bucket: {
    type: "string",
    label: "Bucket",
    description:
      "Count per UTC period, each under its own key: `minute` (`key:2026-11-24T18:31`), `hour` (`key:2026-11-24T18`), " +
      "`day` (`key:2026-11-24`), `week` (ISO, `key:2026-W48`), `month` (`key:2026-11`). Default: `none` (one running count).",
    optional: true,
    default: "none",
    options: [...BUCKETS],
  },
  ttl: {
    propDefinition: [app, "ttl"],
    description:
      "Delete the count this many seconds after its last increment (with Concurrency Safe: each increment counts for " +
      "this many seconds). Leave empty or 0 to keep it (the default).",
  },
  concurrencySafe: { propDefinition: [app, "concurrencySafe"] },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-increment-counter",
  name: "Increment Counter",
  description:
    "Add to a number stored under a key (or subtract, or sum decimals exactly), optionally per minute, hour, day, " +
    "week or month, and optionally without losing increments when executions run at once. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: false, idempotentHint: false },
  props,
  async run({ $ }) {
    const key = readKey(this.key, props.key);
    const amount = readNumber(this.amount, props.amount, AMOUNT_RANGE);
    const initialValue = readNumber(this.initialValue, props.initialValue, AMOUNT_RANGE);
    const bucket = readChoice(this.bucket, props.bucket);
    const ttlSeconds = readTtl(this.ttl, props.ttl);
    const concurrencySafe = readBoolean(this.concurrencySafe, props.concurrencySafe);
    const options = { amount, initialValue, bucket, ttlSeconds, concurrencySafe };
    const result = await withConfigurationErrors(increment(this.dataStore, key, options));
    const change = amount < 0 ? `${amount}` : `+${amount}`;
    $.export("$summary", `Counter "${result.key}" is now ${result.value} (${change})`);
    return result;
  },
} satisfies ActionComponent<typeof props>;
