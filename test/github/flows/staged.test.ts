/**
 * A staged level through the pull request flow against the fake GitHub: the same pull request
 * judged before, between and after the org policy's dates gets no finding, a warning that names
 * the day it blocks (neutral), then a failure; the verdict's inputs change when a stage starts,
 * so that the sweep judges open pull requests again on that day.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PipelineDeps } from "../../../github/flows/deps.js";
import { governPullRequest } from "../../../github/flows/govern.js";
import type { PullRequestDetails, PullRequestPayload } from "../../../github/read/pull-request-facts.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { bodyOf, FakeGitHub, manifestYaml, newClient } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };
const HEAD = "1111111111111111111111111111111111111111";
const RUNS = "/repos/acme/checkout/check-runs";
const POLICY = `version: 1
rules:
  outcome.pull_request: { warn: 2027-01-10, error: 2027-02-01 }
  manifest.protected: off # judged by its own tests: this one counts outcome.pull_request's reads
`;

const pullRequest: PullRequestPayload = {
  number: 12,
  title: "One-tap wallet",
  body: "Adds the wallet button.",
  user: { login: "dana" },
  labels: [],
  head: { sha: HEAD, repo: { owner: { login: "acme" }, name: "checkout" } },
  base: { ref: "main", repo: { default_branch: "main" } },
};

type Run = { conclusion: string; external_id: string; output: { summary: string } };

let gh: FakeGitHub;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  gh = new FakeGitHub();
});
afterEach(() => {
  gh.close();
  nock.cleanAll();
});

/** Judges the pull request with the clock at `iso`; the check run it publishes. */
async function judgedAt(iso: string, ruleOn = true) {
  gh.config("acme/checkout", { manifest: manifestYaml(), policy: POLICY });
  gh.file("acme/checkout", ".github/pom.yml", 304, { ref: HEAD });
  // While the rule is off nothing asks for the issues the pull request closes.
  if (ruleOn)
    gh.graphql(/closingIssuesReferences/, {
      repository: { pullRequest: { closingIssuesReferences: { nodes: [] } } },
    });
  gh.on("POST", RUNS, { status: 201, body: { id: 7 } });
  const deps: PipelineDeps & { details: Map<string, PullRequestDetails> } = {
    client: newClient(),
    cache: new FileCache(),
    details: new Map(),
    now: new Date(iso),
  };
  const result = await governPullRequest(deps, repo, pullRequest);
  const posted = gh.requests("POST", RUNS);
  return { result, run: bodyOf<Run>(posted[posted.length - 1]) };
}

describe("a pull request under an org policy's staged level", () => {
  it("passes before the warn date, warns naming the day it blocks, then fails; its inputs change with the stage", async () => {
    const before = await judgedAt("2027-01-09T12:00:00Z", false);
    expect(before.result.evaluation?.findings.filter((f) => f.rule === "outcome.pull_request")).toEqual([]);
    expect(before.run.conclusion).toBe("success");

    const between = await judgedAt("2027-01-20T12:00:00Z");
    expect(between.run.conclusion).toBe("neutral");
    expect(between.run.output.summary).toContain("warning now; blocks from 2027-02-01 (in 12 days)");
    const later = await judgedAt("2027-01-25T12:00:00Z");
    // Nothing changed between the two: the same inputs, so a sweep leaves the check as it is.
    expect(later.run.external_id).toBe(between.run.external_id);

    const after = await judgedAt("2027-02-01T00:00:00Z");
    expect(after.run.conclusion).toBe("failure");
    expect(after.run.output.summary).not.toContain("warning now");
    // The stage started: the inputs differ, so the stored verdict is known to be stale.
    expect(after.run.external_id).not.toBe(between.run.external_id);
    expect(before.run.external_id).not.toBe(between.run.external_id);
  });
});
