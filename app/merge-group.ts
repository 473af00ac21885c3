/**
 * Merge queues: `merge_group.checks_requested` gets the "POM governance" check on the group's head
 * commit, judged on the group's pull requests, so that the check can be required with a queue.
 */
import type { Probot } from "probot";
import { governMergeGroup, type MergeGroupPayload } from "../github/flows/merge-group.js";
import { run } from "./run.js";
import { depsFor, type Shared } from "./shared.js";

export function registerMergeGroup(on: Probot["on"], shared: Shared): void {
  on("merge_group.checks_requested", async (context) => {
    const group = context.payload.merge_group as MergeGroupPayload;
    await run(context, `merge group ${group.head_sha.slice(0, 7)}`, () =>
      governMergeGroup(depsFor(context, shared), context.repo(), group),
    );
  });
}
