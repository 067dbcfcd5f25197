/**
 * A source's memory of the store (each key, and for New or Updated Record a digest of its value),
 * split into shards by a hash of the key, so that a change rewrites only its shard. Each shard is
 * saved as one record of at most 50 KB in the watched store; its name is a digest of its content,
 * so an unchanged shard is recognised without reading it, and a shard is never overwritten in
 * place (a new content is a new record).
 *
 * The shard count is a power of two, chosen from the state's size: it doubles when shards average
 * more than 24 KB (or one passes 50 KB), and halves only when they average below a quarter of
 * that, so a store that hovers at one size does not reshard back and forth. A change of count
 * rewrites every shard once.
 */
import { createHash } from "node:crypto";
import { countOf } from "../plural.mjs";

/** The most a state record's JSON may take, in bytes. */
export const STATE_RECORD_LIMIT_BYTES = 50 * 1024;
/** What a shard averages at most before the count doubles: half the limit, room for skew and growth. */
export const SHARD_TARGET_BYTES = 24 * 1024;
/** The most shards a state may have: their names must fit the header in the 60 KB `$.service.db`. */
export const MAX_SHARDS = 2048;
/** Characters of a shard's name: base64url SHA-256 of its JSON (72 bits, no collision in practice). */
const NAME_LENGTH = 12;

/** Thrown when the state would not fit: more shards than the header can name. */
export class SourceCapacityError extends Error {
  override name = "SourceCapacityError";
}

/** The shard of `key` among `count` (a power of two): FNV-1a over UTF-16 units, then a mix so low bits spread. */
export function shardOf(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) & (count - 1);
}

/** A shard as saved: its record's value (keys sorted, each followed by its digest when digests are kept) and its name ("" when empty). */
export interface SerializedShard {
  value: string[];
  name: string;
}

/** Keys (and digests) by shard, with each shard's size and which shards changed since the last save. */
export class ShardedRecords {
  private shards: Map<string, string>[];
  private bytes: number[];
  /** Shards changed since `markSaved`. */
  readonly dirty = new Set<number>();

  constructor(
    count: number,
    readonly withDigests: boolean,
  ) {
    this.shards = Array.from({ length: count }, () => new Map());
    this.bytes = new Array<number>(count).fill(0);
  }

  get count(): number {
    return this.shards.length;
  }

  get size(): number {
    return this.shards.reduce((sum, shard) => sum + shard.size, 0);
  }

  shard(index: number): ReadonlyMap<string, string> {
    return this.shards[index]!;
  }

  get(key: string): string | undefined {
    return this.shards[shardOf(key, this.count)]!.get(key);
  }

  set(key: string, digest: string): void {
    const index = shardOf(key, this.count);
    const shard = this.shards[index]!;
    const before = shard.get(key);
    if (before === digest) return;
    this.bytes[index]! += this.entryBytes(key, digest) - (before === undefined ? 0 : this.entryBytes(key, before));
    shard.set(key, digest);
    this.dirty.add(index);
  }

  delete(key: string): void {
    const index = shardOf(key, this.count);
    const before = this.shards[index]!.get(key);
    if (before === undefined) return;
    this.shards[index]!.delete(key);
    this.bytes[index]! -= this.entryBytes(key, before);
    this.dirty.add(index);
  }

  /** Replaces shard `index` with `entries` (which must belong to it) and marks it changed. */
  replaceShard(index: number, entries: ReadonlyMap<string, string>): void {
    this.shards[index] = new Map(entries);
    this.bytes[index] = [...entries].reduce((sum, [key, digest]) => sum + this.entryBytes(key, digest), 0);
    this.dirty.add(index);
  }

  /** A copy with the same count, nothing marked changed. */
  clone(): ShardedRecords {
    const copy = new ShardedRecords(this.count, this.withDigests);
    copy.shards = this.shards.map((shard) => new Map(shard));
    copy.bytes = [...this.bytes];
    return copy;
  }

  /** Marks shard `index` changed, so the next save considers it. */
  markChanged(index: number): void {
    this.dirty.add(index);
  }

  markSaved(): void {
    this.dirty.clear();
  }

  /**
   * Sets the count the size calls for (see the file's comment); returns whether it changed, in
   * which case every shard is marked changed. Throws SourceCapacityError past MAX_SHARDS.
   */
  fit(): boolean {
    const before = this.count;
    const total = this.bytes.reduce((sum, bytes) => sum + bytes, 0);
    const wanted = powerOfTwoAtLeast(Math.ceil(total / SHARD_TARGET_BYTES));
    let count = before;
    if (wanted > count) count = wanted;
    else if (count >= 4 * wanted) count = 2 * wanted;
    if (count !== before) this.reshard(count);
    while (Math.max(...this.bytes) + 2 > STATE_RECORD_LIMIT_BYTES) this.reshard(this.count * 2); // a skewed shard
    return this.count !== before;
  }

  /** Shard `index` as a record's value, and its name. */
  serialize(index: number): SerializedShard {
    const shard = this.shards[index]!;
    if (shard.size === 0) return { value: [], name: "" };
    const keys = [...shard.keys()].sort();
    const value = this.withDigests ? keys.flatMap((key) => [key, shard.get(key)!]) : keys;
    return { value, name: createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, NAME_LENGTH) };
  }

  private reshard(count: number): void {
    if (count > MAX_SHARDS) {
      throw new SourceCapacityError(
        `This source's state (every key, and a digest of each value) needs more than ${MAX_SHARDS} records of ` +
          `${STATE_RECORD_LIMIT_BYTES / 1024} KB: ${countOf(this.size, "record")}, or a key too long to share a record. Nothing was emitted. ` +
          "Keep fewer records in this data store (move old ones out with Export Records), or split them across stores.",
      );
    }
    const entries = this.shards.flatMap((shard) => [...shard]);
    this.shards = Array.from({ length: count }, () => new Map());
    this.bytes = new Array<number>(count).fill(0);
    for (const [key, digest] of entries) this.set(key, digest);
    for (let index = 0; index < count; index++) this.dirty.add(index);
  }

  /** What one entry adds to its shard's JSON: the key's JSON and a comma, plus the digest's when kept. */
  private entryBytes(key: string, digest: string): number {
    return Buffer.byteLength(JSON.stringify(key)) + 1 + (this.withDigests ? digest.length + 3 : 0);
  }
}

/** Shard entries from a state record's value, or undefined when it is not one. */
export function parseShard(value: unknown, withDigests: boolean): Map<string, string> | undefined {
  if (!Array.isArray(value) || !value.every((item): item is string => typeof item === "string")) return undefined;
  const entries = new Map<string, string>();
  if (!withDigests) {
    for (const key of value) entries.set(key, "");
    return entries;
  }
  if (value.length % 2 !== 0) return undefined;
  for (let i = 0; i < value.length; i += 2) entries.set(value[i]!, value[i + 1]!);
  return entries;
}

function powerOfTwoAtLeast(n: number): number {
  let power = 1;
  while (power < n) power *= 2;
  return power;
}
