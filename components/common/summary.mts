/** "1 record", "3 records": counts in `$summary` lines read as sentences. */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** A TTL in words for summaries: "90 seconds", "2 hours", "30 days"; the largest unit that divides it exactly. */
export function formatDuration(seconds: number): string {
  const units: [number, string][] = [[86_400, "day"], [3_600, "hour"], [60, "minute"]];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) return countOf(seconds / size, name);
  }
  return countOf(seconds, "second");
}

/** " (expires in 2 hours)" or "" for a record without expiry. */
export function expirySuffix(ttlSeconds: number | null): string {
  return ttlSeconds === null ? "" : ` (expires in ${formatDuration(ttlSeconds)})`;
}
