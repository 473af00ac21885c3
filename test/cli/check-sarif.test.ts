/**
 * `pom check --format sarif` on real checkouts: valid SARIF 2.1.0, paths from the repository's
 * top wherever the command runs, the same fingerprints a day later, and the usual exit codes.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FINGERPRINT_KEY } from "../../core/render/sarif-fingerprint.js";
import { sarifProblems } from "../../testkit/sarif/validate.js";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { DAY, daysAgo, ensureBuilt, manifestYaml, NOW, NOW_ISO, pom } from "./pom.js";

interface SarifResult {
  ruleId: string;
  level: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
}

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-sarif-");
});

afterAll(() => tmp?.cleanup());

async function sarif(cwd: string, args: string[] = [], now = NOW_ISO) {
  const run = await pom(["check", "--now", now, "--format", "sarif", ...args], { cwd });
  const log = JSON.parse(run.stdout);
  return { ...run, log, results: log.runs[0].results as SarifResult[] };
}

describe.concurrent("pom check --format sarif", () => {
  it("writes valid SARIF 2.1.0 with the late release and the foreign CODEOWNERS line as results", async () => {
    const repo = tmp.repo();
    repo.write(".github/pom.yml", manifestYaml()).write(".github/CODEOWNERS", "* @acme/other\n");
    repo.commit("initial commit", daysAgo(20));
    repo.tag("v1.0.0");
    const { code, log, results } = await sarif(repo.dir);
    expect(sarifProblems(log)).toEqual([]);
    expect(code).toBe(1);
    const byRule = Object.fromEntries(results.map((r) => [r.ruleId, r]));
    expect(byRule["release.cadence"]?.level).toBe("error");
    expect(byRule["ownership.codeowners"]?.level).toBe("warning");
    expect(byRule["ownership.codeowners"]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      ".github/CODEOWNERS",
    );
    // Offline, the team rules are undecided: notes, never left out as if they passed.
    expect(byRule["ownership.team"]?.level).toBe("note");
  });

  it("keeps every fingerprint the same when the same checkout is judged a day later", async () => {
    const repo = tmp.repo();
    repo.write(".github/pom.yml", manifestYaml()).write(".github/CODEOWNERS", "* @acme/other\n");
    repo.commit("initial commit", daysAgo(20));
    repo.tag("v1.0.0");
    const today = await sarif(repo.dir);
    const tomorrow = await sarif(repo.dir, [], new Date(NOW.getTime() + DAY).toISOString());
    const prints = (results: SarifResult[]) =>
      results.map((r) => `${r.ruleId} ${r.partialFingerprints[FINGERPRINT_KEY]}`);
    expect(prints(tomorrow.results)).toEqual(prints(today.results));
    expect(today.results.length).toBeGreaterThan(1);
  });

  it("names files from the repository's top when run elsewhere with --repo", async () => {
    const repo = tmp.repo();
    const product = join(repo.dir, "services", "checkout");
    mkdirSync(join(product, ".github"), { recursive: true });
    writeFileSync(join(product, ".github", "pom.yml"), manifestYaml());
    repo.commit("initial commit", daysAgo(20));
    repo.tag("v1.0.0");
    const { results } = await sarif(tmp.path, ["--repo", product]);
    const cadence = results.find((r) => r.ruleId === "release.cadence");
    expect(cadence?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      "services/checkout/.github/pom.yml",
    );
    expect(cadence?.locations[0]?.physicalLocation.region.startLine).toBeGreaterThan(1);
  });

  it("reports nothing but the offline notes for a repository that complies, and exits 0", async () => {
    const repo = tmp.repo();
    repo.write(".github/pom.yml", manifestYaml()).write(".github/CODEOWNERS", "* @acme/payments\n");
    repo.commit("initial commit", daysAgo(2));
    repo.tag("v1.0.0");
    const { code, results } = await sarif(repo.dir);
    expect(code).toBe(0);
    expect(results.map((r) => r.level)).toEqual(results.map(() => "note"));
  });
});
