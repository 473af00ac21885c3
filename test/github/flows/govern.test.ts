/** Whole flows against a mocked GitHub: what each subject costs in requests, and what it writes. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Finding } from "../../../core/engine/types.js";
import type { PipelineDeps } from "../../../github/flows/deps.js";
import { governIssue, governPullRequest, governRelease } from "../../../github/flows/govern.js";
import { TRACKING_LABEL, trackingContent } from "../../../github/publish/tracking-issue.js";
import type { PullRequestDetails, PullRequestPayload } from "../../../github/read/pull-request-facts.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { ago, DAY, HOUR, NOW } from "../../helpers/engine.js";
import {
  bodyOf,
  etagOf,
  FakeGitHub,
  manifestYaml,
  newClient,
  type SentRequest,
} from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };
const HEAD = "1111111111111111111111111111111111111111";
const RELEASE_SHA = "2222222222222222222222222222222222222222";
const MERGE_BASE = "3333333333333333333333333333333333333333";
const RUNS = "/repos/acme/checkout/check-runs";
const TRACKING_ISSUES =
  "/repos/acme/checkout/issues?labels=pom-governance&state=all&sort=created&direction=desc&per_page=100";

function deps(): PipelineDeps & { details: Map<string, PullRequestDetails> } {
  return { client: newClient(), cache: new FileCache(), details: new Map(), changes: new Map(), now: NOW };
}

function pullRequest(patch: Partial<PullRequestPayload> = {}): PullRequestPayload {
  return {
    number: 12,
    title: "CHK-12: one-tap wallet",
    body: "Adds the wallet button.",
    user: { login: "dana" },
    labels: [],
    head: { sha: HEAD, repo: { owner: { login: "acme" }, name: "checkout" } },
    base: { ref: "main", repo: { default_branch: "main" } },
    ...patch,
  };
}

/** The GraphQL answer for a pull request that closes nothing. */
function details() {
  return { repository: { pullRequest: { closingIssuesReferences: { nodes: [] } } } };
}

/**
 * The head's manifest is `proposed`, and the branch was cut where the manifest was the default
 * branch's: the pull request edits it.
 */
function editedSinceMergeBase(proposed: string) {
  gh.mergeBase("acme/checkout", `main...${HEAD}`, MERGE_BASE);
  gh.blobs({ [HEAD]: { ".github/pom.yml": proposed }, [MERGE_BASE]: { ".github/pom.yml": manifestYaml() } });
}

/**
 * The head commit's copy of the manifest, unchanged: answered 304 to the default branch's ETag;
 * and the one query of every governance file's blob at the head and on the default branch
 * (manifest.protected), all the same.
 */
function unchangedAtHead() {
  gh.file("acme/checkout", ".github/pom.yml", 304, { ref: HEAD });
  governanceUnchanged();
}

/** The blob query of the governance files the manifest's own reads left open: none differ. */
function governanceUnchanged() {
  gh.blobs({ [HEAD]: { ".github/pom.yml": manifestYaml() }, HEAD: { ".github/pom.yml": manifestYaml() } });
}

/** The reviews query of manifest.protected: no review. */
function noReviews() {
  gh.graphql(/reviews\(last/, {
    repository: { pullRequest: { headRefOid: HEAD, head: { nodes: [] }, reviews: { nodes: [] } } },
  });
}

type CheckRunBody = {
  head_sha: string;
  conclusion: string;
  external_id: string;
  output: { summary: string; annotations?: { path: string; start_line: number; title: string }[] };
};
const checkRunOf = (request: SentRequest | undefined) => bodyOf<CheckRunBody>(request);
const shape = (requests: SentRequest[]) => requests.map((r) => `${r.method} ${r.path}`);

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

describe("governPullRequest", () => {
  it("costs the config reads, a free 304 for the head's manifest, one blob query of the governance files and one check run for a PR that names its outcome", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    unchangedAtHead();
    gh.on("POST", RUNS, { status: 201, body: { id: 7 } });

    const result = await governPullRequest(deps(), repo, pullRequest());

    expect(result.checkRunId).toBe(7);
    expect(result.evaluation?.conclusion).toBe("success");
    expect(result.evaluation?.findings.map((f) => [f.rule, f.status])).toEqual([
      ["outcome.pull_request", "pass"],
    ]);
    expect(shape(gh.sent).sort()).toEqual(
      [
        "GET /repos/acme/.github/contents/.github%2Fpom-policy.yml",
        "GET /repos/acme/checkout/contents/.github%2Fpom.yml",
        "GET /repos/acme/checkout/contents/.github%2Fpom.yml",
        "POST /graphql",
        `POST ${RUNS}`,
      ].sort(),
    );
    // The head's copy is asked for with the default branch's ETag: unchanged, it costs a 304.
    const [base, head] = gh.requests("GET", "/repos/acme/checkout/contents/");
    expect(head?.query).toEqual({ ref: HEAD });
    expect(head?.headers["if-none-match"]).toBe(`"${etagOf(manifestYaml())}"`);
    expect(base?.query).toEqual({});
    const run = checkRunOf(gh.requests("POST", RUNS)[0]);
    expect(run).toMatchObject({ head_sha: HEAD, conclusion: "success" });
    // The subject, and the first 16 hex digits of the hash of what the verdict was computed from.
    expect(run.external_id).toMatch(/^pr:12:[0-9a-f]{16}$/);
    expect(run.output).not.toHaveProperty("annotations");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("makes no GraphQL query and no head read the second time for the same head commit and body, and revalidates config with 304s", async () => {
    const shared = deps();
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    unchangedAtHead();
    gh.graphql(/closingIssuesReferences/, details());
    gh.on("POST", RUNS, { status: 201, body: { id: 7 } });
    gh.file("acme/checkout", ".github/pom.yml", 304);
    gh.on("POST", RUNS, { status: 201, body: { id: 8 } });

    // The title names no outcome: the rule needs the issues the pull request closes.
    await governPullRequest(shared, repo, pullRequest({ title: "One-tap wallet" }));
    const before = gh.sent.length;
    // A label event: same head commit, same body.
    const again = await governPullRequest(
      shared,
      repo,
      pullRequest({ title: "One-tap wallet", labels: [{ name: "ux" }] }),
    );

    expect(again.checkRunId).toBe(8);
    const second = gh.sent.slice(before);
    // The policy's 404 is remembered; the manifest costs a 304, which is free.
    expect(shape(second)).toEqual(["GET /repos/acme/checkout/contents/.github%2Fpom.yml", `POST ${RUNS}`]);
    expect(second[0]?.headers["if-none-match"]).toBeDefined();
    // The blob query of the governance files and the closing issues, each once for this head.
    expect(gh.graphqlQueries()).toHaveLength(2);
    expect(shared.details.size).toBe(1);
    expect(shared.cache.stats.notModified).toBe(2);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("asks GraphQL again when the body names another closing issue", async () => {
    const shared = deps();
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    unchangedAtHead();
    gh.graphql(/closingIssuesReferences/, details());
    gh.on("POST", RUNS, { status: 201, body: { id: 7 } }, 2);
    gh.file("acme/checkout", ".github/pom.yml", 304);
    gh.graphql(/ref5: issueOrPullRequest/, { repository: { ...details().repository, ref5: {} } });

    await governPullRequest(shared, repo, pullRequest({ title: "One-tap wallet" }));
    await governPullRequest(shared, repo, pullRequest({ title: "One-tap wallet", body: "Fixes #5" }));

    expect(gh.graphqlQueries()).toHaveLength(3);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("validates a manifest a fork's PR edits, read at its head commit from the base repository", async () => {
    const proposed = "version: 1\nproduct:\n  name: Checkout\nteam: [payments]\n";
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    gh.file("acme/checkout", ".github/pom.yml", proposed, { ref: HEAD });
    governanceUnchanged();
    editedSinceMergeBase(proposed);
    gh.on("POST", RUNS, { status: 201, body: { id: 9 } });

    const result = await governPullRequest(
      deps(),
      repo,
      pullRequest({ head: { sha: HEAD, repo: { owner: { login: "dana" }, name: "checkout-fork" } } }),
    );

    const valid = result.evaluation?.findings.filter((f) => f.rule === "manifest.valid") ?? [];
    expect(valid.length).toBeGreaterThan(0);
    expect(valid.every((f: Finding) => f.status === "fail" && f.location?.file === ".github/pom.yml")).toBe(
      true,
    );
    expect(result.evaluation?.conclusion).toBe("failure");
    expect(gh.requests("GET", "/repos/dana/")).toEqual([]);
    const read = gh.requests("GET", "/repos/acme/checkout/contents/").find((r) => r.query.ref === HEAD);
    expect(read?.query).toEqual({ ref: HEAD });
    const run = checkRunOf(gh.requests("POST", RUNS)[0]);
    expect(run.conclusion).toBe("failure");
    expect(run.output.annotations?.length).toBe(valid.length);
    expect(
      run.output.annotations?.every((a) => a.path === ".github/pom.yml" && a.title === "manifest.valid"),
    ).toBe(true);
    // The gate itself still comes from the default branch: outcome.pull_request passes on CHK-12.
    expect(result.evaluation?.findings.find((f) => f.rule === "outcome.pull_request")?.status).toBe("pass");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("reads the proposed manifest from the base repository when the PR comes from a branch of it", async () => {
    const proposed = manifestYaml({ release: { cadence: "7d" } });
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    gh.file("acme/checkout", ".github/pom.yml", proposed, { ref: HEAD });
    governanceUnchanged();
    editedSinceMergeBase(proposed);
    noReviews();
    gh.on("POST", RUNS, { status: 201, body: { id: 10 } });

    const result = await governPullRequest(deps(), repo, pullRequest());

    expect(result.evaluation?.findings.find((f) => f.rule === "manifest.valid")?.status).toBe("pass");
    // Nobody approved the change of the manifest: manifest.protected warns, naming who may approve.
    const protection = result.evaluation?.findings.find((f) => f.rule === "manifest.protected");
    expect(protection).toMatchObject({ status: "fail", level: "warn" });
    expect(protection?.message).toMatch(/a member of @acme\/payments/);
    expect(checkRunOf(gh.requests("POST", RUNS)[0]).conclusion).toBe("neutral");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("leaves the manifest alone when the head's copy differs only because the default branch moved on", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    // The branch was cut before the manifest was added: the head has none, and the pull request
    // does not touch it.
    gh.file("acme/checkout", ".github/pom.yml", null, { ref: HEAD });
    gh.blobs({ [HEAD]: {}, HEAD: {} });
    gh.mergeBase("acme/checkout", `main...${HEAD}`, MERGE_BASE);
    gh.blobs({ [HEAD]: {}, [MERGE_BASE]: {} });
    gh.on("POST", RUNS, { status: 201, body: { id: 14 } });

    const result = await governPullRequest(deps(), repo, pullRequest());

    expect(result.evaluation?.findings.map((f) => [f.rule, f.status])).toEqual([
      ["outcome.pull_request", "pass"],
    ]);
    expect(checkRunOf(gh.requests("POST", RUNS)[0]).conclusion).toBe("success");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("validates a manifest a PR adds where it would take over from the live one (.github/pom.yml over pom.yml)", async () => {
    const proposed = "version: 1\nproduct:\n  name: Checkout\nteam: [payments]\n";
    gh.config("acme/checkout", { manifest: null, rootManifest: manifestYaml(), policy: null });
    gh.file("acme/checkout", "pom.yml", 304, { ref: HEAD });
    // The head has a .github/pom.yml that neither the default branch nor the merge base has.
    gh.blobs({
      [HEAD]: { ".github/pom.yml": proposed, "pom.yml": manifestYaml() },
      HEAD: { "pom.yml": manifestYaml() },
    });
    gh.mergeBase("acme/checkout", `main...${HEAD}`, MERGE_BASE);
    gh.blobs({ [HEAD]: { ".github/pom.yml": proposed }, [MERGE_BASE]: {} });
    gh.file("acme/checkout", ".github/pom.yml", proposed, { ref: HEAD });
    gh.on("POST", RUNS, { status: 201, body: { id: 15 } });

    const result = await governPullRequest(deps(), repo, pullRequest());

    const valid = result.evaluation?.findings.filter((f) => f.rule === "manifest.valid") ?? [];
    expect(valid.length).toBeGreaterThan(0);
    expect(valid.every((f) => f.status === "fail" && f.location?.file === ".github/pom.yml")).toBe(true);
    expect(checkRunOf(gh.requests("POST", RUNS)[0]).conclusion).toBe("failure");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("asks which files a PR changes when its live manifest is pom.yml, and passes one that adds no other", async () => {
    gh.config("acme/checkout", { manifest: null, rootManifest: manifestYaml(), policy: null });
    gh.file("acme/checkout", "pom.yml", 304, { ref: HEAD });
    // One query: the head has both paths as the default branch has them.
    gh.blobs({ [HEAD]: { "pom.yml": manifestYaml() }, HEAD: { "pom.yml": manifestYaml() } });
    gh.on("POST", RUNS, { status: 201, body: { id: 16 } });

    const result = await governPullRequest(deps(), repo, pullRequest());

    expect(result.evaluation?.findings.map((f) => [f.rule, f.status])).toEqual([
      ["outcome.pull_request", "pass"],
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("fails a PR that deletes the manifest", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    gh.file("acme/checkout", ".github/pom.yml", null, { ref: HEAD });
    gh.blobs({ [HEAD]: {}, HEAD: {} });
    gh.mergeBase("acme/checkout", `main...${HEAD}`, MERGE_BASE);
    gh.blobs({ [HEAD]: {}, [MERGE_BASE]: { ".github/pom.yml": manifestYaml() } });
    gh.on("POST", RUNS, { status: 201, body: { id: 11 } });

    const result = await governPullRequest(deps(), repo, pullRequest());

    const valid = result.evaluation?.findings.find((f) => f.rule === "manifest.valid");
    expect(valid?.status).toBe("fail");
    expect(valid?.message).toContain("deletes the manifest");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("skips a repository without manifest or policy: no GraphQL, no check run", async () => {
    gh.config("acme/checkout", { manifest: null, rootManifest: null, policy: null });

    const result = await governPullRequest(deps(), repo, pullRequest());

    expect(result.skipped).toMatch(/no pom.yml/);
    expect(result.checkRunId).toBeUndefined();
    expect(gh.sent.every((r) => r.method === "GET")).toBe(true);
    expect(gh.sent).toHaveLength(3);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("fails a PR that names no outcome, after looking at the issues it closes", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    unchangedAtHead();
    gh.graphql(/ref3: issueOrPullRequest/, {
      repository: {
        ...details().repository,
        ref3: {
          number: 3,
          title: "Slow page",
          body: "no outcome here",
          author: { login: "x" },
          labels: { nodes: [] },
        },
      },
    });
    gh.on("POST", RUNS, { status: 201, body: { id: 12 } });

    const result = await governPullRequest(
      deps(),
      repo,
      pullRequest({ title: "Speed up", body: "Fixes #3" }),
    );

    const finding = result.evaluation?.findings.find((f) => f.rule === "outcome.pull_request");
    expect(finding?.status).toBe("fail");
    expect(finding?.evidence).toContain("closes: #3");
    expect(checkRunOf(gh.requests("POST", RUNS)[0]).conclusion).toBe("failure");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("reports the PR rule unknown, not passed, when the GraphQL query fails", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    unchangedAtHead();
    gh.on("POST", "/graphql", { status: 502, body: { message: "Bad Gateway" } });
    gh.on("POST", RUNS, { status: 201, body: { id: 13 } });

    const result = await governPullRequest(deps(), repo, pullRequest({ title: "Speed up" }));

    expect(result.evaluation?.findings.find((f) => f.rule === "outcome.pull_request")?.status).toBe(
      "unknown",
    );
    expect(checkRunOf(gh.requests("POST", RUNS)[0]).conclusion).toBe("failure");
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("governIssue", () => {
  it("labels an issue that names no outcome and leaves one sticky comment", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    gh.on("POST", "/repos/acme/checkout/issues/9/labels", { status: 200, body: [] });
    gh.on("GET", "/repos/acme/checkout/issues/9/comments?per_page=100&page=1", { status: 200, body: [] });
    gh.on("POST", "/repos/acme/checkout/issues/9/comments", { status: 201, body: { id: 1 } });

    const result = await governIssue(deps(), repo, {
      number: 9,
      title: "Checkout is slow",
      body: "",
      labels: [],
    });

    expect(result.feedback).toEqual({ added: ["pom: needs outcome"], removed: [], comment: "created" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("leaves pull requests that arrive as issues alone, without a request", async () => {
    const result = await governIssue(deps(), repo, { number: 9, title: "x", pull_request: { url: "u" } });

    expect(result.skipped).toMatch(/pull requests/);
    expect(gh.sent).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("governRelease", () => {
  const v2 = {
    tag_name: "v2",
    name: "v2",
    body: "Outcomes: CHK-12",
    draft: false,
    prerelease: false,
    published_at: ago(HOUR),
    created_at: ago(HOUR),
  };
  const v1 = {
    ...v2,
    tag_name: "v1",
    name: "v1",
    body: "",
    published_at: ago(10 * DAY),
    created_at: ago(10 * DAY),
  };
  const RELEASES = "/repos/acme/checkout/releases?per_page=100";

  function mockRelease() {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    gh.on("GET", RELEASES, { status: 200, body: [v2, v1] });
    gh.on("GET", "/repos/acme/checkout/compare/v1...v2", {
      status: 200,
      body: {
        status: "ahead",
        commits: [
          { sha: "a", commit: { message: "Merge pull request #30 from acme/wallet\n\nWallet" } },
          { sha: "b", commit: { message: "Fix typo (#31)" } },
          { sha: "c", commit: { message: "Direct push" } },
        ],
      },
    });
    gh.graphql(/pr30: pullRequest\(number: 30\)/, {
      repository: {
        pr30: {
          number: 30,
          title: "Wallet",
          body: "Serves CHK-12",
          author: { login: "dana" },
          labels: { nodes: [] },
          mergedAt: ago(2 * DAY),
          closingIssuesReferences: { nodes: [] },
        },
        pr31: {
          number: 31,
          title: "Fix typo",
          body: null,
          author: null,
          labels: { nodes: [] },
          mergedAt: ago(DAY),
          closingIssuesReferences: { nodes: [] },
        },
      },
    });
    gh.on("GET", "/repos/acme/checkout/commits/v2", {
      status: 200,
      body: RELEASE_SHA,
      headers: { "content-type": "application/vnd.github.sha; charset=utf-8" },
    });
    gh.on("POST", RUNS, { status: 201, body: { id: 21 } });
  }

  it("publishes the check run on the release commit and, on cadence, closes the tracking issue", async () => {
    mockRelease();
    // The repository judged again: config revalidated (the policy's 404 is remembered), then its facts.
    gh.file("acme/checkout", ".github/pom.yml", 304);
    gh.on("GET", "/orgs/acme/teams/payments", { status: 200, body: { slug: "payments" } });
    gh.on("GET", "/orgs/acme/teams/payments/repos/acme/checkout", {
      status: 200,
      body: { permissions: { admin: true, push: true, pull: true } },
    });
    gh.on("GET", "/orgs/acme/teams/payments/members?per_page=100&page=1", {
      status: 200,
      body: [{ login: "alice" }, { login: "bob" }, { login: "carol" }],
    });
    gh.file("acme/checkout", ".github/CODEOWNERS", "* @acme/payments\n");
    gh.on("GET", "/repos/acme/checkout/properties/values", { status: 200, body: [] });
    gh.graphql(/defaultBranchRef/, {
      repository: { defaultBranchRef: { target: { history: { nodes: [] } } } },
    });
    const overdue = trackingContent({
      conclusion: "failure",
      findings: [
        { rule: "release.cadence", status: "fail", level: "error", message: "old", fix: "", evidence: [] },
      ],
    });
    gh.on("GET", TRACKING_ISSUES, {
      status: 200,
      body: [{ number: 4, title: overdue.title, body: overdue.body, labels: [{ name: TRACKING_LABEL }] }],
    });
    gh.on("POST", "/repos/acme/checkout/issues/4/comments", { status: 201, body: { id: 70 } });
    gh.on("PATCH", "/repos/acme/checkout/issues/4", { status: 200, body: { number: 4 } });

    const result = await governRelease(deps(), repo, v2);

    expect(result.evaluation?.findings.map((f) => [f.rule, f.status])).toEqual([
      ["release.cadence", "pass"],
      ["outcome.release", "pass"],
    ]);
    expect(result.checkRunId).toBe(21);
    expect(result.tracking).toBe("closed");
    const resolve = gh.requests("GET", "/repos/acme/checkout/commits/")[0];
    expect(resolve?.headers.accept).toBe("application/vnd.github.sha");
    expect(checkRunOf(gh.requests("POST", RUNS)[0])).toMatchObject({
      head_sha: RELEASE_SHA,
      external_id: "release:v2",
      conclusion: "success",
    });
    expect(gh.requests("PATCH")[0]?.body).toEqual({ state: "closed", state_reason: "completed" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("judges the repository again after a late release, and closes the tracking issue it ends", async () => {
    // The release that ends an overdue period always comes late itself (its gap exceeds the cadence).
    const late = { ...v1, published_at: ago(30 * DAY), created_at: ago(30 * DAY) };
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });
    gh.on("GET", RELEASES, { status: 200, body: [v2, late] });
    gh.on("GET", "/repos/acme/checkout/compare/v1...v2", { status: 200, body: { commits: [] } });
    gh.on("GET", "/repos/acme/checkout/commits/v2", {
      status: 200,
      body: RELEASE_SHA,
      headers: { "content-type": "application/vnd.github.sha; charset=utf-8" },
    });
    gh.on("POST", RUNS, { status: 201, body: { id: 22 } });
    gh.file("acme/checkout", ".github/pom.yml", 304);
    gh.on("GET", "/orgs/acme/teams/payments", { status: 200, body: { slug: "payments" } });
    gh.on("GET", "/orgs/acme/teams/payments/repos/acme/checkout", {
      status: 200,
      body: { permissions: { admin: true, push: true, pull: true } },
    });
    gh.on("GET", "/orgs/acme/teams/payments/members?per_page=100&page=1", {
      status: 200,
      body: [{ login: "alice" }, { login: "bob" }, { login: "carol" }],
    });
    gh.file("acme/checkout", ".github/CODEOWNERS", "* @acme/payments\n");
    gh.on("GET", "/repos/acme/checkout/properties/values", { status: 200, body: [] });
    gh.graphql(/defaultBranchRef/, {
      repository: { defaultBranchRef: { target: { history: { nodes: [] } } } },
    });
    const overdue = trackingContent({
      conclusion: "failure",
      findings: [
        { rule: "release.cadence", status: "fail", level: "error", message: "old", fix: "", evidence: [] },
      ],
    });
    gh.on("GET", TRACKING_ISSUES, {
      status: 200,
      body: [{ number: 4, title: overdue.title, body: overdue.body, labels: [{ name: TRACKING_LABEL }] }],
    });
    gh.on("POST", "/repos/acme/checkout/issues/4/comments", { status: 201, body: { id: 70 } });
    gh.on("PATCH", "/repos/acme/checkout/issues/4", { status: 200, body: { number: 4 } });

    const result = await governRelease(deps(), repo, v2);

    expect(result.evaluation?.findings.find((f) => f.rule === "release.cadence")?.status).toBe("fail");
    expect(checkRunOf(gh.requests("POST", RUNS)[0]).conclusion).toBe("failure");
    expect(result.tracking).toBe("closed");
    expect(gh.requests("PATCH")[0]?.body).toEqual({ state: "closed", state_reason: "completed" });
    // The release's rules and the repository's share one read of the releases.
    expect(gh.requests("GET", "/repos/acme/checkout/releases")).toHaveLength(1);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("skips a repository that is not governed, without resolving the tag", async () => {
    gh.config("acme/checkout", { manifest: null, rootManifest: null, policy: null });

    const result = await governRelease(deps(), repo, v2);

    expect(result.skipped).toBeDefined();
    expect(gh.sent).toHaveLength(3);
    expect(gh.scope.isDone()).toBe(true);
  });
});
