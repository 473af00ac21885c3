/**
 * A CODEOWNERS file over 3 MB, which GitHub ignores, against the loopback fake GitHub: the live
 * per-repository read and the sweep's batch both take it as ignored (the batch from the blob's
 * size alone), and ownership.codeowners fails with the same finding either way.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Evaluation } from "../../../core/engine/evaluate.js";
import { factSource } from "../../../core/engine/fact-source.js";
import { evaluateRepository } from "../../../github/flows/subjects.js";
import { judgeBatched } from "../../../github/flows/sweep.js";
import { batchedPages, type OwnerContext } from "../../../github/read/batch-pages.js";
import { batchedConfig, batchedReaders } from "../../../github/read/batch-source.js";
import type { BatchedRepo } from "../../../github/read/repo-batch.js";
import { repoReaders } from "../../../github/read/repo-source.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { effectiveConfig } from "../../../policies/registry.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { installationClient } from "../../helpers/fake-client.js";
import { manifestYaml } from "../../helpers/github.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const DAY = 86_400_000;
const TOO_LARGE = "* @acme/payments\n".repeat(216_000); // 3,672,000 bytes: over 3 MB
const MANIFEST = manifestYaml();

let fake: FakeGitHub;
let client: GitHubClient;

beforeAll(async () => {
  const at = new Date(NOW.getTime() - 2 * DAY).toISOString();
  fake = await startFakeGitHub({
    repos: [
      {
        owner: "acme",
        name: "checkout",
        // The root CODEOWNERS is small and right, but GitHub uses the first file it finds.
        files: {
          ".github/pom.yml": MANIFEST,
          ".github/CODEOWNERS": TOO_LARGE,
          CODEOWNERS: "* @acme/payments\n",
        },
        commits: [{ sha: "a".repeat(40), message: "Initial commit", date: at }],
        releases: [{ tag: "v1.0.0", publishedAt: at, target: "a".repeat(40) }],
      },
    ],
    teams: [{ org: "acme", slug: "payments", members: ["alice"], repos: { "acme/checkout": "push" } }],
  });
  client = installationClient(fake, "ghs_codeowners");
});

afterAll(async () => {
  await fake?.close();
});

const deps = () => ({ client, cache: new FileCache(), now: NOW });
const codeownersFinding = (evaluation: Evaluation | undefined) =>
  evaluation?.findings.find((f) => f.rule === "ownership.codeowners");
const contentReads = () =>
  fake.requests.filter((r) => r.operation === "GET /repos/{owner}/{repo}/contents/{path}");

async function firstBatched(): Promise<{ batched: BatchedRepo; owner: OwnerContext }> {
  const pages = batchedPages(client, { account: "acme", selection: "all", listRepositories: async () => [] });
  for await (const page of pages) {
    const batched = page.repos.find((r) => r.repo.repo === "checkout");
    if (batched) return { batched, owner: page.owner };
  }
  throw new Error("the batch listed no acme/checkout");
}

describe("a CODEOWNERS over 3 MB", () => {
  it("is ignored by the live read, and ownership.codeowners fails saying GitHub ignores it", async () => {
    const repo = { owner: "acme", repo: "checkout" };
    const outcome = await evaluateRepository(deps(), repo);
    if (outcome.kind !== "evaluated") throw new Error(`not evaluated: ${JSON.stringify(outcome)}`);
    const read = await factSource(
      repoReaders(client, new FileCache(), repo, outcome.evaluation.config, NOW),
    ).read(["codeowners"]);
    expect(read.codeowners).toEqual({
      ok: true,
      value: { path: ".github/CODEOWNERS", text: "", tooLargeBytes: TOO_LARGE.length },
    });
    expect(codeownersFinding(outcome.evaluation)).toMatchObject({
      status: "fail",
      message: expect.stringContaining("GitHub ignores a CODEOWNERS file over 3 MB"),
      location: { file: ".github/CODEOWNERS", line: 1 },
    });
  });

  it("is told by the batch from the blob's size alone, with the same finding as the live read", async () => {
    const live = await evaluateRepository(deps(), { owner: "acme", repo: "checkout" });
    fake.reset();
    const { batched, owner } = await firstBatched();
    expect(batched.codeowners).toEqual({
      path: ".github/CODEOWNERS",
      text: "",
      tooLargeBytes: TOO_LARGE.length,
    });
    const judged = await judgeBatched(deps(), batched, owner);
    expect(codeownersFinding(judged.evaluation)).toEqual(
      codeownersFinding(live.kind === "evaluated" ? live.evaluation : undefined),
    );
    expect(contentReads()).toEqual([]);
    expect(fake.problems).toEqual([]);
  });

  it("read again over REST when the batch's blob was truncated, is judged by the same limit", async () => {
    const { batched, owner } = await firstBatched();
    fake.reset();
    const trusted = await batchedConfig(client, new FileCache(), batched, owner);
    const config = effectiveConfig(trusted.manifest, trusted.policy, NOW);
    const readers = batchedReaders(
      client,
      new FileCache(),
      { ...batched, codeowners: "truncated" },
      owner,
      config,
      NOW,
    );
    const facts = await factSource(readers).read(["codeowners"]);
    expect(facts.codeowners).toEqual({
      ok: true,
      value: { path: ".github/CODEOWNERS", text: "", tooLargeBytes: TOO_LARGE.length },
    });
    expect(contentReads().length).toBeGreaterThan(0);
  });
});
