/**
 * "Did you mean …?" for unknown components and props, by edit distance, as commander suggests for
 * unknown commands and options. Commander's own helper (lib/suggestSimilar.js) is not in its
 * package's `exports`, so it cannot be imported; this is the same idea in a few lines.
 */

/**
 * Edit distance: the fewest single-character insertions, deletions, substitutions and swaps of two
 * neighbours (Levenshtein with transpositions, as commander counts: `kye` is one edit from `key`).
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, index) => index)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row[j] = best;
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/**
 * The candidates closest to `input` (case-insensitive), the nearest only: within a third of the
 * input's length (at least 1, at most 4 edits), so a short typo is caught and unrelated names are not.
 * A candidate that starts with, or contains, the input counts as close too (`get` finds get-record).
 */
export function closest(input: string, candidates: readonly string[], limit = 3): string[] {
  const typed = input.toLowerCase();
  const allowed = Math.min(4, Math.max(1, Math.floor(typed.length / 3)));
  const scored: { candidate: string; distance: number }[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(typed, lower);
    if (distance <= allowed) scored.push({ candidate, distance });
    else if (typed.length >= 3 && lower.includes(typed)) scored.push({ candidate, distance: allowed + 1 });
  }
  scored.sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate));
  // Only the nearest (ties kept), as commander does: get-recrd is get-record, not also new-record.
  const nearest = scored[0]?.distance;
  return scored.filter(({ distance }) => distance === nearest).slice(0, limit).map(({ candidate }) => candidate);
}

/** " Did you mean x?" / " Did you mean x or y?", or "" when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const names = closest(input, candidates);
  if (names.length === 0) return "";
  const list = names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names.at(-1)!}`;
  return ` Did you mean ${list}?`;
}
