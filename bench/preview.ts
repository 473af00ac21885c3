/**
 * The policy preview over `previewRepos` repositories of one organization (default 1,000, its
 * `.github` repository among them): a pull request on `acme/.github` that lowers `release.max_cadence` and raises
 * `ownership.codeowners`, previewed by the app's flow (github/flows/policy-pull-request.ts) against
 * the fake GitHub in this process. Two runs: a cold one (a new process: nothing cached) and a warm
 * one (a newer head of another pull request, the policy's ETag known). Counted: every request, the
 * rate-limited ones, the GraphQL queries, the writes (one check run: created, then completed), and
 * the per-repository reads (the fallbacks the sweep needs too), apart. The budget: ⌈N/50⌉ + 5
 * rate-limited calls besides the check run.
 */
import { Octokit } from "@octokit/core";
import { governPolicyPullRequest } from "../github/flows/policy-pull-request.js";
import type { GitHubClient } from "../github/transport/client.js";
import { FileCache } from "../github/transport/file-cache.js";
import {
  type FakeSeed,
  type RecordedRequest,
  shaOf,
  startFakeGitHub,
} from "../testkit/fake-github/server.js";
import type { Context } from "./config.js";
import { manifest, POLICY, repoName, TEAM } from "./seed.js";
import { round } from "./stats.js";

const ORG = "acme";
const DAY = 86_400_000;
const POLICY_PATH = ".github/pom-policy.yml";
const CURRENT = POLICY.replace("max_cadence: 30d", "max_cadence: 90d");
const PROPOSED = POLICY.replace("max_cadence: 30d", "max_cadence: 21d").replace(
  "rules:\n",
  "rules:\n  ownership.codeowners: error\n",
);
const CADENCES = ["7d", "14d", "30d", "60d"];
const HEADS = { cold: shaOf("bench preview cold"), warm: shaOf("bench preview warm") };

export interface PreviewRun {
  name: string;
  repositories: number;
  startFailing: number;
  stopFailing: number;
  notJudged: number;
  conclusion: string;
  summaryBytes: number;
  wallSeconds: number;
  /** CPU seconds of this process: the flow and the fake GitHub together. */
  cpuSeconds: number;
  calls: { total: number; rateLimited: number; notModified: number; graphql: number; writes: number };
  /** Rate-limited reads about one repository other than `.github` (REST): the per-repository fallbacks. */
  perRepoReads: number;
  /** Requests by operation, the most frequent first. */
  operations: { operation: string; count: number }[];
}

export interface PreviewResult {
  repositories: number;
  /** ⌈N/50⌉ + 5: the rate-limited calls the design allows besides the check run. */
  targetCalls: number;
  runs: PreviewRun[];
  problems: string[];
}

function seed(n: number, now: number, publicKey: string): FakeSeed {
  const ago = (days: number) => new Date(now - days * DAY).toISOString();
  // N repositories in the installation, the `.github` one among them.
  const names = Array.from({ length: n - 1 }, (_, i) => repoName(i));
  const policyPull = (number: number, head: string) => ({
    number,
    title: "Lower the maximum cadence",
    body: "",
    headSha: head,
    files: [POLICY_PATH],
  });
  return {
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, appId: 1, account: ORG }],
    repos: [
      {
        owner: ORG,
        name: ".github",
        files: { [POLICY_PATH]: CURRENT },
        commits: [{ message: "Policy", date: ago(30) }],
        filesAt: { [HEADS.cold]: { [POLICY_PATH]: PROPOSED }, [HEADS.warm]: { [POLICY_PATH]: PROPOSED } },
        pulls: [policyPull(1, HEADS.cold), policyPull(2, HEADS.warm)],
      },
      ...names.map((name, i) => {
        const release = shaOf(`${ORG}/${name} release`);
        return {
          owner: ORG,
          name,
          private: i % 4 === 0,
          files: {
            ".github/pom.yml": manifest(name, ORG).replace("cadence: 14d", `cadence: ${CADENCES[i % 4]}`),
            // Every fifth repository has no CODEOWNERS: ownership.codeowners rises to error for it.
            ...(i % 5 === 0 ? {} : { ".github/CODEOWNERS": `* @${ORG}/${TEAM}\n` }),
          },
          commits: [
            { message: "Initial commit", date: ago(90) },
            { sha: release, message: "Release", date: ago((i % 9) * 3 + 1) },
          ],
          releases: [{ tag: "v1.0.0", target: release, publishedAt: ago((i % 9) * 3 + 1), body: "cut" }],
        };
      }),
    ],
    teams: [
      {
        org: ORG,
        slug: TEAM,
        members: ["alice", "bob", "carol"],
        repos: Object.fromEntries(names.map((name) => [`${ORG}/${name}`, "push" as const])),
      },
    ],
  };
}

function operationsOf(requests: readonly RecordedRequest[]): PreviewRun["operations"] {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const key = `${r.status === 304 ? "304 " : ""}${r.operation ?? `${r.method} ${r.path}`}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([operation, count]) => ({ operation, count }));
}

export async function measurePreview(context: Context): Promise<PreviewResult> {
  const n = context.sizes.previewRepos;
  const fake = await startFakeGitHub(seed(n, Date.now(), context.publicKey));
  const token = "ghs_bench_preview";
  fake.state.tokens.set(token, 1);
  const client = new Octokit({ auth: token, baseUrl: `${fake.url}/api/v3` }) as unknown as GitHubClient;
  const cache = new FileCache();
  const runs: PreviewRun[] = [];
  const problems: string[] = [];
  try {
    for (const [name, number, head] of [
      ["cold (nothing cached)", 1, HEADS.cold],
      ["warm (a newer push, ETags known)", 2, HEADS.warm],
    ] as const) {
      context.log(`policy preview: ${name}, ${n} repositories`);
      fake.reset();
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      const result = await governPolicyPullRequest(
        { client, cache, now: new Date() },
        { owner: ORG, repo: ".github" },
        { number, head: { sha: head }, base: { ref: "main" } },
        { visibleToAll: true },
      );
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const used = process.cpuUsage(cpu);
      if (!("preview" in result)) throw new Error(`the preview was not made: ${JSON.stringify(result)}`);
      const requests = [...fake.requests];
      const counts = fake.counts();
      const run = fake.state.repo(`${ORG}/.github`).checkRuns.find((r) => r.head_sha === head);
      runs.push({
        name,
        repositories: result.preview.repositories,
        startFailing: result.preview.startFailing.length,
        stopFailing: result.preview.stopFailing.length,
        notJudged: result.preview.notJudged.length,
        conclusion: result.preview.conclusion,
        summaryBytes: Buffer.byteLength(run?.output.summary ?? ""),
        wallSeconds: round(ms / 1000, 2),
        cpuSeconds: round((used.user + used.system) / 1e6, 2),
        calls: {
          total: counts.total,
          rateLimited: counts.rateLimited,
          notModified: counts.notModified,
          graphql: counts.graphql,
          writes: counts.writes,
        },
        perRepoReads: requests.filter(
          (r) =>
            r.method === "GET" && r.status !== 304 && /^\/api\/v3\/repos\/acme\/(?!\.github\/)/.test(r.path),
        ).length,
        operations: operationsOf(requests),
      });
      problems.push(...fake.problems.slice(0, 20 - problems.length));
    }
  } finally {
    await fake.close();
  }
  return { repositories: n, targetCalls: Math.ceil(n / 50) + 5, runs, problems };
}

/** The section of the bench's report. */
export function previewSection(p: PreviewResult): string {
  const head = [
    "run",
    "repos",
    "start / stop failing",
    "calls",
    "rate-limited",
    "GraphQL",
    "writes",
    "per-repo reads",
    "summary bytes",
    "wall s",
    "CPU s",
  ];
  const rows = p.runs.map((r) => [
    r.name,
    r.repositories,
    `${r.startFailing} / ${r.stopFailing}`,
    r.calls.total,
    r.calls.rateLimited,
    r.calls.graphql,
    r.calls.writes,
    r.perRepoReads,
    r.summaryBytes,
    r.wallSeconds,
    r.cpuSeconds,
  ]);
  const lines = [head, head.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`);
  const ops = p.runs[0]?.operations.map((o) => `${o.operation} ×${o.count}`).join(", ") ?? "";
  return `## Policy preview (${p.repositories} repositories; target ⌈N/50⌉ + 5 = ${p.targetCalls} rate-limited calls besides the check run)\n\n${lines.join("\n")}\n\nCold run's requests: ${ops}. CPU is this process's: the flow and the fake GitHub together.`;
}

/** The design budget's line: ≤ ⌈N/50⌉ + 5 calls and one write (a check run, created then completed). */
export function previewBudget(p: PreviewResult): {
  budget: string;
  measured: string;
  status: "met" | "not met";
} {
  const worst = Math.max(...p.runs.map((r) => r.calls.rateLimited - r.calls.writes - r.perRepoReads));
  const writes = Math.max(...p.runs.map((r) => r.calls.writes));
  return {
    budget: `policy preview over N repos ≤ ⌈N/50⌉ + 5 calls and one check run (N=${p.repositories}: ${p.targetCalls})`,
    measured: p.runs
      .map(
        (r) =>
          `${r.name}: ${r.calls.rateLimited - r.calls.writes - r.perRepoReads} calls + ${r.perRepoReads} per-repo fallbacks + ${r.calls.writes} writes to the one check run, ${r.wallSeconds} s`,
      )
      .join("; "),
    status: worst <= p.targetCalls && writes <= 2 ? "met" : "not met",
  };
}
