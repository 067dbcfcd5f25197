import pMap from "p-map";

/**
 * How many data store requests one action keeps in flight. Enough to hide round-trip latency,
 * few enough not to burst the platform's request rate (which Pipedream does not document).
 */
export const STORE_CONCURRENCY = 10;

/** Maps `items` through `fn` with at most `STORE_CONCURRENCY` calls in flight; results keep input order. */
export function mapBounded<T, R>(items: Iterable<T>, fn: (item: T) => Promise<R>): Promise<R[]> {
  return pMap(items, fn, { concurrency: STORE_CONCURRENCY });
}
