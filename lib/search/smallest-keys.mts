/** A bounded collection of the entries with the smallest keys seen so far, for "the first N by key" in one pass. */
import { compareKeys } from "../records/list-records.mjs";

/**
 * Keeps at most `capacity` entries, those with the smallest keys offered so far (code-unit order,
 * as `listRecords` sorts). A max-heap on the key: the largest kept key sits at the root, so a
 * smaller newcomer replaces it in O(log capacity). Memory is bounded by `capacity`, never by how
 * many entries pass through. A key already kept is not kept twice.
 */
export class SmallestKeys<T extends { readonly key: string }> {
  private readonly heap: T[] = [];
  private readonly kept = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** How many entries are kept. */
  get size(): number {
    return this.heap.length;
  }

  /** Whether an entry with `key` is kept. */
  has(key: string): boolean {
    return this.kept.has(key);
  }

  /** Whether an entry with a new `key` would be kept if offered now: room left, or a key smaller than the largest kept. */
  wouldKeep(key: string): boolean {
    return this.heap.length < this.capacity || compareKeys(key, this.heap[0]!.key) < 0;
  }

  /** Offers `entry`; returns whether it was kept (false when full and its key is not smaller than every kept key, or already kept). */
  offer(entry: T): boolean {
    if (this.kept.has(entry.key) || !this.wouldKeep(entry.key)) return false;
    if (this.heap.length < this.capacity) {
      this.heap.push(entry);
      this.siftUp(this.heap.length - 1);
    } else {
      this.kept.delete(this.heap[0]!.key);
      this.heap[0] = entry;
      this.siftDown(0);
    }
    this.kept.add(entry.key);
    return true;
  }

  /** The kept entries, sorted by key. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => compareKeys(a.key, b.key));
  }

  private larger(i: number, j: number): boolean {
    return compareKeys(this.heap[i]!.key, this.heap[j]!.key) > 0;
  }

  private swap(i: number, j: number): void {
    const entry = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = entry;
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!this.larger(child, parent)) return;
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let largest = parent;
      if (left < this.heap.length && this.larger(left, largest)) largest = left;
      if (right < this.heap.length && this.larger(right, largest)) largest = right;
      if (largest === parent) return;
      this.swap(parent, largest);
      parent = largest;
    }
  }
}
