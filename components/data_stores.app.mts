/**
 * The Data Stores app: the props every component shares. Components reuse them with
 * `propDefinition: [app, "name"]` and override only what differs (a label, `optional`).
 */
import { axios } from "@pipedream/platform";
import type { DataStore } from "../lib/store/data-store.mjs";
import { HttpRequestError, requestTarget, safeErrorCode, safeErrorName } from "../lib/http/http-request.mjs";
import type { HttpResponse } from "../lib/http/http-response.mjs";
import { listKeys } from "../lib/records/list-records.mjs";
import { ttlProp } from "./common/ttl.mjs";
import { valueProp, valueTypeProp } from "./common/values.mjs";

/** Pipedream's data store documentation, linked from every component's description. */
export const DATA_STORES_DOCS_URL = "https://pipedream.com/docs/data-stores/";

/** One HTTP request as the package's components make it. */
export interface HttpAttempt {
  method: "GET" | "HEAD" | "POST";
  /** An http(s) URL; its query is sent as written (`?token=abc&flag` included). */
  url: string;
  headers?: Record<string, string>;
  /** Query parameters sent after the URL's own; a name given here replaces the URL's parameters of that name. */
  params?: Record<string, string>;
  data?: unknown;
  /** Bounds the whole attempt: connecting, the response headers and the whole body. */
  timeoutMs: number;
}

/**
 * An HTTP request through `axios` from @pipedream/platform (so it shows in the step's logs) that
 * returns every status instead of throwing on non-2xx: the caller decides what fails, retries or
 * is served from the cache.
 * - Redirects are never followed: a 3xx is returned like any status. Following one re-sends the
 *   request (credentials included) to wherever the Location points, and turns a POST into a GET
 *   whose 2xx would pass for an acknowledgement of data that was never received.
 * - `timeoutMs` bounds the whole attempt. axios's own `timeout` only bounds idle time: a server
 *   dripping one byte at a time keeps it alive for ever; an AbortSignal timer does not.
 * - The URL's query never reaches the platform's parser, which builds JSON from it by string
 *   replacement (a parameter without `=` throws a SyntaxError quoting the query): it is appended
 *   as written by our own serializer.
 * - A request that gets no answer throws an HttpRequestError naming method, host, path and a code:
 *   never the client's error, whose request config holds the headers.
 */
export async function requestAnyStatus($: unknown, attempt: HttpAttempt): Promise<HttpResponse> {
  // @pipedream/types and @pipedream/platform type `$` differently; it is the same object.
  const step = $ as Parameters<typeof axios>[0];
  const { url, query } = splitQuery(attempt.url, attempt.params ?? {});
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, attempt.timeoutMs);
  try {
    const response = await axios(step, {
      method: attempt.method,
      url,
      headers: attempt.headers,
      data: attempt.data,
      // Truthy so axios calls the serializer, which hands back the query as written.
      params: {},
      paramsSerializer: () => query,
      timeout: attempt.timeoutMs,
      signal: controller.signal,
      maxRedirects: 0,
      returnFullResponse: true,
      validateStatus: () => true,
    });
    const headers = (response.headers ?? {}) as Record<string, unknown>;
    const header = (name: string) => (typeof headers[name] === "string" ? (headers[name] as string) : undefined);
    return { status: response.status, data: response.data, headers: { "retry-after": header("retry-after"), location: header("location") } };
  } catch (error) {
    throw toRequestError(error, attempt, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

/** The URL without query and fragment, and the query to send: the URL's as written, then `params`. */
function splitQuery(input: string, params: Record<string, string>): { url: string; query: string } {
  const parsed = new URL(input);
  const written = parsed.search.slice(1);
  parsed.search = "";
  parsed.hash = "";
  const replaced = new Set(Object.keys(params));
  const kept = written.split("&").filter((part) => part !== "" && !replaced.has(decodeName(part)));
  const added = new URLSearchParams(params).toString();
  return { url: parsed.toString(), query: [...kept, ...(added === "" ? [] : [added])].join("&") };
}

function decodeName(part: string): string {
  const name = part.split("=", 1)[0]!;
  try {
    return decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
    return name;
  }
}

function toRequestError(error: unknown, attempt: HttpAttempt, timedOut: boolean): HttpRequestError {
  const { host, path } = requestTarget(attempt.url);
  const code = safeErrorCode(error);
  if (timedOut || code === "ECONNABORTED" || code === "ETIMEDOUT") {
    return new HttpRequestError(attempt.method, host, path, "ETIMEDOUT", `timed out after ${formatSeconds(attempt.timeoutMs)}`);
  }
  const reason = code?.startsWith("E") && !code.startsWith("ERR_") ? `connection failed (${code})` : `request failed (${code ?? safeErrorName(error)})`;
  return new HttpRequestError(attempt.method, host, path, code ?? "ERR_REQUEST", reason);
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

/** How many keys a key dropdown offers; past this, type the key (or use an expression). */
const MAX_KEY_OPTIONS = 1000;

/** `this` of an options function: the app, with its methods. */
export interface KeyOptionsHost {
  keyOptions(dataStore: DataStore | undefined): Promise<string[]>;
}

/** The props components share; `as const`, so readers see each label, default and option as written. */
const propDefinitions = {
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
  keyPrefix: {
    type: "string",
    label: "Key Prefix",
    description: "Only records whose key starts with this text, e.g. `user:`. Leave empty for all records.",
    optional: true,
  },
  value: valueProp,
  ttl: ttlProp,
  valueType: valueTypeProp,
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
} as const;

/** The app: a plain object, as the registry reads it (no define* call at run time). */
export default {
  type: "app",
  app: "data_stores",
  propDefinitions,
  methods: {
    /** The store's own keys for a dropdown (not the package's internal state), sorted, at most MAX_KEY_OPTIONS. */
    async keyOptions(dataStore: DataStore | undefined): Promise<string[]> {
      if (!dataStore) return [];
      return listKeys(dataStore, { limit: MAX_KEY_OPTIONS });
    },
  },
} as const;
