import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { DuplicateEventError, withConfigurationErrors } from "../../components/common/errors.mjs";
import { deduplicate } from "../../lib/dedupe/dedupe.mjs";
import { readChoice, readKey } from "../../components/common/props.mjs";
import { formatDuration } from "../../components/common/summary.mjs";
import { readTtl } from "../../components/common/ttl.mjs";

const WHEN_DUPLICATE = ["exit", "error", "continue"] as const;

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  key: {
    type: "string",
    label: "Deduplication Key",
    description:
      "What makes an event unique, usually its ID, e.g. `{{steps.trigger.event.id}}`. The marker is kept under the " +
      "reserved `__dskit:` prefix.",
  },
  ttl: {
    propDefinition: [app, "ttl"],
    description: "Forget a key this many seconds after it was first seen. Leave empty or 0 to remember it for good (the default).",
  },
  whenDuplicate: {
    type: "string",
    label: "When Duplicate",
    description:
      "`exit` (the default): end the workflow quietly. `error`: fail the step. `continue`: go on and return " +
      "`duplicate: true` for later steps to act on.",
    optional: true,
    default: "exit",
    options: [...WHEN_DUPLICATE],
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-deduplicate",
  name: "Deduplicate Events",
  description:
    "Let the first execution with a key through and stop repeats: end the workflow, fail, or mark them as duplicates. " +
    `Use the event's ID as the key. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: false, idempotentHint: false },
  props,
  async run({ $ }) {
    const key = readKey(this.key, props.key);
    const ttlSeconds = readTtl(this.ttl, props.ttl);
    const whenDuplicate = readChoice(this.whenDuplicate, props.whenDuplicate);
    const result = await withConfigurationErrors(deduplicate(this.dataStore, key, { ttlSeconds }));
    if (!result.duplicate) {
      const memory = ttlSeconds === null ? "for good" : `for ${formatDuration(ttlSeconds)}`;
      $.export("$summary", `First sighting of "${key}"; remembered ${memory}`);
      return result;
    }
    const reason = `Duplicate: "${key}" was first seen at ${result.firstSeenAt}`;
    $.export("$summary", reason);
    if (whenDuplicate === "exit") return $.flow.exit(reason);
    if (whenDuplicate === "error") throw new DuplicateEventError(reason);
    return result;
  },
} satisfies ActionComponent<typeof props>;
