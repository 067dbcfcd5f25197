import { DATA_STORES_DOCS_URL } from "../../components/data_stores.app.mjs";
import { activateWatchedStore, deployWatch, pollAndEmit, pollingProps, type PollingSource } from "../common/polling-source.mjs";

export default {
  key: "data_stores-new-record",
  name: "New Record",
  description:
    "Emit new event for each record added to a data store, with its key and value. Polls with one `keys()` call and " +
    `reads only the new records. [See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.3.0",
  type: "source",
  dedupe: "unique",
  props: pollingProps,
  hooks: {
    async deploy() {
      await deployWatch(this, "created");
    },
    async activate() {
      await activateWatchedStore(this, "created");
    },
  },
  async run() {
    await pollAndEmit(this, "created", ({ key, value }) => ({
      event: { key, value },
      summary: `New record: ${key}`,
    }));
  },
} satisfies PollingSource;
