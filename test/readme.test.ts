import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const root = new URL("..", import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, "utf8");
const firstScreen = readme.split("\n").slice(0, 30).join("\n");

describe("the README's two commands", () => {
  it("are on the first screen: install and run the main job, then run the tests", () => {
    const block = /```sh\n([\s\S]*?)```/.exec(firstScreen)?.[1] ?? "";
    const commands = block
      .split("\n")
      .map((l) => l.replace(/#.*$/, "").trim())
      .filter(Boolean);
    expect(commands).toEqual(["npm ci && npx pom check", "npm test"]);
  });

  it("match what CI runs: a clean install and then the test command", () => {
    const ci = readFileSync(`${root}.ci/run`, "utf8");
    expect(ci).toMatch(/^npm ci\b/m);
    expect(ci).toMatch(/^npm test$/m);
    const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
    expect(pkg.scripts.test).toMatch(/typecheck/);
    expect(pkg.scripts.test).toMatch(/lint/);
    expect(pkg.bin.pom).toBe("bin/pom.js");
  });

  it("`pom check` on this repository succeeds (exit 0) and reports on its own manifest", () => {
    const run = spawnSync(process.execPath, ["bin/pom.js", "check", "--format", "json"], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const verdict = JSON.parse(run.stdout);
    expect(verdict.conclusion).not.toBe("failure");
    expect(verdict.findings.find((f: { rule: string }) => f.rule === "manifest.valid")?.status).toBe("pass");
  });
});
