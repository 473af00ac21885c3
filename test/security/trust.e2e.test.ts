/**
 * A pull request cannot loosen its own gate. Each pull request here names no outcome and edits the
 * manifest to get away with it: it exempts its label or its author, waives the rule, lowers the
 * rule's level, or moves the manifest somewhere else. The real app server and the committed action
 * bundle, both against the loopback fake GitHub, must judge every one of them by the default
 * branch's manifest: outcome.pull_request fails at level error, and the check fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { findingsOf, installationToken, runAction } from "../../testkit/action-runner.js";
import { shaOf } from "../../testkit/fake-github/server.js";
import type { FakeSeed } from "../../testkit/fake-github/state.js";
import { type AppUnderTest, pullRequestOpened, startAppUnderTest } from "./app-under-test.js";

const TARGET = { owner: "acme", name: "trust", defaultBranch: "main" };
const REPO = "acme/trust";

const STRICT = {
  version: 1,
  product: { name: "Trust" },
  team: { name: "Core", github: "acme/core" },
  release: { cadence: "14d" },
  outcomes: [{ id: "TRU-1", title: "Keep the gate honest", metric: "m", target: "1", status: "active" }],
  rules: { "outcome.pull_request": "error" },
};
const loosened = (patch: Record<string, unknown>) => stringify({ ...STRICT, ...patch });

interface Attempt {
  name: string;
  number: number;
  labels?: string[];
  /** The manifest files at the pull request's head. */
  head: Record<string, string>;
  /** The paths the pull request changes. */
  files: string[];
  /** What the proposed manifest's own finding says. */
  proposed: "pass" | "fail" | "none";
}

const ATTEMPTS: Attempt[] = [
  {
    name: "exempts a label it carries",
    number: 11,
    labels: ["yolo"],
    head: { ".github/pom.yml": loosened({ exemptions: { labels: ["yolo"] } }) },
    files: [".github/pom.yml"],
    proposed: "pass",
  },
  {
    name: "exempts its author",
    number: 12,
    head: { ".github/pom.yml": loosened({ exemptions: { authors: ["erin"] } }) },
    files: [".github/pom.yml"],
    proposed: "pass",
  },
  {
    name: "waives the rule",
    number: 13,
    head: {
      ".github/pom.yml": loosened({
        waivers: [{ rule: "outcome.pull_request", until: "2099-12-31", reason: "trust me" }],
      }),
    },
    files: [".github/pom.yml"],
    proposed: "pass",
  },
  {
    name: "turns the rule off",
    number: 14,
    head: { ".github/pom.yml": loosened({ rules: { "outcome.pull_request": "off" } }) },
    files: [".github/pom.yml"],
    proposed: "pass",
  },
  {
    name: "lowers the rule to a warning",
    number: 15,
    head: { ".github/pom.yml": loosened({ rules: { "outcome.pull_request": "warn" } }) },
    files: [".github/pom.yml"],
    proposed: "pass",
  },
  {
    name: "moves the manifest to the root, loosened",
    number: 16,
    head: { "pom.yml": loosened({ rules: { "outcome.pull_request": "off" } }) },
    files: [".github/pom.yml", "pom.yml"],
    proposed: "fail",
  },
  {
    name: "adds a loosened root pom.yml beside the governing one",
    number: 17,
    head: {
      ".github/pom.yml": stringify(STRICT),
      "pom.yml": loosened({ rules: { "outcome.pull_request": "off" } }),
    },
    files: ["pom.yml"],
    proposed: "none",
  },
];

/** For the action's `manifest` input: the pull request loosens the manifest that input names. */
const CUSTOM: Attempt = {
  name: "loosens the manifest the workflow names",
  number: 18,
  head: { "config/pom.yml": loosened({ rules: { "outcome.pull_request": "off" } }) },
  files: ["config/pom.yml"],
  proposed: "pass",
};

const LOOSE_TARGET = { owner: "acme", name: "loose", defaultBranch: "main" };
const CONTROL: Attempt = {
  name: "control",
  number: 21,
  labels: ["yolo"],
  head: {},
  files: ["src/x.ts"],
  proposed: "none",
};
const CONTROL_PR = { number: 21, title: "Loosen the gate: control", body: "No outcome here." };

const shaFor = (a: Attempt) => shaOf(`trust pr ${a.number}`);

function seed(publicKey: string): FakeSeed {
  return {
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, appId: 1, account: "acme" }],
    repos: [
      {
        ...TARGET,
        files: {
          ".github/pom.yml": stringify(STRICT),
          "config/pom.yml": stringify(STRICT),
          ".github/CODEOWNERS": "* @acme/core\n",
        },
        filesAt: Object.fromEntries([...ATTEMPTS, CUSTOM].map((a) => [shaFor(a), a.head])),
        commits: [{ message: "Initial commit", date: new Date(Date.now() - 86_400_000).toISOString() }],
        pulls: [...ATTEMPTS, CUSTOM].map((a) => ({
          number: a.number,
          title: `Loosen the gate: ${a.name}`,
          body: "No outcome here.",
          headSha: shaFor(a),
          files: a.files,
          ...(a.labels ? { labels: a.labels } : {}),
        })),
      },
      {
        // The control: the same loosening, merged, does open the gate.
        ...LOOSE_TARGET,
        files: { ".github/pom.yml": loosened({ exemptions: { labels: ["yolo"] } }) },
        commits: [{ message: "Initial commit", date: new Date(Date.now() - 86_400_000).toISOString() }],
        pulls: [{ ...CONTROL_PR, headSha: shaFor(CONTROL), files: ["src/x.ts"], labels: ["yolo"] }],
      },
    ],
    teams: [{ org: "acme", slug: "core", members: ["erin"], repos: { [REPO]: "push" } }],
  };
}

function payloadFor(a: Attempt) {
  return pullRequestOpened(TARGET, {
    number: a.number,
    title: `Loosen the gate: ${a.name}`,
    sha: shaFor(a),
    body: "No outcome here.",
    labels: a.labels ?? [],
  });
}

let world: AppUnderTest;

beforeAll(async () => {
  world = await startAppUnderTest(seed);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe("the app judges a pull request by the default branch's manifest", () => {
  it.each(ATTEMPTS.map((a) => [a.name, a] as const))(
    "fails a pull request that %s",
    async (_name, attempt) => {
      const delivery = await world.send("pull_request", payloadFor(attempt));
      expect(delivery.status).toBe(200);
      const runs = world.fake.state.repo(REPO).checkRuns.filter((r) => r.head_sha === shaFor(attempt));
      const why = world.app.output().slice(-3_000);
      expect(runs, why).toHaveLength(1);
      expect(runs[0]?.conclusion).toBe("failure");
      const summary = runs[0]?.output.summary ?? "";
      expect(summary).toMatch(/\| `outcome\.pull_request` \| ❌ fail \| error \|/);
      expect(summary).not.toMatch(/skip|waived/);
      // The proposed manifest was read and judged as a finding of its own, not as the gate.
      const proposedRow = /\| `manifest\.valid` \| [^|]*(pass|fail) \|/.exec(summary)?.[1] ?? "none";
      expect(proposedRow).toBe(attempt.proposed);
    },
  );

  it("skips the same pull request where the default branch itself exempts its label (the control)", async () => {
    const payload = pullRequestOpened(LOOSE_TARGET, {
      ...CONTROL_PR,
      sha: shaFor(CONTROL),
      labels: ["yolo"],
    });
    expect((await world.send("pull_request", payload)).status).toBe(200);
    const runs = world.fake.state.repo("acme/loose").checkRuns;
    expect(runs, world.app.output().slice(-3_000)).toHaveLength(1);
    expect(runs[0]?.conclusion).toBe("success");
    expect(runs[0]?.output.summary).toMatch(/\| `outcome\.pull_request` \| ⏭️ skip \|/);
  });

  it("never read the governing manifest or the org policy from a pull request's commit", () => {
    const configReads = world.fake.requests.filter(
      (r) => r.operation === "GET /repos/{owner}/{repo}/contents/{path}" && !r.path.includes("?ref="),
    );
    expect(configReads.length).toBeGreaterThan(0);
    const headReads = world.fake.requests.filter((r) => r.path.includes("?ref="));
    // Reads at a head commit are only of the manifest path, to validate the proposal.
    for (const r of headReads)
      expect(decodeURIComponent(r.path)).toMatch(/contents\/(\.github\/)?pom\.yml\?ref=[0-9a-f]{40}$/);
    expect(world.fake.problems).toEqual([]);
  });
});

describe("the action judges a pull request by the default branch's manifest", () => {
  const actionRun = (attempt: Attempt, event: string, inputs: Record<string, string> = {}) =>
    runAction({
      fake: world.fake,
      repository: REPO,
      event,
      payload: { ...payloadFor(attempt), installation: undefined },
      sha: shaFor(attempt),
      inputs: { token: installationToken(world.fake, 1), ...inputs },
    });

  it.each(
    ATTEMPTS.flatMap((a) => [
      [a.name, "pull_request", a] as const,
      [a.name, "pull_request_target", a] as const,
    ]),
  )("fails a pull request that %s (%s)", async (_name, event, attempt) => {
    const run = await actionRun(attempt, event);
    const why = run.describe();
    expect(run.code, why).toBe(1);
    expect(run.outputs.conclusion, why).toBe("failure");
    const gate = findingsOf(run).filter((f) => f.rule === "outcome.pull_request");
    expect(gate, why).toEqual([expect.objectContaining({ status: "fail", level: "error" })]);
  });

  it("passes the same pull request where the default branch itself exempts its label (the control)", async () => {
    const run = await runAction({
      fake: world.fake,
      repository: "acme/loose",
      event: "pull_request",
      payload: {
        ...pullRequestOpened(LOOSE_TARGET, { ...CONTROL_PR, sha: shaFor(CONTROL), labels: ["yolo"] }),
        installation: undefined,
      },
      sha: shaFor(CONTROL),
      inputs: { token: installationToken(world.fake, 1) },
    });
    expect(run.code, run.describe()).toBe(0);
    expect(findingsOf(run).find((f) => f.rule === "outcome.pull_request")?.status).toBe("skip");
  });

  it("fails a pull request that loosens the manifest named by the manifest input", async () => {
    const run = await actionRun(CUSTOM, "pull_request_target", { manifest: "config/pom.yml" });
    const why = run.describe();
    expect(run.code, why).toBe(1);
    const findings = findingsOf(run);
    expect(
      findings.filter((f) => f.rule === "outcome.pull_request"),
      why,
    ).toEqual([expect.objectContaining({ status: "fail", level: "error" })]);
    // The proposal was seen (and is valid): it is a finding, not the gate.
    expect(findings.filter((f) => f.rule === "manifest.valid").map((f) => f.status)).toEqual(["pass"]);
    const reads = run.requests.filter((r) => r.operation === "GET /repos/{owner}/{repo}/contents/{path}");
    expect(reads.some((r) => decodeURIComponent(r.path).endsWith("contents/config/pom.yml"))).toBe(true);
  });
});
