/** outcome.stale: an active outcome that no recent work names is no longer being worked on. */

import { latestWork, reachesBack, staleness } from "../core/domain/outcome-activity.js";
import type { Rule } from "../core/engine/rule.js";
import type { EffectiveOutcome } from "../core/manifest/config.js";

const DAY_MS = 86_400_000;

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export const outcomeStale: Rule = {
  id: "outcome.stale",
  title: "every active outcome has traced work within the stale limit",
  subjects: ["repo"],
  facts: ["outcomeActivity"],
  defaultLevel: "off",
  explain: {
    checks:
      "Every active outcome (the manifest's and the org policy's) is named by a merged pull request, an issue created or closed, or a release in the last limits.outcome.stale days of the org policy (default 60d). Offline, the commit messages and annotated tag messages of the checkout stand for them.",
    why: "An outcome nobody has worked on for a quarter is not a priority any more, whatever the plan says. Keeping only live outcomes active keeps the team's focus honest.",
    fix: "Mark the outcome achieved or dropped if the team has moved on; otherwise name it in the work that serves it (for example CHK-12 in a pull request's title).",
  },
  evaluate(ctx) {
    const days = ctx.config.staleDays;
    const active = ctx.config.outcomes.filter((o) => o.status === "active");
    if (active.length === 0) {
      // outcome.declared reports a repository without active outcomes.
      return { status: "pass", message: "no active outcome to go stale", evidence: [] };
    }
    const activity = ctx.need("outcomeActivity");
    const now = ctx.now.getTime();
    const staleFrom = now - days.value * DAY_MS;
    const covered = reachesBack(activity, days.value, ctx.now);
    const latest = latestWork(activity.work, active, now);
    const evidence = [
      `limit: ${days.value}d (from ${days.from})`,
      `read: ${activity.readFrom} since ${day(Date.parse(activity.since))} (${activity.work.length} item${activity.work.length === 1 ? "" : "s"})`,
    ];
    const stale: { outcome: EffectiveOutcome; why: string }[] = [];
    const undecided: EffectiveOutcome[] = [];
    for (const o of active) {
      const last = latest.get(o.id.toLowerCase());
      const state = staleness(last?.at ?? null, staleFrom, covered);
      if (last) evidence.push(`${o.id}: last named by ${last.ref} on ${day(last.at)}`);
      if (state === "unknown") undecided.push(o);
      else if (state)
        stale.push({
          outcome: o,
          // Older work is read only in part (issues updated since the limit's start, offline none):
          // the newest found is said as found, not as the last there was.
          why: `${o.id} has had no traced work in the last ${days.value} days${
            last ? ` (the newest found: ${last.ref}, ${Math.floor((now - last.at) / DAY_MS)} days ago)` : ""
          }`,
        });
    }
    // Covered, an outcome is stale or not; uncovered, it is fresh or undecided: never both kinds.
    if (stale.length > 0) {
      const location = stale.find((s) => s.outcome.location)?.outcome.location;
      return {
        status: "fail",
        message: stale.map((s) => s.why).join("; "),
        fix: `mark ${stale.map((s) => s.outcome.id).join(", ")} achieved or dropped if the team has moved on; otherwise name it in the work that serves it`,
        evidence: [...evidence, ...stale.map((s) => `${s.outcome.id} (from ${s.outcome.from})`)],
        ...(location ? { location } : {}),
      };
    }
    if (undecided.length > 0) {
      return {
        status: "unknown",
        message: `nothing read names ${undecided.map((o) => o.id).join(", ")} within ${days.value} days, and what was read reaches back only to ${day(Date.parse(activity.since))}`,
        fix: "run the check again later, or with a checkout that has the whole history (not a shallow clone)",
        evidence,
      };
    }
    return {
      status: "pass",
      message: `every active outcome has traced work within ${days.value} days`,
      evidence,
    };
  },
};
