/**
 * One tracking issue per repository for its standing problems (cadence, ownership, outcomes):
 * opened once, edited only when its content changes (a hash in a hidden marker), closed with a
 * note when the repository complies, reopened when a problem comes back, never duplicated. The
 * lifecycle itself is owned-issue.ts's; this file says what the issue says.
 */
import type { Verdict } from "../../core/engine/types.js";
import type { TeamNote } from "../../core/insights/teams/notes.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { escapeInline, escapeMarkdown } from "../../core/render/escape.js";
import { productLines, renderMarkdown } from "../../core/render/markdown.js";
import { teamAnchor } from "../../core/render/team-markdown.js";
import type { Serialise } from "../../core/util/serial.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";
import { contentHash, goalFor, hashMarker } from "./owned.js";
import {
  type OwnedIssue,
  type OwnedIssueAction,
  type OwnedIssueKind,
  syncOwnedIssue,
} from "./owned-issue.js";
import { priorityOf } from "./priority.js";

export const TRACKING_LABEL = "pom-governance";
export const TRACKING_MARKER = "<!-- pom-governance:tracking -->";
const HASH_NAME = "hash";

/** The note posted before the issue is closed: people following it learn why it closed. */
export const TRACKING_CLOSING_NOTE = [
  "The problems this issue tracked are resolved: the repository complies with its POM governance rules again.",
  "",
  "<sub>Closed by POM governance. Should a problem come back, this issue is reopened.</sub>",
].join("\n");

export const TRACKING_ISSUE: OwnedIssueKind = {
  marker: TRACKING_MARKER,
  hashName: HASH_NAME,
  label: TRACKING_LABEL,
  botOnly: false,
  scope: "tracking",
  closingNote: TRACKING_CLOSING_NOTE,
};

export type TrackingAction = OwnedIssueAction;

/** A verdict, with the configuration it was judged under when known (for its campaigns). */
export type TrackedVerdict = Verdict & { config?: Pick<EffectiveConfig, "campaigns" | "products"> };

/**
 * The org campaigns a repository's failing rules belong to, one line each: what the campaign asks,
 * its deadline and which of its rules still fail here.
 */
function campaignLines(verdict: TrackedVerdict, failing: ReadonlySet<string>): string[] {
  return (verdict.config?.campaigns ?? []).flatMap((c) => {
    const rules = c.rules.filter((r) => failing.has(r));
    if (rules.length === 0) return [];
    const names = rules.map((r) => `\`${r}\``).join(", ");
    return [
      `- **${escapeMarkdown(c.title)}** (campaign \`${c.id}\`, deadline ${c.deadline}): ${names} still fail${rules.length === 1 ? "s" : ""} here`,
    ];
  });
}

/**
 * The tracking issue's title and body for a verdict with problems; the org campaigns its failing
 * rules belong to are named with their deadlines.
 *
 * @example trackingContent(verdict).title // "POM governance: 1 problem in this repository"
 */
export function trackingContent(
  verdict: TrackedVerdict,
  team?: TeamNoteLine,
): { title: string; body: string; hash: string } {
  const problems = verdict.findings.filter((f) => f.status === "fail");
  const campaigns = campaignLines(verdict, new Set(problems.map((f) => f.rule)));
  const shown: Verdict = { conclusion: verdict.conclusion, findings: problems };
  const title = `POM governance: ${problems.length} problem${problems.length === 1 ? "" : "s"} in this repository`;
  const products = productLines(verdict.config);
  const table = renderMarkdown(shown, {
    title: "Where this repository drifts from its manifest",
    limit: 60_000,
    products,
  });
  // The hash covers which rules fail, not their wording: messages carry ages ("20d old") that change
  // every day, and an issue edited by every sweep would train people to ignore it.
  const identity = problems.map(
    (f) => `${f.rule}:${f.level}:${f.location?.file ?? ""}:${f.location?.line ?? ""}`,
  );
  if (team) identity.push(`team:${team.note.team}:${team.note.rules.join(",")}`);
  for (const p of products) identity.push(`product:${p.name}:${p.team ?? ""}`);
  const hash = contentHash([...identity, ...campaigns].join("\n"));
  const body = [
    TRACKING_MARKER,
    hashMarker(HASH_NAME, hash),
    ...(campaigns.length > 0 ? ["## Org campaigns", "", ...campaigns, ""] : []),
    table,
    ...(team ? ["", teamLine(team)] : []),
    "",
    "<sub>Kept up to date by POM governance: this issue is edited when the set of failing rules changes, closed when the repository complies and reopened if a problem comes back. Figures are as of the last edit.</sub>",
  ].join("\n");
  return { title, body, hash };
}

/** A team finding of the repository's owning team, and where the report's team section is. */
export interface TeamNoteLine {
  note: TeamNote;
  /** The team section of the organization report (the report issue), when there is one. */
  link?: string;
}

/** The one line naming the owning team's findings; they live in the report's team section. */
function teamLine({ note, link }: TeamNoteLine): string {
  const where = link
    ? `[the organization report](${link}#${teamAnchor(note.team)})`
    : "the organization report's Teams section (`pom report --by team`, or the dashboard's Teams page)";
  return `**Team ${escapeInline(note.team, 100)}:** ${note.rules.join(", ")} (${escapeInline(note.messages.join("; "), 400)}); see ${where}. Team rules do not change this repository's conclusion.`;
}

/**
 * Opens, edits, closes or reopens the tracking issue to match `verdict` (the repository rules).
 * Findings that could not be decided keep an open issue open but never open, close or reopen one
 * by themselves.
 *
 * @example await syncTrackingIssue(client, { owner: "acme", repo: "checkout" }, verdict) // "reopened"
 */
export async function syncTrackingIssue(
  client: GitHubClient,
  repo: RepoRef,
  verdict: TrackedVerdict,
  /** The tracking issues, open and closed, when already read (the sweep reads them in its batch query). */
  listed?: readonly OwnedIssue[],
  /** One at a time across processes too (replicas sharing Redis). */
  across?: Serialise,
  team?: TeamNoteLine,
): Promise<TrackingAction> {
  const goal = goalFor(verdict.findings, () => trackingContent(verdict, team));
  const options = {
    ...(listed ? { listed } : {}),
    ...(across ? { across } : {}),
    priority: priorityOf(verdict.findings),
  };
  return (await syncOwnedIssue(client, repo, TRACKING_ISSUE, goal, options)).action;
}
