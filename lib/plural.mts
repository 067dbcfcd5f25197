/** "1 attempt", "3 attempts": a count with its noun, pluralised right (the library's messages and reasons). */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}
