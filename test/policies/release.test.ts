import { describe, expect, it } from "vitest";
import type { ChangeInfo, ReleaseInfo } from "../../core/engine/facts.js";
import { known, unavailable } from "../../core/engine/facts.js";
import type { Status } from "../../core/engine/types.js";
import { ago, DAY, HOUR, manifest, NOW, SECOND, verdictOf } from "../helpers/engine.js";

const rel = (tag: string, publishedAt: string, extra: Partial<ReleaseInfo> = {}): ReleaseInfo => ({
  tag,
  publishedAt,
  ...extra,
});

describe("release.cadence for the repository", () => {
  const cases: {
    name: string;
    releases: ReleaseInfo[];
    release?: Record<string, unknown>;
    status: Status;
    latest?: string;
  }[] = [
    {
      name: "when the latest release is exactly at the cadence limit, it passes",
      releases: [rel("v1.0.0", ago(14 * DAY))],
      status: "pass",
      latest: "v1.0.0",
    },
    {
      name: "when the latest release is one second over the cadence limit, it fails",
      releases: [rel("v1.0.0", ago(14 * DAY + SECOND))],
      status: "fail",
      latest: "v1.0.0",
    },
    {
      name: "when the latest release is a day old, it passes",
      releases: [rel("v1.0.0", ago(30 * DAY)), rel("v1.1.0", ago(DAY))],
      status: "pass",
      latest: "v1.1.0",
    },
    {
      name: "when the repository has no releases at all, it fails",
      releases: [],
      status: "fail",
    },
    {
      name: "when the only recent release is a draft, it does not count and the rule fails",
      releases: [rel("v2.0.0", ago(DAY), { draft: true }), rel("v1.0.0", ago(20 * DAY))],
      status: "fail",
      latest: "v1.0.0",
    },
    {
      name: "when the only recent release is a pre-release, it does not count and the rule fails",
      releases: [rel("v2.0.0-rc.1", ago(DAY), { prerelease: true }), rel("v1.0.0", ago(20 * DAY))],
      status: "fail",
      latest: "v1.0.0",
    },
    {
      name: "when the only recent tag does not match tag_pattern, it does not count and the rule fails",
      releases: [rel("nightly-2026-06-14", ago(DAY)), rel("v1.0.0", ago(20 * DAY))],
      release: { tag_pattern: "v*" },
      status: "fail",
      latest: "v1.0.0",
    },
    {
      name: "when a recent tag matches tag_pattern, it counts and the rule passes",
      releases: [rel("checkout-v3", ago(DAY)), rel("v1.0.0", ago(20 * DAY))],
      release: { tag_pattern: "checkout-v*" },
      status: "pass",
      latest: "checkout-v3",
    },
    {
      name: "when the only recent tag is longer than 255 characters, tag_pattern never matches it and the rule fails",
      releases: [rel(`v${"1".repeat(300)}`, ago(DAY)), rel("v1.0.0", ago(20 * DAY))],
      release: { tag_pattern: "v*" },
      status: "fail",
      latest: "v1.0.0",
    },
    {
      name: "when every release is a draft or pre-release, the repository has no qualifying release and fails",
      releases: [rel("v1", ago(DAY), { draft: true }), rel("v2", ago(DAY), { prerelease: true })],
      status: "fail",
    },
    {
      name: "when a release has an unreadable date, it does not count",
      releases: [rel("v9", "not a date"), rel("v1", ago(20 * DAY))],
      status: "fail",
      latest: "v1",
    },
    {
      name: "when the cadence is weekly and the latest release is exactly seven days old, it passes",
      releases: [rel("v1", ago(7 * DAY))],
      release: { cadence: "weekly" },
      status: "pass",
    },
    {
      name: "when the cadence is weekly and the latest release is seven days and one second old, it fails",
      releases: [rel("v1", ago(7 * DAY + SECOND))],
      release: { cadence: "weekly" },
      status: "fail",
    },
    {
      name: "when the cadence is daily and the latest release is 25 hours old, it fails",
      releases: [rel("v1", ago(25 * HOUR))],
      release: { cadence: "daily" },
      status: "fail",
    },
    {
      name: "when the cadence is biweekly and the latest release is 14 days old, it passes",
      releases: [rel("v1", ago(14 * DAY))],
      release: { cadence: "biweekly" },
      status: "pass",
    },
    {
      name: "when the cadence is monthly and the latest release is 30 days old, it passes",
      releases: [rel("v1", ago(30 * DAY))],
      release: { cadence: "monthly" },
      status: "pass",
    },
    {
      name: "when the cadence is monthly and the latest release is 31 days old, it fails",
      releases: [rel("v1", ago(31 * DAY))],
      release: { cadence: "monthly" },
      status: "fail",
    },
    {
      name: "when the cadence is 2w and the latest release is 15 days old, it fails",
      releases: [rel("v1", ago(15 * DAY))],
      release: { cadence: "2w" },
      status: "fail",
    },
    {
      name: "when the cadence is 36h and the latest release is 35 hours old, it passes",
      releases: [rel("v1", ago(35 * HOUR))],
      release: { cadence: "36h" },
      status: "pass",
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("release.cadence", {
        subject: "repo",
        manifest: manifest(c.release ? { release: c.release } : {}),
        facts: { releases: known(c.releases) },
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("error");
      if (c.latest) expect(finding.evidence.some((e) => e.startsWith(`latest: ${c.latest} at`))).toBe(true);
      if (c.status === "fail") expect(finding.fix).not.toBe("");
      else expect(finding.fix).toBe("");
    });
  }

  it("when no manifest declares a cadence, the default of 14d applies", () => {
    const finding = verdictOf("release.cadence", {
      subject: "repo",
      manifest: manifest({ release: undefined }),
      facts: { releases: known([rel("v1", ago(14 * DAY + SECOND))]) },
    });
    expect(finding.status).toBe("fail");
    expect(finding.evidence).toContain("cadence: 14d (from default)");
  });

  it("when the cadence fails, the finding points at release.cadence in the manifest", () => {
    const finding = verdictOf("release.cadence", {
      subject: "repo",
      facts: { releases: known([]) },
    });
    expect(finding.location?.file).toBe(".github/pom.yml");
    expect(finding.evidence).toContain("cadence: 14d (from manifest)");
  });

  it("when the overdue release fails, the fix says by how much it is overdue", () => {
    const finding = verdictOf("release.cadence", {
      subject: "repo",
      facts: { releases: known([rel("v1", ago(16 * DAY))]) },
    });
    expect(finding.fix).toContain("overdue by 2d");
  });

  it("when the releases cannot be read, it is unknown, never a pass", () => {
    const finding = verdictOf("release.cadence", {
      subject: "repo",
      facts: { releases: unavailable("HTTP 403", "contents:read") },
    });
    expect(finding.status).toBe("unknown");
    expect(finding.fix).toContain("contents:read");
  });
});

describe("release.cadence for a release", () => {
  const publishedAt = NOW.toISOString();
  const cases: {
    name: string;
    current: ReleaseInfo;
    releases: ReleaseInfo[];
    release?: Record<string, unknown>;
    status: Status;
    previous?: string;
  }[] = [
    {
      name: "when the gap to the previous release is exactly the cadence, it passes",
      current: rel("v2", publishedAt),
      releases: [rel("v2", publishedAt), rel("v1", ago(14 * DAY))],
      status: "pass",
      previous: "v1",
    },
    {
      name: "when the gap to the previous release is one second over the cadence, it fails",
      current: rel("v2", publishedAt),
      releases: [rel("v2", publishedAt), rel("v1", ago(14 * DAY + SECOND))],
      status: "fail",
      previous: "v1",
    },
    {
      name: "when it is the first release, it passes",
      current: rel("v1", publishedAt),
      releases: [rel("v1", publishedAt)],
      status: "pass",
    },
    {
      name: "when it is the first release and the list of releases does not include it yet, it passes",
      current: rel("v1", publishedAt),
      releases: [],
      status: "pass",
    },
    {
      name: "when the release is a pre-release, it is skipped",
      current: rel("v2-rc", publishedAt, { prerelease: true }),
      releases: [rel("v1", ago(100 * DAY))],
      status: "skip",
    },
    {
      name: "when the release is a draft, it is skipped",
      current: rel("v2", publishedAt, { draft: true }),
      releases: [rel("v1", ago(100 * DAY))],
      status: "skip",
    },
    {
      name: "when the release tag does not match tag_pattern, it is skipped",
      current: rel("nightly", publishedAt),
      releases: [rel("v1", ago(100 * DAY))],
      release: { tag_pattern: "v*" },
      status: "skip",
    },
    {
      name: "when the previous release by date is a pre-release, the gap is measured to the qualifying one before it",
      current: rel("v2", publishedAt),
      releases: [rel("v2-rc", ago(DAY), { prerelease: true }), rel("v1", ago(20 * DAY))],
      status: "fail",
      previous: "v1",
    },
    {
      name: "when the previous release by date does not match tag_pattern, the gap is measured to the matching one",
      current: rel("v2", publishedAt),
      releases: [rel("docs-1", ago(DAY)), rel("v1", ago(3 * DAY))],
      release: { tag_pattern: "v*" },
      status: "pass",
      previous: "v1",
    },
    {
      name: "when an older release is edited, the gap is measured to the release before it, not to later ones",
      current: rel("v1", ago(30 * DAY)),
      releases: [
        rel("v3", ago(DAY)),
        rel("v2", ago(10 * DAY)),
        rel("v1", ago(30 * DAY)),
        rel("v0", ago(35 * DAY)),
      ],
      status: "pass",
      previous: "v0",
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("release.cadence", {
        subject: "release",
        manifest: manifest(c.release ? { release: c.release } : {}),
        facts: { release: known(c.current), releases: known(c.releases) },
      });
      expect(finding.status).toBe(c.status);
      if (c.previous)
        expect(finding.evidence.some((e) => e.startsWith(`previous: ${c.previous} at`))).toBe(true);
    });
  }
});

describe("release.unreleased", () => {
  const change = (sha: string, mergedAt: string, number?: number): ChangeInfo => ({
    sha,
    mergedAt,
    title: `change ${sha}`,
    ...(number ? { number } : {}),
  });
  const cases: { name: string; changes: ChangeInfo[]; status: Status; cadence?: string }[] = [
    { name: "when nothing is waiting to be released, it passes", changes: [], status: "pass" },
    {
      name: "when the oldest unreleased change has waited exactly the cadence, it passes",
      changes: [change("aaaaaaaaa", ago(DAY)), change("bbbbbbbbb", ago(14 * DAY))],
      status: "pass",
    },
    {
      name: "when the oldest unreleased change has waited one second over the cadence, it fails",
      changes: [change("aaaaaaaaa", ago(DAY)), change("bbbbbbbbb", ago(14 * DAY + SECOND), 42)],
      status: "fail",
    },
    {
      name: "when changes arrive in any order, the oldest decides",
      changes: [change("ccccccccc", ago(20 * DAY)), change("aaaaaaaaa", ago(DAY))],
      status: "fail",
    },
    {
      name: "when the cadence is weekly and a change has waited eight days, it fails",
      changes: [change("aaaaaaaaa", ago(8 * DAY))],
      cadence: "weekly",
      status: "fail",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const finding = verdictOf("release.unreleased", {
        subject: "repo",
        manifest: manifest(c.cadence ? { release: { cadence: c.cadence } } : {}),
        facts: { unreleased: known(c.changes) },
      });
      expect(finding.status).toBe(c.status);
      expect(finding.level).toBe("warn");
    });
  }

  it("when a change waits too long, the message names it by pull request number", () => {
    const finding = verdictOf("release.unreleased", {
      subject: "repo",
      facts: { unreleased: known([change("bbbbbbbbb", ago(15 * DAY), 42)]) },
    });
    expect(finding.message).toContain("#42");
    expect(finding.evidence).toContain("1 unreleased change");
  });

  it("when a change without a number waits too long, the message names it by short sha", () => {
    const finding = verdictOf("release.unreleased", {
      subject: "repo",
      facts: { unreleased: known([change("0123456789abcdef", ago(15 * DAY))]) },
    });
    expect(finding.message).toContain("0123456");
  });

  it("when the unreleased changes cannot be read, it is unknown", () => {
    const finding = verdictOf("release.unreleased", { subject: "repo", facts: {} });
    expect(finding.status).toBe("unknown");
  });
});
