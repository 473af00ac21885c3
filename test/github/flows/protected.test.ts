/**
 * manifest.protected against the loopback fake GitHub: pull requests that change CODEOWNERS, the
 * owning team, the org policy or a waiver, judged before and after reviews (submitted, from outside
 * the team, on an older commit, dismissed), with what each judgement costs.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { PipelineDeps } from "../../../github/flows/deps.js";
import { governPullRequest } from "../../../github/flows/govern.js";
import { MemoryCheckLedger } from "../../../github/publish/check-ledger.js";
import type { PullRequestPayload } from "../../../github/read/pull-request-facts.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { type FakeGitHub, shaOf, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { installationClient } from "../../helpers/fake-client.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const RELEASED = new Date(NOW.getTime() - 86_400_000).toISOString();

const manifestOf = (patch: Record<string, unknown> = {}) =>
  stringify({
    version: 1,
    product: { name: "Checkout" },
    team: { name: "Payments", github: "acme/payments" },
    release: { cadence: "14d" },
    outcomes: [{ id: "CHK-12", title: "Cut abandonment", metric: "m", target: "1", status: "active" }],
    ...patch,
  });
const MANIFEST = manifestOf();
const CODEOWNERS = "* @acme/payments\n";
const POLICY = stringify({
  version: 1,
  governance_team: "acme/platform",
  rules: { "manifest.protected": "error" },
  waivers: { require_approval: true, max_days: 90 },
});
const FILES = { ".github/pom.yml": MANIFEST, ".github/CODEOWNERS": CODEOWNERS };
const head = (name: string) => shaOf(`protected ${name}`);
const OLD = head("codeowners, first push");

/** A pull request whose head has `files` changed from the default branch (plus 150 others). */
function pull(number: number, title: string, changed: Record<string, string>) {
  const sha = head(`#${number}`);
  const others = Array.from({ length: 150 }, (_, i) => `src/file${i}.ts`);
  return {
    seed: { number, title, body: "", headSha: sha, files: [...Object.keys(changed), ...others] },
    tree: { [sha]: { ...FILES, ...changed } },
  };
}

const codeowners = pull(1, "CHK-12: review rules", { ".github/CODEOWNERS": "* @acme/payments @acme/qa\n" });
const handover = pull(2, "CHK-12: hand over", {
  ".github/pom.yml": manifestOf({ team: { name: "Growth", github: "acme/growth" } }),
});
const waiver = pull(3, "CHK-12: freeze", {
  ".github/pom.yml": manifestOf({
    waivers: [{ rule: "release.cadence", until: "2026-07-01", granted: "2026-06-14", reason: "freeze" }],
  }),
});
const stale = pull(4, "CHK-12: owners again", { ".github/CODEOWNERS": "* @acme/payments @acme/sec\n" });
const policyChange = pull(5, "Lower the cadence", {
  ".github/pom-policy.yml": POLICY.replace("max_days: 90", "max_days: 30"),
});

let fake: FakeGitHub;
let client: GitHubClient;
let deps: () => PipelineDeps;

beforeAll(async () => {
  fake = await startFakeGitHub({
    repos: [
      {
        owner: "acme",
        name: "checkout",
        files: FILES,
        filesAt: {
          ...codeowners.tree,
          ...handover.tree,
          ...waiver.tree,
          ...stale.tree,
          // The commit ann approved: CODEOWNERS as it was before the last push.
          [OLD]: { ...FILES, ".github/CODEOWNERS": "* @acme/payments @acme/qa\n" },
        },
        commits: [{ message: "Initial commit", date: RELEASED }],
        releases: [{ tag: "v1.0.0", publishedAt: RELEASED }],
        pulls: [codeowners.seed, handover.seed, waiver.seed, stale.seed],
      },
      {
        owner: "acme",
        name: ".github",
        files: { ".github/pom-policy.yml": POLICY },
        filesAt: policyChange.tree,
        commits: [{ message: "Policy", date: RELEASED }],
        pulls: [policyChange.seed],
      },
    ],
    teams: [
      { org: "acme", slug: "payments", members: ["ann"], repos: { "acme/checkout": "push" } },
      { org: "acme", slug: "platform", members: ["gwen"] },
      { org: "acme", slug: "growth", members: ["gus"] },
    ],
  });
  client = installationClient(fake, "ghs_protected");
  const cache = new FileCache();
  const checks = new MemoryCheckLedger();
  const changes = new Map<string, Set<string>>();
  deps = () => ({ client, cache, checks, changes, now: NOW });
}, 60_000);

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => fake.reset());

const CHECKOUT = { owner: "acme", repo: "checkout" };
const payload = (repo: string, number: number): PullRequestPayload => {
  const issue = fake.state.repo(repo).issues.find((i) => i.number === number);
  if (!issue?.pull) throw new Error(`no pull request ${repo}#${number}`);
  return {
    number,
    title: issue.title,
    body: issue.body ?? "",
    user: { login: issue.author },
    labels: [],
    head: { sha: issue.pull.headSha },
    base: { ref: "main", repo: { default_branch: "main" } },
  };
};

async function judge(number: number, repo = CHECKOUT) {
  const result = await governPullRequest(deps(), repo, payload(`${repo.owner}/${repo.repo}`, number));
  const finding = result.evaluation?.findings.find((f) => f.rule === "manifest.protected");
  const run = fake.state
    .repo(`${repo.owner}/${repo.repo}`)
    .checkRuns.findLast((r) => r.external_id?.startsWith(`pr:${number}:`));
  return { result, finding, run };
}

describe("manifest.protected on the fake GitHub", () => {
  it("fails a CODEOWNERS change (among 151 files) without an approval, naming the owning team, then passes once a member approves", async () => {
    const before = await judge(1);
    expect(before.finding).toMatchObject({ status: "fail", level: "error" });
    expect(before.finding?.message).toMatch(
      /changes \.github\/CODEOWNERS: it needs an approving review from a member of @acme\/payments \(or of @acme\/platform\)/,
    );
    expect(before.run?.conclusion).toBe("failure");
    // The blob ids at the head and the default branch, the merge base, its blob ids, the reviews.
    const graphql = fake.requests.filter((r) => r.operation === "POST /graphql");
    expect(graphql).toHaveLength(3);

    fake.state.addReview("acme/checkout", 1, { login: "mallory", state: "APPROVED" });
    const outsider = await judge(1);
    expect(outsider.finding?.status).toBe("fail");
    expect(outsider.finding?.evidence.join("\n")).toMatch(/approved by non-members: @mallory/);

    fake.reset();
    const review = fake.state.addReview("acme/checkout", 1, { login: "ann", state: "APPROVED" });
    const approved = await judge(1);
    expect(approved.finding).toMatchObject({ status: "pass" });
    expect(approved.finding?.message).toMatch(/approved by @ann of @acme\/payments/);
    expect(approved.run?.conclusion).toBe("success");
    // Same head: the governance files are remembered; the reviews are read, and the owning team's
    // members only (a member approved: the governance team is not asked).
    expect(fake.requests.filter((r) => r.operation === "POST /graphql")).toHaveLength(1);
    expect(
      fake.requests.filter((r) => r.operation === "GET /orgs/{org}/teams/{team_slug}/members"),
    ).toHaveLength(1);

    fake.state.dismissReview("acme/checkout", 1, review.id);
    const dismissed = await judge(1);
    expect(dismissed.finding?.status).toBe("fail");
    expect(dismissed.run?.conclusion).toBe("failure");
  });

  it("needs the governance team for a change of the owning team: the old owner's approval is not enough", async () => {
    fake.state.addReview("acme/checkout", 2, { login: "ann", state: "APPROVED" });
    const owner = await judge(2);
    expect(owner.finding?.status).toBe("fail");
    expect(owner.finding?.message).toMatch(/a member of @acme\/platform/);
    expect(owner.finding?.evidence.join("\n")).toMatch(
      /hands the repository from @acme\/payments to @acme\/growth/,
    );

    fake.state.addReview("acme/checkout", 2, { login: "gwen", state: "APPROVED" });
    const governed = await judge(2);
    expect(governed.finding?.status).toBe("pass");
    expect(governed.run?.conclusion).toBe("success");
  });

  it("needs the governance team for a new waiver, and honours only a dated one within max_days", async () => {
    fake.state.addReview("acme/checkout", 3, { login: "ann", state: "APPROVED" });
    const owner = await judge(3);
    expect(owner.finding?.status).toBe("fail");
    expect(owner.finding?.evidence.join("\n")).toMatch(
      /adds or extends the waiver of release\.cadence \(until 2026-07-01\)/,
    );
    fake.state.addReview("acme/checkout", 3, { login: "gwen", state: "APPROVED" });
    expect((await judge(3)).finding?.status).toBe("pass");
  });

  it("does not count an approval given before a governance file changed again", async () => {
    fake.state.addReview("acme/checkout", 4, { login: "ann", state: "APPROVED", commit: OLD });
    const { finding } = await judge(4);
    expect(finding?.status).toBe("fail");
    expect(finding?.evidence.join("\n")).toMatch(
      /@ann approved .{7}, before a governance file changed again/,
    );
    expect(finding?.fix).toMatch(/again, on its latest commit/);
  });

  it("fails a change of the org policy without the governance team's approval", async () => {
    const dotGithub = { owner: "acme", repo: ".github" };
    const { finding, run } = await judge(5, dotGithub);
    expect(finding?.status).toBe("fail");
    expect(finding?.message).toMatch(
      /changes \.github\/pom-policy\.yml: it needs an approving review from a member of @acme\/platform/,
    );
    expect(run?.conclusion).toBe("failure");
    fake.state.addReview("acme/.github", 5, { login: "gwen", state: "APPROVED" });
    expect((await judge(5, dotGithub)).finding?.status).toBe("pass");
  });
});
