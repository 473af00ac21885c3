/**
 * manifest.protected in a repository with products, against the loopback fake GitHub: a change of
 * one product's block needs an approval from that product's team, not from another product's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PipelineDeps } from "../../../github/flows/deps.js";
import { governPullRequest } from "../../../github/flows/govern.js";
import { MemoryCheckLedger } from "../../../github/publish/check-ledger.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { type FakeGitHub, shaOf, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { MONOREPO_MANIFEST } from "../../../testkit/monorepo.js";
import { installationClient } from "../../helpers/fake-client.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const RELEASED = new Date(NOW.getTime() - 86_400_000).toISOString();
const HEAD = shaOf("protected products #1");
// Search releases every 5 days instead of 7: Search's block changes, Checkout's does not.
const PROPOSED = MONOREPO_MANIFEST.replace("cadence: 7d", "cadence: 5d");
const POLICY = "version: 1\nrules: { manifest.protected: error }\n";

let fake: FakeGitHub;
let client: GitHubClient;
let deps: () => PipelineDeps;

beforeAll(async () => {
  fake = await startFakeGitHub({
    repos: [
      {
        owner: "acme",
        name: "shop",
        files: { ".github/pom.yml": MONOREPO_MANIFEST },
        filesAt: { [HEAD]: { ".github/pom.yml": PROPOSED } },
        commits: [{ message: "Initial commit", date: RELEASED }],
        pulls: [
          {
            number: 1,
            title: "SRCH-3: release search more often",
            body: "",
            headSha: HEAD,
            files: [".github/pom.yml", "services/search/index.ts"],
          },
        ],
      },
      { owner: "acme", name: ".github", files: { ".github/pom-policy.yml": POLICY } },
    ],
    teams: [
      { org: "acme", slug: "payments", members: ["alice"], repos: { "acme/shop": "push" } },
      { org: "acme", slug: "discovery", members: ["dana"], repos: { "acme/shop": "push" } },
    ],
  });
  client = installationClient(fake, "ghs_protected_products");
  const cache = new FileCache();
  const checks = new MemoryCheckLedger();
  deps = () => ({ client, cache, checks, changes: new Map(), now: NOW });
}, 60_000);

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => fake.reset());

async function judge() {
  const issue = fake.state.repo("acme/shop").issues.find((i) => i.number === 1);
  const result = await governPullRequest(
    deps(),
    { owner: "acme", repo: "shop" },
    {
      number: 1,
      title: issue?.title ?? "",
      body: "",
      user: { login: "someone" },
      labels: [],
      head: { sha: HEAD },
      base: { ref: "main", repo: { default_branch: "main" } },
    },
  );
  return result.evaluation?.findings.find((f) => f.rule === "manifest.protected");
}

describe("manifest.protected with products", () => {
  it("asks the team of the product whose block changes, and takes no other product team's approval", async () => {
    const before = await judge();
    expect(before).toMatchObject({ status: "fail", level: "error" });
    expect(before?.message).toMatch(/needs an approving review from a member of @acme\/discovery$/);

    fake.state.addReview("acme/shop", 1, { login: "alice", state: "APPROVED" });
    const other = await judge();
    expect(other?.status).toBe("fail");
    expect(other?.evidence.join("\n")).toMatch(/approved by non-members: @alice/);

    fake.state.addReview("acme/shop", 1, { login: "dana", state: "APPROVED" });
    const approved = await judge();
    expect(approved).toMatchObject({ status: "pass" });
    expect(approved?.message).toMatch(/approved by @dana of @acme\/discovery/);
  });
});
