import pMap from "p-map";

/**
 * How many data store requests one action keeps in flight. Enough to hide round-trip latency,
 * few enough not to burst the platform's request rate (which Pipedream does not document).
 */
export const STORE_CONCURRENCY = 10;

/**
 * Maps `items` through `fn` with at most `concurrency` calls in flight (default STORE_CONCURRENCY);
 * results keep input order. When each call sends several requests at once, divide the bound.
 */
export function mapBounded<T, R>(
  items: Iterable<T>,
  fn: (item: T) => Promise<R>,
  concurrency = STORE_CONCURRENCY,
): Promise<R[]> {
  return pMap(items, fn, { concurrency });
}
