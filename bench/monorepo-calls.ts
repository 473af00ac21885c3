/**
 * What a repository with products costs beside a single-form one, counted on the loopback fake
 * GitHub: judging each on its own (a push or schedule, `pom check --github`), and a sweep of an
 * installation holding one of each. A repository with products reads its files (one REST tree
 * read) and every product's unreleased work (one GraphQL query of a history per path prefix);
 * a single-form repository reads neither.
 */

import { Octokit } from "@octokit/core";
import { governRepository } from "../github/flows/govern.js";
import { emptyTally, sweepInstallation } from "../github/flows/sweep.js";
import type { GitHubClient } from "../github/transport/client.js";
import { FileCache } from "../github/transport/file-cache.js";
import {
  countRequests,
  type RecordedRequest,
  type SeedRepo,
  startFakeGitHub,
} from "../testkit/fake-github/server.js";
import { MONOREPO_MANIFEST } from "../testkit/monorepo.js";
import type { Context } from "./config.js";
import { manifest } from "./seed.js";

const DAY = 86_400_000;
const TREE = "GET /repos/{owner}/{repo}/git/trees/{tree_sha}";

export interface MonorepoCallRow {
  name: string;
  graphql: number;
  restReads: number;
  /** GraphQL queries of path histories (the products' unreleased work). */
  productHistories: number;
  treeReads: number;
}

export interface MonorepoCalls {
  rows: MonorepoCallRow[];
  problems: string[];
}

function rowOf(name: string, requests: readonly RecordedRequest[]): MonorepoCallRow {
  const counts = countRequests(requests);
  const query = (r: RecordedRequest) => String((r.body as { query?: string } | undefined)?.query ?? "");
  return {
    name,
    graphql: counts.graphql,
    restReads: counts.rateLimited - counts.graphql - counts.writes,
    productHistories: requests.filter((r) => /history\(first: 100, path:/.test(query(r))).length,
    treeReads: requests.filter((r) => r.operation === TREE).length,
  };
}

function seedRepos(now: number): SeedRepo[] {
  const ago = (days: number) => new Date(now - days * DAY).toISOString();
  const files = ["services/checkout/pay.ts", "web/checkout/app.ts", "services/search/index.ts", "docs/a.md"];
  return [
    {
      owner: "acme",
      name: "single",
      files: { ".github/pom.yml": manifest("Single"), ".github/CODEOWNERS": "* @acme/payments\n" },
      commits: [{ message: "Initial commit", date: ago(3) }],
    },
    {
      owner: "acme",
      name: "shop",
      files: {
        ".github/pom.yml": MONOREPO_MANIFEST,
        ".github/CODEOWNERS":
          "* @acme/platform\n/services/checkout/ @acme/payments\n/web/checkout/ @acme/payments\n/services/search/ @acme/discovery\n",
        ...Object.fromEntries(files.map((f) => [f, f])),
      },
      commits: files.map((f, i) => ({ sha: `${i}`.repeat(40), message: f, date: ago(10 - i), files: [f] })),
      tags: { "checkout-v1.0.0": "1".repeat(40), "search-v2.0.1": "2".repeat(40) },
    },
  ];
}

export async function measureMonorepoCalls(context: Context): Promise<MonorepoCalls> {
  context.log("API calls of a repository with products");
  const now = Date.now();
  const fake = await startFakeGitHub({
    repos: seedRepos(now),
    teams: ["payments", "discovery", "platform"].map((slug) => ({
      org: "acme",
      slug,
      members: ["alice", "bob", "carol", "dana", "erin", "frank"],
      repos: { "acme/shop": "push" as const, "acme/single": "push" as const },
    })),
  });
  const problems: string[] = [];
  try {
    fake.state.tokens.set("ghs_bench_monorepo", 1);
    const client = new Octokit({
      auth: "ghs_bench_monorepo",
      baseUrl: `${fake.url}/api/v3`,
    }) as unknown as GitHubClient;
    const deps = () => ({ client, cache: new FileCache(), now: new Date(now) });
    const rows: MonorepoCallRow[] = [];
    for (const name of ["single", "shop"]) {
      fake.reset();
      await governRepository(deps(), { owner: "acme", repo: name }, { tracking: false });
      rows.push(
        rowOf(`judge acme/${name} (${name === "shop" ? "2 products" : "single form"})`, fake.requests),
      );
      problems.push(...fake.problems);
    }
    fake.reset();
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    await sweepInstallation(deps(), { id: 1, account: "acme", selection: "all" }, emptyTally(), log, {
      tracking: false,
    });
    rows.push(rowOf("sweep of both", fake.requests));
    problems.push(...fake.problems);
    return { rows, problems };
  } finally {
    await fake.close();
  }
}

/** The Markdown table of the figures. */
export function monorepoTable(calls: MonorepoCalls): string {
  const head =
    "| Judgement | GraphQL | REST reads | product history queries | tree reads |\n|---|---:|---:|---:|---:|";
  const rows = calls.rows.map(
    (r) => `| ${r.name} | ${r.graphql} | ${r.restReads} | ${r.productHistories} | ${r.treeReads} |`,
  );
  return [head, ...rows].join("\n");
}
