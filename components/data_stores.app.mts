/**
 * The Data Stores app: the props every component shares. Components reuse them with
 * `propDefinition: [app, "name"]` and override only what differs (a label, `optional`).
 */
import { axios, type AxiosRequestConfig } from "@pipedream/platform";
import { defineApp } from "@pipedream/types";
import type { DataStore } from "./lib/data-store.mjs";
import { listKeys } from "./lib/list-records.mjs";
import { MAX_TTL_SECONDS } from "./lib/ttl.mjs";

/** Pipedream's data store documentation, linked from every component's description. */
export const DATA_STORES_DOCS_URL = "https://pipedream.com/docs/data-stores/";

/** What an HTTP request answered, whatever its status. */
export interface HttpAnswer {
  status: number;
  data: unknown;
  /** Response header names in lower case. */
  headers: Record<string, string | undefined>;
}

/**
 * An HTTP request through `axios` from @pipedream/platform (so it shows in the step's logs) that
 * returns every status instead of throwing on non-2xx: the caller decides what fails, retries or
 * is served from the cache. Timeouts and dropped connections still throw.
 */
export async function requestAnyStatus($: unknown, config: AxiosRequestConfig): Promise<HttpAnswer> {
  // @pipedream/types and @pipedream/platform type `$` differently; it is the same object.
  const step = $ as Parameters<typeof axios>[0];
  const response = await axios(step, { ...config, returnFullResponse: true, validateStatus: () => true });
  const headers = (response.headers ?? {}) as Record<string, string | undefined>;
  return { status: response.status, data: response.data, headers: { "retry-after": headers["retry-after"] } };
}

/** How many keys a key dropdown offers; past this, type the key (or use an expression). */
const MAX_KEY_OPTIONS = 1000;

/** `this` of an options function: the app, with its methods. */
export interface KeyOptionsHost {
  keyOptions(dataStore: DataStore | undefined): Promise<string[]>;
}

export default defineApp({
  type: "app",
  app: "data_stores",
  propDefinitions: {
    dataStore: {
      type: "data_store",
      label: "Data Store",
      description: "The data store to use. Select an existing one or create a new one.",
    },
    key: {
      type: "string",
      label: "Key",
      description: "The key of the record. Select one of the store's keys, or enter any text (an expression works too).",
      async options(this: KeyOptionsHost, { dataStore }: { dataStore?: DataStore }) {
        return this.keyOptions(dataStore);
      },
    },
    value: {
      type: "any",
      label: "Value",
      description:
        "The value to store: text, a number, a list, an object, or an expression. With Value Type `auto`, " +
        "text that is valid JSON is stored as JSON (`42` as a number, `{\"a\":1}` as an object) and other text as text.",
    },
    ttl: {
      type: "integer",
      label: "TTL (seconds)",
      description:
        `Delete the record automatically this many seconds after it is written, up to ${MAX_TTL_SECONDS} (two years). ` +
        "Leave empty or 0 for a record that never expires (the default).",
      optional: true,
      min: 0,
      max: MAX_TTL_SECONDS,
    },
    valueType: {
      type: "string",
      label: "Value Type",
      description:
        "How text values are stored. `auto` (the default): valid JSON becomes JSON, other text stays text " +
        "(`2024-12-31` and `007` stay text). `string`: always text, exactly as entered. `json`: must be valid JSON.",
      optional: true,
      default: "auto",
      options: [
        { label: "Auto: JSON when it parses, text otherwise", value: "auto" },
        { label: "Text: store exactly as entered", value: "string" },
        { label: "JSON: must parse as JSON", value: "json" },
      ],
    },
    concurrencySafe: {
      type: "boolean",
      label: "Concurrency Safe",
      description:
        "Lose nothing when several executions run at once: each call writes a record of its own instead of " +
        "reading and rewriting one, at the cost of a request or two more per call and one small record per call " +
        "until it expires. Default: false. The README has the measured difference.",
      optional: true,
      default: false,
    },
  },
  methods: {
    /** The store's own keys for a dropdown (not the package's internal state), sorted, at most MAX_KEY_OPTIONS. */
    async keyOptions(dataStore: DataStore | undefined): Promise<string[]> {
      if (!dataStore) return [];
      return listKeys(dataStore, { limit: MAX_KEY_OPTIONS });
    },
  },
});
