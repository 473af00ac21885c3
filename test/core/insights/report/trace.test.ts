import { describe, expect, it } from "vitest";
import type { PullRequestInfo } from "../../../../core/engine/facts.js";
import { tracePullRequests } from "../../../../core/insights/report/trace.js";
import { loadManifest } from "../../../../core/manifest/manifest.js";
import { RULES } from "../../../../policies/registry.js";

const NOW = new Date("2026-06-15T12:00:00Z");
const manifest = (extra = "") =>
  loadManifest(
    `version: 1
product: { name: Checkout }
team: { name: Payments, github: acme/payments }
outcomes:
  - { id: CHK-12, title: Cut abandonment, metric: rate, target: "55%" }
  - { id: OKR-3, title: Activation, metric: act, target: "40%" }
  - { id: OLD-1, title: Done, status: achieved }
exemptions: { labels: [chore] }
${extra}`,
    ".github/pom.yml",
  );

const pr = (number: number, over: Partial<PullRequestInfo> = {}): PullRequestInfo => ({
  number,
  title: "A change",
  body: null,
  labels: [],
  author: "alice",
  mergedAt: "2026-06-10T12:00:00Z",
  closingIssues: [],
  ...over,
});

describe("tracePullRequests: merged work judged by the outcome rule", () => {
  it("maps each pull request's finding to a trace, with the outcomes it served", () => {
    const traced = tracePullRequests(
      {
        manifest: manifest(),
        now: NOW,
        pullRequests: [
          pr(1, { title: "CHK-12 and OKR-3: checkout" }),
          pr(2, { labels: ["outcome:OKR-3"] }),
          pr(3, {
            closingIssues: [
              { number: 9, title: "Carts vanish (CHK-12)", body: null, labels: [], author: "bob" },
            ],
          }),
          pr(4, { labels: ["chore"] }),
          pr(5, { title: "Refactor" }),
          pr(6, { title: "More OLD-1" }),
        ],
      },
      RULES,
    );
    expect(traced).toEqual([
      { number: 1, mergedAt: "2026-06-10T12:00:00Z", trace: "outcome", outcomes: ["CHK-12", "OKR-3"] },
      { number: 2, mergedAt: "2026-06-10T12:00:00Z", trace: "outcome", outcomes: ["OKR-3"] },
      { number: 3, mergedAt: "2026-06-10T12:00:00Z", trace: "outcome", outcomes: ["CHK-12"] },
      { number: 4, mergedAt: "2026-06-10T12:00:00Z", trace: "exempt" },
      { number: 5, mergedAt: "2026-06-10T12:00:00Z", trace: "none" },
      { number: 6, mergedAt: "2026-06-10T12:00:00Z", trace: "none" },
    ]);
  });

  it("applies the waivers in force when each pull request was merged", () => {
    const waived = manifest(
      `waivers:\n  - { rule: outcome.pull_request, until: 2026-06-05, reason: Freeze }`,
    );
    const traced = tracePullRequests(
      {
        manifest: waived,
        now: NOW,
        pullRequests: [
          pr(1, { mergedAt: "2026-06-04T12:00:00Z" }),
          pr(2, { mergedAt: "2026-06-06T12:00:00Z" }),
        ],
      },
      RULES,
    );
    expect(traced.map((t) => t.trace)).toEqual(["waived", "none"]);
  });

  it("measures a repository that turned the rule off", () => {
    const off = manifest("rules: { outcome.pull_request: off }");
    const traced = tracePullRequests(
      { manifest: off, now: NOW, pullRequests: [pr(1, { title: "CHK-12" }), pr(2)] },
      RULES,
    );
    expect(traced.map((t) => t.trace)).toEqual(["outcome", "none"]);
  });

  it("leaves out pull requests without a readable merge time, and traces nothing without a valid manifest", () => {
    expect(
      tracePullRequests(
        { manifest: manifest(), now: NOW, pullRequests: [pr(1, { mergedAt: "soon" })] },
        RULES,
      ),
    ).toEqual([]);
    const broken = loadManifest("version: 2\n", ".github/pom.yml");
    expect(
      tracePullRequests({ manifest: broken, now: NOW, pullRequests: [pr(1, { title: "CHK-12" })] }, RULES),
    ).toEqual([{ number: 1, mergedAt: "2026-06-10T12:00:00Z", trace: "unknown" }]);
  });
});
