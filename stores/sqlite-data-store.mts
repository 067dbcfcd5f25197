/**
 * The local runner's data stores, in one SQLite file: several named data stores (as a Pipedream
 * workspace has several) and the `$.service.db` of each source run locally, kept between runs.
 *
 * A named store behaves as the in-memory fake does (stores/memory-data-store.mts) and passes
 * the same contract suite: JSON values only, TTLs against an injectable clock, the platform's
 * paged iterator. It refuses what Pipedream does not promise, so a component that runs locally
 * does not come to depend on something the platform may not do.
 *
 * better-sqlite3 is synchronous; every member is still async, as a network round trip is on the
 * platform, so code written against the contract cannot tell the difference. The file is in WAL
 * mode with a busy timeout, so several local processes can read and write it at once.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { DataStore, JsonValue, SetOptions } from "../lib/store/data-store.mjs";
import type { SourceDb } from "../lib/store/source-db.mjs";
import { INTERNAL_KEY_PREFIX } from "../lib/store/reserved-keys.mjs";
import { prepareBrowse, type BrowseOptions, type BrowseStatements, type RecordPage, type StoredRecord } from "./browse-records.mjs";
import { checkKey as checkDocumentedKey, checkSourceDbSize, checkTtl, dataStoreJson, sourceDbJson } from "./checks.mjs";

/** The layout this code writes; a file with a higher version was made by newer code and is refused. */
const SCHEMA_VERSION = 2;
/** Records per iterator page, as the platform pages. */
const DEFAULT_PAGE_SIZE = 128;
/** How long a write waits for another process's write to finish before it fails. */
const BUSY_TIMEOUT_MS = 5000;
/** Expired records a `set` deletes besides its own key, so a store never listed still sheds them. */
const PURGE_BATCH = 16;

// Version 2: a data store is a thing of its own, as on Pipedream: named here by its first write or
// by `createDataStore`, it stays, empty or not, until `forgetDataStore`.
const DATA_STORES_TABLE = "CREATE TABLE IF NOT EXISTS data_stores (name TEXT PRIMARY KEY) WITHOUT ROWID;";
/** Names the data stores of a version-1 file, which were only their records' store column. */
const REGISTER_EXISTING = "INSERT OR IGNORE INTO data_stores (name) SELECT DISTINCT store FROM records;";

// `position` is the insertion order and the iterator's cursor: AUTOINCREMENT never reuses one, an
// update keeps it, and a page is one indexed range read (position > last seen), whatever the
// store's size. The store name is a column, so a new store needs no new table.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (
    position   INTEGER PRIMARY KEY AUTOINCREMENT,
    store      TEXT NOT NULL,
    key        TEXT NOT NULL,
    json       TEXT NOT NULL,
    expires_at INTEGER,
    UNIQUE (store, key)
  );
  CREATE INDEX IF NOT EXISTS records_by_position ON records (store, position);
  CREATE INDEX IF NOT EXISTS records_by_expiry ON records (store, expires_at) WHERE expires_at IS NOT NULL;
  CREATE TABLE IF NOT EXISTS source_db (
    component  TEXT NOT NULL,
    data_store TEXT NOT NULL,
    key        TEXT NOT NULL,
    json       TEXT NOT NULL,
    PRIMARY KEY (component, data_store, key)
  ) WITHOUT ROWID;
  ${DATA_STORES_TABLE}
`;

/** A record is live until its expiry (ms since the epoch); NULL never expires. */
const LIVE = "(expires_at IS NULL OR expires_at > @now)";

export interface StoreFileOptions {
  /** The clock that TTLs are measured against, in ms since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Records per page of the async iterator. Default 128, as the platform. */
  pageSize?: number;
  /**
   * Open an existing file for reading only: no folder or file is created (a missing file throws),
   * nothing is written, not even the lazy purge of expired records. For dskit's read commands.
   */
  readonly?: boolean;
}

/** One data store's live records: the user's, and the package's own (`__dskit:`) state apart. */
export interface DataStoreCount {
  name: string;
  records: number;
  internalRecords: number;
}

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

/** Every statement, prepared once per open file and shared by its named stores. */
function prepareStatements(db: Database.Database) {
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

type Statements = ReturnType<typeof prepareStatements>;

/** One SQLite file holding named data stores and sources' `$.service.db`. Close it when done. */
export class StoreFile {
  private readonly statements: Statements;
  private readonly browse: BrowseStatements;
  private readonly now: () => number;
  private readonly pageSize: number;

  private readonly readonly: boolean;

  private constructor(private readonly db: Database.Database, options: StoreFileOptions) {
    this.now = options.now ?? Date.now;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.readonly = options.readonly === true;
    this.statements = prepareStatements(db);
    this.browse = prepareBrowse(db);
  }

  /**
   * Opens (or creates, with its parent folder) the file at `path`; several processes may open one
   * file at once. With `readonly`, the file must exist and is never written.
   */
  static open(path: string, options: StoreFileOptions = {}): StoreFile {
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new TypeError(`pageSize must be a whole number of records, 1 or more; got ${pageSize}`);
    if (options.readonly) return StoreFile.openForReading(path, options);
    mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    try {
      // WAL lets readers go on while one process writes; NORMAL sync is safe from corruption in WAL
      // (a power cut may lose the last commits, which a local runner can afford).
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      migrate(db, path);
      return new StoreFile(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  private static openForReading(path: string, options: StoreFileOptions): StoreFile {
    const db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      // No migration here: a read never writes. A file without the schema is not a store file.
      const version = db.pragma("user_version", { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new Error(`${path} has store schema version ${version}; this version of dskit reads up to ${SCHEMA_VERSION}. Update dskit.`);
      }
      if (version < 1) throw new Error(`${path} is not a dskit store file (it has no store schema).`);
      // A version-1 file has no data_stores table and a read may not add one to the file: a temporary
      // one (this connection's, in memory) stands in, filled as the migration would fill it.
      if (version < SCHEMA_VERSION) db.exec(`${DATA_STORES_TABLE.replace("CREATE TABLE", "CREATE TEMP TABLE")} ${REGISTER_EXISTING}`);
      return new StoreFile(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The data store named `name` in this file, created by its first write if `createDataStore` has not. */
  dataStore(name: string): DataStore {
    if (typeof name !== "string" || name === "") throw new TypeError(`A data store name must be non-empty text; got ${JSON.stringify(name)}`);
    return new SqliteDataStore(this.db, this.statements, name, this.now, this.pageSize, this.readonly);
  }

  /** Each data store (written to or created, and not forgotten), sorted by name, with its live records' counts. */
  dataStoreCounts(): DataStoreCount[] {
    return this.statements.storeCounts
      .all({ now: this.now(), prefix: INTERNAL_KEY_PREFIX })
      .map(({ name, total, internalRecords }) => ({ name, records: total - internalRecords, internalRecords }));
  }

  /** Names of the data stores written to or created, and not forgotten, sorted (empty ones too). */
  dataStoreNames(): string[] {
    return this.statements.storeNames.all({ now: this.now() });
  }

  /** Whether the data store `name` exists: written to or created, and not forgotten. */
  hasDataStore(name: string): boolean {
    return this.statements.storeExists.get({ store: name, now: this.now() }) === 1;
  }

  /** Creates the data store `name`, empty (as the Pipedream UI does); false when it already exists. */
  createDataStore(name: string): boolean {
    checkStoreName(name);
    this.checkWritable();
    return this.db
      .transaction(() => {
        if (this.hasDataStore(name)) return false;
        this.statements.createStore.run({ store: name });
        return true;
      })
      .immediate();
  }

  /**
   * Forgets the data store `name`: its name and its sources' `$.service.db`, and the expired records
   * not yet purged. Its live records are the caller's to delete first, through the library (lib/records).
   */
  forgetDataStore(name: string): void {
    checkStoreName(name);
    this.checkWritable();
    this.db
      .transaction(() => {
        this.statements.purgeStore.run({ store: name, now: this.now() });
        this.statements.forgetStore.run({ store: name });
        this.statements.forgetSourceDbs.run({ store: name });
      })
      .immediate();
  }

  /**
   * One page of the live records of data store `name`, sorted by key (SQLite's BINARY order: by code
   * point), with the total that match: by key prefix, the package's `__dskit:` records only if asked.
   */
  browseRecords(name: string, options: BrowseOptions = {}): RecordPage {
    return this.browse.browse(name, this.now(), options);
  }

  /** The live record `key` of data store `name` as stored (JSON text, expiry in ms since the epoch), or undefined. */
  inspectRecord(name: string, key: string): StoredRecord | undefined {
    return this.browse.inspect(name, key, this.now());
  }

  /** The expiry of the live record `key` in ms since the epoch (null: never), or undefined when there is no such record. */
  recordExpiry(name: string, key: string): number | null | undefined {
    return this.inspectRecord(name, key)?.expiresAt;
  }

  private checkWritable(): void {
    if (this.readonly) throw new Error("The store file was opened read-only");
  }

  /**
   * The persistent `$.service.db` of the source `componentKey` watching the data store
   * `dataStoreName`: JSON values by key, refusing a write that takes it over 60 KB, as Pipedream does.
   */
  sourceDb(componentKey: string, dataStoreName: string): SourceDb {
    const { statements, db } = this;
    // Measuring and writing in one immediate transaction: another process cannot slip a write in between.
    const write = db.transaction((key: string, json: string) => {
      const where = { component: componentKey, dataStore: dataStoreName, key };
      checkSourceDbSize(statements.sourceOthersBytes.get(where) ?? 0, key, json);
      statements.sourceSet.run({ ...where, json });
    });
    return {
      get(key: string): unknown {
        const json = statements.sourceGet.get({ component: componentKey, dataStore: dataStoreName, key });
        return json === undefined ? undefined : JSON.parse(json);
      },
      set(key: string, value: unknown): void {
        write.immediate(key, sourceDbJson(key, value));
      },
    };
  }

  /**
   * Forgets the `$.service.db` of the source `componentKey` on `dataStoreName` (`dskit source reset`):
   * returns how many entries it held. Not prepared up front: only reset runs it.
   */
  deleteSourceDb(componentKey: string, dataStoreName: string): number {
    return this.db.prepare("DELETE FROM source_db WHERE component = ? AND data_store = ?").run(componentKey, dataStoreName).changes;
  }

  /** Closes the file; the stores and source dbs taken from it stop working. */
  close(): void {
    this.db.close();
  }
}

/** Creates the schema in a new file, and refuses a file laid out by newer code. */
function migrate(db: Database.Database, path: string): void {
  db.transaction(() => {
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${path} has store schema version ${version}; this version of dskit reads up to ${SCHEMA_VERSION}. Update dskit.`);
    }
    if (version === SCHEMA_VERSION) return;
    // A new file gets everything; a version-1 file gains the data_stores table (IF NOT EXISTS throughout).
    db.exec(SCHEMA);
    if (version === 1) db.exec(REGISTER_EXISTING);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * One named data store. Expired records are invisible to every read and deleted lazily: a `set`
 * deletes its own key's expired record and a few others, `keys()` all of the store's.
 * No `entries()`: its shape is not documented by Pipedream.
 */
class SqliteDataStore implements DataStore {
  private readonly write: (key: string, json: string, ttl: number | undefined) => void;

  constructor(
    db: Database.Database,
    private readonly statements: Statements,
    private readonly store: string,
    private readonly now: () => number,
    private readonly pageSize: number,
    private readonly readonly: boolean,
  ) {
    const setRecord = db.transaction((key: string, json: string, ttl: number | undefined) => {
      const now = this.now();
      const where = { store: this.store, key };
      // An expired record is gone: writing its key again is a new record, at the end, without its expiry.
      statements.purgeKey.run({ ...where, now });
      statements.purgeSome.run({ store: this.store, now, limit: PURGE_BATCH });
      statements.registerStore.run({ store: this.store });
      // Without a ttl the earlier expiry stays. Pipedream does not document either way, so, as the
      // fake does, this picks the behaviour that punishes relying on a write clearing it.
      if (ttl === undefined) statements.upsertKeepingExpiry.run({ ...where, json });
      else statements.upsertWithExpiry.run({ ...where, json, expiresAt: expiryAt(now, ttl) });
    });
    this.write = (key, json, ttl) => setRecord.immediate(key, json, ttl);
  }

  /** A read-only file refuses writes with a message, not SQLite's "attempt to write a readonly database". */
  private checkWritable(): void {
    if (this.readonly) throw new Error(`Data store "${this.store}" was opened read-only`);
  }

  async get(key: string): Promise<JsonValue | undefined> {
    checkKey(key);
    const row = this.statements.get.get({ store: this.store, key, now: this.now() });
    return row === undefined ? undefined : (JSON.parse(row.json) as JsonValue);
  }

  async set(key: string, value: JsonValue, options?: SetOptions): Promise<void> {
    checkKey(key);
    this.checkWritable();
    const json = dataStoreJson(value);
    const ttl = options?.ttl;
    if (ttl !== undefined) checkTtl(ttl);
    this.write(key, json, ttl);
  }

  async setTtl(key: string, seconds: number | null): Promise<void> {
    checkKey(key);
    this.checkWritable();
    if (seconds !== null) checkTtl(seconds);
    const now = this.now();
    this.statements.setExpiry.run({ store: this.store, key, now, expiresAt: seconds === null ? null : expiryAt(now, seconds) });
  }

  async has(key: string): Promise<boolean> {
    checkKey(key);
    return this.statements.has.get({ store: this.store, key, now: this.now() }) !== undefined;
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    this.checkWritable();
    this.statements.delete.run({ store: this.store, key });
  }

  async keys(): Promise<string[]> {
    const now = this.now();
    if (!this.readonly) this.statements.purgeStore.run({ store: this.store, now });
    return this.statements.keys.all({ store: this.store, now });
  }

  async clear(): Promise<void> {
    this.checkWritable();
    this.statements.clear.run({ store: this.store });
  }

  /**
   * Every live record in insertion order, one query per page. Pages continue after the last
   * position seen, so deleting records while iterating skips none here; on the platform it may
   * (see the fake), so don't.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<[string, JsonValue]> {
    for (let after = 0; ; ) {
      const page = this.statements.page.all({ store: this.store, after, now: this.now(), limit: this.pageSize });
      for (const row of page) yield [row.key, JSON.parse(row.json) as JsonValue];
      if (page.length < this.pageSize) return;
      after = page[page.length - 1]!.position;
    }
  }
}

/** When a record given `ttlSeconds` now expires, in ms since the epoch; a huge ttl is as good as none ending. */
function expiryAt(now: number, ttlSeconds: number): number {
  return Math.min(now + ttlSeconds * 1000, Number.MAX_SAFE_INTEGER);
}

/** A data store name is non-empty text, as `dataStore(name)` requires. */
function checkStoreName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name === "") throw new TypeError(`A data store name must be non-empty text; got ${JSON.stringify(name)}`);
}

/** The documented key rule, and one of SQLite's own. */
function checkKey(key: unknown): asserts key is string {
  checkDocumentedKey(key);
  // SQLite keeps text as UTF-8, which cannot hold a lone surrogate: two such keys would collide.
  if (/[\uD800-\uDFFF]/u.test(key)) {
    throw new TypeError(`Data store keys must be valid Unicode text; ${JSON.stringify(key)} holds a lone surrogate`);
  }
}
