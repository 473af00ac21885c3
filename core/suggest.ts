/** "Did you mean" suggestions for misspelt keys, rule ids and enum values. */

/**
 * Edit distance between two strings (insertions, deletions, substitutions, adjacent swaps).
 *
 * @example editDistance("tema", "team") // 1
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = d[i];
      if (row) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * The closest candidate to `input`, if it is close enough to be a likely typo.
 *
 * @example closestMatch("relase", ["release", "rules"]) // "release"
 */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  if (input.length > 100) return undefined;
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(needle.length / 3));
  if (best !== undefined && bestDistance <= limit) return best;
  // A longer or shorter form of one candidate ("warning" for warn, "prod" for production).
  if (needle.length < 3) return undefined;
  const related = candidates.filter((c) => {
    const lower = c.toLowerCase();
    return lower.length >= 3 && (lower.startsWith(needle) || needle.startsWith(lower));
  });
  return related.length === 1 ? related[0] : undefined;
}

/** A hint that suggests the closest candidate or lists the allowed ones. */
export function suggestionHint(input: string, candidates: readonly string[]): string {
  const match = closestMatch(input, candidates);
  if (match) return `did you mean "${match}"?`;
  return `allowed: ${candidates.join(", ")}`;
}
