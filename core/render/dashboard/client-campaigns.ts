/// <reference lib="dom" />
/**
 * The dashboard's campaigns: per org campaign its deadline, how many repositories are ready, how
 * many would fail once it blocks, where its trend started, and per team. Inlined into the page as
 * the text of its function (see client.ts), so it uses nothing outside its own body and arguments.
 */
import type { OrgReport } from "../../insights/report/build.js";
import type { DashboardKit } from "./client-kit.js";

/**
 * Appends a table of the campaigns' readiness; nothing when the org policy declares none.
 *
 * @example dashboardCampaigns(kit, report, root) // <table id="campaigns"> with one row per campaign
 */
export function dashboardCampaigns(kit: DashboardKit, report: OrgReport, root: HTMLElement): void {
  const { el, pct } = kit;
  const campaigns = report.campaigns ?? [];
  if (campaigns.length === 0) return;
  const head = [
    "campaign",
    "deadline",
    "ready",
    "would fail at the deadline",
    "trend",
    "by team (ready/judged)",
  ];
  const table = el(
    "table",
    { id: "campaigns", "data-testid": "campaigns" },
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", {}, h)))),
  );
  const body = el("tbody", {});
  for (const c of campaigns) {
    const left = c.daysLeft > 0 ? ` (in ${c.daysLeft} days)` : " (passed)";
    const trend = c.since ? `${pct(c.since.readyShare)} on ${c.since.day} → ${pct(c.readyShare)}` : "–";
    const teams = c.byTeam.map((t) => `${t.team ?? "no team"} ${t.ready}/${t.total}`).join(", ");
    body.append(
      el(
        "tr",
        {
          "data-campaign": c.id,
          title: c.failingRepos.length > 0 ? `failing: ${c.failingRepos.join(", ")}` : "",
        },
        el("td", {}, el("code", {}, c.id), ` ${c.title} (${c.rules.join(", ")})`),
        el("td", {}, `${c.deadline}${left}`),
        el("td", {}, `${c.ready} of ${c.total} (${pct(c.readyShare)})`),
        el("td", {}, String(c.failing)),
        el("td", {}, trend),
        el("td", {}, teams),
      ),
    );
  }
  table.append(body);
  root.append(el("h2", {}, "Campaigns"), table);
}
