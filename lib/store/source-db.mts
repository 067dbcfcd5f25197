/** A source's `$.service.db`: the small key-value state Pipedream keeps per deployed component. */

/** The part of `$.service.db` a source uses; values are JSON, read back as copies. */
export interface SourceDb {
  /** The value saved under `key`, or undefined. */
  get(key: string): unknown;
  /** Saves `value` under `key`. */
  set(key: string, value: unknown): void;
}

/** What the package budgets for one component's `$.service.db`: 60 KB (see PIPEDREAM.md). */
export const SOURCE_DB_LIMIT_BYTES = 60 * 1024;
