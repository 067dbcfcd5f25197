/**
 * The dashboard's JSON API (the table in README.md): every page of the dashboard has this twin a
 * script can use. Routes live in api-data-stores.mts and api-records.mts; this file mounts them
 * with what they share.
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { DataStore } from "../../lib/store/data-store.mjs";
import type { StoreFile } from "../../stores/sqlite-data-store.mjs";
import { dataStoreRoutes } from "./api-data-stores.mjs";
import { recordRoutes } from "./api-records.mjs";
import { ApiError } from "./api-support.mjs";

/** The largest JSON body (a record's value included) outside an upload. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;

/** What the routes share: the open store file, its path, the clock, and the lookup of a data store by name. */
export interface DashboardStore {
  storeFile: StoreFile;
  storeFilePath: string;
  /** ms since the epoch; the store file's own clock, so `ttlSeconds` agrees with the expiry. */
  now: () => number;
  /** The data store named in the path, or a 404 when there is none (no live record, never created). */
  requireStore(name: string): { name: string; store: DataStore };
}

/** Mounts the API on `app`, after the guards. */
export function apiRoutes(app: Hono, options: { storeFile: StoreFile; storeFilePath: string; now: () => number }): void {
  const { storeFile } = options;
  const shared: DashboardStore = {
    ...options,
    requireStore(name) {
      if (!storeFile.hasDataStore(name)) throw new ApiError(404, `Data store name: no data store "${name}" in ${options.storeFilePath}.`);
      return { name, store: storeFile.dataStore(name) };
    },
  };
  const jsonLimit = bodyLimit({
    maxSize: MAX_JSON_BYTES,
    onError: (c) => c.json({ error: { message: `The request body is over ${MAX_JSON_BYTES / 1024 / 1024} MiB. Nothing was changed.` } }, 413),
  });
  // Uploads have their own, larger limit (api-data-stores.mts).
  app.use("/api/*", (c, next) => (/^\/api\/data-stores\/[^/]+\/import$/.test(c.req.path) ? next() : jsonLimit(c, next)));
  dataStoreRoutes(app, shared);
  recordRoutes(app, shared);
  app.all("/api/*", () => {
    throw new ApiError(404, "No such API route: see the JSON API table in README.md (Dashboard).");
  });
}
