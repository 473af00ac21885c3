/**
 * What the team view costs a sweep: `pom report --org` as the CLI runs it (github/insights,
 * 50 repositories a GraphQL query) over `sweepRepos` repositories owned by one team in ten (at
 * 1,000 repositories: 100 teams), against the fake GitHub in this process. The queries a sweep
 * needs without teams are one page per 50 repositories, one history batch per 50 governed
 * repositories and one batch of stability signals per 50 that released; whatever the run asks
 * beyond those is the team facts' cost, held against the budget of ⌈teams/50⌉.
 */
import { Octokit } from "@octokit/core";
import { buildReport } from "../core/insights/report/build.js";
import { listAll } from "../github/flows/sweep-plan.js";
import { gatherInsights } from "../github/insights/org-insights.js";
import type { GitHubClient } from "../github/transport/client.js";
import { FileCache } from "../github/transport/file-cache.js";
import { type FakeSeed, startFakeGitHub } from "../testkit/fake-github/server.js";
import type { Context } from "./config.js";

export interface TeamsResult {
  repositories: number;
  teams: number;
  graphql: number;
  /** Pages of repositories, history batches and stability batches: what the sweep asks without teams. */
  withoutTeams: number;
  /** graphql − withoutTeams. */
  teamCalls: number;
  budget: number;
  levels: number[];
  problems: string[];
}

const DAY = 86_400_000;

function seed(repos: number, teams: number, now: number): FakeSeed {
  const at = (days: number) => new Date(now - days * DAY).toISOString();
  const names = Array.from({ length: repos }, (_, i) => `svc-${String(i).padStart(4, "0")}`);
  const manifest = (t: number, i: number) => `version: 1
product: { name: Service ${i} }
team: { name: Team ${t}, github: acme/team-${t}, product_manager: pm${t % 40}, designer: ux${t}, tech_lead: tl${t} }
release: { cadence: 14d }
outcomes:
  - { id: T${t}-1, metric: m, target: "1", due: 2099-01-01 }
`;
  return {
    repos: names.map((name, i) => ({
      owner: "acme",
      name,
      files: {
        ".github/pom.yml": manifest(i % teams, i),
        ".github/CODEOWNERS": `* @acme/team-${i % teams}\n`,
      },
      commits: [{ message: "Initial commit", date: at(30) }],
      releases: [{ tag: "v1.0.0", publishedAt: at(2) }],
      pulls: [{ number: 1, title: `T${i % teams}-1: a change`, mergedAt: at(3), state: "closed" as const }],
    })),
    teams: Array.from({ length: teams }, (_, t) => ({
      org: "acme",
      slug: `team-${t}`,
      members: [`pm${t % 40}`, `ux${t}`, `tl${t}`, `dev${t}`],
      repos: Object.fromEntries(
        names.filter((_, i) => i % teams === t).map((n) => [`acme/${n}`, "push" as const]),
      ),
    })),
  };
}

export async function measureTeams(context: Context): Promise<TeamsResult> {
  const repositories = context.sizes.sweepRepos;
  const teams = Math.max(1, Math.round(repositories / 10));
  context.log(`team view: pom report --org over ${repositories} repositories and ${teams} teams`);
  const now = new Date();
  const fake = await startFakeGitHub(seed(repositories, teams, now.getTime()));
  try {
    fake.state.tokens.set("ghs_bench_teams", 1);
    const client = new Octokit({ auth: "ghs_bench_teams", baseUrl: `${fake.url}/api/v3` }) as GitHubClient;
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    fake.reset();
    const gathered = await gatherInsights(
      { client, cache: new FileCache(), now },
      { id: 0, account: "acme", selection: "all" },
      log,
      {
        now,
        windowDays: 90,
        tracking: false,
        listRepositories: async () =>
          (
            await listAll<{ name: string; node_id: string; owner: { login: string } }>(
              client,
              "GET /orgs/acme/repos",
            )
          ).map((r) => ({ owner: r.owner.login, name: r.name, nodeId: r.node_id, archived: false })),
      },
    );
    const report = buildReport({
      repos: gathered.insights,
      now,
      windowDays: 90,
      org: "acme",
      policy: gathered.policy?.ok ? gathered.policy.value : null,
    });
    const graphql = fake.counts().graphql;
    // The stability signals (reverts, incidents) are their own budget (⌈repos/50⌉, docs/metrics.md):
    // their queries are the sweep's without teams too.
    const stability = fake.requests.filter(
      (r) =>
        r.operation === "POST /graphql" &&
        String((r.body as { query?: string } | undefined)?.query).includes("incidents: issues("),
    ).length;
    const withoutTeams = 2 * Math.ceil(repositories / 50) + stability;
    const problems = [...fake.problems.map(String)];
    if (report.teams.teams.length !== teams)
      problems.push(`${report.teams.teams.length} teams in the report, ${teams} in the seed`);
    return {
      repositories,
      teams,
      graphql,
      withoutTeams,
      teamCalls: graphql - withoutTeams,
      budget: Math.ceil(teams / 50),
      levels: [...report.teams.levels],
      problems,
    };
  } finally {
    await fake.close();
  }
}
