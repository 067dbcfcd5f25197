import type { ActionComponent, PropDeclarations } from "../../components/common/component.mjs";
import app, { DATA_STORES_DOCS_URL, requestAnyStatus } from "../../components/data_stores.app.mjs";
import { withConfigurationErrors } from "../../components/common/errors.mjs";
import { cachedRequest, type CacheableMethod, type HttpRequest } from "../../lib/cache/cache.mjs";
import { readHeaders, readHttpUrl, readTextMap } from "../../components/common/http-inputs.mjs";
import { isBlank } from "../../components/common/inputs.mjs";
import { readBoolean, readChoice, readInteger } from "../../components/common/props.mjs";
import { formatDuration } from "../../components/common/summary.mjs";
import { readValue } from "../../components/common/values.mjs";

const METHODS = ["GET", "HEAD", "POST"] as const satisfies readonly CacheableMethod[];

const props = {
  app,
  dataStore: { propDefinition: [app, "dataStore"] },
  url: {
    type: "string",
    label: "URL",
    description:
      "The `http` or `https` URL to request, e.g. `https://api.example.com/rates`. Redirects are not followed (that " +
      "would send the headers on to another address): a 3xx answer fails the step, so give the final address.",
  },
  method: {
    type: "string",
    label: "Method",
    description: "`GET` (the default), `HEAD`, or `POST` (for read-only query APIs; the body is part of the cache key).",
    optional: true,
    default: "GET",
    options: [...METHODS],
  },
  headers: {
    type: "object",
    label: "Headers",
    description:
      "Request headers, e.g. `Authorization`. They count in the cache key only through a hash, and are never stored. Leave empty for none.",
    optional: true,
    secret: true,
  },
  params: {
    type: "object",
    label: "Query Parameters",
    description:
      "Query string parameters, e.g. `{ \"city\": \"Paris\" }`, sent after the URL's own (a name given here replaces " +
      "the URL's). Like headers, never written to an error or the store. Leave empty for none.",
    optional: true,
  },
  body: {
    type: "any",
    label: "Body",
    description: "The body of a POST: an object, or JSON text. Leave empty for none.",
    optional: true,
  },
  ttl: {
    propDefinition: [app, "ttl"],
    label: "Cache TTL (seconds)",
    description: "Serve a cached response for this many seconds without a request. Default: 300 (5 minutes).",
    default: 300,
    min: 1,
  },
  cacheKey: {
    type: "string",
    label: "Cache Key",
    description:
      "Share one cache entry between requests that differ (say, by a changing header) by naming it. Leave empty to key " +
      "the cache on the method, URL, parameters, headers and body (the default). Either way the stored key is a hash.",
    optional: true,
  },
  timeoutSeconds: {
    type: "integer",
    label: "Timeout (seconds)",
    description:
      "How long the request may take in all (connecting, sending, and reading the whole answer) before it counts as " +
      "failed. From 1 to 300. Default: 30.",
    optional: true,
    default: 30,
    min: 1,
    max: 300,
  },
  staleIfError: {
    type: "boolean",
    label: "Serve Stale on Error",
    description:
      "When a refresh fails (timeout, dropped connection, 408, 429 or 5xx), return the last good response with " +
      "`stale: true` instead of failing. Responses are kept a day past their TTL for this. Default: true.",
    optional: true,
    default: true,
  },
} as const satisfies PropDeclarations;

export default {
  key: "data_stores-cached-http-request",
  name: "Make Cached HTTP Request",
  description:
    "Make an HTTP request, or serve its response from the data store while it is fresh; when a refresh fails, serve " +
    "the last good response instead. Only 2xx responses are cached, under hashed keys. " +
    `[See the documentation](${DATA_STORES_DOCS_URL})`,
  version: "0.1.2",
  type: "action",
  annotations: { destructiveHint: false, openWorldHint: true, readOnlyHint: false, idempotentHint: true },
  props,
  async run({ $ }) {
    const request: HttpRequest = {
      method: readChoice(this.method, props.method),
      url: readHttpUrl(this.url, props.url),
      headers: readHeaders(this.headers, props.headers),
      params: readTextMap(this.params, props.params),
      body: isBlank(this.body) ? undefined : readValue(this.body, props.body, "auto"),
    };
    // The app's TTL with this prop's own label, default and minimum: 0 would mean "never cache", not "no expiry".
    const ttlSeconds = readInteger(this.ttl, props.ttl);
    const staleIfError = readBoolean(this.staleIfError, props.staleIfError);
    const cacheKey = isBlank(this.cacheKey) ? undefined : String(this.cacheKey);
    const timeoutMs = readInteger(this.timeoutSeconds, props.timeoutSeconds) * 1000;
    const result = await withConfigurationErrors(
      cachedRequest(
        this.dataStore,
        request,
        async ({ method, url, headers, params, body }) => {
          // JSON data goes as JSON text (axios would refuse a bare true or 3); text goes as it is, as before.
          const json = body !== undefined && typeof body !== "string";
          const hasContentType = Object.keys(headers).some((name) => name.toLowerCase() === "content-type");
          const headersSent = json && !hasContentType ? { ...headers, "Content-Type": "application/json" } : headers;
          const data = json ? JSON.stringify(body) : body;
          return requestAnyStatus($, { method, url, headers: headersSent, params, data, timeoutMs });
        },
        { ttlSeconds, cacheKey, staleIfError },
      ),
    );
    const age = formatDuration(result.ageSeconds);
    const summary = result.stale
      ? `The request failed; served the last good response (HTTP ${result.status}, ${age} old)`
      : result.cached
        ? `Served from cache (HTTP ${result.status}, ${age} old)`
        : `Fetched HTTP ${result.status} and cached it for ${formatDuration(ttlSeconds)}`;
    $.export("$summary", summary);
    return result;
  },
} satisfies ActionComponent<typeof props>;
