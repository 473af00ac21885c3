/**
 * A pull request in a repository with products, against a mocked GitHub: judged against the
 * outcomes of the products its changed files touch (read with one GraphQL query per 100 files),
 * one check run with a section per touched product, unowned files an ownership.paths warning.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PipelineDeps } from "../../../github/flows/deps.js";
import { governPullRequest } from "../../../github/flows/govern.js";
import type { PullRequestDetails, PullRequestPayload } from "../../../github/read/pull-request-facts.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { MONOREPO_MANIFEST } from "../../../testkit/monorepo.js";
import { NOW } from "../../helpers/engine.js";
import { bodyOf, FakeGitHub, newClient, variablesOf } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "shop" };
const HEAD = "1111111111111111111111111111111111111111";
const RUNS = "/repos/acme/shop/check-runs";

function deps(): PipelineDeps & { details: Map<string, PullRequestDetails> } {
  return { client: newClient(), cache: new FileCache(), details: new Map(), now: NOW };
}

function pullRequest(title: string): PullRequestPayload {
  return {
    number: 31,
    title,
    body: "",
    user: { login: "dana" },
    labels: [],
    head: { sha: HEAD, repo: { owner: { login: "acme" }, name: "shop" } },
    base: { ref: "main", repo: { default_branch: "main" } },
  };
}

/** The changed files, answered in pages of `page` as GitHub's GraphQL API does. */
function changedFiles(paths: string[]) {
  gh.graphql(/files\(first: 100/, (request) => {
    expect(variablesOf(request)).toMatchObject({ number: 31, after: null });
    return {
      repository: {
        pullRequest: {
          changedFiles: paths.length,
          files: {
            nodes: paths.map((path) => ({ path })),
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        },
      },
    };
  });
}

type CheckRun = { conclusion: string; output: { summary: string; text?: string } };

async function judgePull(title: string, files: string[], closing = true): Promise<CheckRun> {
  gh.config("acme/shop", { manifest: MONOREPO_MANIFEST, policy: null });
  gh.file("acme/shop", ".github/pom.yml", 304, { ref: HEAD });
  // manifest.protected's one query of the governance files' blobs: none changed.
  gh.blobs({
    [HEAD]: { ".github/pom.yml": MONOREPO_MANIFEST },
    HEAD: { ".github/pom.yml": MONOREPO_MANIFEST },
  });
  changedFiles(files);
  if (closing)
    gh.graphql(/closingIssuesReferences/, {
      repository: { pullRequest: { closingIssuesReferences: { nodes: [] } } },
    });
  gh.on("POST", RUNS, { status: 201, body: { id: 9 } });
  await governPullRequest(deps(), repo, pullRequest(title));
  expect(gh.unmatched).toEqual([]);
  expect(gh.scope.isDone()).toBe(true);
  return bodyOf<CheckRun>(gh.requests("POST", RUNS)[0]);
}

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

describe("a pull request in a repository with products", () => {
  it("fails a change to Search only that names Checkout's CHK-12, listing Search's active outcomes", async () => {
    const run = await judgePull("CHK-12: faster search", ["services/search/index.ts"]);
    expect(run.conclusion).toBe("failure");
    const summary = run.output.summary;
    expect(summary).toContain("### Search");
    expect(summary).not.toContain("### Checkout");
    expect(summary).toMatch(
      /`outcome\.pull_request` \| ❌ fail \| error \| #\u200b31 does not reference an active outcome/,
    );
    expect(summary).toContain("active outcomes: SRCH-3");
    expect(summary).not.toContain("SRCH-4, "); // achieved: not active
  });

  it("passes a change to both products that names CHK-12: either product's outcome serves", async () => {
    const run = await judgePull(
      "CHK-12: search from checkout",
      ["services/search/index.ts", "services/checkout/pay.ts"],
      false,
    );
    expect(run.conclusion, run.output.summary).toBe("success");
    expect(run.output.summary).toContain("### Checkout");
    expect(run.output.summary).toContain("### Search");
  });

  it("warns of an unowned changed file with ownership.paths, naming it", async () => {
    const run = await judgePull(
      "CHK-12: pay and deploy",
      ["services/checkout/pay.ts", "scripts/deploy.sh"],
      false,
    );
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toContain(
      "unowned path: scripts/deploy.sh belongs to no product and is not shared",
    );
  });

  it("skips outcome.pull_request, shown, for a change to shared paths only", async () => {
    const run = await judgePull("Tidy the docs", ["docs/readme.md", "tools/build.sh"], false);
    expect(run.conclusion).toBe("success");
    expect(run.output.summary).toMatch(
      /`outcome\.pull_request` \| ⏭️ skip \| error \| the pull request changes only shared paths/,
    );
  });

  it("cannot tell the products of a change past GitHub's 3,000 listed files: unknown, never a pass", async () => {
    gh.config("acme/shop", { manifest: MONOREPO_MANIFEST, policy: null });
    gh.file("acme/shop", ".github/pom.yml", 304, { ref: HEAD });
    gh.blobs({
      [HEAD]: { ".github/pom.yml": MONOREPO_MANIFEST },
      HEAD: { ".github/pom.yml": MONOREPO_MANIFEST },
    });
    gh.graphql(/files\(first: 100/, {
      repository: {
        pullRequest: {
          changedFiles: 3_001,
          files: { nodes: [], pageInfo: { hasNextPage: true, endCursor: "c" } },
        },
      },
    });
    gh.on("POST", RUNS, { status: 201, body: { id: 9 } });
    await governPullRequest(deps(), repo, pullRequest("CHK-12: everything"));
    const run = bodyOf<CheckRun>(gh.requests("POST", RUNS)[0]);
    expect(run.conclusion).toBe("neutral");
    expect(run.output.summary).toMatch(
      /`outcome\.pull_request` \| ❔ unknown \| error \| the files the pull request changes could not be read/,
    );
    expect(run.output.summary).toContain("GitHub lists at most 3000");
  });
});
