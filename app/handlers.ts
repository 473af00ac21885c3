/**
 * Webhook handlers: map each event to the shared flows in github/. Each first checks that the
 * payload holds what it reads (payload-shapes.ts): a malformed delivery is answered 400; a
 * delivery handled before writes nothing.
 */
import type { Context, Probot } from "probot";
import { isDefaultBranchPush, isPublishedRelease } from "../github/flows/event-filters.js";
import { governIssue, governPullRequest, governRelease, governRepository } from "../github/flows/govern.js";
import { rejudgeDependants, rejudgeOpenPulls } from "../github/flows/rejudge.js";
import { CHECK_NAME } from "../github/publish/check-run.js";
import { PREVIEW_CHECK_NAME } from "../github/publish/preview-check.js";
import type { PullRequestPayload } from "../github/read/pull-request-facts.js";
import type { DeliveryLedger } from "./delivery-ledger.js";
import {
  changesApprovals,
  DEPENDANT_ACTIONS,
  FEEDBACK_ACTIONS,
  ISSUE_ACTIONS,
  isMergeQueueBranch,
  isOwnLabelEvent,
  PULL_REQUEST_ACTIONS,
  parseExternalId,
  RELEASE_ACTIONS,
  REVIEW_ACTIONS,
  touchedFiles,
  touchesGovernance,
  touchesManifest,
  touchesPolicy,
} from "./events.js";
import { keepFailedWork } from "./failed-work.js";
import { registerMergeGroup } from "./merge-group.js";
import { assertWellFormed } from "./payload-shapes.js";
import { createLatestWins, previewPolicyPullRequest, pullOfCheckRun } from "./policy-preview.js";
import { type Order, rerun } from "./rerun.js";
import { run, runRejudge, stale } from "./run.js";
import { createFreshness, createSerialiser } from "./serial.js";
import { depsFor, type Shared } from "./shared.js";
import { registerTeamHandlers } from "./teams.js";

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
  // Work that fails after its delivery was acknowledged is kept and judged again later.
  const on = ((events: Parameters<Probot["on"]>[0], handler: (context: Context) => Promise<void>) =>
    app.on(
      events,
      keepFailedWork(shared.failedWork, once(shared.deliveries, handler)) as never,
    )) as Probot["on"];
  const serial = createSerialiser();
  const freshness = createFreshness();
  const order: Order = { shared, serial, freshness };
  const previews = createLatestWins();
  const keyOf = (context: Context, number: number) =>
    `${context.repo().owner}/${context.repo().repo}#${number}`;
  /** Judges the payload's pull request, one event of it at a time, unless a newer one was judged. */
  const judgePull = async (context: Context, what: string) => {
    const payload = context.payload as { pull_request: unknown };
    const pr = payload.pull_request as PullRequestPayload & { updated_at?: string };
    const key = keyOf(context, pr.number);
    await serial(key, async () => {
      if (freshness.isStale(key, pr.updated_at)) return stale(context, `pr #${pr.number}`, pr.updated_at);
      await run(context, `pr #${pr.number}${what}`, () =>
        governPullRequest(depsFor(context, shared), context.repo(), pr),
      );
    });
  };

  on(
    PULL_REQUEST_ACTIONS.map((a) => `pull_request.${a}` as const),
    async (context) => {
      const pr = context.payload.pull_request as unknown as PullRequestPayload;
      await Promise.all([
        judgePull(context, ""),
        // Not serialised with the pull request's own check: a newer push supersedes a running preview.
        previewPolicyPullRequest(context, shared, previews, pr),
      ]);
    },
  );

  // A review that approves, requests changes or is dismissed can change manifest.protected: the
  // pull request is judged again (a review changes no other input; an unchanged verdict writes nothing).
  on(
    REVIEW_ACTIONS.map((a) => `pull_request_review.${a}` as const),
    async (context) => {
      if (changesApprovals(context.payload as never)) await judgePull(context, " (review)");
    },
  );

  on(
    ISSUE_ACTIONS.map((a) => `issues.${a}` as const),
    async (context) => {
      if (isOwnLabelEvent(context.payload as never)) return;
      const issue = context.payload.issue;
      const key = keyOf(context, issue.number);
      const action = context.payload.action;
      await serial(key, async () => {
        if (freshness.isStale(key, issue.updated_at))
          return stale(context, `issue #${issue.number}`, issue.updated_at);
        const deps = depsFor(context, shared);
        if (FEEDBACK_ACTIONS.has(action))
          await run(context, `issue #${issue.number}`, () => governIssue(deps, context.repo(), issue));
        if (DEPENDANT_ACTIONS.has(action) && !issue.pull_request)
          await runRejudge(context, `pull requests on issue #${issue.number}`, () =>
            rejudgeDependants(deps, context.repo(), issue.number, context.log, shared.appId),
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
    // A merge queue's temporary branch (gh-readonly-queue/…) is judged by merge_group, not here.
    if (isMergeQueueBranch(payload.ref)) return;
    const files = touchedFiles(payload.commits);
    const repo = context.repo();
    const policyChanged = isDefaultBranchPush(payload) && touchesPolicy(repo.repo, files);
    if (policyChanged) {
      shared.cache.invalidate(repo);
      // Every repository of the installation is judged again under the new policy, as one
      // batched sweep, and their open pull requests whose verdict changes.
      const installation = (payload as { installation?: { id?: number } }).installation?.id;
      if (installation !== undefined && shared.resweep) await shared.resweep(installation);
    }
    if (!isDefaultBranchPush(payload) || !touchesGovernance(files)) return;
    shared.cache.invalidate(repo);
    const deps = depsFor(context, shared);
    await run(context, `push ${payload.after.slice(0, 7)}`, () =>
      governRepository(deps, repo, { sha: payload.after }),
    );
    // The open pull requests are judged by the new manifest (outcomes added or retired, levels).
    if (touchesManifest(files))
      await runRejudge(context, "open pull requests", () =>
        rejudgeOpenPulls(deps, repo, context.log, shared.appId),
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

  registerMergeGroup(on, shared);
  registerTeamHandlers(on, shared);

  on("check_run.rerequested", async (context) => {
    const run_ = context.payload.check_run;
    const pull = run_.name === PREVIEW_CHECK_NAME ? pullOfCheckRun(run_) : undefined;
    if (pull) return previewPolicyPullRequest(context, shared, previews, pull, { rerun: true });
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
