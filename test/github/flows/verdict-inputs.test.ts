/** The hash of what a pull request's verdict is computed from: equal inputs, equal hash; any change shows. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ENGINE_VERSION } from "../../../core/engine/version.js";
import type { Loaded, Manifest } from "../../../core/manifest/manifest.js";
import { inputsHash, type PullRequestInputs } from "../../../github/flows/verdict-inputs.js";
import { baseManifest } from "../../helpers/engine.js";

const manifest = { ok: true, value: baseManifest() } as unknown as Loaded<Manifest>;
const base: PullRequestInputs = {
  headSha: "a".repeat(40),
  pullRequest: {
    number: 7,
    title: "CHK-12: wallet",
    body: "Fixes #3",
    labels: ["ux", "api"],
    author: "dana",
  },
  manifest,
  policy: null,
};

describe("inputsHash", () => {
  it("is the same for the same inputs, whatever the order of labels and issues", () => {
    const issues = [
      { number: 3, title: "a", body: null, labels: ["x", "y"], author: "e" },
      { number: 4, title: "b", body: "c", labels: [], author: "e" },
    ];
    const one = inputsHash({ ...base, closingIssues: { ok: true, value: issues } });
    const two = inputsHash({
      ...base,
      pullRequest: { ...base.pullRequest, labels: ["api", "ux"] },
      closingIssues: { ok: true, value: [issues[1], { ...issues[0], labels: ["y", "x"] }] as never },
    });
    expect(one).toBe(two);
    expect(one).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["the head commit", { headSha: "b".repeat(40) }],
    ["the title", { pullRequest: { ...base.pullRequest, title: "wallet" } }],
    ["the body", { pullRequest: { ...base.pullRequest, body: null } }],
    ["a label", { pullRequest: { ...base.pullRequest, labels: ["ux"] } }],
    ["the author", { pullRequest: { ...base.pullRequest, author: "erin" } }],
    [
      "a linked issue's text",
      {
        closingIssues: { ok: true, value: [{ number: 3, title: "z", body: null, labels: [], author: "e" }] },
      },
    ],
    [
      "the manifest",
      { manifest: { ok: true, value: { ...baseManifest(), rules: { "outcome.pull_request": "warn" } } } },
    ],
    ["the org policy", { policy: { ok: true, value: { version: 1 } } }],
    ["the proposed manifest", { proposed: { path: ".github/pom.yml", manifest } }],
    ["the next dated change", { nextChange: "2027-01-01T00:00:00.000Z" }],
  ])("changes with %s", (_what, patch) => {
    expect(inputsHash({ ...base, ...(patch as Partial<PullRequestInputs>) })).not.toBe(inputsHash(base));
  });

  it("names the engine's version, which is the package's", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(ENGINE_VERSION).toBe(pkg.version);
  });
});
