/**
 * A repository with products judged by the app (push, schedule, sweep) against the loopback fake
 * GitHub: each product's unreleased work is the commits since its release that touch its paths
 * (one GraphQL query of a history per path prefix, for every product), CODEOWNERS is judged per
 * product on the repository's files (one tree read), a file outside every product and shared is
 * an ownership.paths warning, and a tree GitHub cut short is unknown. A single-form repository
 * reads neither.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Finding } from "../../../core/engine/types.js";
import { governRepository } from "../../../github/flows/govern.js";
import { emptyTally, sweepInstallation } from "../../../github/flows/sweep.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import {
  type FakeGitHub,
  type RecordedRequest,
  startFakeGitHub,
} from "../../../testkit/fake-github/server.js";
import { MONOREPO_MANIFEST } from "../../../testkit/monorepo.js";
import { installationClient } from "../../helpers/fake-client.js";
import { manifestYaml } from "../../helpers/github.js";

const DAY = 86_400_000;
const NOW = new Date("2026-06-15T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();
const TREE = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";
const log = { info: () => {}, warn: () => {}, error: () => {} };

const CODEOWNERS = `* @acme/platform
/services/checkout/ @acme/payments
/web/checkout/ @acme/payments
/services/search/ @acme/discovery
`;

const FILES: Record<string, string> = {
  ".github/pom.yml": MONOREPO_MANIFEST,
  ".github/CODEOWNERS": CODEOWNERS,
  "services/checkout/pay.ts": "pay",
  "web/checkout/app.ts": "app",
  "services/search/index.ts": "index",
  "services/search/rank.ts": "rank",
  "tools/build.sh": "build",
  "docs/readme.md": "docs",
};

let fake: FakeGitHub;
let client: GitHubClient;

beforeAll(async () => {
  fake = await startFakeGitHub({
    repos: [
      {
        owner: "acme",
        name: "shop",
        files: FILES,
        // Oldest first. Search released 10 days ago, Checkout 3 days ago.
        commits: [
          { sha: "a".repeat(40), message: "Initial commit", date: ago(20), files: Object.keys(FILES) },
          {
            sha: "b".repeat(40),
            message: "Search: index",
            date: ago(10),
            files: ["services/search/index.ts"],
          },
          {
            sha: "c".repeat(40),
            message: "Checkout: pay",
            date: ago(5),
            files: ["services/checkout/pay.ts"],
          },
          {
            sha: "d".repeat(40),
            message: "Checkout: fix",
            date: ago(3),
            files: ["services/checkout/pay.ts"],
          },
          { sha: "e".repeat(40), message: "Search: rank", date: ago(2), files: ["services/search/rank.ts"] },
          { sha: "f".repeat(40), message: "Checkout: button", date: ago(1), files: ["web/checkout/app.ts"] },
          { sha: "9".repeat(40), message: "Docs", date: ago(1), files: ["docs/readme.md"] },
        ],
        tags: { "search-v2.0.1": "b".repeat(40), "checkout-v1.0.0": "d".repeat(40) },
      },
      {
        owner: "acme",
        name: "single",
        files: { ".github/pom.yml": manifestYaml(), ".github/CODEOWNERS": "* @acme/payments\n" },
        commits: [{ message: "Initial commit", date: ago(2), files: [".github/pom.yml"] }],
      },
    ],
    teams: [
      {
        org: "acme",
        slug: "payments",
        members: ["alice", "bob", "carol"],
        repos: { "acme/shop": "push", "acme/single": "push" },
      },
      { org: "acme", slug: "discovery", members: ["dana", "erin", "frank"], repos: { "acme/shop": "push" } },
      { org: "acme", slug: "platform", members: ["pat"], repos: { "acme/shop": "push" } },
    ],
  });
  client = installationClient(fake, "ghs_repo_products");
}, 60_000);

afterAll(async () => {
  await fake?.close();
});

beforeEach(() => {
  fake.reset();
  fake.state.treeEntryLimit = 100_000;
  const shop = fake.state.repo("acme/shop");
  shop.files.clear();
  for (const [path, text] of Object.entries(FILES)) shop.files.set(path, text);
});

async function judge(name = "shop"): Promise<Finding[]> {
  const result = await governRepository(
    { client, cache: new FileCache(), now: NOW },
    { owner: "acme", repo: name },
    { tracking: false },
  );
  expect(fake.problems).toEqual([]);
  return [...(result.evaluation?.findings ?? [])];
}

const find = (findings: Finding[], rule: string, product?: string) =>
  findings.find((f) => f.rule === rule && f.product === product);

/** The queries of product histories and the tree reads among `requests`. */
function productReads(requests: readonly RecordedRequest[]) {
  const histories = requests.filter(
    (r) =>
      r.operation === "POST /graphql" &&
      /history\(first: 100, path:/.test(String((r.body as { query?: string })?.query)),
  );
  return { histories: histories.length, trees: requests.filter((r) => r.operation === TREE).length };
}

describe("a repository with products, judged by the app", () => {
  it("counts as a product's unreleased work only the commits since its release that touch its paths", async () => {
    const findings = await judge();
    const search = find(findings, "release.unreleased", "Search");
    // Since search-v2.0.1: "Search: rank" only; the Checkout and docs commits are not Search's.
    expect(search?.status, search?.message).toBe("pass");
    expect(search?.evidence).toContain("1 unreleased change");
    expect(search?.message).toMatch(/waited 2d, within 7d/);
    const checkout = find(findings, "release.unreleased", "Checkout");
    expect(checkout?.evidence).toContain("1 unreleased change");
    expect(checkout?.message).toMatch(/waited 1d, within 14d/);
  });

  it("judges each product's cadence by its own tags, read once for both", async () => {
    const findings = await judge();
    expect(find(findings, "release.cadence", "Search")?.status).toBe("fail");
    expect(find(findings, "release.cadence", "Search")?.message).toContain("search-v2.0.1");
    expect(find(findings, "release.cadence", "Checkout")?.status).toBe("pass");
    expect(find(findings, "release.cadence", "Checkout")?.message).toContain("checkout-v1.0.0");
    const tagQueries = fake.requests.filter((r) =>
      /refs\(refPrefix: "refs\/tags\/"/.test(String((r.body as { query?: string } | undefined)?.query)),
    );
    expect(tagQueries).toHaveLength(1);
  });

  it("hands the insights every product's releases, each read by its own source", async () => {
    const result = await governRepository(
      { client, cache: new FileCache(), now: NOW },
      { owner: "acme", repo: "shop" },
      { tracking: false },
    );
    const releases = result.facts?.releases;
    const tags = releases?.ok ? releases.value.map((r) => r.tag) : [];
    // Both products release by tags: their rows of the report pick theirs by tag pattern.
    expect(tags.some((t) => t.startsWith("checkout-v"))).toBe(true);
    expect(tags.some((t) => t.startsWith("search-v"))).toBe(true);
  });

  it("costs one history query for every product and one tree read", async () => {
    await judge();
    expect(productReads(fake.requests)).toEqual({ histories: 1, trees: 1 });
    const query = fake.requests.find((r) =>
      /h0: history/.test(String((r.body as { query?: string })?.query)),
    );
    const variables = (query?.body as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
    // A history per literal path prefix: Checkout's two and Search's one.
    expect([variables.p0, variables.p1, variables.p2, variables.p3]).toEqual([
      "services/checkout",
      "web/checkout",
      "services/search",
      undefined,
    ]);
    expect(variables.s0).toBe(ago(3));
    expect(variables.s2).toBe(ago(10));
  });

  it("reads no tree and no path history for a single-form repository", async () => {
    const findings = await judge("single");
    expect(findings.length).toBeGreaterThan(0);
    expect(productReads(fake.requests)).toEqual({ histories: 0, trees: 0 });
  });

  it("fails ownership.codeowners for Search only when CODEOWNERS gives services/search/ to another team", async () => {
    fake.state
      .repo("acme/shop")
      .files.set(
        ".github/CODEOWNERS",
        CODEOWNERS.replace("/services/search/ @acme/discovery", "/services/search/ @acme/payments"),
      );
    const findings = await judge();
    const search = find(findings, "ownership.codeowners", "Search");
    expect(search?.status).toBe("fail");
    expect(search?.message).toContain("services/search/index.ts is Search's, but .github/CODEOWNERS line 4");
    expect(search?.message).toContain("not @acme/discovery");
    expect(find(findings, "ownership.codeowners", "Checkout")?.status).toBe("pass");
  });

  it("warns with ownership.paths of a file outside every product and shared, naming it", async () => {
    expect(find(await judge(), "ownership.paths")?.status).toBe("pass");
    fake.state.repo("acme/shop").files.set("scripts/deploy.sh", "deploy");
    const paths = find(await judge(), "ownership.paths");
    expect(paths).toMatchObject({ status: "fail", level: "warn" });
    expect(paths?.message).toContain(
      "unowned path: scripts/deploy.sh belongs to no product and is not shared",
    );
  });

  it("judges nothing on a tree GitHub cut short: the file rules are unknown, never guessed", async () => {
    fake.state.treeEntryLimit = 3;
    const findings = await judge();
    for (const finding of [
      find(findings, "ownership.paths"),
      find(findings, "ownership.codeowners", "Search"),
      find(findings, "ownership.codeowners", "Checkout"),
    ]) {
      expect(finding?.status).toBe("unknown");
      expect(finding?.message).toContain("GitHub cut the list of the repository's files short");
    }
    // The unreleased work does not depend on the tree.
    expect(find(findings, "release.unreleased", "Search")?.status).toBe("pass");
  });

  it("makes the sweep read one tree and one history query for the repository with products, none for the other", async () => {
    const judged = new Map<string, readonly Finding[]>();
    await sweepInstallation(
      { client, cache: new FileCache(), now: NOW },
      { id: 1, account: "acme", selection: "all" },
      emptyTally(),
      log,
      { tracking: false, onJudged: (r, result) => judged.set(r.ref.repo, result.evaluation?.findings ?? []) },
    );
    expect(fake.problems).toEqual([]);
    expect(productReads(fake.requests)).toEqual({ histories: 1, trees: 1 });
    const shop = [...(judged.get("shop") ?? [])];
    expect(find(shop, "release.unreleased", "Search")?.evidence).toContain("1 unreleased change");
    expect(find(shop, "ownership.codeowners", "Search")?.status).toBe("pass");
    expect(judged.get("single")?.length).toBeGreaterThan(0);
  });
});
