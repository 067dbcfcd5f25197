// @ts-check
/**
 * The page's addresses, in the hash so back/forward and reload work without the server knowing:
 *   #/                                        the data stores
 *   #/stores/<name>?prefix=<p>&page=<n>&internal=1   the records of one data store
 *   #/stores/<name>/records/<key>             one record
 * Names and keys are encodeURIComponent'd, so a key holding "/" or "?" stays one segment.
 */

/**
 * @typedef {{ kind: "stores" }
 *   | { kind: "store", store: string, prefix: string, page: number, internal: boolean }
 *   | { kind: "record", store: string, key: string }
 *   | { kind: "notFound", hash: string }} Route
 */

/**
 * @param {string} hash `location.hash`
 * @returns {Route}
 */
export function parseRoute(hash) {
  const text = hash.replace(/^#/, "");
  const queryAt = text.indexOf("?");
  const path = queryAt === -1 ? text : text.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? "" : text.slice(queryAt + 1));
  const segments = path.split("/").filter((segment) => segment !== "");
  try {
    if (segments.length === 0) return { kind: "stores" };
    if (segments[0] === "stores" && segments.length === 2) {
      const page = Number.parseInt(query.get("page") ?? "1", 10);
      return {
        kind: "store",
        store: decodeURIComponent(segments[1]),
        prefix: query.get("prefix") ?? "",
        page: Number.isInteger(page) && page >= 1 ? page : 1,
        internal: query.get("internal") === "1",
      };
    }
    if (segments[0] === "stores" && segments.length === 4 && segments[2] === "records") {
      return { kind: "record", store: decodeURIComponent(segments[1]), key: decodeURIComponent(segments[3]) };
    }
  } catch {
    // A malformed %-escape typed into the address bar: fall through to "not found".
  }
  return { kind: "notFound", hash };
}

/** @returns {string} */
export const storesHash = () => "#/";

/**
 * @param {string} store
 * @param {{ prefix?: string, page?: number, internal?: boolean }} [options]
 */
export function storeHash(store, { prefix = "", page = 1, internal = false } = {}) {
  const query = new URLSearchParams();
  if (prefix !== "") query.set("prefix", prefix);
  if (page > 1) query.set("page", String(page));
  if (internal) query.set("internal", "1");
  const search = query.toString();
  return `#/stores/${encodeURIComponent(store)}${search === "" ? "" : `?${search}`}`;
}

/** @param {string} store @param {string} key */
export const recordHash = (store, key) => `#/stores/${encodeURIComponent(store)}/records/${encodeURIComponent(key)}`;
