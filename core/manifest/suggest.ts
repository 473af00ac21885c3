/** "Did you mean" suggestions for misspelt keys, rule ids and enum values. */

/**
 * Edit distance between two strings (insertions, deletions, substitutions, adjacent swaps).
 *
 * @example editDistance("tema", "team") // 1
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the table at a time (the swap looks two rows back): a file with thousands of
  // unknown keys asks for tens of thousands of distances.
  const cols = b.length + 1;
  let before = new Int32Array(cols);
  let previous = Int32Array.from({ length: cols }, (_, j) => j);
  let current = new Int32Array(cols);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, (before[j - 2] ?? 0) + 1);
      current[j] = best;
    }
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? 0;
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
