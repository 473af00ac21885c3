/// <reference lib="dom" />
/**
 * The dashboard's Teams page: one row per owning team (its maturity level and the one thing that
 * stops the next, the trio, people shared with other teams, active outcomes, delivery figures,
 * team findings, links to its repositories), the unowned repositories, and how many teams were at
 * each level on each day of the history. Inlined into the page as the text of its function (see
 * client.ts), so it uses nothing outside its own body and its arguments; user text only ever goes
 * into text nodes.
 */
import type { OrgReport } from "../../insights/report/build.js";
import type { DashboardKit } from "./client-kit.js";

/**
 * Appends the Teams section (`#teams`).
 *
 * @example dashboardTeams(kit, report, root) // <section id="teams"><h2>Teams</h2>…
 */
export function dashboardTeams(kit: DashboardKit, report: OrgReport, root: HTMLElement): void {
  const { el, num, pct } = kit;
  const teams = report.teams;
  if (!teams) return;
  const section = el("section", { id: "teams" }, el("h2", {}, "Teams"));
  const l = teams.levels;
  section.append(
    el(
      "p",
      { class: "meta", id: "team-levels" },
      `${teams.teams.length} teams — L0 ${l[0]}, L1 ${l[1]}, L2 ${l[2]}, L3 ${l[3]}, L4 ${l[4]}. Unowned repositories: ${teams.unowned.length}.`,
    ),
  );
  const link = (href: string, text: string) =>
    /^https?:\/\//.test(href) ? el("a", { href, rel: "noopener noreferrer" }, text) : el("span", {}, text);
  const figure = (f: { value: number | null | "unknown" }, show: (v: number | null) => string) =>
    f.value === "unknown" ? "unknown" : show(f.value);
  const head = [
    "team",
    "level",
    "what stops the next level",
    "repositories",
    "PM / designer / tech lead",
    "shared",
    "active outcomes",
    "deployment days / week",
    "lead time",
    "traced",
    "change failure rate",
    "time to restore",
    "churn (90 d)",
    "trio changes (90 d)",
    "team findings",
  ];
  const body = el("tbody");
  for (const t of teams.teams) {
    const repos = el("td", { "data-key": "repos" });
    t.repos.forEach((r, i) => {
      if (i > 0) repos.append(", ");
      repos.append(link(r.url, r.label ?? r.repo));
    });
    const trio = [t.trio.productManager, t.trio.designer, t.trio.techLead]
      .map((f) => (f.login === null ? "none" : `${f.login}${f.member === false ? " (not a member)" : ""}`))
      .join(" / ");
    const findings = el("td", { "data-key": "findings" });
    for (const f of t.findings.filter((x) => x.status === "fail"))
      findings.append(el("div", { class: `finding ${f.level}` }, `${f.rule}: ${f.message}`));
    const next = t.maturity.next;
    body.append(
      el(
        "tr",
        { "data-team": t.team },
        el(
          "td",
          { "data-key": "team" },
          link(t.url, t.team),
          t.names.length > 0 ? ` (${t.names.join(", ")})` : "",
        ),
        el("td", { "data-key": "level" }, `L${t.maturity.level}`),
        el("td", { "data-key": "next" }, next ? `${next.criterion}: ${next.detail}` : "–"),
        repos,
        el("td", { "data-key": "trio" }, trio),
        el(
          "td",
          { "data-key": "shared" },
          t.shared.map((p) => `${p.login} (also ${p.otherTeams.join(", ")})`).join("; ") || "–",
        ),
        el("td", { "data-key": "outcomes" }, String(t.outcomes.length)),
        el(
          "td",
          {},
          figure(t.delivery.deploymentDaysPerWeek, (v) => num(v)),
        ),
        el(
          "td",
          {},
          figure(t.delivery.leadTimeMedianHours, (v) => num(v, " h")),
        ),
        el(
          "td",
          {},
          figure(t.delivery.tracedShare, (v) => pct(v)),
        ),
        el(
          "td",
          {},
          figure(t.delivery.changeFailureRate, (v) => pct(v)),
        ),
        el(
          "td",
          {},
          figure(t.delivery.timeToRestoreHours ?? { value: "unknown" }, (v) => num(v, " h")),
        ),
        el(
          "td",
          {},
          figure(t.durability.churn90d, (v) => pct(v)),
        ),
        el(
          "td",
          { "data-key": "trio-changes" },
          figure(t.durability.trioChanges90d ?? { value: "unknown" }, (v) => num(v)) +
            (t.durability.trioUnstable === true ? " (unstable)" : ""),
        ),
        findings,
      ),
    );
  }
  section.append(
    el(
      "table",
      { id: "teams-table" },
      el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
      body,
    ),
  );
  if (teams.unowned.length > 0) {
    const list = el("ul", { id: "unowned" });
    for (const u of teams.unowned) list.append(el("li", {}, link(u.url, u.repo), ` — ${u.reason}`));
    section.append(el("h3", {}, "Unowned repositories"), list);
  }
  // The spread of levels over time: one row per day of the history that has it.
  const series = report.trend?.series ?? {};
  const days = report.trend?.days ?? [];
  const rows = days
    .map((day, i) => ({ day, counts: [0, 1, 2, 3, 4].map((n) => series[`teams.L${n}`]?.[i] ?? null) }))
    .filter((r) => r.counts.some((c) => c !== null))
    .slice(-30);
  if (rows.length > 0) {
    section.append(
      el("h3", {}, "Teams per level over time"),
      el(
        "table",
        { id: "team-levels-history" },
        el("thead", {}, el("tr", {}, ...["day", "L0", "L1", "L2", "L3", "L4"].map((h) => el("th", {}, h)))),
        el(
          "tbody",
          {},
          ...rows.map((r) => el("tr", {}, el("td", {}, r.day), ...r.counts.map((c) => el("td", {}, num(c))))),
        ),
      ),
    );
  }
  root.append(section);
}
