/**
 * The sweep as BullMQ jobs, when the app runs as several replicas (REDIS_URL). One queue holds
 * three kinds of job:
 *
 * - `run`: made by a job scheduler (one per queue, however many replicas upsert it), one per run;
 *   it lists the installations and their repositories and adds, per installation, a flow:
 * - `repo`, one per repository and run: judges it, keeps its tracking issue, gathers its insights.
 *   Its id is derived from the run and the repository, so adding it twice adds it once;
 * - `report`, the parent of an installation's `repo` jobs: runs once they have all finished, and
 *   keeps the organization report from their results (a repository that failed every attempt is
 *   named in the report, not waited for).
 */

import type { JobsOptions } from "bullmq";
import type { RepoInsights } from "../../core/insights/report/insights.js";
import type { BatchTeams } from "../../core/insights/teams/batch-snapshot.js";
import type { OrgPolicy } from "../../core/manifest/manifest.js";
import type { IssueWish } from "../../github/insights/org-report.js";

export const QUEUE = "sweep";
export const RUN = "run";
export const REPO = "repo";
export const REPORT = "report";
/** The job scheduler's id: one per queue, so only one replica's schedule makes runs. */
export const SCHEDULER = "sweep";

export interface RunJobData {
  /** Set for a run asked for by hand (e.g. a test, or an operator): else the job's own id is used. */
  runId?: string;
}

export interface RepoJobData {
  runId: string;
  installationId: number;
  account: string;
  owner: string;
  name: string;
  nodeId: string;
}

export interface ReportJobData {
  runId: string;
  installationId: number;
  account: string;
}

/** What a `repo` job hands its `report` job. */
export interface RepoJobResult {
  repo: string;
  /** Absent for a repository that is not governed. */
  insights?: RepoInsights;
  /** What the org policy, as this repository was judged under it, says of the report issue. */
  issue: IssueWish;
  /** Why its tracking issue could not be kept (it is judged all the same). */
  trackingError?: string;
  /** The org policy's team settings (rules, limits, maturity) it was judged under. */
  teams?: OrgPolicy;
  /** The owning teams (direct members) its batch read: on the batch's first result only. */
  owningTeams?: BatchTeams;
}

/** A run's id from its job: the scheduled time of a scheduler's job, else the job's id. */
export function runIdOf(job: { id?: string | undefined; data: RunJobData; timestamp: number }): string {
  if (job.data.runId) return job.data.runId;
  const millis = /(\d+)$/.exec(job.id ?? "")?.[1];
  return `run${millis ?? job.timestamp}`;
}

/** Custom job ids may not contain ":"; GitHub names are case-insensitive. */
export const repoJobId = (runId: string, owner: string, name: string) =>
  `r-${runId}-${owner}/${name}`.toLowerCase();
export const reportJobId = (runId: string, installationId: number) => `o-${runId}-${installationId}`;

/** The repository of a `repo` job's key (`<prefix>:sweep:r-<run>-<owner>/<name>`). */
export function repoOfKey(key: string, runId: string): string {
  const marker = `:r-${runId}-`.toLowerCase();
  const at = key.toLowerCase().lastIndexOf(marker);
  return at < 0 ? key : key.slice(at + marker.length);
}

export interface JobSettings {
  /** Attempts of a job in all (retries with back-off in between). */
  attempts: number;
  /** The first retry's delay; each further one doubles it. */
  backoffMs: number;
}

export function repoJobOptions(
  settings: JobSettings,
  runId: string,
  owner: string,
  name: string,
): JobsOptions {
  return {
    jobId: repoJobId(runId, owner, name),
    attempts: settings.attempts,
    backoff: { type: "exponential", delay: settings.backoffMs },
    // A repository that fails every attempt is named in the report instead of holding it up.
    ignoreDependencyOnFailure: true,
    // Its result lives on in the report job; the failures stay a week, to be looked at.
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
  };
}

export function reportJobOptions(settings: JobSettings, runId: string, installationId: number): JobsOptions {
  return {
    jobId: reportJobId(runId, installationId),
    attempts: settings.attempts,
    backoff: { type: "exponential", delay: settings.backoffMs },
    // A day of reports for /pom/sweep.json; with the job go its children's results (the bulk of
    // a run's Redis memory), which the stored report has already used.
    removeOnComplete: { age: 24 * 3600, count: 1_000 },
    removeOnFail: { age: 30 * 24 * 3600, count: 1_000 },
  };
}

export function runJobOptions(settings: JobSettings): JobsOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: "exponential", delay: settings.backoffMs },
    removeOnComplete: { count: 100 },
    removeOnFail: { count: 100 },
  };
}
