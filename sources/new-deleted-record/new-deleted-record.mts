import { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { activateWatchedStore, deployWatch, pollAndEmit, pollingProps, type PollingSource } from "../common/polling-source.mjs";

export default {
  key: "data_stores-new-deleted-record",
  name: "New Deleted Record",
  description:
    "Emit new event for each record that disappears from a data store, deleted or expired, with its key. Polls with " +
    `one \`keys()\` call. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.3.0",
  type: "source",
  dedupe: "unique",
  props: pollingProps,
  hooks: {
    async deploy() {
      await deployWatch(this, "deleted");
    },
    async activate() {
      await activateWatchedStore(this, "deleted");
    },
  },
  async run() {
    await pollAndEmit(this, "deleted", ({ key }) => ({
      event: { key },
      summary: `Deleted record: ${key}`,
    }));
  },
} satisfies PollingSource;
