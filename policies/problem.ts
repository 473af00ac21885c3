/** problem.issue: issues state the problem, not just a solution. */
import { problemStatement } from "../core/domain/markdown-sections.js";
import type { Rule } from "../core/engine/rule.js";

export const problemIssue: Rule = {
  id: "problem.issue",
  title: "the issue states the problem it is about",
  subjects: ["issue"],
  facts: ["issue"],
  defaultLevel: "off",
  exemptable: true,
  explain: {
    checks:
      'The issue body has a heading "Problem" (any level, e.g. "## Problem" or "### Problem statement") followed by text.',
    why: "Empowered teams are given problems to solve, not solutions to build. Writing the problem down first keeps the solution open and the team accountable for the result.",
    fix: "Add a '## Problem' section describing who has the problem, what it is and why it matters; an issue template helps.",
  },
  evaluate(ctx) {
    const issue = ctx.need("issue");
    const section = problemStatement(issue.body ?? "");
    if (section === undefined) {
      return {
        status: "fail",
        message: `#${issue.number} has no "## Problem" section`,
        fix: "add a '## Problem' heading and describe the problem under it",
        evidence: ["no Problem heading in the body"],
      };
    }
    if (section.trim() === "") {
      return {
        status: "fail",
        message: `the "## Problem" section of #${issue.number} is empty`,
        fix: "describe the problem under the '## Problem' heading",
        evidence: ["Problem heading found with no text under it"],
      };
    }
    return { status: "pass", message: `#${issue.number} states its problem`, evidence: [] };
  },
};
