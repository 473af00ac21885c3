/**
 * The custom property `team` against the loopback fake GitHub (its REST checked against GitHub's
 * OpenAPI description): a single judgement reads one repository's values, a sweep lists every
 * repository's values of its owner once (⌈N/100⌉ requests), and an installation without the
 * organization permission gets `unknown`, never a pass.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Finding } from "../../../core/engine/types.js";
import { governRepository } from "../../../github/flows/govern.js";
import { emptyTally, sweepInstallation } from "../../../github/flows/sweep.js";
import { fetchOrgTeamProperties, fetchTeamProperty } from "../../../github/read/custom-properties.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import {
  type FakeGitHub,
  type FakeSeed,
  type SeedRepo,
  startFakeGitHub,
} from "../../../testkit/fake-github/server.js";
import { DEFAULT_PERMISSIONS } from "../../../testkit/fake-github/state.js";
import { installationClient } from "../../helpers/fake-client.js";
import { manifestYaml } from "../../helpers/github.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const ORG_VALUES = "GET /orgs/{org}/properties/values";
const REPO_VALUES = "GET /repos/{owner}/{repo}/properties/values";
const log = { info: () => {}, warn: () => {}, error: () => {} };

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function repo(name: string, properties?: SeedRepo["properties"]): SeedRepo {
  const at = new Date(NOW.getTime() - 2 * 86_400_000).toISOString();
  return {
    owner: "acme",
    name,
    files: { ".github/pom.yml": manifestYaml(), ".github/CODEOWNERS": "* @acme/payments\n" },
    commits: [{ message: "Initial commit", date: at }],
    releases: [{ tag: "v1.0.0", publishedAt: at }],
    ...(properties ? { properties } : {}),
  };
}

async function start(repos: SeedRepo[], extra: Partial<FakeSeed> = {}) {
  fake = await startFakeGitHub({
    repos,
    teams: [
      {
        org: "acme",
        slug: "payments",
        members: ["alice", "bob", "carol"],
        repos: Object.fromEntries(repos.map((r) => [`acme/${r.name}`, "push" as const])),
      },
    ],
    ...extra,
  });
  return { fake, client: installationClient(fake, "ghs_props") };
}

const teamFindings = (findings: readonly Finding[] | undefined) =>
  (findings ?? []).filter((f) => f.rule === "ownership.team").map((f) => [f.status, f.message]);

async function sweepAll(f: FakeGitHub, client: ReturnType<typeof installationClient>) {
  const judged = new Map<string, readonly Finding[]>();
  const tally = emptyTally();
  await sweepInstallation(
    { client, cache: new FileCache(), now: NOW },
    { id: 1, account: "acme", selection: "all" },
    tally,
    log,
    {
      tracking: false,
      onJudged: (r, result) => judged.set(r.ref.repo, result.evaluation?.findings ?? []),
    },
  );
  expect(f.problems).toEqual([]);
  return { judged, tally };
}

describe("reading the custom property team", () => {
  it("reads one repository's value, and null where none is set", async () => {
    const { client } = await start([repo("checkout", { team: "payments", tier: "1" }), repo("plain")]);
    expect(await fetchTeamProperty(client, { owner: "acme", repo: "checkout" })).toBe("payments");
    expect(await fetchTeamProperty(client, { owner: "acme", repo: "plain" })).toBeNull();
    expect(fake?.problems).toEqual([]);
  });

  it("lists an organization's values 100 repositories a request", async () => {
    const repos = Array.from({ length: 250 }, (_, i) =>
      repo(`r${i}`, i % 2 ? { team: i % 4 === 1 ? "payments" : ["a", "b"] } : undefined),
    );
    const { client } = await start(repos);
    const read = await fetchOrgTeamProperties(client, "acme");
    expect(read.complete).toBe(true);
    expect(read.values.size).toBe(250);
    expect(read.values.get("r1")).toBe("payments");
    expect(read.values.get("r3")).toEqual(["a", "b"]);
    expect(read.values.get("r0")).toBeNull();
    expect(fake?.requests.filter((r) => r.operation === ORG_VALUES)).toHaveLength(Math.ceil(250 / 100));
    expect(fake?.problems).toEqual([]);
  });
});

describe("a single judgement (a push)", () => {
  it("reads the repository's values once and fails ownership.team naming both teams", async () => {
    const { client } = await start([repo("checkout", { team: "checkout-team" })]);
    const result = await governRepository(
      { client, cache: new FileCache(), now: NOW },
      { owner: "acme", repo: "checkout" },
      { tracking: false },
    );
    expect(teamFindings(result.evaluation?.findings)).toEqual([
      ["pass", "the team acme/payments exists and has push access"],
      [
        "fail",
        'the custom property team is "checkout-team" but team.github is acme/payments: they name different teams',
      ],
    ]);
    expect(result.evaluation?.conclusion).toBe("failure");
    expect(fake?.requests.filter((r) => r.operation === REPO_VALUES)).toHaveLength(1);
    expect(fake?.requests.filter((r) => r.operation === ORG_VALUES)).toHaveLength(0);
  });

  it("adds nothing when the property is not set", async () => {
    const { client } = await start([repo("checkout")]);
    const result = await governRepository(
      { client, cache: new FileCache(), now: NOW },
      { owner: "acme", repo: "checkout" },
      { tracking: false },
    );
    expect(teamFindings(result.evaluation?.findings)).toEqual([
      ["pass", "the team acme/payments exists and has push access"],
    ]);
  });
});

describe("the sweep", () => {
  it("lists the owner's values once (⌈N/100⌉ requests) and judges each repository from them", async () => {
    const repos = [
      repo("agrees", { team: "acme/payments" }),
      repo("differs", { team: "platform" }),
      repo("unset"),
      ...Array.from({ length: 120 }, (_, i) => repo(`more${i}`, { team: "payments" })),
    ];
    const { fake: f, client } = await start(repos);
    const { judged, tally } = await sweepAll(f, client);
    expect(tally.governed).toBe(123);
    expect(teamFindings(judged.get("agrees"))).toEqual([
      ["pass", "the team acme/payments exists and has push access"],
      ["pass", 'the custom property team ("acme/payments") agrees with team.github acme/payments'],
    ]);
    expect(teamFindings(judged.get("differs"))[1]).toEqual([
      "fail",
      'the custom property team is "platform" but team.github is acme/payments: they name different teams',
    ]);
    expect(teamFindings(judged.get("unset"))).toHaveLength(1);
    expect(f.requests.filter((r) => r.operation === ORG_VALUES)).toHaveLength(Math.ceil(123 / 100));
    expect(f.requests.filter((r) => r.operation === REPO_VALUES)).toHaveLength(0);
  });

  it("without the organization permission, reports the comparison unknown (never a pass) and asks once", async () => {
    const { organization_custom_properties: _granted, ...without } = DEFAULT_PERMISSIONS;
    const { fake: f, client } = await start([repo("agrees", { team: "payments" }), repo("unset")], {
      installations: [{ id: 1, account: "acme", permissions: without }],
    });
    const { judged } = await sweepAll(f, client);
    for (const name of ["agrees", "unset"]) {
      const findings = (judged.get(name) ?? []).filter((x) => x.rule === "ownership.team");
      expect(findings.map((x) => x.status)).toEqual(["pass", "unknown"]);
      expect(findings[1]?.fix).toContain("custom properties: read (organization)");
      expect(findings[1]?.lasting).toBe(true);
    }
    expect(f.requests.filter((r) => r.operation === ORG_VALUES).map((r) => r.status)).toEqual([403]);
  });

  it("reads a repository the owner's list does not hold on its own", async () => {
    const { fake: f, client } = await start([repo("listed", { team: "payments" })]);
    // A repository created after the list was read: the fake lists it only from the second ask.
    f.inject({
      match: ORG_VALUES,
      status: 200,
      body: [
        {
          repository_id: 1,
          repository_name: "elsewhere",
          repository_full_name: "acme/elsewhere",
          properties: [],
        },
      ],
    });
    const { judged } = await sweepAll(f, client);
    expect(teamFindings(judged.get("listed"))[1]?.[0]).toBe("pass");
    expect(f.requests.filter((r) => r.operation === REPO_VALUES)).toHaveLength(1);
  });
});
