/**
 * The release rules judge the repository as it was at `now`: a release or a change dated after it
 * does not exist yet (so no age is ever negative), a source that counts more unreleased
 * changes than it lists gives the count, and the evidence names what releases were read from.
 */
import { describe, expect, it } from "vitest";
import { known } from "../../core/engine/facts.js";
import { ago, DAY, verdictOf } from "../helpers/engine.js";

const later = (ms: number) => ago(-ms);

describe("release.cadence as of now", () => {
  it("when the newest release is dated after now, the one before it decides", () => {
    const finding = verdictOf("release.cadence", {
      subject: "repo",
      facts: {
        releases: known([
          { tag: "v1.0.0", publishedAt: ago(20 * DAY) },
          { tag: "v1.1.0", publishedAt: later(2 * DAY) },
        ]),
      },
    });
    expect(finding.status).toBe("fail");
    expect(finding.message).toBe("the latest release v1.0.0 is 20d old; the cadence is 14d");
  });

  it("when every release is dated after now, there is no qualifying release yet", () => {
    const finding = verdictOf("release.cadence", {
      subject: "repo",
      facts: { releases: known([{ tag: "v1.0.0", publishedAt: later(DAY) }]) },
    });
    expect(finding.status).toBe("fail");
    expect(finding.message).toContain("no qualifying release");
  });
});

describe("release.unreleased as of now", () => {
  it("when a change landed after now, it is not yet waiting", () => {
    const finding = verdictOf("release.unreleased", {
      subject: "repo",
      facts: {
        unreleased: known([
          { sha: "aaaaaaaaa", mergedAt: later(DAY), title: "tomorrow" },
          { sha: "bbbbbbbbb", mergedAt: ago(3 * DAY), title: "three days ago" },
        ]),
      },
    });
    expect(finding.status).toBe("pass");
    expect(finding.message).toBe("the oldest unreleased change has waited 3d, within 14d");
    expect(finding.evidence).toContain("1 unreleased change");
  });

  it("when only changes after now are listed, everything is released", () => {
    const finding = verdictOf("release.unreleased", {
      subject: "repo",
      facts: { unreleased: known([{ sha: "aaaaaaaaa", mergedAt: later(DAY), title: "tomorrow" }]) },
    });
    expect(finding).toMatchObject({
      status: "pass",
      message: "every change on the default branch is released",
    });
  });

  it("when the source counts more changes than it lists, the evidence gives the count", () => {
    const finding = verdictOf("release.unreleased", {
      subject: "repo",
      facts: {
        unreleased: known([{ sha: "bbbbbbbbb", mergedAt: ago(30 * DAY), title: "the oldest" }]),
        unreleasedCount: known(1_500),
      },
    });
    expect(finding.status).toBe("fail");
    expect(finding.evidence).toContain("1500 unreleased changes");
  });
});

describe("release.cadence evidence", () => {
  const releases = known([{ tag: "v1.0.0", publishedAt: ago(DAY) }]);

  it("names release.source when the releases were read from it", () => {
    const finding = verdictOf("release.cadence", { subject: "repo", facts: { releases } });
    expect(finding.evidence).toContain("source: releases");
  });

  it("names the tags when tags were read for release.source: releases, and says what was declared", () => {
    const finding = verdictOf("release.cadence", {
      subject: "repo",
      facts: { releases, releasesReadFrom: known("tags") },
    });
    expect(finding.evidence).toContain("source: tags (release.source is releases)");
  });
});
