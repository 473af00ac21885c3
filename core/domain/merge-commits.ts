/** Which pull request a commit on the default branch merged, from its message. */

const MERGE = /^Merge pull request #(\d{1,9})\b/;
const SQUASH = /\(#(\d{1,9})\)\s*$/;

/**
 * The pull request a commit message names in its first line: GitHub's merge commit ("Merge pull
 * request #12 from …") or a squash merge ("Title (#12)"); undefined for other commits.
 *
 * @example mergedPullNumber("Cut abandonment (#12)\n\nbody") // 12
 */
export function mergedPullNumber(message: string): number | undefined {
  const first = message.split("\n", 1)[0] ?? "";
  const match = MERGE.exec(first) ?? SQUASH.exec(first);
  return match ? Number(match[1]) : undefined;
}
