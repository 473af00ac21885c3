/**
 * An organization of six teams for the team view, each built to stop at a chosen maturity level or
 * to break a chosen team rule, plus a repository without a manifest. What each choice makes of
 * the figures is worked out beside it; the tests compare those by hand with the report.
 *
 *   team      repos              made to be
 *   l0        l0-app             L0: the team may only read its repository (ownership.team fails)
 *   l1        l1-app             L1: no designer named
 *   l2        l2-app             L2: releases every 20 days with a 14d cadence; its outcome is overdue
 *   l3        l3-app             L3: ships every 2 days, but no pull request names an outcome; the
 *                                release of 11 days ago (v1.5.0) is hotfixed 6 hours later
 *   l4        l4-app             L4: every pull request traces to a measurable, current outcome; an
 *                                incident names v1.2.0 (5 days ago), open from 4 days ago for 12 h
 *   focus     focus-a, focus-b   four active outcomes (team.focus 3), two repositories (team.load 1),
 *                                two designers named (team.trio), F-4 has no traced work (stale)
 *   sam is product manager of l0, l1 and focus: three teams (team.roles_shared 2)
 */
import { createHash } from "node:crypto";
import type { FakeSeed, SeedRepo } from "../../../../testkit/fake-github/server.js";
import type { SeedIssue, SeedPull } from "../../../../testkit/fake-github/state.js";

const DAY = 86_400_000;
const HOUR = 3_600_000;

export const POLICY = `version: 1
manifest: warn
report: issue
rules: { outcome.declared: error, team.focus: warn, team.load: warn, team.roles_shared: warn }
limits: { team.focus: 3, team.load: 1, team.roles_shared: 2, outcome.stale: 60d }
`;

interface Made {
  team: string;
  trio: { pm?: string; ux?: string; tl?: string };
  outcomes: { id: string; due?: string }[];
  rhythm: number | null;
  pulls: string[];
  /** Releases besides the rhythm's: tag and days (and hours) before now. */
  extra?: { tag: string; days: number; hours: number }[];
  issues?: (now: (days: number, hours?: number) => string) => SeedIssue[];
}

function manifest(m: Made, name: string): string {
  const trio = [
    m.trio.pm ? `  product_manager: ${m.trio.pm}` : "",
    m.trio.ux ? `  designer: ${m.trio.ux}` : "",
    m.trio.tl ? `  tech_lead: ${m.trio.tl}` : "",
  ].filter(Boolean);
  const outcomes = m.outcomes.map(
    (o) =>
      `  - id: ${o.id}\n    metric: m_${o.id.replace("-", "_")}\n    target: "10%"${o.due ? `\n    due: ${o.due}` : ""}`,
  );
  return `version: 1
product:
  name: ${name}
team:
  name: Team ${m.team}
  github: acme/${m.team}
${trio.join("\n")}
release:
  cadence: 14d
outcomes:
${outcomes.join("\n")}
`;
}

/** Pull requests merged 3, 10 and 17 days (and 6 hours) before `now`, titled as given. */
function pulls(titles: string[], at: (days: number, hours?: number) => string): SeedPull[] {
  return titles.map((title, i) => ({
    number: i + 1,
    title,
    mergedAt: at(3 + 7 * i, 6),
    state: "closed" as const,
  }));
}

function repo(name: string, m: Made, now: Date): SeedRepo {
  const at = (days: number, hours = 0) => new Date(now.getTime() - days * DAY - hours * HOUR).toISOString();
  // Each release on a commit of its own: releases of one commit count as one deployment.
  const commit = (tag: string) => createHash("sha1").update(`${name} ${tag}`).digest("hex");
  const releases = [];
  if (m.rhythm !== null)
    for (let days = 1; days <= 130; days += m.rhythm) {
      const tag: string = `v1.${releases.length}.0`;
      releases.push({ tag, publishedAt: at(days), target: commit(tag) });
    }
  for (const x of m.extra ?? [])
    releases.push({ tag: x.tag, publishedAt: at(x.days, x.hours), target: commit(x.tag) });
  return {
    owner: "acme",
    name,
    files: { ".github/pom.yml": manifest(m, name), ".github/CODEOWNERS": `* @acme/${m.team}\n` },
    commits: [{ message: "Initial commit", date: at(200) }],
    releases,
    pulls: pulls(m.pulls, at),
    ...(m.issues ? { issues: m.issues(at) } : {}),
  };
}

const DUE = "2027-01-31";

export const MADE: Record<string, Made> = {
  "l0-app": {
    team: "l0",
    trio: { pm: "sam", ux: "ula", tl: "tim" },
    outcomes: [{ id: "L0-1", due: DUE }],
    rhythm: 2,
    pulls: ["L0-1 start"],
  },
  "l1-app": {
    team: "l1",
    trio: { pm: "sam", tl: "ted" },
    outcomes: [{ id: "L1-1", due: DUE }],
    rhythm: 2,
    pulls: ["L1-1 start"],
  },
  "l2-app": {
    team: "l2",
    trio: { pm: "pia", ux: "dov", tl: "tia" },
    outcomes: [{ id: "L2-1", due: "2026-05-01" }],
    rhythm: 20,
    pulls: ["L2-1 start"],
  },
  "l3-app": {
    team: "l3",
    trio: { pm: "pete", ux: "dora", tl: "tanya" },
    outcomes: [{ id: "L3-1", due: DUE }],
    rhythm: 2,
    pulls: ["Refactor", "Tidy up", "Faster build"],
    extra: [{ tag: "hotfix-checkout-total", days: 10, hours: 18 }],
  },
  "l4-app": {
    team: "l4",
    trio: { pm: "paula", ux: "dirk", tl: "toni" },
    outcomes: [{ id: "L4-1", due: DUE }],
    rhythm: 2,
    pulls: ["L4-1: first step", "L4-1: second step", "L4-1: third step"],
    issues: (at) => [
      {
        title: "Sign-in fails after v1.2.0",
        labels: ["incident"],
        state: "closed",
        createdAt: at(4),
        closedAt: at(3, 12),
      },
    ],
  },
  "focus-a": {
    team: "focus",
    trio: { pm: "sam", ux: "dee", tl: "tom" },
    outcomes: [
      { id: "F-1", due: DUE },
      { id: "F-2", due: DUE },
    ],
    rhythm: null,
    pulls: ["F-1 work", "F-2 work"],
  },
  "focus-b": {
    team: "focus",
    trio: { pm: "sam", ux: "dana", tl: "tom" },
    outcomes: [
      { id: "F-3", due: DUE },
      { id: "F-4", due: DUE },
    ],
    rhythm: null,
    pulls: ["F-3 work"],
  },
};

/** The organization, its teams (members and permissions) and its `.github` repository. */
export function teamSeed(now: Date): FakeSeed {
  const repos = Object.entries(MADE).map(([name, m]) => repo(name, m, now));
  const teams = [...new Set(Object.values(MADE).map((m) => m.team))].map((slug) => {
    const owned = Object.entries(MADE).filter(([, m]) => m.team === slug);
    const members = new Set<string>(["dev"]);
    for (const [, m] of owned) for (const login of Object.values(m.trio)) if (login) members.add(login);
    return {
      org: "acme",
      slug,
      members: [...members],
      repos: Object.fromEntries(
        owned.map(([name]) => [`acme/${name}`, slug === "l0" ? ("pull" as const) : ("push" as const)]),
      ),
    };
  });
  return {
    repos: [
      ...repos,
      { owner: "acme", name: "no-manifest", files: { "README.md": "hi\n" } },
      { owner: "acme", name: ".github", files: { ".github/pom-policy.yml": POLICY } },
    ],
    teams,
  };
}
