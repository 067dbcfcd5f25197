import type { PropDeclarations, SourceComponent, SourceThis } from "../../components/common/component.mjs";
import { withConfigurationErrors } from "../../components/common/errors.mjs";
import { readBoolean, readKey } from "../../components/common/props.mjs";
import app, { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { quote } from "../../lib/errors.mjs";
import {
  activateValueAtKey,
  deployValueAtKey,
  pollValueAtKey,
  type EmitValue,
  type ValueAtKeyOptions,
  type ValueChange,
} from "../../lib/watch/value-at-key.mjs";
import { pollingProps } from "../common/polling-source.mjs";

const props = {
  app,
  dataStore: {
    propDefinition: [app, "dataStore"],
    description: "The data store that holds the key to watch.",
  },
  key: {
    propDefinition: [app, "key", ({ dataStore }: { dataStore: unknown }) => ({ dataStore })],
    description:
      "The key to watch. Select one of the store's keys, or enter any text: the key need not exist yet. " +
      "Changing it on a running source starts watching the new key from its value then.",
  },
  emitOnDeploy: {
    type: "boolean",
    label: "Emit on Deploy",
    description:
      "When the key already holds a value at deploy, emit it once with `change` set to `existing` (after you change " +
      "the Key or the Data Store of a running source, on its next poll). Default: true.",
    optional: true,
    default: true,
  },
  db: pollingProps.db,
  timer: {
    ...pollingProps.timer,
    description: "How often to read the key. Default: every 15 minutes.",
  },
} as const satisfies PropDeclarations;

type Self = SourceThis<typeof props>;

const CHANGE_WORD: Record<ValueChange, string> = { existing: "Existing", created: "New", updated: "Updated" };

/** The prop values as the library takes them; a bad or reserved key fails with a ConfigurationError. */
function watched(source: Self): { key: string; options: ValueAtKeyOptions } {
  return { key: readKey(source.key, props.key), options: { emitExisting: readBoolean(source.emitOnDeploy, props.emitOnDeploy) } };
}

/** `$emit` with a summary of bounded length, however long the key or the value. */
function emitter(source: Self): EmitValue {
  const ts = Date.now();
  return (event, id) =>
    source.$emit(event, { id, summary: `${CHANGE_WORD[event.change]} value at ${quote(event.key, 60)}: ${quote(event.value, 40)}`, ts });
}

export default {
  key: "data_stores-new-value-at-key",
  name: "New Value at Key",
  description:
    "Emit new event when a chosen key gets a value or its value changes, with `change` set to `existing`, `created` or " +
    "`updated`: start a workflow when a flag is set. One `get` per poll; a deleted key's next value is `created`. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.0",
  type: "source",
  dedupe: "unique",
  props,
  hooks: {
    async deploy() {
      const { key, options } = watched(this);
      await withConfigurationErrors(deployValueAtKey(this.dataStore, this.db, key, options, emitter(this)));
    },
    async activate() {
      const { key, options } = watched(this);
      await withConfigurationErrors(activateValueAtKey(this.dataStore, this.db, key, options));
    },
  },
  async run() {
    const { key, options } = watched(this);
    await withConfigurationErrors(pollValueAtKey(this.dataStore, this.db, key, options, emitter(this)));
  },
} satisfies SourceComponent<typeof props>;
