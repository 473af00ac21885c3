/** Repository facts: the team, its members, CODEOWNERS, releases and unreleased work. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { evaluate } from "../../../core/engine/evaluate.js";
import { factSource } from "../../../core/engine/fact-source.js";
import { resolveConfig } from "../../../core/manifest/config.js";
import type { Manifest } from "../../../core/manifest/manifest.js";
import { evaluateRepository } from "../../../github/flows/subjects.js";
import { fetchReleases } from "../../../github/read/release-source.js";
import {
  fetchTeam,
  fetchTeamMembers,
  fetchUnreleased,
  MEMBERS_PERMISSION,
} from "../../../github/read/repo-facts.js";
import { repoReaders } from "../../../github/read/repo-source.js";
import { readFact } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { DEFAULT_LEVELS, RULES } from "../../../policies/registry.js";
import { ago, DAY, findingOf, manifest, NOW } from "../../helpers/engine.js";
import { FakeGitHub, manifestYaml, newClient, variablesOf } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };
const TEAM = "/orgs/acme/teams/payments";
const TEAM_REPO = `${TEAM}/repos/acme/checkout`;
const members = (page: number) => `${TEAM}/members?per_page=100&page=${page}`;
const logins = (...names: string[]) => names.map((login) => ({ login, id: login.length, type: "User" }));

function configOf(patch: Record<string, unknown> = {}) {
  const loaded = manifest(patch);
  if (!loaded.ok) throw new Error("invalid");
  return resolveConfig({
    defaults: DEFAULT_LEVELS,
    manifest: { value: loaded.value as Manifest, source: loaded.source },
    now: NOW,
  });
}

let gh: FakeGitHub;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  gh = new FakeGitHub();
});
afterEach(() => {
  gh.close();
  nock.cleanAll();
});

describe("fetchTeam", () => {
  it("says the team does not exist when GitHub answers 404 and the org's teams are visible", async () => {
    gh.on("GET", TEAM, { status: 404, body: { message: "Not Found" } });
    gh.on("GET", "/orgs/acme/teams?per_page=1", { status: 200, body: [] });

    expect(await fetchTeam(newClient(), repo, "acme/payments")).toEqual({ exists: false });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("when the token cannot see teams at all (Actions' GITHUB_TOKEN), the team is unknown, not missing", async () => {
    gh.on("GET", TEAM, { status: 404, body: { message: "Not Found" } });
    gh.on("GET", "/orgs/acme/teams?per_page=1", {
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });

    await expect(fetchTeam(newClient(), repo, "acme/payments")).rejects.toMatchObject({ status: 403 });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("members hidden behind a 404 are reported as needing members: read", async () => {
    gh.on("GET", `${TEAM}/members?per_page=100&page=1`, { status: 404, body: { message: "Not Found" } });

    const fact = await readFact(
      "the team's members",
      () => fetchTeamMembers(newClient(), "acme/payments"),
      MEMBERS_PERMISSION,
    );
    expect(fact).toMatchObject({ ok: false, permission: MEMBERS_PERMISSION });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("gives a team without access to the repository no permission (404 on the team's repo)", async () => {
    gh.on("GET", TEAM, { status: 200, body: { slug: "payments" } });
    gh.on("GET", TEAM_REPO, { status: 404, body: { message: "Not Found" } });

    expect(await fetchTeam(newClient(), repo, "acme/payments")).toEqual({ exists: true, permission: null });
    expect(gh.scope.isDone()).toBe(true);
  });

  it.each([
    [{ admin: true, maintain: true, push: true, triage: true, pull: true }, "admin"],
    [{ admin: false, maintain: true, push: true, triage: true, pull: true }, "maintain"],
    [{ admin: false, maintain: false, push: true, triage: true, pull: true }, "push"],
    [{ admin: false, maintain: false, push: false, triage: true, pull: true }, "triage"],
    [{ admin: false, maintain: false, push: false, triage: false, pull: true }, "pull"],
    [{ admin: false, push: false, pull: false }, null],
  ])("takes the highest permission from %j (%s)", async (permissions, expected) => {
    gh.on("GET", TEAM, { status: 200, body: { slug: "payments" } });
    gh.on("GET", TEAM_REPO, { status: 200, body: { full_name: "acme/checkout", permissions } });

    expect(await fetchTeam(newClient(), repo, "acme/payments")).toEqual({
      exists: true,
      permission: expected,
    });
    // Without the repository media type GitHub answers 204 with no permissions at all.
    expect(gh.sent[1]?.headers.accept).toBe("application/vnd.github.v3.repository+json");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("throws a 403 for the caller to turn into an unavailable fact", async () => {
    gh.on("GET", TEAM, { status: 403, body: { message: "Resource not accessible by integration" } });

    await expect(fetchTeam(newClient(), repo, "acme/payments")).rejects.toMatchObject({ status: 403 });
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("fetchTeamMembers", () => {
  it("pages through the members 100 at a time until a short page", async () => {
    const first = logins(...Array.from({ length: 100 }, (_, i) => `member${i}`));
    gh.on("GET", members(1), { status: 200, body: first });
    gh.on("GET", members(2), { status: 200, body: logins("alice", "bob", "carol") });

    const found = await fetchTeamMembers(newClient(), "acme/payments");

    expect(found).toHaveLength(103);
    expect(found.slice(-3)).toEqual(["alice", "bob", "carol"]);
    expect(gh.sent.map((r) => r.query)).toEqual([
      { per_page: "100", page: "1" },
      { per_page: "100", page: "2" },
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("asks once for a team of fewer than 100", async () => {
    gh.on("GET", members(1), { status: 200, body: logins("alice") });

    expect(await fetchTeamMembers(newClient(), "acme/payments")).toEqual(["alice"]);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("fetchReleases", () => {
  const source = (releaseSource: "releases" | "tags" | "deployments", environment = "production") => ({
    releaseSource: { value: releaseSource, from: "manifest" as const },
    environment: { value: environment, from: "manifest" as const },
  });

  it("reads GitHub releases over REST, with drafts and pre-releases marked", async () => {
    gh.on("GET", "/repos/acme/checkout/releases?per_page=100", {
      status: 200,
      body: [
        {
          tag_name: "v2",
          name: "Two",
          body: "Serves CHK-12",
          draft: false,
          prerelease: false,
          published_at: "2026-06-10T00:00:00Z",
          created_at: "2026-06-09T00:00:00Z",
        },
        {
          tag_name: "v3",
          draft: true,
          prerelease: false,
          published_at: null,
          created_at: "2026-06-12T00:00:00Z",
        },
      ],
    });

    expect(await fetchReleases(newClient(), repo, source("releases"))).toEqual([
      {
        tag: "v2",
        name: "Two",
        body: "Serves CHK-12",
        publishedAt: "2026-06-10T00:00:00Z",
        draft: false,
        prerelease: false,
      },
      { tag: "v3", publishedAt: "2026-06-12T00:00:00Z", draft: true, prerelease: false },
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("reads tags with one GraphQL query, dating annotated tags by their tagger", async () => {
    gh.graphql(/refs\(refPrefix: "refs\/tags\/"/, {
      repository: {
        refs: {
          nodes: [
            {
              name: "v2",
              target: {
                __typename: "Tag",
                oid: "tagobject2",
                tagger: { date: "2026-06-10T09:00:00Z" },
                target: { oid: "commit2" },
              },
            },
            {
              name: "v1",
              target: { __typename: "Commit", oid: "commit1", committedDate: "2026-05-01T00:00:00Z" },
            },
            { name: "broken", target: null },
          ],
        },
      },
    });

    const releases = await fetchReleases(newClient(), repo, source("tags"));

    expect(releases).toEqual([
      { tag: "v2", publishedAt: "2026-06-10T09:00:00Z", sha: "commit2" },
      { tag: "v1", publishedAt: "2026-05-01T00:00:00Z", sha: "commit1" },
    ]);
    expect(variablesOf(gh.sent[0])).toEqual({
      owner: "acme",
      repo: "checkout",
    });
    expect(gh.graphqlQueries()[0]).toContain("... on Tag { tagger { date }");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("reads deployments to the declared environment", async () => {
    gh.on("GET", "/repos/acme/checkout/deployments?environment=staging&per_page=100", {
      status: 200,
      body: [{ id: 1, ref: "main", sha: "d1", environment: "staging", created_at: "2026-06-14T00:00:00Z" }],
    });

    expect(await fetchReleases(newClient(), repo, source("deployments", "staging"))).toEqual([
      { tag: "main", publishedAt: "2026-06-14T00:00:00Z", sha: "d1" },
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("fetchUnreleased", () => {
  it("asks for the default branch's history since the release and leaves out the release's own commit", async () => {
    const since = "2026-06-01T10:00:00Z";
    gh.graphql(/defaultBranchRef/, {
      repository: {
        defaultBranchRef: {
          target: {
            history: {
              nodes: [
                { oid: "c3", committedDate: "2026-06-05T00:00:00Z", messageHeadline: "Add wallet (#30)" },
                { oid: "c2", committedDate: "2026-06-01T10:00:01Z", messageHeadline: "Fix typo" },
                { oid: "c1", committedDate: since, messageHeadline: "Release v1" },
              ],
            },
          },
        },
      },
    });

    const changes = await fetchUnreleased(newClient(), repo, since);

    expect(changes).toEqual([
      { sha: "c3", mergedAt: "2026-06-05T00:00:00Z", title: "Add wallet (#30)" },
      { sha: "c2", mergedAt: "2026-06-01T10:00:01Z", title: "Fix typo" },
    ]);
    expect(variablesOf(gh.sent[0])).toEqual({
      owner: "acme",
      repo: "checkout",
      since,
    });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("counts the whole history as unreleased when there is no release (since null)", async () => {
    gh.graphql(/history\(first: 100, since: \$since\)/, {
      repository: {
        defaultBranchRef: {
          target: {
            history: {
              nodes: [{ oid: "c1", committedDate: "2026-01-01T00:00:00Z", messageHeadline: "Init" }],
            },
          },
        },
      },
    });

    expect(await fetchUnreleased(newClient(), repo, undefined)).toHaveLength(1);
    expect(variablesOf(gh.sent[0]).since).toBeNull();
    expect(gh.scope.isDone()).toBe(true);
  });

  it("treats an empty repository (no default branch) as nothing unreleased", async () => {
    gh.graphql(/defaultBranchRef/, { repository: { defaultBranchRef: null } });

    expect(await fetchUnreleased(newClient(), repo, undefined)).toEqual([]);
    expect(gh.scope.isDone()).toBe(true);
  });
});

/** Every read gatherRepoFacts makes for a healthy repository, with `overrides` by path. */
function mockRepository(
  overrides: { members?: () => void; codeowners?: () => void; releases?: () => void } = {},
) {
  gh.on("GET", TEAM, { status: 200, body: { slug: "payments" } });
  gh.on("GET", TEAM_REPO, {
    status: 200,
    body: { permissions: { admin: false, maintain: false, push: true } },
  });
  if (overrides.members) overrides.members();
  else gh.on("GET", members(1), { status: 200, body: logins("alice", "bob", "carol") });
  if (overrides.codeowners) overrides.codeowners();
  else gh.file("acme/checkout", ".github/CODEOWNERS", "* @acme/payments\n");
  gh.on("GET", "/repos/acme/checkout/properties/values", {
    status: 200,
    body: [{ property_name: "team", value: "payments" }],
  });
  if (overrides.releases) overrides.releases();
  else {
    gh.on("GET", "/repos/acme/checkout/releases?per_page=100", {
      status: 200,
      body: [
        {
          tag_name: "v1",
          draft: false,
          prerelease: false,
          published_at: ago(3 * DAY),
          created_at: ago(3 * DAY),
        },
      ],
    });
    gh.graphql(/defaultBranchRef/, {
      repository: { defaultBranchRef: { target: { history: { nodes: [] } } } },
    });
  }
}

/** Every repository fact the live source can read, read at once. */
function gatherRepoFacts(...args: Parameters<typeof repoReaders>) {
  return factSource(repoReaders(...args)).read([
    "team",
    "teamMembers",
    "teamProperty",
    "codeowners",
    "releases",
    "unreleased",
  ]);
}

describe("the live repository source", () => {
  it("gathers team, members, CODEOWNERS, releases and unreleased history, and every repo rule passes", async () => {
    mockRepository();

    const facts = await gatherRepoFacts(newClient(), new FileCache(), repo, configOf(), NOW);
    const verdict = evaluate(
      { subject: "repo", manifest: manifest(), config: configOf(), facts, now: NOW },
      RULES,
    );

    expect(facts.team).toEqual({ ok: true, value: { exists: true, permission: "push" } });
    expect(facts.teamMembers).toEqual({ ok: true, value: ["alice", "bob", "carol"] });
    expect(facts.teamProperty).toEqual({ ok: true, value: "payments" });
    expect(facts.codeowners).toEqual({
      ok: true,
      value: { path: ".github/CODEOWNERS", text: "* @acme/payments\n" },
    });
    expect(verdict.findings.filter((f) => f.status !== "pass")).toEqual([]);
    expect(verdict.conclusion).toBe("success");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("asks for the history since the newest qualifying release", async () => {
    const newest = ago(3 * DAY);
    mockRepository({
      releases: () => {
        gh.on("GET", "/repos/acme/checkout/releases?per_page=100", {
          status: 200,
          body: [
            {
              tag_name: "v3-rc",
              draft: false,
              prerelease: true,
              published_at: ago(DAY),
              created_at: ago(DAY),
            },
            { tag_name: "v2", draft: false, prerelease: false, published_at: newest, created_at: newest },
            {
              tag_name: "v1",
              draft: false,
              prerelease: false,
              published_at: ago(20 * DAY),
              created_at: ago(20 * DAY),
            },
          ],
        });
        gh.graphql(/defaultBranchRef/, (request) => {
          expect(variablesOf(request).since).toBe(newest);
          return { repository: { defaultBranchRef: { target: { history: { nodes: [] } } } } };
        });
      },
    });

    const facts = await gatherRepoFacts(newClient(), new FileCache(), repo, configOf(), NOW);

    expect(facts.unreleased).toEqual({ ok: true, value: [] });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("turns a 403 on the members into an unavailable fact naming members: read, and ownership.roles is unknown", async () => {
    mockRepository({
      members: () =>
        gh.on("GET", members(1), {
          status: 403,
          body: { message: "Resource not accessible by integration" },
        }),
    });

    const facts = await gatherRepoFacts(newClient(), new FileCache(), repo, configOf(), NOW);
    const verdict = evaluate(
      { subject: "repo", manifest: manifest(), config: configOf(), facts, now: NOW },
      RULES,
    );

    expect(facts.teamMembers).toMatchObject({ ok: false, permission: MEMBERS_PERMISSION });
    expect(MEMBERS_PERMISSION).toBe("members: read (organization)");
    const roles = findingOf(verdict, "ownership.roles");
    expect(roles.status).toBe("unknown");
    expect(roles.evidence).toContain("needs permission: members: read (organization)");
    expect(roles.fix).toContain("members: read (organization)");
    expect(verdict.findings.find((f) => f.rule === "ownership.roles" && f.status === "pass")).toBeUndefined();
    expect(verdict.conclusion).toBe("neutral");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("does not blame a permission for an exhausted rate limit", async () => {
    mockRepository({
      members: () =>
        gh.on("GET", members(1), {
          status: 403,
          body: { message: "API rate limit exceeded for installation ID 1." },
        }),
    });

    const facts = await gatherRepoFacts(newClient(), new FileCache(), repo, configOf(), NOW);

    expect(facts.teamMembers).toMatchObject({ ok: false });
    expect(facts.teamMembers).not.toHaveProperty("permission");
    expect(facts.teamMembers?.ok === false && facts.teamMembers.reason).toMatch(/rate limit/);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("looks for CODEOWNERS in .github/, the root and docs/, and records its absence as null", async () => {
    mockRepository({
      codeowners: () => {
        gh.file("acme/checkout", ".github/CODEOWNERS", null);
        gh.file("acme/checkout", "CODEOWNERS", null);
        gh.file("acme/checkout", "docs/CODEOWNERS", null);
      },
    });

    const facts = await gatherRepoFacts(newClient(), new FileCache(), repo, configOf(), NOW);
    const verdict = evaluate(
      { subject: "repo", manifest: manifest(), config: configOf(), facts, now: NOW },
      RULES,
    );

    expect(facts.codeowners).toEqual({ ok: true, value: null });
    expect(findingOf(verdict, "ownership.codeowners").status).toBe("fail");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("makes releases and unreleased work unknown, never empty, when the releases cannot be read", async () => {
    mockRepository({
      releases: () => gh.on("GET", "/repos/acme/checkout/releases?per_page=100", { status: 502, body: "" }),
    });

    const facts = await gatherRepoFacts(newClient(), new FileCache(), repo, configOf(), NOW);
    const verdict = evaluate(
      { subject: "repo", manifest: manifest(), config: configOf(), facts, now: NOW },
      RULES,
    );

    expect(facts.releases).toMatchObject({ ok: false, reason: "the releases: GitHub answered 502" });
    expect(facts.unreleased).toMatchObject({ ok: false });
    expect(findingOf(verdict, "release.cadence").status).toBe("unknown");
    expect(findingOf(verdict, "release.unreleased").status).toBe("unknown");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("asks GitHub for no team, member, release, tag or CODEOWNERS when only the outcome rules are on", async () => {
    const off = {
      "ownership.team": "off",
      "ownership.roles": "off",
      "ownership.codeowners": "off",
      "release.cadence": "off",
      "release.unreleased": "off",
    };
    gh.config("acme/checkout", { manifest: manifestYaml({ rules: off }), policy: null });

    const outcome = await evaluateRepository({ client: newClient(), cache: new FileCache(), now: NOW }, repo);

    expect(outcome.kind).toBe("evaluated");
    // The manifest and the org policy, and nothing else.
    expect(gh.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /repos/acme/checkout/contents/.github%2Fpom.yml",
      "GET /repos/acme/.github/contents/.github%2Fpom-policy.yml",
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });
});
