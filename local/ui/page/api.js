// @ts-check
/**
 * The dashboard's JSON API (see `dskit ui`). The token travels in the HttpOnly cookie the server
 * set when the printed address was opened, so requests only need `same-origin` credentials.
 */

/** An answer of the API that is not a success: its message is meant for the user. */
export class ApiError extends Error {
  /** @param {string} message @param {number} status */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/**
 * Calls the API and returns the parsed JSON answer; throws ApiError with the server's message.
 * @param {string} path e.g. `/api/data-stores`
 * @param {{ method?: string, json?: unknown, body?: BodyInit, contentType?: string }} [options]
 * @returns {Promise<any>}
 */
export async function api(path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  let body = options.body;
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.contentType !== undefined) {
    headers["Content-Type"] = options.contentType;
  }
  let response;
  try {
    response = await fetch(path, { method: options.method ?? "GET", headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError("The dashboard server is not answering. Is `dskit ui` still running?", 0);
  }
  const text = await response.text();
  /** @type {any} */
  let data = null;
  try {
    data = text === "" ? null : JSON.parse(text);
  } catch {
    data = null;
  }
  if (!response.ok) {
    const message = data?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`;
    if (response.status === 401) throw new ApiError(`${message} Open the address \`dskit ui\` printed again.`, 401);
    throw new ApiError(message, response.status);
  }
  return data;
}

/** @param {string} store */
export const storePath = (store) => `/api/data-stores/${encodeURIComponent(store)}`;
/** @param {string} store @param {string} key */
export const recordPath = (store, key) => `${storePath(store)}/records/${encodeURIComponent(key)}`;
