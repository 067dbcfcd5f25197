/**
 * Copy-on-write stand-ins for `dskit run <source> --dry-run`: the poll runs as it would, reading
 * the real state, but every write lands in a buffer that is dropped afterwards. Both the source's
 * `$.service.db` and the watched store need one: sources keep their shards and marker records
 * (`__dskit:source:<id>…`) in the store itself, and a poll rewrites them.
 */
import type { DataStore, JsonValue, SetOptions } from "../lib/store/data-store.mjs";
import type { SourceDb } from "../lib/store/source-db.mjs";

/** Values are JSON: a copy through JSON, as the real stores hand out (never the buffer's own object). */
function copy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** A `$.service.db` whose writes stay in memory; reads see them, over the real db. */
export function bufferedSourceDb(db: SourceDb): SourceDb & { readonly writes: ReadonlyMap<string, unknown> } {
  const writes = new Map<string, unknown>();
  return {
    writes,
    get: (key) => copy(writes.has(key) ? writes.get(key) : db.get(key)),
    set: (key, value) => void writes.set(key, copy(value)),
  };
}

/** What the buffer knows of a key: a record written here, or the mark of one deleted here. */
type Buffered = { value: JsonValue } | { deleted: true };

/**
 * A DataStore whose set, setTtl, delete and clear go to a buffer; get, has, keys and iteration
 * serve the buffer over the real store. TTLs are kept by the real store only: within one poll a
 * buffered record does not expire, which is all a dry run needs.
 */
export class BufferedDataStore implements DataStore {
  private readonly buffer = new Map<string, Buffered>();
  /** After `clear`, the real store's records are all hidden. */
  private cleared = false;

  constructor(private readonly real: DataStore) {}

  /** How many writes (set, setTtl, delete) the buffer took: what a real run would have written. */
  writes = 0;

  async get(key: string): Promise<JsonValue | undefined> {
    const buffered = this.buffer.get(key);
    if (buffered) return "deleted" in buffered ? undefined : copy(buffered.value);
    return this.cleared ? undefined : this.real.get(key);
  }

  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined;
  }

  async set(key: string, value: JsonValue, options?: SetOptions): Promise<void> {
    void options; // the real store keeps TTLs; a buffered record lives as long as the dry run
    if (value === undefined) throw new TypeError(`A data store value cannot be undefined (key ${JSON.stringify(key)})`);
    this.writes++;
    this.buffer.set(key, { value: copy(value) });
  }

  async setTtl(key: string, seconds: number | null): Promise<void> {
    void seconds;
    // Only a live record takes a TTL; it is copied into the buffer so the real one stays untouched.
    const value = await this.get(key);
    if (value === undefined) return;
    this.writes++;
    this.buffer.set(key, { value });
  }

  async delete(key: string): Promise<void> {
    this.writes++;
    this.buffer.set(key, { deleted: true });
  }

  async clear(): Promise<void> {
    this.writes++;
    this.buffer.clear();
    this.cleared = true;
  }

  async keys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const [key] of this) keys.push(key);
    return keys;
  }

  /** The real store's records in its order, as the buffer has them; then the records only the buffer has. */
  async *[Symbol.asyncIterator](): AsyncIterator<[string, JsonValue]> {
    const seenInReal = new Set<string>();
    if (!this.cleared) {
      for await (const [key, value] of this.real) {
        const buffered = this.buffer.get(key);
        if (buffered) seenInReal.add(key);
        if (buffered && "deleted" in buffered) continue;
        yield [key, buffered ? copy(buffered.value) : value];
      }
    }
    // A snapshot: a write made while iterating may or may not be seen, as on the platform.
    for (const [key, buffered] of [...this.buffer]) {
      if (!seenInReal.has(key) && !("deleted" in buffered)) yield [key, copy(buffered.value)];
    }
  }
}
