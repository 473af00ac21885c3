/**
 * The policy preview: every repository of an installation judged under the org policy as it
 * stands and as a change proposes it, from the sweep's batched reads (read/ready-batches.ts), each
 * fact read once for both judgements (core/engine/shared-reads.ts). Should a batch query fail, the
 * rest is read per repository, as the sweep does. Nothing is written here: the caller publishes
 * the preview (the check run of publish/preview-check.ts, or `pom policy preview`'s output).
 */
import { readScope, type SharedReads, shareReads } from "../../core/engine/shared-reads.js";
import {
  invalidPreview,
  type JudgedTwice,
  type PolicyPreview,
  previewOf,
  stateOf,
} from "../../core/insights/preview.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { loadPolicy } from "../../core/manifest/manifest.js";
import type { SourceProblem } from "../../core/manifest/problem.js";
import { forEachLimited } from "../../core/util/limited.js";
import { batchFieldsFor } from "../read/batch-pages.js";
import { ALL_FIELDS, type BatchFields } from "../read/batch-queries.js";
import { loadTrustedConfig, withPolicy } from "../read/config.js";
import { readyBatches } from "../read/ready-batches.js";
import type { BatchedRepo } from "../read/repo-batch.js";
import { repoReaders } from "../read/repo-source.js";
import { describeError, type RepoRef } from "../transport/client.js";
import type { Logger, PipelineDeps } from "./deps.js";
import type { GovernResult } from "./govern-result.js";
import { evaluateRepository } from "./subjects.js";
import { judgeBatched, pageFields, SWEEP_CONCURRENCY } from "./sweep.js";
import { installationRepositories, type PlannedRepository } from "./sweep-plan.js";

/** The org policy a change proposes. */
export interface ProposedPolicy {
  /** Its path as shown (and where annotations point, in the `.github` repository). */
  file: string;
  /** Its text; null when the change deletes it. */
  text: string | null;
  /** Why its bytes cannot be read as text (not UTF-8), with where. */
  invalid?: SourceProblem[];
  /** The pull request and head commit that propose it. */
  pull?: number;
  head?: string;
}

export interface PreviewTarget {
  account: string;
  selection: "all" | "selected";
  /** Lists the repositories when the batches cannot (default: the installation's, over REST). */
  listRepositories?: () => Promise<PlannedRepository[]>;
}

export interface PreviewRunOptions {
  /** Aborted when a newer proposal supersedes this one: the preview stops with the signal's reason. */
  signal?: AbortSignal;
  log?: Logger;
}

/** What the batched reads cost, for the bench and the logs. */
export interface PreviewTally {
  /** Repositories read per repository because a batch query failed. */
  unbatched: number;
}

/**
 * Judges every repository of `target` under its org policy and under `proposed`. An invalid
 * proposal is judged nowhere: the preview names its problems, with their positions.
 *
 * @example const preview = await previewPolicy(deps, { account: "acme", selection: "all" }, { file: ".github/pom-policy.yml", text })
 */
export async function previewPolicy(
  deps: PipelineDeps,
  target: PreviewTarget,
  proposed: ProposedPolicy,
  options: PreviewRunOptions = {},
  tally: PreviewTally = { unbatched: 0 },
): Promise<PolicyPreview> {
  const meta = {
    org: target.account,
    now: deps.now,
    proposed: {
      file: proposed.file,
      ...(proposed.pull !== undefined ? { pull: proposed.pull } : {}),
      ...(proposed.head ? { head: proposed.head } : {}),
    },
  };
  if (proposed.invalid) return invalidPreview(meta, proposed.invalid);
  const loaded = proposed.text === null ? null : loadPolicy(proposed.text, proposed.file);
  if (loaded && !loaded.ok) return invalidPreview(meta, loaded.problems);
  const policy = proposed.text === null ? null : { text: proposed.text };
  const judged: JudgedTwice[] = [];
  const notJudged: PolicyPreview["notJudged"] = [];
  const done = new Set<string>();
  const judgeOne = async (
    repo: RepoRef,
    isPrivate: boolean,
    twice: (reads: SharedReads) => Promise<[GovernResult, GovernResult]>,
  ) => {
    options.signal?.throwIfAborted();
    const name = `${repo.owner}/${repo.repo}`;
    try {
      const [current, next] = await twice(new Map());
      judged.push({
        repo: name,
        private: isPrivate,
        current: stateOf(current.evaluation),
        proposed: stateOf(next.evaluation),
      });
    } catch (error) {
      notJudged.push({ repo: name, private: isPrivate, reason: describeError(error) });
    }
    done.add(name.toLowerCase());
  };
  const listRepositories = target.listRepositories ?? (() => installationRepositories(deps.client));
  try {
    const batches = readyBatches(deps.client, {
      account: target.account,
      selection: target.selection,
      listRepositories,
      fields: union(
        await pageFields(deps, target.account),
        loaded ? batchFieldsFor(loaded, deps.now) : ALL_FIELDS,
      ),
    });
    for await (const batch of batches) {
      options.signal?.throwIfAborted();
      await forEachLimited(batch.ready, SWEEP_CONCURRENCY, (b: BatchedRepo) =>
        judgeOne(b.repo, b.private, (reads) =>
          Promise.all([
            judgeBatched(deps, b, batch.owner, { reads }),
            judgeBatched(deps, b, batch.owner, { policy, reads }),
          ]),
        ),
      );
    }
    return previewOf({ ...meta, judged, notJudged });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    options.log?.warn(
      { err: error, account: target.account },
      "policy preview: a batch query failed; the rest is read per repository",
    );
  }
  const rest = (await listRepositories()).filter(
    (r) => !r.archived && !done.has(`${r.owner}/${r.name}`.toLowerCase()),
  );
  tally.unbatched += rest.length;
  await forEachLimited(rest, SWEEP_CONCURRENCY, (r) => {
    const ref = { owner: r.owner, repo: r.name };
    return judgeOne(ref, r.private !== false, async (reads) => {
      const config = await loadTrustedConfig(deps.client, deps.cache, ref);
      const readers = (effective: EffectiveConfig) =>
        shareReads(
          reads,
          readScope(effective),
          repoReaders(deps.client, deps.cache, ref, effective, deps.now),
        );
      const judge = async (under: typeof config): Promise<GovernResult> => {
        const outcome = await evaluateRepository(deps, ref, { config: under, readers });
        return outcome.kind === "skipped" ? { skipped: outcome.reason } : { evaluation: outcome.evaluation };
      };
      return Promise.all([judge(config), judge(withPolicy(config, ref, policy))]);
    });
  });
  return previewOf({ ...meta, judged, notJudged });
}

/** The facts either policy's rules need. */
function union(a: BatchFields, b: BatchFields): BatchFields {
  return {
    codeowners: a.codeowners || b.codeowners,
    releases: a.releases || b.releases,
    history: a.history || b.history,
    teams: a.teams || b.teams,
    // The longer limit's start: what it reads covers the shorter one too.
    ...(a.activitySince || b.activitySince
      ? { activitySince: [a.activitySince, b.activitySince].filter(Boolean).sort()[0] }
      : {}),
  };
}
