/**
 * The batched sweep against the loopback fake GitHub (its GraphQL checked against GitHub's public
 * schema): the same verdicts as judging each repository over REST, for a fraction of the calls.
 * Two fakes get the same seed; one is swept by the app's sweep (GraphQL batches), the other
 * repository by repository as the webhook handlers judge them. Their tracking issues must agree.
 */
import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SweepReport, sweep } from "../../../app/sweep.js";
import { governRepository } from "../../../github/flows/govern.js";
import { listAll } from "../../../github/flows/sweep-plan.js";
import { TRACKING_LABEL } from "../../../github/publish/tracking-issue.js";
import { nodesQuery, ownerPageQuery, teamsQuery } from "../../../github/read/batch-queries.js";
import { runBatch } from "../../../github/read/repo-batch.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { schemaProblems } from "../../../testkit/fake-github/graphql-schema.js";
import type { FakeSeed, SeedRepo } from "../../../testkit/fake-github/server.js";
import { type FakeGitHub, shaOf, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { MemoryReportStore } from "../../../testkit/memory-store.js";

const DAY = 86_400_000;
const TOKEN_ROUTE = "POST /app/installations/{installation_id}/access_tokens";
const NOW = Date.now();
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
});

function manifest(team: string, extra = "", pm = "alice"): string {
  return `version: 1
product:
  name: Product
team:
  name: Team
  github: ${team}
  product_manager: ${pm}
  designer: bob
  tech_lead: carol
release:
  cadence: 14d
${extra}outcomes:
  - id: CHK-1
    title: Faster checkout
    metric: checkout_seconds_p50
    target: "20"
    status: active
`;
}

type Kind =
  | "compliant"
  | "late"
  | "ghost-team"
  | "read-only"
  | "outsider-pm"
  | "tags"
  | "busy"
  | "no-manifest"
  | "archived"
  | "no-codeowners"
  | "recovered";

function repo(owner: string, name: string, kind: Kind, team = `${owner}/payments`): SeedRepo {
  const files: Record<string, string> = {
    ".github/pom.yml": manifest(
      kind === "ghost-team" ? `${owner}/ghost` : kind === "read-only" ? `${owner}/readers` : team,
      kind === "tags" ? "  source: tags\n" : "",
      kind === "outsider-pm" ? "zed" : "alice",
    ),
    ".github/CODEOWNERS": `* @${team}\n`,
  };
  if (kind === "no-manifest") delete files[".github/pom.yml"];
  if (kind === "no-codeowners") delete files[".github/CODEOWNERS"];
  const released = kind === "late" ? 40 * DAY : kind === "busy" ? 21 * DAY : 2 * DAY;
  const releaseCommit = shaOf(`${owner}/${name}:release`);
  const commits = [
    { message: "Initial commit", date: ago(90 * DAY) },
    { sha: releaseCommit, message: "Release work", date: ago(released + DAY) },
    // Busy: 35 unreleased commits, more than a batch reads, the oldest 20 days old.
    ...(kind === "busy"
      ? Array.from({ length: 35 }, (_, i) => ({ message: `Change ${i}`, date: ago((20 - i * 0.5) * DAY) }))
      : []),
  ];
  return {
    owner,
    name,
    archived: kind === "archived",
    files,
    commits,
    ...(kind === "tags"
      ? { tags: { "v1.0.0": { sha: releaseCommit, date: ago(released) } } }
      : { releases: [{ tag: "v1.0.0", publishedAt: ago(released), target: releaseCommit }] }),
    ...(kind === "recovered"
      ? {
          issues: [
            {
              title: "POM governance: 1 problem in this repository",
              body: "<!-- pom-governance:tracking -->\n<!-- pom-governance:hash:0000 -->\nold",
              labels: [TRACKING_LABEL],
            },
          ],
        }
      : {}),
  };
}

/** A tracking issue the app closed when its repository complied. */
const RESOLVED_TRACKING = {
  title: "POM governance: 1 problem in this repository",
  body: "<!-- pom-governance:tracking -->\n<!-- pom-governance:hash:0000 -->\nold",
  labels: [TRACKING_LABEL],
  author: "pom-governance[bot]",
  state: "closed" as const,
};

const KINDS: Kind[] = [
  "compliant",
  "late",
  "ghost-team",
  "read-only",
  "outsider-pm",
  "tags",
  "busy",
  "no-manifest",
  "archived",
  "no-codeowners",
  "recovered",
];

/** 121 repositories in acme (one installation on all), 55 in beta (an installation on 54). */
function seed(): FakeSeed {
  const acme = Array.from({ length: 121 }, (_, i) => {
    const kind = KINDS[i % KINDS.length] as Kind;
    return repo("acme", `r${String(i).padStart(3, "0")}-${kind}`, kind);
  });
  const beta = Array.from({ length: 55 }, (_, i) => ({
    ...repo("beta", `b${i}`, i % 2 ? "late" : "compliant"),
    // Every other late one had its problems before and was fixed: its tracking issue is closed.
    ...(i % 4 === 1 ? { issues: [RESOLVED_TRACKING] } : {}),
  }));
  return {
    apps: [{ id: 1, publicKey }],
    installations: [
      { id: 1, account: "acme" },
      // Selected repositories: all of beta but b3, more than one batch of node ids.
      {
        id: 2,
        account: "beta",
        repositories: beta.filter((r) => r.name !== "b3").map((r) => `beta/${r.name}`),
      },
    ],
    repos: [...acme, ...beta],
    teams: [
      {
        org: "acme",
        slug: "payments",
        members: ["alice", "bob", "carol"],
        // More than 100 repositories: the batch reads the rest in continuations.
        repos: Object.fromEntries(acme.map((r) => [`acme/${r.name}`, "push" as const])),
      },
      { org: "acme", slug: "readers", members: ["alice", "bob", "carol"], repos: {} },
      {
        org: "beta",
        slug: "payments",
        members: ["alice", "bob", "carol"],
        repos: Object.fromEntries(beta.map((r) => [`beta/${r.name}`, "push" as const])),
      },
    ],
  };
}

function probotFor(fake: FakeGitHub): Probot {
  const Octokit = ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    throttle: { ...(options.throttle as object), enabled: false },
  }));
  return new Probot({ appId: 1, privateKey, baseUrl: `${fake.url}/api/v3`, Octokit, logLevel: "warn" });
}

/** Open tracking issues by repository: title and body. */
/**
 * The open tracking issues' text, without the line naming the owning team's findings (and the hash
 * that covers it): only a sweep, which sees every team, writes that line.
 */
function trackingIssues(fake: FakeGitHub): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of fake.state.repos.values()) {
    for (const issue of r.issues) {
      if (issue.state === "open" && issue.labels.includes(TRACKING_LABEL))
        out[r.fullName] = `${issue.title}\n${issue.body}`
          .replace(/\n\n\*\*Team [^\n]*/, "")
          .replace(/<!-- pom-governance:hash:[0-9a-f]+ -->/, "");
    }
  }
  return out;
}

let batched: FakeGitHub;
let perRepo: FakeGitHub;
let report: SweepReport;
const store = new MemoryReportStore();

beforeAll(async () => {
  [batched, perRepo] = await Promise.all([startFakeGitHub(seed()), startFakeGitHub(seed())]);
  report = await sweep(probotFor(batched), { cache: new FileCache(), details: new Map(), store });
  // The same repositories judged one by one over REST, as a release or push event judges them.
  const app = probotFor(perRepo);
  for (const installation of [1, 2]) {
    const client = (await app.auth(installation)) as unknown as GitHubClient;
    const repos = await listAll<{ name: string; owner: { login: string }; archived: boolean }>(
      client,
      "GET /installation/repositories",
      "repositories",
    );
    for (const r of repos.filter((x) => !x.archived)) {
      await governRepository(
        { client, cache: new FileCache(), now: new Date() },
        { owner: r.owner.login, repo: r.name },
      );
    }
  }
}, 60_000);

afterAll(async () => {
  await Promise.all([batched?.close(), perRepo?.close()]);
});

/** A query of the change failure rate's reverts and incidents (github/insights/stability-read.ts). */
const isStabilityRead = (r: { body?: unknown }) =>
  String((r.body as { query?: string } | undefined)?.query).includes("incidents: issues(");

describe("the batched sweep", () => {
  it("sends GitHub nothing its REST or GraphQL API would reject", () => {
    expect(batched.problems).toEqual([]);
    expect(perRepo.problems).toEqual([]);
  });

  it("reaches the same verdicts as judging each repository over REST", () => {
    const swept = trackingIssues(batched);
    const judged = trackingIssues(perRepo);
    expect(Object.keys(swept).sort()).toEqual(Object.keys(judged).sort());
    for (const [name, text] of Object.entries(judged)) expect(swept[name], name).toBe(text);
    // The scenarios did what they were meant to: problems opened issues, a recovered repo closed its own.
    expect(Object.keys(swept).some((n) => n.endsWith("-late"))).toBe(true);
    expect(Object.keys(swept).some((n) => n.endsWith("-ghost-team"))).toBe(true);
    expect(Object.keys(swept).some((n) => n.endsWith("-busy"))).toBe(true);
    expect(Object.keys(swept).some((n) => n.endsWith("-compliant"))).toBe(false);
    expect(Object.keys(swept).some((n) => n.endsWith("-recovered"))).toBe(false);
    expect(swept["beta/b1"]).toBeDefined();
    expect(swept["beta/b3"]).toBeUndefined();
  });

  it("reopens a repository's closed tracking issue when its problems come back, and opens no other", () => {
    const b1 = batched.state.repo("beta/b1").issues;
    expect(b1.map((i) => [i.number, i.state, i.state_reason])).toEqual([[1, "open", "reopened"]]);
    expect(b1[0]?.body).toContain("release.cadence");
    // b1, b5, … b53: fourteen relapsed repositories.
    expect(report.tracking.reopened).toBe(14);
  });

  it("counts every repository once: archived ones left out, unmanifested ones skipped", () => {
    const archived = KINDS.filter((k) => k === "archived").length * 11;
    expect(report.installations).toBe(2);
    expect(report.repositories).toBe(121 - archived + 54);
    expect(report.skipped).toBe(11);
    expect(report.failed).toBe(0);
    expect(report.unbatched).toBe(0);
  });

  it("keeps one organization report per account, of the repositories it judged", async () => {
    expect(report.reports).toBe(2);
    expect(await store.orgs()).toEqual(["acme", "beta"]);
    const acme = await store.latest("acme");
    // 110 active repositories, 11 of them without a manifest (and acme has no org policy).
    expect(acme?.repos).toHaveLength(99);
    expect(acme?.repos.find((r) => r.repo.endsWith("-late"))?.failing).toContain("release.cadence");
    expect(acme?.history).toHaveLength(1);
    expect((await store.latest("beta"))?.repos).toHaveLength(54);
  });

  it("costs about one GraphQL query per 50 repositories, plus reads only where a batch cannot tell", () => {
    const reads = batched.requests.filter(
      (r) => r.status !== 304 && (r.method === "GET" || r.operation === "POST /graphql"),
    );
    const perRepoReads = perRepo.requests.filter(
      (r) => r.status !== 304 && (r.method === "GET" || r.operation === "POST /graphql"),
    );
    const graphql = reads.filter((r) => r.operation === "POST /graphql");
    // acme: 3 pages (121 repositories, 50 a page; the payments team's 21 further repositories
    // travel with page 2); beta: 2 pages of node ids (54); plus, per repository that the batch
    // cannot judge alone, the tags of the 11 tags-source repositories and the history of the 11
    // busy ones; then, for the organization report, the histories (releases and merged pull
    // requests) of the governed repositories, 50 a query: acme's 99 and beta's 54.
    // Each page's governed repositories have their open pull requests read in one more query, to
    // judge again those whose check is out of date or missing.
    const pages = 3 + 2;
    const pulls = pages;
    const histories = 2 + 2;
    // And for the change failure rate, the reverts and incidents of those that released in the
    // window, 50 a query: 2 for acme, 2 for beta.
    const stability = 2 + 2;
    expect(
      graphql.filter((r) => String((r.body as { query?: string }).query).includes("incidents: issues(")),
    ).toHaveLength(stability);
    expect(graphql.length).toBe(pages + pulls + 11 + 11 + histories + stability);
    // REST reads: the installation listings (beta's selected repositories need node ids), each
    // owner's org policy (which facts the pages ask for: a conditional read, free the next day),
    // and, before a tracking issue is written (opened, edited, reopened or closed), a fresh look at
    // the repository's tracking issues, which may have changed since the batch read them.
    // ownership.team compares the custom property team with the manifest: custom properties are
    // not in GraphQL, so each owner's values are listed over REST, 100 repositories a request, once
    // a sweep: acme ⌈121/100⌉ = 2, beta ⌈54/100⌉ = 1.
    const rest = reads.filter((r) => r.method === "GET").map((r) => r.operation);
    expect(rest.filter((o) => o === PROPERTY_VALUES)).toHaveLength(2 + 1);
    expect(rest.filter((o) => o !== "GET /repos/{owner}/{repo}/issues" && o !== PROPERTY_VALUES)).toEqual([
      "GET /app/installations",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /installation/repositories",
    ]);
    expect(policyReads(reads)).toEqual(["acme", "beta"]);
    const { opened = 0, updated = 0, reopened = 0, closed = 0 } = report.tracking;
    expect(closed).toBeGreaterThan(0);
    expect(rest.filter((o) => o === "GET /repos/{owner}/{repo}/issues")).toHaveLength(
      opened + updated + reopened + closed,
    );
    // Judging and the report's histories cost a tenth of reading repository by repository (the
    // change failure rate's queries, the same either way, are left out of the ratio).
    const judging = (rs: typeof reads) => rs.filter((r) => !isStabilityRead(r)).length;
    expect(judging(reads)).toBeLessThan(judging(perRepoReads) / 10);
  });
});

const PROPERTY_VALUES = "GET /orgs/{org}/properties/values";

/** The owners whose org policy was read, in order. */
function policyReads(requests: readonly { operation?: string; path: string }[]): string[] {
  return requests
    .filter((r) => r.operation === "GET /repos/{owner}/{repo}/contents/{path}")
    .map((r) => {
      expect(decodeURIComponent(r.path)).toContain("/.github/contents/.github/pom-policy.yml");
      return /\/repos\/([^/]+)\//.exec(r.path)?.[1] ?? "";
    });
}

describe("the next day's sweep (issues already open)", () => {
  it("reads nothing per repository: one query per page, the listings, and no writes", async () => {
    batched.reset();
    const again = await sweep(probotFor(batched), {
      cache: new FileCache(),
      details: new Map(),
      store: new MemoryReportStore(),
    });
    expect(again.tracking.opened ?? 0).toBe(0);
    expect(again.tracking.updated ?? 0).toBe(0);
    const reads = batched.requests.filter((r) => r.status !== 304 && r.operation !== TOKEN_ROUTE);
    const graphql = reads.filter((r) => r.operation === "POST /graphql").length;
    // The pages, the tags and busy histories as on the first day, the report's histories, and
    // the reverts and incidents.
    expect(graphql).toBe(5 + 5 + 11 + 11 + 4 + 4);
    // Each owner's policy is read again (a fresh cache, as after a restart; 304s when kept), and
    // its custom property values (2 + 1 pages).
    const rest = reads.filter((r) => r.operation !== "POST /graphql").map((r) => r.operation);
    expect(rest.filter((o) => o === PROPERTY_VALUES)).toHaveLength(3);
    expect(rest.filter((o) => o !== PROPERTY_VALUES)).toEqual([
      "GET /app/installations",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /repos/{owner}/{repo}/contents/{path}",
      "GET /installation/repositories",
    ]);
    expect(policyReads(reads)).toEqual(["acme", "beta"]);
    expect(batched.problems).toEqual([]);
  });
});

describe("the batch queries", () => {
  it("are valid against GitHub's public schema in every form they take", () => {
    const more = [{ slug: "payments", after: "Y3Vyc29yOnYyOjk5" }];
    for (const query of [
      ownerPageQuery(true),
      ownerPageQuery(false),
      ownerPageQuery(false, more),
      nodesQuery(true),
      nodesQuery(false),
      nodesQuery(false, more),
      teamsQuery("Y3Vyc29yOnYyOjk5"),
      teamsQuery(undefined, more),
    ]) {
      expect(schemaProblems(query), query).toEqual([]);
    }
  });

  it("takes a missing org policy repository as no policy, and fails on any other error there", async () => {
    const answer = (type: string) => ({
      graphql: () =>
        Promise.reject(
          Object.assign(new Error(type), {
            data: { policy: null, listing: { repositories: { nodes: [] } } },
            errors: [{ type, path: ["policy"], message: type }],
          }),
        ),
      request: () => Promise.reject(new Error("unused")),
    });
    const missing = await runBatch(answer("NOT_FOUND") as never, "query", {});
    expect(missing.denied.policy).toBe("NOT_FOUND");
    await expect(runBatch(answer("FORBIDDEN") as never, "query", {})).rejects.toThrow("FORBIDDEN");
  });
});
