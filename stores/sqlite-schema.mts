/**
 * The layout of a store file: its tables, the version it records in `user_version`, the migration
 * a writer runs on open, and how a read-only open copes with an older file it may not migrate.
 * Apart from the store file so that every change of layout is read in one place.
 */
import type Database from "better-sqlite3";

/** The layout this code writes; a file with a higher version was made by newer code and is refused. */
const SCHEMA_VERSION = 2;

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

/** The schema version the file at `path` records, refusing one laid out by newer code. */
function readableVersion(db: Database.Database, path: string): number {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`${path} has store schema version ${version}; this version of dskit reads up to ${SCHEMA_VERSION}. Update dskit.`);
  }
  return version;
}

/** Creates the schema in a new file, and refuses a file laid out by newer code. */
export function migrate(db: Database.Database, path: string): void {
  db.transaction(() => {
    const version = readableVersion(db, path);
    if (version === SCHEMA_VERSION) return;
    // A new file gets everything; a version-1 file gains the data_stores table (IF NOT EXISTS throughout).
    db.exec(SCHEMA);
    if (version === 1) db.exec(REGISTER_EXISTING);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Makes a file opened read-only readable by this code, without writing to it: refuses a file laid
 * out by newer code or one that is not a store file, and stands in for what an older one lacks.
 */
export function prepareForReading(db: Database.Database, path: string): void {
  // No migration here: a read never writes. A file without the schema is not a store file.
  const version = readableVersion(db, path);
  if (version < 1) throw new Error(`${path} is not a dskit store file (it has no store schema).`);
  // A version-1 file has no data_stores table and a read may not add one to the file: a temporary
  // one (this connection's, in memory) stands in, filled as the migration would fill it.
  if (version < SCHEMA_VERSION) db.exec(`${DATA_STORES_TABLE.replace("CREATE TABLE", "CREATE TEMP TABLE")} ${REGISTER_EXISTING}`);
}
