/**
 * Whether a pull request touches the manifest does not depend on how many other files it changes.
 * GitHub lists a pull request's files 100 at a time (and at most 3,000); a check that looked only at
 * the first page let a deletion or a loosening of `.github/pom.yml` through when it came late in a
 * big change. The real server, against the loopback fake GitHub, with signed deliveries.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { shaOf } from "../../testkit/fake-github/server.js";
import type { FakeSeed } from "../../testkit/fake-github/state.js";
import { type AppUnderTest, pullRequestOpened, startAppUnderTest } from "./app-under-test.js";

const TARGET = { owner: "acme", name: "big", defaultBranch: "main" };
const REPO = "acme/big";
const MANIFEST_PATH = ".github/pom.yml";

const STRICT = {
  version: 1,
  product: { name: "Big" },
  team: { name: "Core", github: "acme/core" },
  release: { cadence: "14d" },
  outcomes: [{ id: "BIG-1", title: "Ship the big thing", metric: "m", target: "1", status: "active" }],
};
const POLICY = stringify({
  version: 1,
  rules: { "outcome.pull_request": "error" },
  locked: ["outcome.pull_request"],
});

interface Big {
  name: string;
  number: number;
  /** How many files the pull request changes. */
  size: number;
  /** Where among them (1-based) the manifest is, and what the head has there (null: deleted). */
  manifestAt?: { position: number; text: string | null };
  /** The check's conclusion, and what the summary must say. */
  conclusion: "success" | "neutral" | "failure";
  says?: RegExp;
}

const CASES: Big[] = [
  {
    name: "deletes the manifest as file 151 of 151",
    number: 31,
    size: 151,
    manifestAt: { position: 151, text: null },
    conclusion: "failure",
    says: /deletes the manifest/,
  },
  {
    name: "breaks the manifest as file 120 of 151",
    number: 32,
    size: 151,
    manifestAt: { position: 120, text: stringify({ ...STRICT, teem: "oops" }) },
    conclusion: "failure",
    says: /teem/,
  },
  {
    name: "lowers a locked rule as file 120 of 151",
    number: 33,
    size: 151,
    manifestAt: { position: 120, text: stringify({ ...STRICT, rules: { "outcome.pull_request": "warn" } }) },
    conclusion: "failure",
    says: /org policy locks outcome\.pull\\_request/,
  },
  {
    name: "edits the manifest validly as file 130 of 151",
    number: 34,
    size: 151,
    manifestAt: { position: 130, text: stringify({ ...STRICT, release: { cadence: "7d" } }) },
    // Valid, so nothing fails; manifest.protected (warn) sees the edit at file 130 and asks for
    // the owning team's approval, which nobody gave.
    conclusion: "neutral",
    says: /manifest\.protected/,
  },
  {
    name: "deletes the manifest as file 3,001 of 3,001 (past GitHub's file list)",
    number: 35,
    size: 3_001,
    manifestAt: { position: 3_001, text: null },
    conclusion: "failure",
    says: /deletes the manifest/,
  },
  { name: "changes 151 other files only", number: 36, size: 151, conclusion: "success" },
];

const shaFor = (c: Big) => shaOf(`big pr ${c.number}`);

/** `size` paths, the manifest at its position when the case has one. */
function changedFiles(c: Big): string[] {
  const files = Array.from({ length: c.size }, (_, i) => `src/module-${i + 1}.ts`);
  if (c.manifestAt) files[c.manifestAt.position - 1] = MANIFEST_PATH;
  return files;
}

/** The head's tree: the manifest as the case leaves it (and nothing else the rules read). */
function headTree(c: Big): Record<string, string> {
  if (!c.manifestAt) return { [MANIFEST_PATH]: stringify(STRICT) };
  return c.manifestAt.text === null ? {} : { [MANIFEST_PATH]: c.manifestAt.text };
}

function seed(publicKey: string): FakeSeed {
  return {
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, appId: 1, account: "acme" }],
    repos: [
      { owner: "acme", name: ".github", files: { ".github/pom-policy.yml": POLICY } },
      {
        ...TARGET,
        files: { [MANIFEST_PATH]: stringify(STRICT), ".github/CODEOWNERS": "* @acme/core\n" },
        filesAt: Object.fromEntries(CASES.map((c) => [shaFor(c), headTree(c)])),
        commits: [{ message: "Initial commit", date: new Date(Date.now() - 86_400_000).toISOString() }],
        pulls: CASES.map((c) => ({
          number: c.number,
          title: `BIG-1: ${c.name}`,
          body: "Part of BIG-1.",
          headSha: shaFor(c),
          files: changedFiles(c),
        })),
      },
    ],
    teams: [{ org: "acme", slug: "core", members: ["erin"], repos: { [REPO]: "push" } }],
  };
}

let world: AppUnderTest;

beforeAll(async () => {
  world = await startAppUnderTest(seed);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe("a big pull request is judged on the manifest it proposes, wherever the manifest is in its file list", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("a pull request that %s", async (_name, c) => {
    const delivery = await world.send(
      "pull_request",
      pullRequestOpened(TARGET, { number: c.number, title: `BIG-1: ${c.name}`, sha: shaFor(c), body: "" }),
    );
    expect(delivery.status).toBe(200);
    const runs = world.fake.state.repo(REPO).checkRuns.filter((r) => r.head_sha === shaFor(c));
    const why = world.app.output().slice(-3_000);
    expect(runs, why).toHaveLength(1);
    const summary = runs[0]?.output.summary ?? "";
    expect(runs[0]?.conclusion, summary).toBe(c.conclusion);
    if (c.says) {
      if (c.conclusion === "failure") expect(summary).toMatch(/\| `manifest\.valid` \| ❌ fail \| error \|/);
      expect(summary).toMatch(c.says);
    }
    // The outcome gate itself is the default branch's, and it passes on BIG-1.
    expect(summary).toMatch(/\| `outcome\.pull_request` \| ✅ pass \|/);
  });

  it("never listed a pull request's files to decide it, and asked GitHub only valid questions", () => {
    const queries = world.fake.requests
      .filter((r) => r.operation === "POST /graphql")
      .map((r) => String((r.body as { query?: unknown }).query));
    expect(queries.some((q) => /\bfiles\(/.test(q))).toBe(false);
    expect(world.fake.problems).toEqual([]);
  });
});
