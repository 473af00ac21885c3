/**
 * The stability signals added to the insights of an account's repositories after their histories
 * were read: reverts (from the merged pull requests already read, and from commit messages) and
 * incidents, for the repositories with a release in the window only (stability-read.ts).
 */
import { deploymentsOf, type RevertSignal } from "../../core/insights/metrics/stability.js";
import { stabilitySettings } from "../../core/insights/metrics/stability-settings.js";
import { revertedPulls } from "../../core/insights/metrics/stability-signals.js";
import { DAY_MS, dayWindow, inWindow } from "../../core/insights/metrics/time.js";
import type { RepoInsights } from "../../core/insights/report/insights.js";
import type { OrgPolicy } from "../../core/manifest/manifest.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";
import type { RepoHistory } from "./insights.js";
import { readStabilitySignals, type StabilityTarget } from "./stability-read.js";

export interface StabilitySubject {
  ref: RepoRef;
  nodeId: string;
  insights: RepoInsights;
  history?: RepoHistory;
}

/** The reverts the merged pull requests of a history show (a pull request titled "Revert …"). */
export function pullReverts(history: RepoHistory, repo: string): RevertSignal[] | undefined {
  return history.pulls?.flatMap((p) =>
    p.mergedAt
      ? revertedPulls(p, repo).map((pull) => ({
          at: p.mergedAt as string,
          pull,
          by: `pull request #${p.number}`,
        }))
      : [],
  );
}

/**
 * Adds `reverts`, `incidents` and the policy's settings to each subject's insights, in place: one
 * GraphQL query per 50 repositories that released in the window; a repository that did not has
 * no release to fail, so nothing is read for it.
 *
 * @example await addStability(client, subjects, policy, { now, windowDays: 90 })
 */
export async function addStability(
  client: GitHubClient,
  subjects: readonly StabilitySubject[],
  policy: OrgPolicy | null,
  options: { now: Date; windowDays: number },
): Promise<void> {
  const settings = stabilitySettings(policy);
  const window = dayWindow(options.now, options.windowDays);
  const targets: (StabilityTarget & { subject: StabilitySubject })[] = [];
  for (const subject of subjects) {
    const { insights, history } = subject;
    if (!insights.releases) continue;
    if (policy?.stability) insights.stability = settings;
    const released = deploymentsOf(insights.releases, insights.tagPattern, window.nowMs).some((d) =>
      inWindow(window, d.at),
    );
    if (!released) {
      insights.reverts = [];
      insights.incidents = [];
      continue;
    }
    targets.push({
      subject,
      ref: subject.ref,
      nodeId: subject.nodeId,
      since: history?.pullsSince ?? new Date(window.first * DAY_MS),
      tags: insights.releases.map((r) => r.tag),
      ...(history?.mergeCommits ? { mergeCommits: history.mergeCommits } : {}),
    });
  }
  const read = await readStabilitySignals(client, targets, settings.incidentLabel);
  for (const t of targets) {
    const got = read.get(`${t.ref.owner}/${t.ref.repo}`.toLowerCase());
    const { insights } = t.subject;
    const fromPulls = t.subject.history ? pullReverts(t.subject.history, insights.repo) : undefined;
    if (fromPulls && got?.commitReverts) insights.reverts = [...fromPulls, ...got.commitReverts];
    if (got?.incidents) insights.incidents = got.incidents;
    if (got && got.gaps.length > 0) insights.gaps = [...(insights.gaps ?? []), ...got.gaps];
  }
}
