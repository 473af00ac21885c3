/**
 * `pom check --github` (the built command) while GitHub misbehaves: a burst of 5xx answers is
 * ridden out, a fact GitHub keeps failing to give is named and fails the check, and a malformed
 * setting is refused as a usage error.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { ensureBuilt, type JsonVerdict, pom } from "../cli/pom.js";
import { appKeys, FAST_GITHUB, OWNER, reliabilitySeed, warmUp } from "./helpers.js";

const TOKEN = "ghs_cli_faults";
let fake: FakeGitHub;

beforeAll(async () => {
  ensureBuilt();
  fake = await startFakeGitHub(
    reliabilitySeed({ now: Date.now(), publicKey: appKeys().publicKey, names: ["burst", "down"] }),
  );
  await warmUp(fake, "burst");
  fake.state.tokens.set(TOKEN, 1);
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

function check(name: string, env: Record<string, string> = FAST_GITHUB) {
  return pom(
    ["check", "--github", `${OWNER}/${name}`, "--now", new Date().toISOString(), "--format", "json"],
    {
      cwd: process.cwd(),
      env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: `${fake.url}/api/v3`, ...env },
    },
  );
}

describe.concurrent("pom check --github while GitHub fails", () => {
  it("rides out a burst of 5xx answers to the right verdict", async () => {
    const faults = [
      fake.inject({
        match: "GET /repos/{owner}/{repo}/contents/{path}",
        repo: `${OWNER}/burst`,
        times: 2,
        status: 502,
      }),
      fake.inject({ match: "POST /graphql", repo: `${OWNER}/burst`, status: 503 }),
    ];
    const result = await check("burst");
    expect(faults.map((f) => f.hits)).toEqual([2, 1]);
    expect(result.code, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as JsonVerdict).conclusion).toBe("success");
  });

  it("names a fact GitHub keeps failing to give, and fails", async () => {
    const fault = fake.inject({
      match: "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}",
      repo: `${OWNER}/down`,
      times: Infinity,
      status: 503,
    });
    const result = await check("down");
    fault.remove();
    expect(result.code, result.stderr).toBe(1);
    const verdict = JSON.parse(result.stdout) as JsonVerdict;
    expect(verdict.conclusion).toBe("failure");
    const team = verdict.findings.find((f) => f.rule === "ownership.team");
    expect(team?.status).toBe("unknown");
    expect(team?.message).toContain("GitHub answered 503");
  });

  it("refuses a malformed setting as a usage error", async () => {
    const result = await check("burst", { POM_GITHUB_TIMEOUT_MS: "30s" });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('POM_GITHUB_TIMEOUT_MS must be a whole number of at least 1; got "30s"');
  });
});
