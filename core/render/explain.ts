/**
 * A rule explained in words, as `pom explain RULE` prints it: what it checks, why it matters, how
 * to fix a failure. The SARIF output carries the same text as each rule's help, so a code
 * scanning alert explains itself the way the command does.
 */
import type { Rule } from "../engine/rule.js";

/**
 * The explanation of `rule`, as lines of plain text.
 *
 * @example explainRule(findRule("release.cadence")).split("\n")[0] // "release.cadence — the latest release is younger than the declared cadence"
 */
export function explainRule(rule: Rule): string {
  return [
    `${rule.id} — ${rule.title}`,
    "",
    `Applies to: ${rule.subjects.join(", ")}. Default level: ${rule.defaultLevel}.`,
    "",
    "What it checks:",
    `  ${rule.explain.checks}`,
    "",
    "Why it matters:",
    `  ${rule.explain.why}`,
    "",
    "How to fix a failure:",
    `  ${rule.explain.fix}`,
    "",
    `Set its level in pom.yml: rules: { ${rule.id}: error | warn | off }`,
  ].join("\n");
}
