/**
 * Finding outcome references in titles, bodies and labels. Ids match as whole words, without
 * regard to case; a label `outcome:<id>` also references an outcome.
 */
import type { EffectiveOutcome } from "../manifest/config.js";

export interface ReferenceScan {
  /** Active outcomes referenced, as declared. */
  active: EffectiveOutcome[];
  /** Declared outcomes referenced that are achieved or dropped. */
  inactive: EffectiveOutcome[];
  /** `outcome:<id>` labels naming an undeclared id. */
  undeclared: string[];
}

const WORD_CHARS = /[A-Za-z0-9_.-]/;
const PUNCTUATION = new Set([".", "_", "-"]);

/**
 * Splits text into candidate id words: runs of letters, digits, `-`, `_` and `.`, without
 * leading or trailing punctuation. Linear in the length of the text.
 *
 * @example idWords("Serves CHK-12. Also okr-3!") // ["Serves", "CHK-12", "Also", "okr-3"]
 */
export function idWords(text: string): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const ch = text[i];
    const isWord = ch !== undefined && WORD_CHARS.test(ch);
    if (isWord && start < 0) start = i;
    if (!isWord && start >= 0) {
      // Ids start with a letter, so leading punctuation (markdown `_CHK-12_`) is not part of one.
      // Trimmed by index, not by a regex: `[._-]+$` backtracks quadratically on long runs.
      let from = start;
      let to = i;
      while (from < to && PUNCTUATION.has(text[from] as string)) from++;
      while (to > from && PUNCTUATION.has(text[to - 1] as string)) to--;
      const word = text.slice(from, to);
      if (word) words.push(word);
      start = -1;
    }
  }
  return words;
}

/** Ids named by `outcome:<id>` labels. */
export function outcomeLabelIds(labels: readonly string[]): string[] {
  return labels
    .map((label) => /^outcome:\s*(.+)$/i.exec(label.trim())?.[1]?.trim())
    .filter((id): id is string => Boolean(id));
}

/**
 * Which declared outcomes a piece of work references.
 *
 * @example scanReferences(["Cut abandonment (CHK-12)"], [], outcomes).active.map((o) => o.id) // ["CHK-12"]
 */
export function scanReferences(
  texts: readonly (string | null | undefined)[],
  labels: readonly string[],
  outcomes: readonly EffectiveOutcome[],
): ReferenceScan {
  const byId = new Map(outcomes.map((o) => [o.id.toLowerCase(), o]));
  const seen = new Set<string>();
  const active: EffectiveOutcome[] = [];
  const inactive: EffectiveOutcome[] = [];
  const undeclared: string[] = [];
  const consider = (word: string, fromLabel: boolean) => {
    const key = word.toLowerCase();
    if (seen.has(key)) return;
    const outcome = byId.get(key);
    if (outcome) {
      seen.add(key);
      (outcome.status === "active" ? active : inactive).push(outcome);
    } else if (fromLabel) {
      seen.add(key);
      undeclared.push(word);
    }
  };
  for (const text of texts) for (const word of idWords(text ?? "")) consider(word, false);
  for (const id of outcomeLabelIds(labels)) consider(id, true);
  return { active, inactive, undeclared };
}
