import { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { activateWatchedStore, deployWatch, pollAndEmit, pollingProps, type PollingSource } from "../common/polling-source.mjs";

export default {
  key: "data_stores-new-or-updated-record",
  name: "New or Updated Record",
  description:
    "Emit new event when a record is added to a data store or its value changes, with `change` set to `created` or " +
    "`updated`. Reads the store in one pass per poll and keeps only a digest of each value. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.3.0",
  type: "source",
  dedupe: "unique",
  props: pollingProps,
  hooks: {
    async deploy() {
      await deployWatch(this, "created-or-updated");
    },
    async activate() {
      await activateWatchedStore(this, "created-or-updated");
    },
  },
  async run() {
    await pollAndEmit(this, "created-or-updated", ({ key, value, change }) => ({
      event: { key, value, change },
      summary: `${change === "created" ? "New" : "Updated"} record: ${key}`,
    }));
  },
} satisfies PollingSource;
