/**
 * A sweep's snapshot of the owning teams for the durability history: the direct members from the
 * sweep's own team batches (no read of its own) and the trio the manifests name.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emptyTally } from "../../../github/flows/sweep.js";
import { gatherInsights } from "../../../github/insights/org-insights.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { installationClient } from "../../helpers/fake-client.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const log = { info: () => {}, warn: () => {}, error: () => {} };
const manifest = (team: string, pm: string) =>
  `version: 1\nproduct: { name: P }\nteam: { name: T, github: ${team}, product_manager: "@${pm}", designer: dana, tech_lead: tom }\n`;
let fake: FakeGitHub;

beforeAll(async () => {
  fake = await startFakeGitHub({
    repos: [
      { owner: "acme", name: "a", files: { ".github/pom.yml": manifest("acme/payments", "pat") } },
      { owner: "acme", name: "b", files: { ".github/pom.yml": manifest("acme/payments", "other") } },
      { owner: "acme", name: "c", files: { ".github/pom.yml": manifest("acme/ghost", "pat") } },
      { owner: "acme", name: "d" },
    ],
    teams: [
      {
        org: "acme",
        slug: "payments",
        members: ["pat", "dana", "tom"],
        repos: { "acme/a": "push", "acme/b": "push" },
      },
      { org: "acme", slug: "search", members: ["sam"] },
    ],
  });
});
afterAll(async () => {
  await fake?.close();
});

describe("the sweep's team snapshot", () => {
  it("has each owning team with its direct members and the first manifest's trio", async () => {
    const client = installationClient(fake, "ghs_teams");
    const gathered = await gatherInsights(
      { client, cache: new FileCache(), now: NOW },
      { id: 1, account: "acme", selection: "all" },
      log,
      { now: NOW, windowDays: 90, tracking: false },
      emptyTally(),
    );
    const payments = fake.state.teams.get("acme/payments");
    // acme/ghost does not exist and acme/search owns nothing: neither is in the snapshot.
    expect(gathered.teams).toEqual({
      teams: [
        {
          team: "acme/payments",
          id: payments?.id,
          members: ["pat", "dana", "tom"],
          trio: { product_manager: "pat", designer: "dana", tech_lead: "tom" },
        },
      ],
      unlisted: [],
    });
    expect(fake.problems).toEqual([]);
  });
});
