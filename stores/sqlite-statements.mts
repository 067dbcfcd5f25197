/**
 * Every SQL statement a store file runs against its records, its data-store registry and its
 * sources' `$.service.db`, prepared once per open file and shared by the file and its named stores.
 * (The dashboard's read model prepares its own, in stores/browse-records.mts.)
 */
import type Database from "better-sqlite3";

/** A record is live until its expiry (ms since the epoch); NULL never expires. */
const LIVE = "(expires_at IS NULL OR expires_at > @now)";

interface Named {
  store: string;
}
interface Keyed extends Named {
  key: string;
}
interface At {
  now: number;
}
interface SourceKeyed {
  component: string;
  dataStore: string;
  key: string;
}

/**
 * Every statement, prepared once per open file and shared by its named stores.
 * @internal better-sqlite3's statement types cannot be named in a declaration file; nothing outside stores/ needs them.
 */
export function prepareStatements(db: Database.Database) {
  return {
    get: db.prepare<Keyed & At, { json: string }>(`SELECT json FROM records WHERE store = @store AND key = @key AND ${LIVE}`),
    has: db.prepare<Keyed & At, { found: number }>(`SELECT 1 AS found FROM records WHERE store = @store AND key = @key AND ${LIVE}`),
    purgeKey: db.prepare<Keyed & At>("DELETE FROM records WHERE store = @store AND key = @key AND expires_at <= @now"),
    purgeSome: db.prepare<Named & At & { limit: number }>(
      `DELETE FROM records WHERE position IN (
         SELECT position FROM records WHERE store = @store AND expires_at <= @now LIMIT @limit)`,
    ),
    purgeStore: db.prepare<Named & At>("DELETE FROM records WHERE store = @store AND expires_at <= @now"),
    upsertWithExpiry: db.prepare<Keyed & { json: string; expiresAt: number }>(
      `INSERT INTO records (store, key, json, expires_at) VALUES (@store, @key, @json, @expiresAt)
       ON CONFLICT (store, key) DO UPDATE SET json = excluded.json, expires_at = excluded.expires_at`,
    ),
    upsertKeepingExpiry: db.prepare<Keyed & { json: string }>(
      `INSERT INTO records (store, key, json, expires_at) VALUES (@store, @key, @json, NULL)
       ON CONFLICT (store, key) DO UPDATE SET json = excluded.json`,
    ),
    setExpiry: db.prepare<Keyed & At & { expiresAt: number | null }>(
      `UPDATE records SET expires_at = @expiresAt WHERE store = @store AND key = @key AND ${LIVE}`,
    ),
    delete: db.prepare<Keyed>("DELETE FROM records WHERE store = @store AND key = @key"),
    keys: db.prepare<Named & At, string>(`SELECT key FROM records WHERE store = @store AND ${LIVE} ORDER BY position`).pluck(),
    clear: db.prepare<Named>("DELETE FROM records WHERE store = @store"),
    page: db.prepare<Named & At & { after: number; limit: number }, { position: number; key: string; json: string }>(
      `SELECT position, key, json FROM records WHERE store = @store AND position > @after AND ${LIVE}
       ORDER BY position LIMIT @limit`,
    ),
    storeNames: db.prepare<At, string>(`SELECT store FROM records WHERE ${LIVE} UNION SELECT name FROM data_stores ORDER BY 1`).pluck(),
    // substr, not LIKE: "_" is a LIKE wildcard.
    storeCounts: db.prepare<At & { prefix: string }, { name: string; internalRecords: number; total: number }>(
      `SELECT name, SUM(total) AS total, SUM(internalRecords) AS internalRecords FROM (
         SELECT store AS name, COUNT(*) AS total, SUM(substr(key, 1, length(@prefix)) = @prefix) AS internalRecords
         FROM records WHERE ${LIVE} GROUP BY store
         UNION ALL SELECT name, 0, 0 FROM data_stores)
       GROUP BY name ORDER BY name`,
    ),
    storeExists: db.prepare<Named & At, number>(
      `SELECT EXISTS (SELECT 1 FROM data_stores WHERE name = @store) OR EXISTS (SELECT 1 FROM records WHERE store = @store AND ${LIVE})`,
    ).pluck(),
    createStore: db.prepare<Named>("INSERT INTO data_stores (name) VALUES (@store)"),
    registerStore: db.prepare<Named>("INSERT OR IGNORE INTO data_stores (name) VALUES (@store)"),
    forgetStore: db.prepare<Named>("DELETE FROM data_stores WHERE name = @store"),
    forgetSourceDbs: db.prepare<Named>("DELETE FROM source_db WHERE data_store = @store"),
    sourceGet: db.prepare<SourceKeyed, string>(
      "SELECT json FROM source_db WHERE component = @component AND data_store = @dataStore AND key = @key",
    ).pluck(),
    // Bytes of every other entry of that db: keys plus JSON, in UTF-8, as stores/checks.mts counts them.
    sourceOthersBytes: db.prepare<SourceKeyed, number>(
      `SELECT COALESCE(SUM(length(CAST(key AS BLOB)) + length(CAST(json AS BLOB))), 0) FROM source_db
       WHERE component = @component AND data_store = @dataStore AND key <> @key`,
    ).pluck(),
    sourceSet: db.prepare<SourceKeyed & { json: string }>(
      `INSERT INTO source_db (component, data_store, key, json) VALUES (@component, @dataStore, @key, @json)
       ON CONFLICT (component, data_store, key) DO UPDATE SET json = excluded.json`,
    ),
  };
}

/** @internal */
export type Statements = ReturnType<typeof prepareStatements>;
