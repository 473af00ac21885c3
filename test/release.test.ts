/**
 * The release procedure as written down: the workflow releases only from a vX.Y.Z tag, checks the
 * committed action bundle before it creates anything, and moves the major tag last; and the docs
 * show `uses:` with a tag only once a release tag exists (until then, `@main` or a commit SHA).
 * actionlint checks the workflow itself (test/action/workflows.test.ts lints every workflow).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../testkit/build.js";

interface Step {
  name?: string;
  run?: string;
  uses?: string;
}

const workflow = parse(readFileSync(join(ROOT, ".github/workflows/release.yml"), "utf8")) as {
  on: { push: { tags: string[] }; workflow_dispatch: { inputs: Record<string, unknown> } };
  permissions: Record<string, string>;
  jobs: { release: { steps: Step[] } };
};
const steps = workflow.jobs.release.steps;
const stepIndex = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s.run ?? ""));

describe("the release workflow", () => {
  it("runs on a pushed vX.Y.Z tag, or by hand for a named tag", () => {
    expect(workflow.on.push.tags).toEqual(["v*.*.*"]);
    expect(Object.keys(workflow.on.workflow_dispatch.inputs)).toEqual(["tag"]);
  });

  it("asks only to write contents (the release and the major tag)", () => {
    expect(workflow.permissions).toEqual({ contents: "write" });
  });

  it("checks the tag, installs, checks the committed bundle, then releases, then moves the major tag", () => {
    const order = [
      /package\.json/,
      /^npm ci\b/,
      /^npm run bundle:check$/,
      /^npm pack$/,
      /gh release create/,
      /git push --force/,
    ];
    const at = order.map(stepIndex);
    expect(
      at.every((i) => i >= 0),
      `steps found at ${at.join(", ")}`,
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it.each([
    ["v1.4.2", "v1"],
    ["v12.0.1", "v12"],
  ])("moves, for %s, the major tag %s to the release's commit", (tag, major) => {
    const move = steps[stepIndex(/git push --force/)]?.run ?? "";
    const assignment = move.split("\n").find((line) => /^\s*major=/.test(line)) ?? "";
    const shown = execFileSync("bash", ["-c", `${assignment}\necho "$major"`], {
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "", TAG: tag },
    });
    expect(shown.trim()).toBe(major);
    expect(move).toContain('git tag --force "$major" "$TAG^{commit}"');
  });
});

/** Every `pom-governance/pom-governance@REF` the README and the docs show. */
function documentedRefs(): { file: string; ref: string }[] {
  const files = [
    "README.md",
    ...readdirSync(join(ROOT, "docs")).flatMap((f) => (f.endsWith(".md") ? [`docs/${f}`] : [])),
    ...readdirSync(join(ROOT, "docs/workflows")).map((f) => `docs/workflows/${f}`),
  ];
  return files.flatMap((file) =>
    [...readFileSync(join(ROOT, file), "utf8").matchAll(/pom-governance\/pom-governance@([\w.-]+)/g)].map(
      (m) => ({ file, ref: m[1] ?? "" }),
    ),
  );
}

describe("the documented uses: lines", () => {
  it("name a version tag only once a release tag exists; until then @main or a commit SHA", () => {
    // The release tags of this checkout (CI fetches them: fetch-depth 0).
    const releases = execFileSync("git", ["-C", ROOT, "tag", "--list", "v*.*.*"], { encoding: "utf8" })
      .split("\n")
      .filter((t) => /^v\d+\.\d+\.\d+$/.test(t));
    const majors = new Set(releases.map((t) => t.split(".")[0]));
    const refs = documentedRefs();
    expect(refs.length).toBeGreaterThan(4);
    const wrong = refs.filter(
      ({ ref }) => !(ref === "main" || /^[0-9a-f]{40}$/.test(ref) || majors.has(ref)),
    );
    expect(wrong).toEqual([]);
  });
});
