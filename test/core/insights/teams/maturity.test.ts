/**
 * The team view's pure parts on hand-built repositories: the settings read from the org policy,
 * the ladder's treatment of figures it cannot decide (unknown stops the climb, never passes), the
 * stability and membership figures other readers may give, and the trio and focus counts.
 */
import { describe, expect, it } from "vitest";
import type { RepoMetrics } from "../../../../core/insights/metrics/org.js";
import { emptyHistory, recordSweep } from "../../../../core/insights/teams/history.js";
import { teamReport } from "../../../../core/insights/teams/report.js";
import { DEFAULT_TEAM_SETTINGS, teamSettings } from "../../../../core/insights/teams/settings.js";
import type { TeamRepo } from "../../../../core/insights/teams/types.js";
import { NOW } from "../../../helpers/engine.js";

const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

/** A repository that meets every criterion up to L4 but the change failure rate. */
function ready(repo: string, team = "acme/core", patch: Partial<TeamRepo> = {}): TeamRepo {
  const metrics = {
    repo,
    releaseFrequency: { cadence: { ms: 14 * DAY, coveredDays: 90, coverage: 1 }, lastRelease: null },
    leadTime: { medianHours: 10 },
    traceability: { pullRequests: 2, traced: 2 },
  } as unknown as RepoMetrics;
  return {
    repo,
    team,
    trio: { productManager: "pam", designer: "dan", techLead: "tess" },
    members: ["pam", "dan", "tess"],
    outcomes: [
      { id: "OKR-1", status: "active", metric: "m", target: 1, due: "2027-01-01", from: "manifest" },
    ],
    statuses: { "ownership.team": "pass", "ownership.codeowners": "pass", "release.unreleased": "pass" },
    cadence: { text: "14d", ms: 14 * DAY },
    metrics,
    traced: [
      { number: 1, mergedAt: ago(2), outcomes: ["OKR-1"] },
      { number: 2, mergedAt: ago(5), outcomes: ["OKR-1"] },
    ],
    historySince: ago(120),
    ...patch,
  };
}

const one = (repos: TeamRepo[], settings = DEFAULT_TEAM_SETTINGS) =>
  teamReport({ repos, settings, now: NOW }).teams[0];

describe("the maturity ladder", () => {
  it("stops at L3 while the change failure rate is unknown: unknown never passes", () => {
    const t = one([ready("acme/a")]);
    expect(t?.maturity.level).toBe(3);
    expect(t?.maturity.next).toEqual({
      level: 4,
      criterion: "change failure rate",
      detail: "unknown: the change failure rate is unknown: the releases of a repository were not read",
    });
    expect(t?.delivery.changeFailureRate.value).toBe("unknown");
  });

  it("reaches L4 with stability figures at or under the threshold, and not over it", () => {
    const evidence = ["https://github.com/acme/a/releases/tag/v2"];
    const good = one([
      ready("acme/a", "acme/core", { stability: { changeFailureRate: 0.15, failedTags: ["v2"] } }),
    ]);
    expect(good?.maturity.level).toBe(4);
    expect(good?.delivery.changeFailureRate).toEqual({ value: 0.15, evidence });
    const bad = one([
      ready("acme/a", "acme/core", { stability: { changeFailureRate: 0.2, failedTags: ["v2"] } }),
    ]);
    expect(bad?.maturity.next?.detail).toBe("change failure rate 0.2 (at most 0.15)");
  });

  it("holds a rate whose reverts were not read as a lower bound: unknown under the limit, failing over it", () => {
    const partial = (rate: number) =>
      one([
        ready("acme/a", "acme/core", {
          stability: { changeFailureRate: rate, failedTags: [], unread: ["reverts"] },
        }),
      ]);
    expect(partial(0.1)?.maturity.level).toBe(3);
    expect(partial(0.1)?.maturity.next?.detail).toBe(
      "unknown: change failure rate at least 0.1: reverts or incidents were not read in acme/a",
    );
    expect(partial(0.5)?.maturity.next?.detail).toBe("change failure rate 0.5 (at most 0.15)");
  });

  it("reaches L4 without stability figures when the policy leaves the rate out", () => {
    const settings = teamSettings({ version: 1, maturity: { change_failure_rate: "off" } });
    expect(one([ready("acme/a")], settings)?.maturity.level).toBe(4);
  });

  it("does not count members it did not read: L2 stops on an unknown", () => {
    const { members: _members, ...unread } = ready("acme/a");
    const t = one([unread]);
    expect(t?.maturity.level).toBe(1);
    expect(t?.maturity.next?.criterion).toBe("trio are members");
    expect(t?.trio.designer).toEqual({ login: "dan", member: "unknown" });
    expect(t?.members.value).toBe("unknown");
  });

  it("holds a stale outcome as unknown while the history does not reach back the stale limit", () => {
    const t = one([ready("acme/a", "acme/core", { traced: [], historySince: ago(30) })]);
    expect(t?.outcomes[0]?.stale).toBe("unknown");
  });

  it("shows churn, trio changes and tenure from the membership history, and unknown without it", () => {
    const at = (days: number) => new Date(NOW.getTime() - days * DAY);
    const trio = { product_manager: "pam", designer: "dan", tech_lead: "tess" };
    const state = (members: string[], designer: string) => [
      { team: "acme/core", id: 7, members, trio: { ...trio, designer } },
    ];
    // 100 days ago: four members. 50 days ago: dora joins as designer, dan leaves. 20 days ago:
    // the designer changes back. Churn (1 joined + 1 left) / 4 members now = 0.5; two trio changes.
    let history = recordSweep(emptyHistory("acme"), at(100), state(["pam", "dan", "tess", "tim"], "dan"));
    history = recordSweep(history, at(50), state(["pam", "dora", "tess", "tim"], "dora"));
    history = recordSweep(history, at(20), state(["pam", "dora", "tess", "tim"], "tim"));
    const t = teamReport({ repos: [ready("acme/a")], settings: DEFAULT_TEAM_SETTINGS, now: NOW, history })
      .teams[0];
    expect(t?.durability.churn90d.value).toBe(0.5);
    expect(t?.durability.churn90d.evidence).toEqual([
      "https://github.com/orgs/acme/teams/core",
      `${at(50).toISOString()} joined dora [sweep]`,
      `${at(50).toISOString()} left dan [sweep]`,
    ]);
    expect(t?.durability.trioChanges90d.value).toBe(2);
    expect(t?.durability.trioUnstable).toBe(true);
    expect(t?.durability.trioTenureDays.productManager).toMatchObject({ value: 100, atLeast: true });
    expect(t?.durability.trioTenureDays.designer).toMatchObject({ value: 20 });
    const none = one([ready("acme/a")])?.durability;
    expect([none?.churn90d.value, none?.trioChanges90d.value, none?.trioUnstable]).toEqual([
      "unknown",
      "unknown",
      "unknown",
    ]);
    // A history that begins 30 days ago does not cover the window: churn stays unknown.
    const young = recordSweep(emptyHistory("acme"), at(30), state(["pam"], "dan"));
    const y = teamReport({
      repos: [ready("acme/a")],
      settings: DEFAULT_TEAM_SETTINGS,
      now: NOW,
      history: young,
    });
    expect(y.teams[0]?.durability.churn90d.value).toBe("unknown");
  });
});

describe("team settings from the org policy", () => {
  it("has the documented defaults", () => {
    expect(teamSettings(null)).toEqual({
      levels: { "team.focus": "warn", "team.load": "off", "team.roles_shared": "warn", "team.trio": "warn" },
      limits: { focus: 3, load: null, rolesShared: 2, staleDays: 60 },
      maturity: { cadenceCoverage: 1, tracedShare: 0.8, changeFailureRate: 0.15 },
    });
  });

  it("takes levels, limits and thresholds from the policy; team.load turned on without a limit is 12", () => {
    const s = teamSettings({
      version: 1,
      rules: { "team.load": "warn", "team.focus": "off" },
      limits: { "team.focus": 5, "outcome.stale": "2w" },
      maturity: { traced_share: 0.5 },
    });
    expect(s.levels["team.focus"]).toBe("off");
    expect(s.limits).toEqual({ focus: 5, load: 12, rolesShared: 2, staleDays: 14 });
    expect(s.maturity.tracedShare).toBe(0.5);
  });

  it("evaluates no team rule the policy turns off", () => {
    const settings = teamSettings({
      version: 1,
      rules: { "team.focus": "off", "team.roles_shared": "off", "team.trio": "off" },
    });
    expect(one([ready("acme/a")], settings)?.findings).toEqual([]);
  });
});
