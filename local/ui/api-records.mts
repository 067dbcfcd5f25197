/**
 * The API's record routes: a page of records (paged and filtered in SQL), one record, add, edit,
 * set or clear the TTL, delete. Input is read by the actions' own parsers (parseKey, parseValue,
 * parseValueType, parseTtlSeconds) and every change goes through lib/records.
 */
import type { Hono } from "hono";
import { parseInteger, parseKey, parsePrefix } from "../../components/common/inputs.mjs";
import { parseTtlSeconds } from "../../components/common/ttl.mjs";
import { parseValue, parseValueType } from "../../components/common/values.mjs";
import { deleteRecords } from "../../lib/records/delete-records.mjs";
import { updateTtl, writeRecord } from "../../lib/records/records.mjs";
import { ApiError, jsonBody, previewOf, queryFlag, recordAnswer, recordFacts } from "./api-support.mjs";
import type { DashboardStore } from "./api.mjs";

/** Records a page holds at most, and by default. */
export const MAX_PAGE_RECORDS = 500;
export const DEFAULT_PAGE_RECORDS = 50;

/** The package's records are shown and may be deleted (to reset a limiter), never written here. */
const READ_ONLY_INTERNAL = { whenReserved: "The dashboard shows the package's own records and can delete them, but not add or edit them." };

/** The 404 of a record that is not there (never written, deleted, or expired). */
function missingRecord(name: string, key: string): ApiError {
  return new ApiError(404, `Key: no record "${key}" in data store "${name}".`);
}

/** Mounts the record routes on `app`. */
export function recordRoutes(app: Hono, { storeFile, requireStore, now }: DashboardStore): void {
  /** The record as it is now, or a 404 naming it. */
  const current = (name: string, key: string) => {
    const record = storeFile.inspectRecord(name, key);
    if (record === undefined) throw missingRecord(name, key);
    return record;
  };

  app.get("/api/data-stores/:store/records", (c) => {
    const { name } = requireStore(c.req.param("store"));
    const prefix = parsePrefix(c.req.query("prefix") ?? "", "Key prefix");
    const internal = queryFlag(c.req.query("internal"));
    const offset = parseInteger(c.req.query("offset") ?? "0", "offset", { min: 0 });
    const limit = parseInteger(c.req.query("limit") ?? String(DEFAULT_PAGE_RECORDS), "limit", { min: 1, max: MAX_PAGE_RECORDS });
    const page = storeFile.browseRecords(name, { prefix, includeInternal: internal, offset, limit });
    const at = now();
    const records = page.records.map((record) => {
      const { key, type, bytes, expiresAt, ttlSeconds, internal: isInternal } = recordFacts(record, at);
      return { key, preview: previewOf(record.json), type, bytes, expiresAt, ttlSeconds, internal: isInternal };
    });
    return c.json({ dataStore: name, prefix, internal, total: page.total, offset, limit, records });
  });

  app.get("/api/data-stores/:store/records/:key", (c) => {
    const { name } = requireStore(c.req.param("store"));
    return c.json(recordAnswer(current(name, c.req.param("key")), now()));
  });

  app.post("/api/data-stores/:store/records", async (c) => {
    const { name, store } = requireStore(c.req.param("store"));
    const body = await jsonBody(c);
    const key = parseKey(body.key, "Key", READ_ONLY_INTERNAL);
    const valueType = parseValueType(body.valueType, "Value Type");
    const record = { key, value: parseValue(body.value, valueType, "Value", { valueTypeLabel: "Value Type" }), ttlSeconds: parseTtlSeconds(body.ttl, "TTL") };
    if (await store.has(key)) throw new ApiError(409, `Key: a record "${key}" already exists in data store "${name}"; open it to edit it.`);
    await writeRecord(store, record, false);
    return c.json(recordAnswer(current(name, key), now()), 201);
  });

  app.put("/api/data-stores/:store/records/:key", async (c) => {
    const { name, store } = requireStore(c.req.param("store"));
    const key = parseKey(c.req.param("key"), "Key", READ_ONLY_INTERNAL);
    const body = await jsonBody(c);
    const valueType = parseValueType(body.valueType, "Value Type");
    const value = parseValue(body.value, valueType, "Value", { valueTypeLabel: "Value Type" });
    const before = current(name, key);
    // The expiry is kept by writing the time it has left, not by a store's habit of keeping it on set.
    const ttlSeconds = before.expiresAt === null ? null : Math.max(1, Math.ceil((before.expiresAt - now()) / 1000));
    await writeRecord(store, { key, value, ttlSeconds });
    return c.json(recordAnswer(current(name, key), now()));
  });

  app.put("/api/data-stores/:store/records/:key/ttl", async (c) => {
    const { name, store } = requireStore(c.req.param("store"));
    const key = parseKey(c.req.param("key"), "Key", READ_ONLY_INTERNAL);
    const ttlSeconds = parseTtlSeconds((await jsonBody(c)).ttl, "TTL");
    if (!(await updateTtl(store, key, ttlSeconds)).found) throw missingRecord(name, key);
    return c.json(recordAnswer(current(name, key), now()));
  });

  app.delete("/api/data-stores/:store/records/:key", async (c) => {
    const { name, store } = requireStore(c.req.param("store"));
    const key = parseKey(c.req.param("key"), "Key", { allowReserved: true });
    const { deleted } = await deleteRecords(store, [key]);
    if (deleted.length === 0) throw missingRecord(name, key);
    return c.json({ key, deleted: true });
  });
}
