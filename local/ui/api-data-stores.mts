/**
 * The API's data store routes: list, create, weigh, delete (after the name is typed again),
 * export and import. Every change goes through the library (lib/records) or the store file's own
 * name registry; uploads through `dskit store import`'s parser, all checked before any write.
 */
import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { ConfigurationError } from "@pipedream/platform";
import type { JsonValue } from "../../lib/store/data-store.mjs";
import { deleteAllRecords } from "../../lib/records/delete-records.mjs";
import { listRecords } from "../../lib/records/list-records.mjs";
import { writeRecords } from "../../lib/records/records.mjs";
import { isWellFormedText } from "../../lib/store/reserved-keys.mjs";
import { describe } from "../../components/common/inputs.mjs";
import { readImportRecords } from "../import-records.mjs";
import { measureDataStore } from "../store-weight.mjs";
import { ApiError, jsonBody, queryFlag } from "./api-support.mjs";
import type { DashboardStore } from "./api.mjs";

/** The longest data store name the dashboard creates. */
export const MAX_NAME_CHARS = 200;
/** The largest upload: a store file is local, but a request still has to fit in memory. */
export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;

/** A new data store's name: text, not blank, no control characters, at most MAX_NAME_CHARS. */
function parseDataStoreName(input: unknown): string {
  const label = "Data store name";
  if (typeof input !== "string") throw new ApiError(400, `${label} must be text; got ${describe(input)}.`);
  if (input.trim() === "") throw new ApiError(400, `${label} is empty: enter a name, such as "orders".`);
  if (/\p{Cc}/u.test(input)) throw new ApiError(400, `${label} holds a control character (a tab, a line break…); use printable text.`);
  if (!isWellFormedText(input)) throw new ApiError(400, `${label} holds half of a character (a lone UTF-16 surrogate); enter the whole character.`);
  if (input.length > MAX_NAME_CHARS) throw new ApiError(400, `${label} is ${input.length} characters long; use at most ${MAX_NAME_CHARS}.`);
  return input;
}

/** A file name for a download: the data store's name with anything but letters, digits, ".", "-" and "_" as "_". */
function downloadName(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]/g, "_")}.json`;
}

/** Mounts the data store routes on `app`. */
export function dataStoreRoutes(app: Hono, { storeFile, storeFilePath, requireStore }: DashboardStore): void {
  app.get("/api/data-stores", (c) => c.json({ storeFile: storeFilePath, dataStores: storeFile.dataStoreCounts() }));

  app.post("/api/data-stores", async (c) => {
    const name = parseDataStoreName((await jsonBody(c)).name);
    if (!storeFile.createDataStore(name)) throw new ApiError(409, `Data store name: "${name}" already exists; open it, or choose another name.`);
    return c.json({ name }, 201);
  });

  app.get("/api/data-stores/:store", async (c) => {
    const { name, store } = requireStore(c.req.param("store"));
    return c.json(await measureDataStore(store, name));
  });

  app.delete("/api/data-stores/:store", async (c) => {
    const { name, store } = requireStore(c.req.param("store"));
    const { confirmName } = await jsonBody(c);
    if (confirmName !== name) {
      throw new ApiError(400, `Confirm name must be the data store's name exactly, "${name}"; got ${describe(confirmName)}. Nothing was deleted.`);
    }
    const { deleted, internalDeleted } = await deleteAllRecords(store, "", { includeInternal: true });
    storeFile.forgetDataStore(name);
    return c.json({ dataStore: name, deletedRecords: deleted + internalDeleted });
  });

  app.get("/api/data-stores/:store/export", async (c) => {
    const { name, store } = requireStore(c.req.param("store"));
    const records = await listRecords(store, { includeInternal: queryFlag(c.req.query("internal")) });
    // Prototype-less, as `dskit store export` writes it, so "__proto__" stays a key.
    const object: Record<string, JsonValue> = Object.create(null);
    for (const { key, value } of records) object[key] = value;
    const file = downloadName(name);
    return c.body(`${JSON.stringify(object, null, 2)}\n`, 200, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(`${name}.json`)}`,
    });
  });

  app.post(
    "/api/data-stores/:store/import",
    bodyLimit({ maxSize: MAX_IMPORT_BYTES, onError: (c) => c.json({ error: { message: `The upload is over ${MAX_IMPORT_BYTES / 1024 / 1024} MiB; split it. Nothing was imported.` } }, 413) }),
    async (c) => {
      const { name, store } = requireStore(c.req.param("store"));
      const text = await c.req.text();
      let read: ReturnType<typeof readImportRecords>;
      try {
        read = readImportRecords(text, c.req.query("filename") || "upload", c.req.query("format") || undefined);
      } catch (error) {
        if (!(error instanceof ConfigurationError)) throw error;
        throw new ApiError(400, `${error.message} Nothing was imported.`);
      }
      const keys = await writeRecords(store, read.records);
      return c.json({ dataStore: name, format: read.format, imported: keys.length });
    },
  );
}
