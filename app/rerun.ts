/**
 * "Re-run" on a check run or suite: the subject read as it is now (the pull request or release
 * fresh from GitHub), judged again, and its check written anew.
 */
import type { Context } from "probot";
import { governPullRequest, governRelease, governRepository } from "../github/flows/govern.js";
import { readPullRequest } from "../github/read/pull-request-facts.js";
import { readRelease } from "../github/read/release-source.js";
import type { RepoRef } from "../github/transport/client.js";
import type { parseExternalId } from "./events.js";
import { run } from "./run.js";
import type { Freshness, Serialise } from "./serial.js";
import { depsFor, type Shared } from "./shared.js";

export interface Order {
  shared: Shared;
  serial: Serialise;
  freshness: Freshness;
}

export async function rerun(
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
