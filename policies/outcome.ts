/** outcome.*: every piece of work traces to an outcome the team was asked to move. */

import { idWords, type ReferenceScan, scanReferences } from "../core/domain/outcome-refs.js";
import type { PullRequestInfo, WorkItem } from "../core/engine/facts.js";
import type { Rule, RuleContext, RuleResult } from "../core/engine/rule.js";
import { utcDay } from "../core/engine/waivers.js";
import type { EffectiveOutcome } from "../core/manifest/config.js";

function activeIds(ctx: RuleContext): string[] {
  return ctx.config.outcomes.filter((o) => o.status === "active").map((o) => o.id);
}

function scanItem(item: WorkItem, ctx: RuleContext): ReferenceScan {
  return scanReferences([item.title, item.body], item.labels, ctx.config.outcomes);
}

function listIds(outcomes: readonly EffectiveOutcome[]): string {
  return outcomes.map((o) => o.id).join(", ");
}

/** The failure for work that references no active outcome, with what it did reference. */
function untraced(ctx: RuleContext, what: string, scans: ReferenceScan[]): RuleResult {
  const active = activeIds(ctx);
  const inactive = scans.flatMap((s) => s.inactive);
  const undeclared = scans.flatMap((s) => s.undeclared);
  const evidence = [`active outcomes: ${active.join(", ") || "none declared"}`];
  if (inactive.length > 0) {
    evidence.push(`referenced but not active: ${inactive.map((o) => `${o.id} (${o.status})`).join(", ")}`);
  }
  if (undeclared.length > 0) evidence.push(`labels naming undeclared outcomes: ${undeclared.join(", ")}`);
  const fix =
    active.length === 0
      ? "declare the outcome this work serves under outcomes: in pom.yml (or the org policy)"
      : `name one of ${active.join(", ")} in the title or description, or add a label outcome:<id>`;
  return { status: "fail", message: `${what} does not reference an active outcome`, fix, evidence };
}

export const outcomePullRequest: Rule = {
  id: "outcome.pull_request",
  title: "the pull request traces to an active outcome",
  subjects: ["pull_request"],
  facts: ["pullRequest", "closingIssues"],
  defaultLevel: "error",
  perProduct: true,
  exemptable: true,
  explain: {
    checks:
      "The pull request names an active outcome id as a word in its title or body, carries a label outcome:<id>, or closes an issue that does.",
    why: "Teams are given outcomes to move, not features to ship. Tracing each change to an outcome keeps the work honest about why it exists and makes it measurable.",
    fix: "Mention the outcome id (for example CHK-12) in the title or description, add the label outcome:CHK-12, or link an issue that does with 'Fixes #123'.",
  },
  evaluate(ctx) {
    const pr: PullRequestInfo = ctx.need("pullRequest");
    const own = scanItem(pr, ctx);
    if (own.active.length > 0) {
      return {
        status: "pass",
        message: `#${pr.number} serves ${listIds(own.active)}`,
        evidence: [`referenced: ${listIds(own.active)}`],
      };
    }
    // Payload first: the closing issues are only read when the pull request itself names nothing.
    const issues = pr.closingIssues ?? ctx.need("closingIssues");
    const scans = issues.map((issue) => ({ issue, scan: scanItem(issue, ctx) }));
    const via = scans.find((s) => s.scan.active.length > 0);
    if (via) {
      return {
        status: "pass",
        message: `#${pr.number} serves ${listIds(via.scan.active)} through #${via.issue.number}`,
        evidence: [`closes #${via.issue.number}`],
      };
    }
    const result = untraced(ctx, `#${pr.number}`, [own, ...scans.map((s) => s.scan)]);
    if (issues.length > 0) result.evidence?.push(`closes: ${issues.map((i) => `#${i.number}`).join(", ")}`);
    return result;
  },
};

export const outcomeIssue: Rule = {
  id: "outcome.issue",
  title: "the issue references an active outcome",
  subjects: ["issue"],
  facts: ["issue"],
  defaultLevel: "warn",
  exemptable: true,
  explain: {
    checks:
      "The issue names an active outcome id as a word in its title or body, or carries a label outcome:<id>.",
    why: "Work that cannot say which outcome it moves is output, not outcome; it competes for the team's time without a reason to win.",
    fix: "Name the outcome the issue serves (for example CHK-12) or add the label outcome:CHK-12.",
  },
  evaluate(ctx) {
    const issue = ctx.need("issue");
    const scan = scanItem(issue, ctx);
    if (scan.active.length > 0) {
      return { status: "pass", message: `#${issue.number} serves ${listIds(scan.active)}`, evidence: [] };
    }
    return untraced(ctx, `#${issue.number}`, [scan]);
  },
};

export const outcomeRelease: Rule = {
  id: "outcome.release",
  title: "the release notes name the outcomes the released work served",
  subjects: ["release"],
  facts: ["release", "releasePullRequests"],
  defaultLevel: "warn",
  explain: {
    checks:
      "Every active outcome referenced by the pull requests in the release (directly or through the issues they close) is named in the release notes.",
    why: "Releases are where outcomes meet users; naming the outcomes served lets everyone connect what shipped to what it was for, and measure it.",
    fix: "Add a line per outcome to the release notes, e.g. 'Outcomes: CHK-12, OKR-3'.",
  },
  evaluate(ctx) {
    const release = ctx.need("release");
    const pulls = ctx.need("releasePullRequests");
    const served = new Map<string, EffectiveOutcome>();
    for (const pr of pulls) {
      const scans = [scanItem(pr, ctx), ...(pr.closingIssues ?? []).map((i) => scanItem(i, ctx))];
      for (const o of scans.flatMap((s) => s.active)) served.set(o.id.toLowerCase(), o);
    }
    const evidence = [`${pulls.length} pull request${pulls.length === 1 ? "" : "s"} in ${release.tag}`];
    if (served.size === 0) {
      return {
        status: "pass",
        message: `no pull request in ${release.tag} referenced an active outcome`,
        evidence,
      };
    }
    const named = new Set(
      idWords(`${release.name ?? ""}\n${release.body ?? ""}`).map((w) => w.toLowerCase()),
    );
    const missing = [...served.values()].filter((o) => !named.has(o.id.toLowerCase()));
    evidence.push(`served: ${listIds([...served.values()])}`);
    if (missing.length === 0) {
      return { status: "pass", message: `the notes of ${release.tag} name every outcome served`, evidence };
    }
    return {
      status: "fail",
      message: `the notes of ${release.tag} do not name ${listIds(missing)}, which the released work served`,
      fix: `add "Outcomes: ${listIds([...served.values()])}" to the release notes`,
      evidence,
    };
  },
};

export const outcomeDeclared: Rule = {
  id: "outcome.declared",
  title: "active outcomes are measurable",
  subjects: ["repo"],
  facts: [],
  defaultLevel: "warn",
  explain: {
    checks:
      "Every active outcome has a metric and a target (a past due date is outcome.overdue's, which takes this rule's level, lock and waivers unless it is set itself).",
    why: "An outcome is a measurable change in customer or business behaviour. Without a metric and a target nobody can tell whether it moved.",
    fix: "Give each active outcome a metric and a target; mark finished ones achieved or dropped.",
  },
  evaluate(ctx) {
    const active = ctx.config.outcomes.filter((o) => o.status === "active");
    const problems: { outcome: EffectiveOutcome; why: string }[] = [];
    for (const o of active) {
      const missing = [
        o.metric ? "" : "metric",
        o.target === undefined || o.target === "" ? "target" : "",
      ].filter(Boolean);
      if (missing.length > 0) problems.push({ outcome: o, why: `${o.id} has no ${missing.join(" or ")}` });
    }
    if (active.length === 0) {
      return {
        status: "fail",
        message: "no active outcome is declared",
        fix: "declare the outcomes the team is working to move under outcomes: in pom.yml",
        evidence: [`declared: ${ctx.config.outcomes.length}`],
      };
    }
    if (problems.length === 0) {
      return {
        status: "pass",
        message: `${active.length} active outcome${active.length === 1 ? " is" : "s are"} measurable`,
        evidence: [],
      };
    }
    return outcomeProblems(
      problems,
      "add metric and target to each active outcome; mark finished outcomes achieved or dropped",
    );
  },
};

export const outcomeOverdue: Rule = {
  id: "outcome.overdue",
  title: "no active outcome is past its due date",
  subjects: ["repo"],
  facts: [],
  defaultLevel: "warn",
  explain: {
    checks:
      "No active outcome is past its `due` date. Unless set itself, the rule takes its level, lock and waivers from outcome.declared.",
    why: "An outcome still active after its due date is no longer a commitment anyone is held to: it was reached, missed or abandoned, and the plan should say which.",
    fix: "Mark the outcome achieved or dropped, or move its due date with a reason.",
  },
  evaluate(ctx) {
    const today = utcDay(ctx.now);
    const active = ctx.config.outcomes.filter((o) => o.status === "active");
    const problems = active
      .filter((o) => o.due !== undefined && o.due < today)
      .map((o) => ({ outcome: o, why: `${o.id} was due ${o.due}` }));
    if (problems.length === 0) {
      const dated = active.filter((o) => o.due !== undefined).length;
      return {
        status: "pass",
        message: `no active outcome is past due (${dated} of ${active.length} dated)`,
        evidence: [],
      };
    }
    return outcomeProblems(problems, "mark finished outcomes achieved or dropped, or move their due date");
  },
};

function outcomeProblems(problems: { outcome: EffectiveOutcome; why: string }[], fix: string): RuleResult {
  const first = problems[0]?.outcome;
  return {
    status: "fail",
    message: problems.map((p) => p.why).join("; "),
    fix,
    evidence: problems.map((p) => `${p.outcome.id} (from ${p.outcome.from})`),
    ...(first?.location ? { location: first.location } : {}),
  };
}
