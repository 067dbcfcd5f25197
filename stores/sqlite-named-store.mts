/**
 * One named data store of a store file (stores/sqlite-data-store.mts), implementing the DataStore
 * contract over the file's shared statements.
 *
 * It behaves as the in-memory fake does (stores/memory-data-store.mts) and passes the same
 * contract suite: JSON values only, TTLs against an injectable clock, the platform's paged
 * iterator. It refuses what Pipedream does not promise, so a component that runs locally does not
 * come to depend on something the platform may not do.
 *
 * better-sqlite3 is synchronous; every member is still async, as a network round trip is on the
 * platform, so code written against the contract cannot tell the difference.
 */
import type Database from "better-sqlite3";
import type { DataStore, JsonValue, SetOptions } from "../lib/store/data-store.mjs";
import { checkKey as checkDocumentedKey, checkTtl, dataStoreJson } from "./checks.mjs";
import type { Statements } from "./sqlite-statements.mjs";

/** Expired records a `set` deletes besides its own key, so a store never listed still sheds them. */
const PURGE_BATCH = 16;

/**
 * One named data store. Expired records are invisible to every read and deleted lazily: a `set`
 * deletes its own key's expired record and a few others, `keys()` all of the store's.
 * No `entries()`: its shape is not documented by Pipedream.
 */
export class SqliteDataStore implements DataStore {
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

/** The documented key rule, and one of SQLite's own. */
function checkKey(key: unknown): asserts key is string {
  checkDocumentedKey(key);
  // SQLite keeps text as UTF-8, which cannot hold a lone surrogate: two such keys would collide.
  if (/[\uD800-\uDFFF]/u.test(key)) {
    throw new TypeError(`Data store keys must be valid Unicode text; ${JSON.stringify(key)} holds a lone surrogate`);
  }
}
