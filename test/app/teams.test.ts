/**
 * `membership` and `team` webhooks (real example payloads) change the owning teams' history kept
 * beside the reports, without a single request to GitHub.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nock from "nock";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FileTeamStore } from "../../app/store/team-store.js";
import { emptyHistory, recordSweep } from "../../core/insights/teams/history.js";
import { exampleOf } from "../../testkit/webhooks.js";
import { createProbot, mockGitHub } from "./harness.js";

const dir = mkdtempSync(join(tmpdir(), "pom-teams-"));
const store = new FileTeamStore(dir);
const before = process.env.POM_DATA_DIR;

beforeAll(() => {
  nock.disableNetConnect();
  process.env.POM_DATA_DIR = dir;
});
afterEach(() => nock.cleanAll());
afterAll(() => {
  if (before === undefined) delete process.env.POM_DATA_DIR;
  else process.env.POM_DATA_DIR = before;
  rmSync(dir, { recursive: true, force: true });
});

describe("team webhooks", () => {
  it("a membership webhook adds the member under its team in the history, with no read", async () => {
    // The last sweep saw Octocoders' team "github" (an owning team) with hubot only.
    await store.update("Octocoders", (h) =>
      recordSweep(h, new Date("2026-06-01T06:00:00Z"), [
        { team: "octocoders/github", id: 3253328, members: ["hubot"], trio: { tech_lead: "hubot" } },
      ]),
    );
    const github = mockGitHub(() => undefined);
    const payload = { ...exampleOf("membership", "added"), installation: { id: 1 } };
    await createProbot().receive({ id: "m1", name: "membership", payload: payload as never });
    expect(github.sent).toEqual([]);
    const latest = (await store.load("octocoders")).snapshots.at(-1);
    expect(latest?.by).toBe("membership");
    expect(latest?.teams).toEqual([
      {
        team: "octocoders/github",
        id: 3253328,
        members: ["Codertocat", "hubot"],
        trio: { tech_lead: "hubot" },
      },
    ]);
  });

  it("a team webhook renames the team in the history, with no read", async () => {
    const github = mockGitHub(() => undefined);
    await store.update("octocoders", () =>
      recordSweep(emptyHistory("octocoders"), new Date("2026-06-01T06:00:00Z"), [
        { team: "octocoders/old-name", id: 3253328, members: ["hubot"], trio: {} },
      ]),
    );
    const payload = { ...exampleOf("team", "edited"), installation: { id: 1 } };
    await createProbot().receive({ id: "t1", name: "team", payload: payload as never });
    expect(github.sent).toEqual([]);
    expect((await store.load("octocoders")).snapshots.at(-1)?.teams.map((t) => t.team)).toEqual([
      "octocoders/github",
    ]);
  });
});
