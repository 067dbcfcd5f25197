/** Calendar periods for counters: each period counts under its own key, `<key>:<period>`, in UTC. */

export const BUCKETS = ["none", "minute", "hour", "day", "week", "month"] as const;
export type Bucket = (typeof BUCKETS)[number];

/**
 * The label of the UTC period holding `atMs`: minute `2026-11-24T18:31`, hour `2026-11-24T18`,
 * day `2026-11-24`, ISO week `2026-W48`, month `2026-11`; `undefined` for `none`.
 */
export function periodLabel(bucket: Bucket, atMs: number): string | undefined {
  const iso = new Date(atMs).toISOString(); // 2026-11-24T18:31:05.123Z
  switch (bucket) {
    case "none":
      return undefined;
    case "minute":
      return iso.slice(0, 16);
    case "hour":
      return iso.slice(0, 13);
    case "day":
      return iso.slice(0, 10);
    case "month":
      return iso.slice(0, 7);
    case "week":
      return isoWeek(atMs);
  }
}

/** The key a counter writes: the key itself, or `<key>:<period>` with a bucket. */
export function bucketKey(key: string, bucket: Bucket, atMs: number): string {
  const period = periodLabel(bucket, atMs);
  return period === undefined ? key : `${key}:${period}`;
}

/** ISO 8601 week: weeks start on Monday, and week 1 holds the year's first Thursday. */
function isoWeek(atMs: number): string {
  const date = new Date(atMs);
  const dayOfWeek = (date.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  // The Thursday of this week decides the week's year.
  const thursday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - dayOfWeek + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}
