/**
 * Judging a subject again from what GitHub holds now (the loopback fake's acme/checkout): a pull
 * request, a release, an issue and the repository on a commit are read fresh and published; with
 * the check-run ledger, a verdict GitHub already shows is not written again.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PipelineDeps } from "../../../github/flows/deps.js";
import { describeSubject, rejudge } from "../../../github/flows/rejudge-subject.js";
import { MemoryCheckLedger } from "../../../github/publish/check-ledger.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { e2eSeed, ISSUE_NO_OUTCOME, PR_COMPLIANT, PR_NONCOMPLIANT } from "../../../testkit/e2e-seed.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { installationClient } from "../../helpers/fake-client.js";

const repo = { owner: "acme", repo: "checkout" };
const CREATE = "POST /repos/{owner}/{repo}/check-runs";
let fake: FakeGitHub;
let deps: PipelineDeps;

beforeAll(async () => {
  fake = await startFakeGitHub(e2eSeed({ now: Date.now(), publicKey: "", examples: [] }));
  deps = {
    client: installationClient(fake, "ghs_rejudge"),
    cache: new FileCache(),
    checks: new MemoryCheckLedger(),
    now: new Date(),
  };
});
afterAll(() => fake?.close());

const runsOn = (sha: string) => fake.state.repo("acme/checkout").checkRuns.filter((r) => r.head_sha === sha);

describe("rejudge", () => {
  it("reads a pull request fresh and publishes its check, then writes nothing while GitHub shows it", async () => {
    const first = await rejudge(deps, repo, { kind: "pr", number: PR_NONCOMPLIANT.number });
    expect(first.checkWrite).toBe("created");
    expect(runsOn(PR_NONCOMPLIANT.headSha).map((r) => r.conclusion)).toEqual(["failure"]);
    fake.reset();
    const again = await rejudge(deps, repo, { kind: "pr", number: PR_NONCOMPLIANT.number });
    expect(again.checkWrite).toBe("unchanged");
    expect(fake.requests.filter((r) => r.operation === CREATE)).toEqual([]);
  });

  it("judges a release, an issue and the repository on a commit", async () => {
    const release = await rejudge(deps, repo, { kind: "release", tag: "v3.1.0" });
    expect(release.checkWrite).toBe("created");
    const issue = await rejudge(deps, repo, { kind: "issue", number: ISSUE_NO_OUTCOME.number });
    expect(issue.evaluation?.findings.map((f) => `${f.rule}:${f.status}`)).toContain("outcome.issue:fail");
    const head = fake.state.headSha(fake.state.repo("acme/checkout"));
    const repository = await rejudge(deps, repo, { kind: "repo", sha: head });
    expect(repository.checkWrite).toBe("created");
    expect(
      runsOn(head)
        .map((r) => r.external_id)
        .sort(),
    ).toEqual(["release:v3.1.0", "repo"]);
    expect(fake.problems).toEqual([]);
  });

  it("names subjects for logs", () => {
    expect(
      [
        { kind: "pr", number: PR_COMPLIANT.number } as const,
        { kind: "issue", number: 9 } as const,
        { kind: "release", tag: "v3.1.0" } as const,
        { kind: "repo", sha: "abcdef0123" } as const,
        { kind: "repo" } as const,
      ].map(describeSubject),
    ).toEqual(["pr #7", "issue #9", "release v3.1.0", "repo @abcdef0", "repo"]);
  });
});
