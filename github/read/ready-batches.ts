/**
 * An installation's repositories in the sweep's GraphQL pages (batch-pages.ts), handed out as they
 * become ready to judge: a repository whose team owns more than 100 repositories waits until the
 * team's list has been read as far as it (the continuations travel with the next pages' queries,
 * and what is still missing after the last page is read five teams a query). The sweep and the
 * policy preview read an installation this one way.
 */
import type { GitHubClient } from "../transport/client.js";
import {
  batchedPages,
  completeTeams,
  type Installation,
  type OwnerContext,
  unfinishedTeam,
} from "./batch-pages.js";
import type { BatchedRepo } from "./repo-batch.js";

export interface ReadyBatch {
  /** The active repositories this page listed (each listed once, ready or not). */
  listed: BatchedRepo[];
  /** The repositories ready to be judged now, with the owner's context they are judged in. */
  ready: BatchedRepo[];
  owner: OwnerContext;
}

/**
 * The ready repositories of `installation`, page by page; a last batch holds those that waited
 * for their team. A failed query throws: the caller reads the rest per repository.
 *
 * @example for await (const { ready, owner } of readyBatches(client, installation)) await judge(ready, owner)
 */
export async function* readyBatches(
  client: GitHubClient,
  installation: Installation,
): AsyncGenerator<ReadyBatch> {
  let deferred: BatchedRepo[] = [];
  const wanted = new Set<string>();
  let context: OwnerContext | undefined;
  for await (const page of batchedPages(client, installation, () => [...wanted])) {
    context = page.owner;
    const listed = page.repos.filter((r) => !r.archived);
    const waiting = [...deferred, ...listed];
    // Every unfinished team a manifest names is continued with the next query, before a
    // repository has to wait for it.
    const ready = waiting.filter((r) => {
      const team = unfinishedTeam(r, page.owner);
      if (team) wanted.add(team.slug);
      return !team?.waits;
    });
    deferred = waiting.filter((r) => !ready.includes(r));
    yield { listed, ready, owner: page.owner };
  }
  if (context && deferred.length > 0) {
    await completeTeams(client, installation.account, context, [...wanted]);
    yield { listed: [], ready: deferred, owner: context };
  }
}
