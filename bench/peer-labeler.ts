/**
 * A peer for the action's start-up: a labeler-style pull request action built the way
 * actions/labeler is (its `dist/index.js` bundles @actions/core, @actions/github with Octokit's
 * REST endpoint methods and pagination over the undici package, and a YAML parser), doing what
 * labeler does for its branch rules on `pull_request.opened`: read `.github/labeler.yml` through
 * the contents API at the event's commit, match the pull request's head branch, add the labels.
 *
 * actions/labeler itself is not on the npm registry, and its repository cannot be fetched where
 * the benchmark runs, so this is its workload and its packages rather than its code. scripts/bench.mjs
 * bundles it into one CommonJS file (not minified, as `ncc` leaves labeler's), never committed.
 */
import * as core from "@actions/core";
import { context, getOctokit } from "@actions/github";
import { parse } from "yaml";

type Rules = Record<string, { "head-branch"?: string[] }[]>;

async function main(): Promise<void> {
  const token = core.getInput("repo-token", { required: true });
  const path = core.getInput("configuration-path") || ".github/labeler.yml";
  const pr = context.payload.pull_request;
  if (!pr) throw new Error("not a pull request event");
  const octokit = getOctokit(token);
  const { data } = await octokit.rest.repos.getContent({ ...context.repo, path, ref: context.sha });
  if (!("content" in data)) throw new Error(`${path} is not a file`);
  const rules = parse(Buffer.from(data.content, "base64").toString("utf8")) as Rules;
  const branch = String(pr.head?.ref ?? "");
  const labels = Object.entries(rules)
    .filter(([, matchers]) =>
      matchers.some((m) => (m["head-branch"] ?? []).some((pattern) => new RegExp(pattern).test(branch))),
    )
    .map(([label]) => label);
  if (labels.length > 0) {
    await octokit.rest.issues.addLabels({ ...context.repo, issue_number: pr.number, labels });
  }
  core.setOutput("new-labels", labels.join(","));
  core.setOutput("all-labels", labels.join(","));
}

main().catch((error: unknown) => core.setFailed((error as Error).message));
