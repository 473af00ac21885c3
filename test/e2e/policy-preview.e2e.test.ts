/**
 * The policy preview, against the real server and the loopback fake GitHub: a pull request on the
 * org's `.github` repository that lowers `release.max_cadence` gets the check "POM policy preview"
 * listing exactly the repositories whose verdict changes (computed here from the seed, not by the
 * engine), private ones counted but not named (the `.github` repository is public), written in
 * progress first, then completed, and nothing written anywhere else. An invalid proposal fails
 * with an annotation at the error's line; a re-requested preview runs again; a pull request that
 * does not change the policy gets no preview.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { type FakeSeed, type SeedRepo, shaOf } from "../../testkit/fake-github/server.js";
import { exampleOf, retarget } from "../../testkit/webhooks.js";
import {
  type AppUnderTest,
  pullRequestOpened,
  startAppUnderTest,
  writesIn,
} from "../security/app-under-test.js";

const DAY = 86_400_000;
const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * DAY).toISOString();
const DOTGITHUB = { owner: "acme", name: ".github", defaultBranch: "main" };
const POLICY_PATH = ".github/pom-policy.yml";
const CURRENT = stringify({ version: 1, release: { max_cadence: "90d" } });
const LOWERED = stringify({ version: 1, release: { max_cadence: "30d" } });
const INVALID = "version: 1\nrelease:\n  max_cadence: 30d\nrules:\n  release.cadence: blocking\n";

const CADENCES = [7, 14, 30, 60, 90];
const AGES = [1, 10, 20, 45, 80, 120];

interface Planned {
  name: string;
  cadence: number;
  age: number;
  private: boolean;
}

/** 40 repositories with varied cadences and release ages; every third one private. */
const PLANNED: Planned[] = Array.from({ length: 40 }, (_, i) => ({
  name: `svc-${String(i).padStart(2, "0")}`,
  cadence: CADENCES[i % CADENCES.length] as number,
  age: AGES[Math.floor(i / 2) % AGES.length] as number,
  private: i % 3 === 0,
}));

function repoOf(p: Planned): SeedRepo {
  const release = shaOf(`acme/${p.name}:release`);
  return {
    owner: "acme",
    name: p.name,
    private: p.private,
    files: {
      ".github/pom.yml": stringify({
        version: 1,
        product: { name: p.name },
        team: {
          name: "Core",
          github: "acme/core",
          product_manager: "alice",
          designer: "bob",
          tech_lead: "carol",
        },
        release: { cadence: `${p.cadence}d` },
        outcomes: [{ id: "OKR-1", title: "Faster", metric: "p50_ms", target: "100", status: "active" }],
      }),
      ".github/CODEOWNERS": "* @acme/core\n",
    },
    // Nothing merged after the release: only the cadence and the manifest can fail.
    commits: [
      { message: "Initial commit", date: ago(200) },
      { sha: release, message: "Release work", date: ago(p.age + 0.5) },
    ],
    releases: [{ tag: "v1.0.0", publishedAt: ago(p.age), target: release }],
  };
}

const HEAD = {
  lowered: shaOf("preview lowered"),
  invalid: shaOf("preview invalid"),
  docs: shaOf("preview docs"),
};

function seed(publicKey: string): FakeSeed {
  return {
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, appId: 1, account: "acme" }],
    repos: [
      {
        ...DOTGITHUB,
        files: { [POLICY_PATH]: CURRENT, "README.md": "org profile\n" },
        commits: [{ message: "Initial commit", date: ago(100) }],
        filesAt: {
          [HEAD.lowered]: { [POLICY_PATH]: LOWERED, "README.md": "org profile\n" },
          [HEAD.invalid]: { [POLICY_PATH]: INVALID, "README.md": "org profile\n" },
          [HEAD.docs]: { [POLICY_PATH]: CURRENT, "README.md": "org profile, edited\n" },
        },
        pulls: [
          { number: 5, title: "Lower max cadence", body: "", headSha: HEAD.lowered, files: [POLICY_PATH] },
          { number: 6, title: "Typo in a level", body: "", headSha: HEAD.invalid, files: [POLICY_PATH] },
          { number: 7, title: "Profile text", body: "", headSha: HEAD.docs, files: ["README.md"] },
        ],
      },
      ...PLANNED.map(repoOf),
    ],
    teams: [
      {
        org: "acme",
        slug: "core",
        members: ["alice", "bob", "carol"],
        repos: Object.fromEntries(PLANNED.map((p) => [`acme/${p.name}`, "push" as const])),
      },
    ],
  };
}

let world: AppUnderTest;
const why = () => world.app.output().slice(-4_000);
const previewRuns = (head: string) =>
  world.fake.state
    .repo("acme/.github")
    .checkRuns.filter((r) => r.head_sha === head && r.name === "POM policy preview");

async function openPolicyPull(number: number, head: string) {
  const delivery = await world.send(
    "pull_request",
    pullRequestOpened(DOTGITHUB, { number, title: `policy ${number}`, body: "", sha: head }),
  );
  expect(delivery.status, why()).toBe(200);
}

beforeAll(async () => {
  world = await startAppUnderTest(seed);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe("a pull request that changes the org policy", () => {
  it("gets a preview listing exactly the repositories whose verdict changes, and writes nowhere else", async () => {
    const before = world.fake.requests.length;
    await openPolicyPull(5, HEAD.lowered);

    // Computed from the seed: a cadence slower than 30 days now fails manifest.valid (at error);
    // a repository not failing already (its release within its cadence) starts failing.
    const slower = PLANNED.filter((p) => p.cadence > 30);
    const starts = slower.filter((p) => p.age <= p.cadence);
    expect(starts.length).toBeGreaterThan(3);
    expect(starts.some((p) => p.private)).toBe(true);

    const [run, ...more] = previewRuns(HEAD.lowered);
    expect(more, why()).toEqual([]);
    expect(run?.status).toBe("completed");
    expect(run?.conclusion, why()).toBe("neutral");
    const summary = run?.output.summary ?? "";
    const section = summary.split("### ")[1] ?? "";
    expect(section).toMatch(new RegExp(`^Would start failing \\(${starts.length}\\)`));
    const named = [...section.matchAll(/\| (acme\/svc-\d\d) \|/g)].map((m) => m[1]);
    expect(named.sort()).toEqual(starts.filter((p) => !p.private).map((p) => `acme/${p.name}`));
    const hidden = starts.filter((p) => p.private).length;
    expect(section).toContain(`${hidden} private repositor`);
    // No repository whose verdict does not change is named anywhere.
    const changing = new Set(slower.map((p) => `acme/${p.name}`));
    for (const m of summary.matchAll(/acme\/svc-\d\d/g)) expect(changing.has(m[0]), m[0]).toBe(true);
    for (const p of PLANNED.filter((q) => q.private)) expect(summary).not.toContain(`acme/${p.name}`);
    expect(summary).toContain(`| \`manifest.valid\` | ${slower.length} | 0 |`);
    // The 40 and the `.github` repository itself.
    expect(summary).toContain(`| judged (${PLANNED.filter((p) => p.private).length} private) | 41 |`);

    // One run: created in progress, then completed. Besides the pull request's own "POM
    // governance" check, nothing else is written, in this repository or any other.
    const ownCheck = world.fake.state
      .repo("acme/.github")
      .checkRuns.find((r) => r.head_sha === HEAD.lowered && r.name === "POM governance");
    const writes = writesIn(world.fake.requests.slice(before)).filter(
      (w) =>
        (w.body as { name?: string }).name !== "POM governance" &&
        !w.path.endsWith(`/check-runs/${ownCheck?.id}`),
    );
    expect(
      writes.map((w) => `${w.method} ${w.path.replace(/^\/api\/v3/, "")}`),
      why(),
    ).toEqual([
      "POST /repos/acme/.github/check-runs",
      ...writes.slice(1).map(() => `PATCH /repos/acme/.github/check-runs/${run?.id}`),
    ]);
    expect(writes.length).toBe(2);
    expect((writes[0]?.body as { status?: string } | undefined)?.status).toBe("in_progress");
    const last = writes.at(-1)?.body as { status?: string; conclusion?: string } | undefined;
    expect([last?.status, last?.conclusion]).toEqual(["completed", "neutral"]);
    // The sweep's batched reads: ⌈40/50⌉ page queries, not a query per repository.
    const batches = world.fake.requests
      .slice(before)
      .filter(
        (r) =>
          r.operation === "POST /graphql" &&
          String((r.body as { query?: string }).query).includes("releases"),
      );
    expect(batches.length, why()).toBeLessThanOrEqual(2);
    expect(world.fake.problems).toEqual([]);
  });

  it("fails with an annotation at the error's line when the proposed policy is invalid", async () => {
    await openPolicyPull(6, HEAD.invalid);
    const [run] = previewRuns(HEAD.invalid);
    expect(run?.conclusion, why()).toBe("failure");
    expect(run?.output.summary).toMatch(/invalid/);
    const annotations = run?.output.annotations as {
      path: string;
      start_line: number;
      annotation_level: string;
    }[];
    expect(annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      [POLICY_PATH, 5, "failure"],
    ]);
  });

  it("is previewed again when its preview's check run is re-requested", async () => {
    const before = previewRuns(HEAD.lowered).length;
    const payload = retarget(exampleOf("check_run", "rerequested"), DOTGITHUB);
    Object.assign(payload.check_run, {
      name: "POM policy preview",
      head_sha: HEAD.lowered,
      external_id: "preview:5",
      pull_requests: [
        {
          number: 5,
          head: { ref: "feature-5", sha: HEAD.lowered },
          base: { ref: "main", sha: shaOf("main") },
        },
      ],
    });
    expect((await world.send("check_run", payload)).status, why()).toBe(200);
    const runs = previewRuns(HEAD.lowered);
    expect(runs.length, why()).toBe(before + 1);
    expect(runs.at(-1)?.conclusion).toBe("neutral");
  });

  it("gets no preview when it does not change the policy", async () => {
    await openPolicyPull(7, HEAD.docs);
    expect(previewRuns(HEAD.docs), why()).toEqual([]);
  });
});
