/**
 * The policy preview flow against the loopback fake GitHub: a newer head supersedes a running
 * preview (its run completed `cancelled`, naming the newer head); a head whose policy differs from
 * the default branch only because the default branch moved on gets no preview; a failed batch
 * query is read per repository, to the same preview; a deleted policy leaves the repositories
 * without a manifest ungoverned.
 */
import type { Octokit } from "@octokit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { PipelineDeps } from "../../../github/flows/deps.js";
import { previewPolicy } from "../../../github/flows/policy-preview.js";
import { governPolicyPullRequest, Superseded } from "../../../github/flows/policy-pull-request.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import {
  type FakeGitHub,
  type FakeSeed,
  type SeedRepo,
  shaOf,
  startFakeGitHub,
} from "../../../testkit/fake-github/server.js";
import { installationClient } from "../../helpers/fake-client.js";

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const POLICY_PATH = ".github/pom-policy.yml";
const CURRENT = stringify({ version: 1, release: { max_cadence: "90d" } });
const LOWERED = stringify({ version: 1, release: { max_cadence: "30d" } });
const OLDER = stringify({ version: 1 });
const HEAD = { a: shaOf("policy flow a"), b: shaOf("policy flow b"), behind: shaOf("policy flow behind") };
const DOTGITHUB = { owner: "acme", repo: ".github" };

const manifest = (cadence: string) =>
  stringify({
    version: 1,
    product: { name: "P" },
    team: { name: "Core", github: "acme/core" },
    release: { cadence },
    outcomes: [{ id: "OKR-1", title: "Faster", metric: "m", target: "1", status: "active" }],
  });

function seed(): FakeSeed {
  const repo = (name: string, cadence: string | null): SeedRepo => ({
    owner: "acme",
    name,
    files: cadence ? { ".github/pom.yml": manifest(cadence) } : {},
    commits: [{ message: "Initial commit", date: ago(3) }],
    releases: [{ tag: "v1", publishedAt: ago(2) }],
  });
  return {
    repos: [
      {
        owner: "acme",
        name: ".github",
        files: { [POLICY_PATH]: CURRENT },
        commits: [{ message: "Initial commit", date: ago(10) }],
        filesAt: {
          [HEAD.a]: { [POLICY_PATH]: LOWERED },
          [HEAD.b]: { [POLICY_PATH]: LOWERED },
          [HEAD.behind]: { [POLICY_PATH]: OLDER, "docs.md": "x" },
        },
        pulls: [
          { number: 5, title: "Lower", body: "", headSha: HEAD.a, files: [POLICY_PATH] },
          // Cut when the policy was OLDER; the default branch moved on; it only adds docs.md.
          {
            number: 6,
            title: "Docs",
            body: "",
            headSha: HEAD.behind,
            files: ["docs.md"],
            mergeBaseFiles: { [POLICY_PATH]: OLDER },
          },
        ],
      },
      repo("slow", "60d"),
      repo("fast", "7d"),
      repo("bare", null),
    ],
    teams: [
      { org: "acme", slug: "core", members: ["alice"], repos: { "acme/slow": "push", "acme/fast": "push" } },
    ],
  };
}

let fake: FakeGitHub;
const depsOf = (token: string): PipelineDeps => ({
  client: installationClient(fake, token),
  cache: new FileCache(),
  now: new Date(),
});
const pr5 = { number: 5, head: { sha: HEAD.a }, base: { ref: "main" } };

beforeAll(async () => {
  fake = await startFakeGitHub(seed());
  fake.state.addPullHead("acme/.github", 5, HEAD.b);
});
afterAll(() => fake?.close());

describe("the policy preview of a pull request", () => {
  it("is superseded by a newer head while it runs: its run is completed cancelled, naming the newer head", async () => {
    const deps = depsOf("ghs_superseded");
    const controller = new AbortController();
    // The newer head arrives once the run is created, as a push during the preview would.
    (deps.client as unknown as Octokit).hook.after("request", (_response, options) => {
      if (options.method === "POST" && String(options.url).endsWith("/check-runs"))
        controller.abort(new Superseded(HEAD.b));
    });
    const result = await governPolicyPullRequest(deps, DOTGITHUB, pr5, {
      visibleToAll: true,
      signal: controller.signal,
    });
    expect(result).toEqual({ checkRunId: expect.any(Number), superseded: HEAD.b });
    const run = fake.state.repo("acme/.github").checkRuns.find((r) => r.head_sha === HEAD.a);
    expect([run?.status, run?.conclusion]).toEqual(["completed", "cancelled"]);
    expect(run?.output.title).toContain(HEAD.b.slice(0, 7));
  });

  it("is not made for a head whose policy differs only because the default branch moved on", async () => {
    const before = fake.state.repo("acme/.github").checkRuns.length;
    const result = await governPolicyPullRequest(
      depsOf("ghs_behind"),
      DOTGITHUB,
      { number: 6, head: { sha: HEAD.behind }, base: { ref: "main" } },
      { visibleToAll: true },
    );
    expect(result).toEqual({ skipped: "the pull request does not change the org policy" });
    expect(fake.state.repo("acme/.github").checkRuns.length).toBe(before);
  });

  it("reads per repository when a batch query fails, to the same preview", async () => {
    const proposed = { file: POLICY_PATH, text: LOWERED };
    const target = { account: "acme", selection: "all" as const };
    const batched = await previewPolicy(depsOf("ghs_batched"), target, proposed);
    fake.inject({
      match: (r) => r.operation === "POST /graphql" && JSON.stringify(r.body).includes("repositories("),
      status: 502,
      times: 10,
    });
    const tally = { unbatched: 0 };
    const unbatched = await previewPolicy(depsOf("ghs_unbatched"), target, proposed, {}, tally);
    expect(tally.unbatched).toBe(4);
    const { generatedAt: _a, ...one } = batched;
    const { generatedAt: _b, ...two } = unbatched;
    expect(two).toEqual(one);
    expect(one.startFailing.map((f) => f.repo)).toEqual(["acme/slow"]);
  });

  it("judges the repositories without a manifest as not governed once the policy is deleted", async () => {
    const preview = await previewPolicy(
      depsOf("ghs_deleted"),
      { account: "acme", selection: "all" },
      { file: POLICY_PATH, text: null },
    );
    const bare = (list: typeof preview.rules) =>
      list.flatMap((r) => [...r.worse, ...r.better]).filter((f) => f.repo === "acme/bare");
    expect(preview.invalid).toBeUndefined();
    expect(preview.repositories).toBe(4);
    // Nothing of acme/bare fails under either: no rule changes for it.
    expect(bare(preview.rules)).toEqual([]);
    expect(preview.conclusion).toBe("success");
  });
});
