/**
 * The store file's read model for the dashboard: one page of a data store's records sorted by
 * key, found by key range on the UNIQUE (store, key) index, so a page of a 100,000-record store
 * costs what a page of a 10-record one does (the total is one count over the same range).
 * Local only: the DataStore contract mirrors the platform and has no such reads.
 */
import type Database from "better-sqlite3";
import { INTERNAL_KEY_PREFIX } from "../lib/store/reserved-keys.mjs";

/** Which records a page holds. */
export interface BrowseOptions {
  /** Only keys starting with this; "" for all. */
  prefix?: string;
  /** Also the package's own `__dskit:` records. Default false. */
  includeInternal?: boolean;
  /** Records to skip, 0 or more. Default 0. */
  offset?: number;
  /** Records in the page, 1 or more. Default 50. */
  limit?: number;
}

/** A live record as stored: its JSON text and its expiry in ms since the epoch (null: never). */
export interface StoredRecord {
  key: string;
  json: string;
  expiresAt: number | null;
}

/** One page of records sorted by key, and how many match in all. */
export interface RecordPage {
  total: number;
  records: StoredRecord[];
}

/**
 * The least text greater than every text starting with `prefix`, in SQLite's BINARY order (UTF-8
 * bytes, that is code points); undefined when none exists (a prefix of only U+10FFFF, or "").
 */
export function prefixSuccessor(prefix: string): string | undefined {
  const points = [...prefix].map((char) => char.codePointAt(0)!);
  while (points.length > 0 && points[points.length - 1] === 0x10ffff) points.pop();
  if (points.length === 0) return undefined;
  let last = points.pop()! + 1;
  // No key holds a lone surrogate (the store refuses them), so the range may jump over them.
  if (last === 0xd800) last = 0xe000;
  return String.fromCodePoint(...points, last);
}

const INTERNAL_END = prefixSuccessor(INTERNAL_KEY_PREFIX)!;

interface Bounds {
  store: string;
  now: number;
  low: string;
  high?: string;
  internalLow: string;
  internalHigh: string;
  hideInternal: number;
}

/**
 * The WHERE of a page and its count: a range on key, never LIKE (LIKE has wildcards, "_" is one,
 * and cannot use the index here). Two forms, as `@high IS NULL OR …` would keep SQLite from ending
 * the index search at @high. Exported for the query-plan test.
 */
export function matchingSql(bounded: boolean): string {
  return `FROM records WHERE store = @store AND key >= @low ${bounded ? "AND key < @high" : ""}
    AND NOT (@hideInternal AND key >= @internalLow AND key < @internalHigh)
    AND (expires_at IS NULL OR expires_at > @now)`;
}

type Row = { key: string; json: string; expiresAt: number | null };

/** The read model of one open file. */
export interface BrowseStatements {
  /** One page of live records of `store` sorted by key; both reads in one transaction, so the total matches the page. */
  browse(store: string, now: number, options: BrowseOptions): RecordPage;
  /** One live record of `store`, or undefined. */
  inspect(store: string, key: string, now: number): StoredRecord | undefined;
}

/** The statements of the read model, prepared once per open file. */
export function prepareBrowse(db: Database.Database): BrowseStatements {
  const statements = (bounded: boolean) => ({
    count: db.prepare<Bounds, number>(`SELECT COUNT(*) ${matchingSql(bounded)}`).pluck(),
    page: db.prepare<Bounds & { offset: number; limit: number }, Row>(
      `SELECT key, json, expires_at AS expiresAt ${matchingSql(bounded)} ORDER BY key LIMIT @limit OFFSET @offset`,
    ),
  });
  const bounded = statements(true);
  const unbounded = statements(false);
  const one = db.prepare<{ store: string; key: string; now: number }, { json: string; expiresAt: number | null }>(
    "SELECT json, expires_at AS expiresAt FROM records WHERE store = @store AND key = @key AND (expires_at IS NULL OR expires_at > @now)",
  );
  return {
    browse: db.transaction((store: string, now: number, options: BrowseOptions): RecordPage => {
      const prefix = options.prefix ?? "";
      const high = prefixSuccessor(prefix);
      const bounds: Bounds = {
        store,
        now,
        low: prefix,
        ...(high === undefined ? {} : { high }),
        internalLow: INTERNAL_KEY_PREFIX,
        internalHigh: INTERNAL_END,
        hideInternal: options.includeInternal ? 0 : 1,
      };
      const offset = options.offset ?? 0;
      const limit = options.limit ?? 50;
      if (!Number.isSafeInteger(offset) || offset < 0) throw new TypeError(`offset must be a whole number, 0 or more; got ${offset}`);
      if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`limit must be a whole number, 1 or more; got ${limit}`);
      const { count, page } = high === undefined ? unbounded : bounded;
      return { total: count.get(bounds) ?? 0, records: page.all({ ...bounds, offset, limit }) };
    }),
    inspect: (store: string, key: string, now: number): StoredRecord | undefined => {
      const row = one.get({ store, key, now });
      return row === undefined ? undefined : { key, json: row.json, expiresAt: row.expiresAt };
    },
  };
}
