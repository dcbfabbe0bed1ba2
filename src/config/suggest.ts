/** "Did you mean …" for misspelt keys and values. */

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const row = d[i] as number[];
      const above = d[i - 1] as number[];
      let best = Math.min((above[j] as number) + 1, (row[j - 1] as number) + 1, (above[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
      row[j] = best;
    }
  }
  return (d[rows - 1] as number[])[cols - 1] as number;
}

/** Case, `_` and `-` do not count: `logDrains`, `log-drains` and `LOG_DRAINS` all match `log_drains`. */
function fold(word: string): string {
  return word.toLowerCase().replace(/[-_]/g, '');
}

/**
 * The closest candidate, when close enough to be a plausible typo or abbreviation: same folded
 * spelling; the only candidate the word (3+ letters) begins; or an edit distance of at most a third
 * of the word's length (at least 1, at most 3).
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const folded = fold(word);
  const same = candidates.find((c) => fold(c) === folded);
  if (same !== undefined) return same;
  const extended = candidates.filter((c) => folded.length >= 3 && fold(c).startsWith(folded));
  if (extended.length === 1) return extended[0];
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(folded, fold(candidate));
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** `did you mean "x"?`, else the list of what is allowed (when short enough to read). */
export function suggestionHint(word: string, candidates: readonly string[], what = 'allowed'): string | undefined {
  const match = closest(word, candidates);
  if (match !== undefined) return `did you mean "${match}"?`;
  if (candidates.length === 0) return undefined;
  if (candidates.length > 12) return `${what}: ${candidates.slice(0, 12).join(', ')}, …`;
  return `${what}: ${candidates.join(', ')}`;
}
