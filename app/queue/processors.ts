/**
 * What the sweep's jobs do (see jobs.ts): plan a run, judge a batch of repositories, keep an
 * installation's report. Each uses the same github/ flows as the one-process sweep.
 */
import type { FlowJob, FlowProducer, Job } from "bullmq";
import type { Probot } from "probot";
import { DEFAULT_WINDOW_DAYS } from "../../core/insights/metrics/index.js";
import type { Loaded, OrgPolicy } from "../../core/manifest/manifest.js";
import type { PipelineDeps } from "../../github/flows/deps.js";
import { emptyTally } from "../../github/flows/sweep.js";
import {
  installationRepositories,
  type PlannedRepository,
  planSweep,
} from "../../github/flows/sweep-plan.js";
import { gatherInsights } from "../../github/insights/org-insights.js";
import { issueWish } from "../../github/insights/org-report.js";
import type { OwnerContext } from "../../github/read/batch-pages.js";
import type { GitHubClient } from "../../github/transport/client.js";
import { describeError } from "../../github/transport/client.js";
import { pipelineDeps, type Shared } from "../shared.js";
import type { BatchInstallation, BatchOutcome, BatchRepo } from "./batcher.js";
import {
  type JobSettings,
  QUEUE,
  REPO,
  REPORT,
  type RepoJobData,
  type RepoJobResult,
  type ReportJobData,
  type RunJobData,
  repoJobOptions,
  reportJobOptions,
  runIdOf,
} from "./jobs.js";
import { otherRunGoing, planOnce, type RunBook, whilePlanning } from "./runs.js";

/** How long a replica reuses an owner's policy and teams between batches. */
const OWNER_REUSE_MS = 10 * 60 * 1000;

export interface ProcessorDeps {
  app: Probot;
  shared: Shared;
  book: RunBook;
  flow: FlowProducer;
  settings: JobSettings;
}

export async function depsFor(deps: ProcessorDeps, installationId: number, now: Date): Promise<PipelineDeps> {
  return pipelineDeps(deps.shared, (await deps.app.auth(installationId)) as unknown as GitHubClient, now);
}

/**
 * A `run` job: per installation, a `report` job whose children are one `repo` job per active
 * repository. A run that finds another still going is skipped (as the one-process sweep skips a
 * tick while a sweep runs). An installation already planned by an earlier attempt of this run is
 * left as it is; one that could not be listed fails the job (after the others are planned), so
 * that it is tried again with back-off.
 */
export async function planRun(deps: ProcessorDeps, job: Job<RunJobData>) {
  const runId = runIdOf(job);
  const going = await otherRunGoing(deps.book, runId);
  if (going) {
    deps.app.log.warn({ runId, going }, "a sweep run is still going; this one is skipped");
    return { runId, skipped: going };
  }
  const outcome = await whilePlanning(deps.book, runId, () => planInstallations(deps, runId));
  if ("busy" in outcome) {
    deps.app.log.warn({ runId, going: outcome.busy }, "a sweep run is being planned; this one is skipped");
    return { runId, skipped: outcome.busy };
  }
  return outcome.planned;
}

async function planInstallations(deps: ProcessorDeps, runId: string) {
  const { app } = deps;
  const appClient = (await app.auth()) as unknown as GitHubClient;
  const installations = await planSweep(appClient);
  let repositories = 0;
  const failed: string[] = [];
  for (const installation of installations) {
    const { account } = installation;
    try {
      await planOnce(deps.book, runId, installation.id, async () => {
        const client = (await app.auth(installation.id)) as unknown as GitHubClient;
        const listed = await installationRepositories(client);
        const active = listed.filter((r) => !r.archived);
        repositories += active.length;
        await deps.flow.add(installationFlow(deps, runId, installation.id, account, active));
      });
    } catch (error) {
      failed.push(`${account || installation.id}: ${describeError(error)}`);
      app.log.error(
        { err: error, installation: installation.id, runId },
        "sweep: an installation could not be planned",
      );
    }
  }
  if (failed.length > 0) throw new Error(`installations not planned: ${failed.join("; ")}`);
  app.log.info({ runId, installations: installations.length, repositories }, "sweep run planned");
  return { runId, installations: installations.length, repositories };
}

/** An installation's `report` job, with one `repo` job per repository as its children. */
function installationFlow(
  deps: ProcessorDeps,
  runId: string,
  installationId: number,
  account: string,
  repos: readonly PlannedRepository[],
): FlowJob {
  const data: ReportJobData = { runId, installationId, account };
  return {
    name: REPORT,
    queueName: QUEUE,
    data,
    opts: reportJobOptions(deps.settings, runId, installationId),
    children: repos.map((r) => ({
      name: REPO,
      queueName: QUEUE,
      data: {
        runId,
        installationId,
        account,
        owner: r.owner,
        name: r.name,
        nodeId: r.nodeId,
      } satisfies RepoJobData,
      opts: repoJobOptions(deps.settings, runId, r.owner, r.name),
    })),
  };
}

/**
 * Judges a batch of one installation's repositories: each judged and its tracking issue kept, its
 * insights gathered. A repository the batch could not judge, or whose tracking issue could not be
 * kept, gets its error (its job is tried again).
 */
export function judgeBatch(deps: ProcessorDeps) {
  // The owner's policy and teams, read by this replica's first batch of an installation and reused
  // by its next batches of the same run (a team that owns thousands of repositories is read once
  // per replica, not once per batch). Each batch works on a copy: batches run side by side.
  const owners = new Map<string, { owner: OwnerContext; until: number }>();
  return async (
    installation: BatchInstallation,
    repos: BatchRepo[],
  ): Promise<BatchOutcome<RepoJobResult>> => {
    deps.app.log.info({ installation: installation.id, repos: repos.length }, "sweep batch started");
    // The batch's one clock: its repositories are judged as of the same moment.
    const now = new Date();
    const pipeline = await depsFor(deps, installation.id, now);
    const errors = new Map<string, unknown>();
    const trackingErrors = new Map<string, string>();
    const ownerKey = `${installation.runId}:${installation.id}`;
    const known = owners.get(ownerKey);
    const owner = known && known.until > Date.now() ? structuredClone(known.owner) : undefined;
    for (const [k, v] of owners) if (v.until <= Date.now()) owners.delete(k);
    const gathered = await gatherInsights(
      pipeline,
      { id: installation.id, account: installation.account, selection: "selected" },
      deps.app.log,
      {
        now,
        windowDays: DEFAULT_WINDOW_DAYS,
        pulls: deps.shared.appId !== undefined ? { appId: deps.shared.appId } : {},
        // A batch sees part of the account: its team findings would be computed on part of a team.
        teamNotes: false,
        listRepositories: async () =>
          repos.map((r) => ({ owner: r.owner, name: r.name, nodeId: r.nodeId, archived: false })),
        // A repository judged but whose tracking issue could not be kept stays in the report (as
        // in one process); the next run or push keeps the issue. One not judged is tried again.
        onFailed: (repo, error, judged) => {
          if (judged) trackingErrors.set(repo.toLowerCase(), describeError(error));
          else errors.set(repo.toLowerCase(), error);
        },
        ...(owner ? { owner } : {}),
        onOwner: (read) => owners.set(ownerKey, { owner: read, until: Date.now() + OWNER_REUSE_MS }),
      },
      emptyTally(),
    );
    const issue = issueWish(gathered.policy);
    const teams = teamPolicy(gathered.policy);
    const insights = new Map(gathered.insights.map((i) => [i.repo.toLowerCase(), i]));
    const outcome: BatchOutcome<RepoJobResult> = new Map();
    // The owning teams this batch read go with its first result, for the run's team snapshot.
    let owning = gathered.teams;
    for (const r of repos) {
      const key = `${r.owner}/${r.name}`.toLowerCase();
      const error = errors.get(key);
      const found = insights.get(key);
      outcome.set(
        key,
        error !== undefined
          ? { error }
          : {
              result: {
                repo: `${r.owner}/${r.name}`,
                issue,
                ...(teams ? { teams } : {}),
                ...(found ? { insights: found } : {}),
                ...(trackingErrors.has(key) ? { trackingError: trackingErrors.get(key) as string } : {}),
                ...(owning ? { owningTeams: owning } : {}),
              },
            },
      );
      if (error === undefined) owning = undefined;
    }
    deps.app.log.info(
      {
        installation: installation.id,
        repos: repos.length,
        judged: gathered.insights.length,
        failed: errors.size,
        trackingFailed: trackingErrors.size,
      },
      "sweep batch judged",
    );
    return outcome;
  };
}

/** What the org policy says of teams (its rules, limits and maturity thresholds), for the report. */
function teamPolicy(policy: Loaded<OrgPolicy> | null): OrgPolicy | undefined {
  if (!policy?.ok) return undefined;
  const { rules, limits, maturity } = policy.value;
  return {
    version: 1,
    ...(rules ? { rules } : {}),
    ...(limits ? { limits } : {}),
    ...(maturity ? { maturity } : {}),
  };
}
