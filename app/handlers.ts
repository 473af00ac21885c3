/**
 * Webhook handlers: map each event to the shared flows in github/. Each first checks that the
 * payload holds what it reads (payload-shapes.ts): a malformed delivery is answered 400.
 */

import type { Context, Probot } from "probot";
import type { ReportStore } from "../core/insights/report/store.js";
import type { PipelineDeps } from "../github/flows/deps.js";
import { isDefaultBranchPush, isPublishedRelease } from "../github/flows/event-filters.js";
import {
  type GovernResult,
  governIssue,
  governPullRequest,
  governRelease,
  governRepository,
} from "../github/flows/govern.js";
import type { CheckLedger } from "../github/publish/check-ledger.js";
import { CHECK_NAME } from "../github/publish/check-run.js";
import { type PullRequestPayload, readPullRequest } from "../github/read/pull-request-facts.js";
import { readRelease } from "../github/read/release-source.js";
import { describeError, type GitHubClient, type RepoRef } from "../github/transport/client.js";
import type { FileCache } from "../github/transport/file-cache.js";
import { type GitHubWaits, timeWaits } from "../github/transport/waits.js";
import type { DeliveryLedger } from "./delivery-ledger.js";
import {
  ISSUE_ACTIONS,
  isOwnLabelEvent,
  PULL_REQUEST_ACTIONS,
  parseExternalId,
  RELEASE_ACTIONS,
  touchedFiles,
  touchesGovernance,
  touchesPolicy,
} from "./events.js";
import { type FailedWorkStore, keepFailedWork } from "./failed-work.js";
import { assertWellFormed } from "./payload-shapes.js";
import type { RedeliveryState } from "./redelivery-memory.js";
import { createFreshness, createSerialiser, type Freshness, type Serialise } from "./serial.js";

export interface Shared {
  cache: FileCache;
  /** The check runs already written (edited in place, not duplicated). */
  checks?: CheckLedger;
  /** The deliveries already handled (a redelivery of one writes nothing). */
  deliveries?: DeliveryLedger;
  details: PipelineDeps["details"];
  changes?: PipelineDeps["changes"];
  /** Where the sweeps keep the organization reports (the dashboard reads them). */
  store: ReportStore;
  /** One at a time across replicas (with Redis). */
  across?: PipelineDeps["across"];
  /** Work that failed after its delivery was acknowledged, judged again on the redelivery schedule. */
  failedWork?: FailedWorkStore;
  /** The redelivery job's memory and turns. */
  redelivery?: RedeliveryState;
}

/** The flows' dependencies: `client`, with what the app shares between deliveries and sweeps. */
export function pipelineDeps(
  shared: Shared,
  client: GitHubClient,
  now: Date,
  options: { fresh?: boolean } = {},
): PipelineDeps {
  return {
    client,
    cache: shared.cache,
    now,
    ...(shared.checks ? { checks: shared.checks } : {}),
    ...(shared.across ? { across: shared.across } : {}),
    // A re-run must see what changed outside the pull request (a linked issue's labels).
    ...(shared.details && !options.fresh ? { details: shared.details } : {}),
    // Which governance files a head changes against its base never changes: kept even for a re-run.
    ...(shared.changes ? { changes: shared.changes } : {}),
  };
}

/** The flows' dependencies for a delivery: its clock starts here, once. */
function depsFor(context: Context, shared: Shared, options: { fresh?: boolean } = {}): PipelineDeps {
  return pipelineDeps(shared, context.octokit as unknown as GitHubClient, new Date(), options);
}

function summarise(result: GovernResult): object {
  if (result.skipped) return { skipped: result.skipped };
  return {
    conclusion: result.evaluation?.conclusion,
    findings: result.evaluation?.findings.map((f) => `${f.rule}:${f.status}`),
    ...(result.checkRunId ? { checkRunId: result.checkRunId } : {}),
    ...(result.checkWrite ? { checkWrite: result.checkWrite } : {}),
    ...(result.feedback ? { feedback: result.feedback } : {}),
    ...(result.tracking ? { tracking: result.tracking } : {}),
  };
}

async function run(context: Context, what: string, flow: () => Promise<GovernResult>): Promise<void> {
  const started = process.hrtime.bigint();
  let result: GovernResult;
  let waits: GitHubWaits;
  try {
    ({ value: result, waits } = await timeWaits(flow));
  } catch (error) {
    // Nothing was published (or not all of it): said here in a line of its own, with the subject;
    // the error goes on to Probot, which logs its stack and answers the delivery with a failure
    // that GitHub shows and can redeliver.
    const reason = describeError(error);
    context.log.error({ event: context.name, id: context.id, subject: what, reason }, "governing failed");
    throw error;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  context.log.info(
    {
      event: context.name,
      id: context.id,
      subject: what,
      ms: Math.round(ms),
      // Of `ms`, the time spent waiting on GitHub (requests in flight, retry pauses).
      githubMs: Math.round(waits.ms),
      requests: waits.requests,
      ...summarise(result),
    },
    "governed",
  );
}

/** A delivery older than what was already judged: logged, not published over the newer verdict. */
function stale(context: Context, what: string, updatedAt: string | null | undefined): void {
  context.log.info(
    { event: context.name, id: context.id, subject: what, updatedAt },
    "stale delivery skipped",
  );
}

/**
 * `handler`, for a well-formed delivery not handled before: a delivery counts as handled once the
 * handler has finished without an error, so a redelivery of a failed one is judged again, and a
 * redelivery of a handled one writes nothing.
 */
function once(
  deliveries: DeliveryLedger | undefined,
  handler: (context: Context) => Promise<void>,
): (context: Context) => Promise<void> {
  return async (context) => {
    // A malformed payload is refused (400) before anything else: see payload-shapes.ts.
    assertWellFormed(context);
    if (!deliveries) return handler(context);
    if (await deliveries.handled(context.id)) {
      context.log.info({ event: context.name, id: context.id }, "delivery already handled");
      return;
    }
    await handler(context);
    await deliveries.done(context.id);
  };
}

/** Registers every handler on `app`. */
export function registerHandlers(app: Probot, shared: Shared): void {
  const on = ((events: Parameters<Probot["on"]>[0], handler: (context: Context) => Promise<void>) =>
    app.on(
      events,
      keepFailedWork(shared.failedWork, once(shared.deliveries, handler)) as never,
    )) as Probot["on"];
  const serial = createSerialiser();
  const freshness = createFreshness();
  const order: Order = { shared, serial, freshness };
  const keyOf = (context: Context, number: number) =>
    `${context.repo().owner}/${context.repo().repo}#${number}`;

  on(
    PULL_REQUEST_ACTIONS.map((a) => `pull_request.${a}` as const),
    async (context) => {
      const pr = context.payload.pull_request as unknown as PullRequestPayload & { updated_at?: string };
      const key = keyOf(context, pr.number);
      await serial(key, async () => {
        if (freshness.isStale(key, pr.updated_at)) return stale(context, `pr #${pr.number}`, pr.updated_at);
        await run(context, `pr #${pr.number}`, () =>
          governPullRequest(depsFor(context, shared), context.repo(), pr),
        );
      });
    },
  );

  on(
    ISSUE_ACTIONS.map((a) => `issues.${a}` as const),
    async (context) => {
      if (isOwnLabelEvent(context.payload as never)) return;
      const issue = context.payload.issue;
      const key = keyOf(context, issue.number);
      await serial(key, async () => {
        if (freshness.isStale(key, issue.updated_at))
          return stale(context, `issue #${issue.number}`, issue.updated_at);
        await run(context, `issue #${issue.number}`, () =>
          governIssue(depsFor(context, shared), context.repo(), issue),
        );
      });
    },
  );

  on(
    RELEASE_ACTIONS.map((a) => `release.${a}` as const),
    async (context) => {
      const release = context.payload.release;
      if (!isPublishedRelease(release)) return;
      await run(context, `release ${release.tag_name}`, () =>
        governRelease(depsFor(context, shared), context.repo(), release),
      );
    },
  );

  on("push", async (context) => {
    const { payload } = context;
    const files = touchedFiles(payload.commits);
    const repo = context.repo();
    if (touchesPolicy(repo.repo, files)) shared.cache.invalidate(repo);
    if (!isDefaultBranchPush(payload) || !touchesGovernance(files)) return;
    shared.cache.invalidate(repo);
    await run(context, `push ${payload.after.slice(0, 7)}`, () =>
      governRepository(depsFor(context, shared), repo, { sha: payload.after }),
    );
  });

  on(["installation.created", "installation_repositories.added"], async (context) => {
    const payload = context.payload as {
      repositories?: { full_name: string }[];
      repositories_added?: { full_name: string }[];
    };
    const repos = payload.repositories_added ?? payload.repositories ?? [];
    for (const { full_name } of repos) {
      const [owner = "", name = ""] = full_name.split("/");
      await run(context, full_name, () =>
        governRepository(depsFor(context, shared), { owner, repo: name }),
      ).catch((error) =>
        context.log.error({ err: error, repo: full_name }, "could not govern a newly installed repository"),
      );
    }
  });

  on("check_run.rerequested", async (context) => {
    const run_ = context.payload.check_run;
    if (run_.name !== CHECK_NAME) return;
    await rerun(context, order, context.repo(), parseExternalId(run_.external_id), run_.head_sha);
  });

  on("check_suite.rerequested", async (context) => {
    const suite = context.payload.check_suite;
    const repo = context.repo();
    const subjects: Parameters<typeof rerun>[3][] = (suite.pull_requests ?? []).map((pr) => ({
      kind: "pr",
      number: pr.number,
    }));
    if (suite.head_branch === context.payload.repository.default_branch) subjects.push({ kind: "repo" });
    // One subject's failure does not keep the others from being judged again.
    for (const subject of subjects) {
      await rerun(context, order, repo, subject, suite.head_sha).catch((error) =>
        context.log.error({ err: error, subject }, "a re-run failed"),
      );
    }
  });
}

interface Order {
  shared: Shared;
  serial: Serialise;
  freshness: Freshness;
}

async function rerun(
  context: Context,
  { shared, serial, freshness }: Order,
  repo: RepoRef,
  subject: ReturnType<typeof parseExternalId>,
  sha: string,
): Promise<void> {
  if (!subject) return;
  const deps = depsFor(context, shared, { fresh: true });
  if (subject.kind === "pr") {
    const key = `${repo.owner}/${repo.repo}#${subject.number}`;
    await serial(key, async () => {
      const pr = await readPullRequest(deps.client, repo, subject.number);
      // The pull request as it is now: the newest state there is, recorded as judged.
      freshness.isStale(key, pr.updated_at);
      await run(context, `pr #${subject.number} (re-run)`, () =>
        governPullRequest(deps, repo, pr, { force: true }),
      );
    });
  } else if (subject.kind === "release") {
    const release = await readRelease(deps.client, repo, subject.tag);
    await run(context, `release ${subject.tag} (re-run)`, () =>
      governRelease(deps, repo, release, { force: true }),
    );
  } else {
    await run(context, "repository (re-run)", () => governRepository(deps, repo, { sha, force: true }));
  }
}
