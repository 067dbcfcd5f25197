/**
 * The local runner's data stores, in one SQLite file: several named data stores (as a Pipedream
 * workspace has several) and the `$.service.db` of each source run locally, kept between runs.
 * This file opens the file and keeps its registry of data stores; the layout and its migration
 * are in stores/sqlite-schema.mts, the statements in stores/sqlite-statements.mts, one named
 * store (the DataStore contract) in stores/sqlite-named-store.mts, the dashboard's read model in
 * stores/browse-records.mts.
 *
 * The file is in WAL mode with a busy timeout, so several local processes can read and write it at once.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { DataStore } from "../lib/store/data-store.mjs";
import type { SourceDb } from "../lib/store/source-db.mjs";
import { INTERNAL_KEY_PREFIX } from "../lib/store/reserved-keys.mjs";
import { prepareBrowse, type BrowseOptions, type BrowseStatements, type RecordPage, type StoredRecord } from "./browse-records.mjs";
import { checkSourceDbSize, sourceDbJson } from "./checks.mjs";
import { SqliteDataStore } from "./sqlite-named-store.mjs";
import { migrate, prepareForReading } from "./sqlite-schema.mjs";
import { prepareStatements, type Statements } from "./sqlite-statements.mjs";

/** Records per iterator page, as the platform pages. */
const DEFAULT_PAGE_SIZE = 128;
/** How long a write waits for another process's write to finish before it fails. */
const BUSY_TIMEOUT_MS = 5000;

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
      prepareForReading(db, path);
      return new StoreFile(db, options);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** The data store named `name` in this file, created by its first write if `createDataStore` has not. */
  dataStore(name: string): DataStore {
    checkStoreName(name);
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

/** A data store name is non-empty text, as `dataStore(name)` requires. */
function checkStoreName(name: unknown): asserts name is string {
  if (typeof name !== "string" || name === "") throw new TypeError(`A data store name must be non-empty text; got ${JSON.stringify(name)}`);
}
