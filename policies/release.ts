/** release.*: small, frequent, reliable releases. */

import { isQualifying, qualifyingReleases } from "../core/domain/releases.js";
import type { Rule, RuleContext, RuleResult } from "../core/engine/rule.js";
import { declarationPath } from "../core/manifest/config.js";
import { formatDuration } from "../core/manifest/duration.js";

/** The cadence, and where the releases were really read from (offline: tags, whatever release.source says). */
function cadenceEvidence(ctx: RuleContext): string[] {
  const { cadence, releaseSource, tagPattern } = ctx.config;
  const pattern = tagPattern.value ? `, tag pattern ${tagPattern.value}` : "";
  const readFrom = ctx.facts.releasesReadFrom?.ok ? ctx.facts.releasesReadFrom.value : releaseSource.value;
  const declared = readFrom === releaseSource.value ? "" : ` (release.source is ${releaseSource.value})`;
  return [
    `cadence: ${cadence.value.text} (from ${cadence.from})`,
    `source: ${readFrom}${declared}${pattern}`,
  ];
}

function cadenceLocation(ctx: RuleContext): Pick<RuleResult, "location"> {
  const location = ctx.config.manifestSource?.locate(declarationPath(ctx.config, ["release", "cadence"]));
  return location && ctx.config.cadence.from === "manifest" ? { location } : {};
}

export const releaseCadence: Rule = {
  id: "release.cadence",
  title: "the latest release is younger than the declared cadence",
  subjects: ["repo", "release"],
  facts: ["releases", "release", "releasesReadFrom"],
  defaultLevel: "error",
  perProduct: true,
  explain: {
    checks:
      "For the repository: the newest qualifying release (not a draft or pre-release, matching release.tag_pattern) is no older than release.cadence. For a release: the gap since the previous qualifying release is no longer than release.cadence.",
    why: "Product teams release small changes frequently and reliably, at least every two weeks. Long gaps mean big, risky releases and slow learning about outcomes.",
    fix: "Ship a release (even a small one) now, and automate releasing so the cadence holds; if a freeze is planned, add a time-boxed waiver.",
  },
  evaluate(ctx) {
    const cadence = ctx.config.cadence.value;
    if (ctx.subject === "release") {
      const current = ctx.need("release");
      if (!isQualifying(current, ctx.config)) {
        return {
          status: "skip",
          message: `${current.tag} does not count as a release for the cadence`,
          evidence: cadenceEvidence(ctx),
        };
      }
      const at = Date.parse(current.publishedAt);
      const releases = qualifyingReleases(ctx.config, ctx.need("releases"));
      const previous = releases.find((r) => r.tag !== current.tag && Date.parse(r.publishedAt) <= at);
      if (!previous) {
        return {
          status: "pass",
          message: `${current.tag} is the first release`,
          evidence: cadenceEvidence(ctx),
        };
      }
      const gap = at - Date.parse(previous.publishedAt);
      const evidence = [
        `previous: ${previous.tag} at ${previous.publishedAt}`,
        `gap: ${formatDuration(gap)}`,
        ...cadenceEvidence(ctx),
      ];
      if (gap <= cadence.ms) {
        return {
          status: "pass",
          message: `${current.tag} came ${formatDuration(gap)} after ${previous.tag}, within ${cadence.text}`,
          evidence,
        };
      }
      return {
        status: "fail",
        message: `${current.tag} came ${formatDuration(gap)} after ${previous.tag}; the cadence is ${cadence.text}`,
        fix: "release smaller changes more often so that no gap exceeds the cadence",
        evidence,
        ...cadenceLocation(ctx),
      };
    }
    const latest = qualifyingReleases(ctx.config, ctx.need("releases"), ctx.now)[0];
    if (!latest) {
      return {
        status: "fail",
        message: `${ctx.config.product ? ctx.config.product.name : "the repository"} has no qualifying release; the cadence is ${cadence.text}`,
        fix: "publish a first release (a tag matching release.tag_pattern, or a GitHub release)",
        evidence: cadenceEvidence(ctx),
        ...cadenceLocation(ctx),
      };
    }
    const age = ctx.now.getTime() - Date.parse(latest.publishedAt);
    const evidence = [
      `latest: ${latest.tag} at ${latest.publishedAt}`,
      `age: ${formatDuration(age)}`,
      ...cadenceEvidence(ctx),
    ];
    if (age <= cadence.ms) {
      return {
        status: "pass",
        message: `the latest release ${latest.tag} is ${formatDuration(age)} old, within ${cadence.text}`,
        evidence,
      };
    }
    return {
      status: "fail",
      message: `the latest release ${latest.tag} is ${formatDuration(age)} old; the cadence is ${cadence.text}`,
      fix: `ship a release: it is overdue by ${formatDuration(age - cadence.ms)}`,
      evidence,
      ...cadenceLocation(ctx),
    };
  },
};

export const releaseUnreleased: Rule = {
  id: "release.unreleased",
  title: "no merged change waits longer than the cadence to be released",
  subjects: ["repo"],
  facts: ["unreleased", "unreleasedCount"],
  defaultLevel: "warn",
  perProduct: true,
  explain: {
    checks:
      "No change on the default branch after the newest qualifying release is older than release.cadence.",
    why: "Value is delivered when users get it, not when code merges. Merged-but-unreleased work is inventory: it delays feedback on outcomes.",
    fix: "Release what is on the default branch.",
  },
  evaluate(ctx) {
    const cadence = ctx.config.cadence.value;
    // A change merged after `now` (judging a past moment) had not happened yet.
    const changes = ctx.need("unreleased").filter((c) => Date.parse(c.mergedAt) <= ctx.now.getTime());
    const oldest = [...changes].sort((a, b) => Date.parse(a.mergedAt) - Date.parse(b.mergedAt))[0];
    if (!oldest)
      return { status: "pass", message: "every change on the default branch is released", evidence: [] };
    const counted = ctx.facts.unreleasedCount;
    const total = counted?.ok ? Math.max(counted.value, changes.length) : changes.length;
    const waited = ctx.now.getTime() - Date.parse(oldest.mergedAt);
    const label = oldest.number ? `#${oldest.number}` : oldest.sha.slice(0, 7);
    const evidence = [
      `${total} unreleased change${total === 1 ? "" : "s"}`,
      `oldest: ${label} "${oldest.title}" at ${oldest.mergedAt}`,
      `cadence: ${cadence.text}`,
    ];
    if (waited <= cadence.ms) {
      return {
        status: "pass",
        message: `the oldest unreleased change has waited ${formatDuration(waited)}, within ${cadence.text}`,
        evidence,
      };
    }
    return {
      status: "fail",
      message: `${label} has waited ${formatDuration(waited)} unreleased; the cadence is ${cadence.text}`,
      fix: "publish a release that includes the default branch",
      evidence,
    };
  },
};
