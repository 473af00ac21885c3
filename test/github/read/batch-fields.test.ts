/**
 * A sweep's pages ask only for the facts the rules the org policy leaves on declare: with the
 * release, CODEOWNERS and team rules off, no page asks for releases, history, CODEOWNERS or teams,
 * and a repository whose own manifest turns a rule back on reads that fact on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadPolicy } from "../../../core/manifest/manifest.js";
import { emptyTally, sweepInstallation } from "../../../github/flows/sweep.js";
import { batchFieldsFor } from "../../../github/read/batch-pages.js";
import { ALL_FIELDS } from "../../../github/read/batch-queries.js";
import type { GitHubClient } from "../../../github/transport/client.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { installationClient } from "../../helpers/fake-client.js";
import { manifestYaml } from "../../helpers/github.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const OFF = {
  "release.cadence": "off",
  "release.unreleased": "off",
  "ownership.codeowners": "off",
  "ownership.team": "off",
  "ownership.roles": "off",
};
const POLICY = stringify({ version: 1, rules: OFF });
const log = { info: () => {}, warn: () => {}, error: () => {} };

let fake: FakeGitHub;
let client: GitHubClient;

beforeAll(async () => {
  const at = new Date(NOW.getTime() - 2 * 86_400_000).toISOString();
  const repo = (name: string, manifest: string) => ({
    owner: "acme",
    name,
    files: { ".github/pom.yml": manifest, ".github/CODEOWNERS": "* @acme/payments\n" },
    commits: [{ sha: `${name.length}`.repeat(40).slice(0, 40), message: "Initial commit", date: at }],
    releases: [{ tag: "v1.0.0", publishedAt: at }],
  });
  fake = await startFakeGitHub({
    repos: [
      { owner: "acme", name: ".github", files: { ".github/pom-policy.yml": POLICY } },
      repo("quiet", manifestYaml()),
      // Turns the cadence rule back on for itself: its releases are read on their own.
      repo("shipping", manifestYaml({ rules: { "release.cadence": "error" } })),
    ],
    teams: [{ org: "acme", slug: "payments", members: ["alice"], repos: { "acme/quiet": "push" } }],
  });
  client = installationClient(fake, "ghs_fields");
});

afterAll(async () => {
  await fake?.close();
});

describe("the facts a sweep's pages ask for", () => {
  it("are every fact without an org policy", () => {
    expect(batchFieldsFor(null, NOW)).toEqual(ALL_FIELDS);
  });

  it("leave out what the rules the org policy turns off would read", () => {
    const policy = loadPolicy(POLICY, "pom-policy.yml");
    expect(batchFieldsFor(policy, NOW)).toEqual({
      codeowners: false,
      releases: false,
      history: false,
      teams: false,
    });
  });

  it("are what the queries ask, and a repository turning a rule back on reads its fact on its own", async () => {
    const tally = emptyTally();
    const judged: string[] = [];
    await sweepInstallation(
      { client, cache: new FileCache(), now: NOW },
      { id: 1, account: "acme", selection: "all" },
      tally,
      log,
      {
        tracking: false,
        onJudged: (repo, result) => {
          const cadence = result.evaluation?.findings.find((f) => f.rule === "release.cadence");
          judged.push(`${repo.ref.repo}:${cadence?.status ?? "none"}`);
        },
      },
    );
    const queries = fake.requests
      .filter((r) => r.operation === "POST /graphql")
      .map((r) => String((r.body as { query?: unknown }).query));
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) {
      expect(query).not.toMatch(/releases\(|history\(|codeowners0:|teams\(/);
    }
    expect(judged.sort()).toEqual([".github:none", "quiet:none", "shipping:pass"].sort());
    const releaseReads = fake.requests.filter((r) => r.operation === "GET /repos/{owner}/{repo}/releases");
    expect(releaseReads.map((r) => /\/repos\/acme\/([^/]+)\//.exec(r.path)?.[1])).toEqual(["shipping"]);
    // ownership.team is off everywhere: no custom property is read (it costs REST calls).
    expect(fake.requests.filter((r) => r.operation?.includes("/properties/values"))).toEqual([]);
    expect(fake.problems).toEqual([]);
  });
});
