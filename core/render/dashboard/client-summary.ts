/// <reference lib="dom" />
/**
 * The dashboard's figures: the title, the headline cards, the repositories the sweep could not
 * judge, and the bars of pull requests per outcome. Inlined into the page as the text of each
 * function (see client.ts), so each uses nothing outside its own body and its arguments.
 */
import type { OrgReport } from "../../insights/report/build.js";
import type { DashboardKit } from "./client-kit.js";

/**
 * Appends the title, the window, the headline cards and, when there are any, the repositories
 * that could not be judged.
 *
 * @example dashboardSummary(kit, report, root) // root now starts with <h1>POM governance report…
 */
export function dashboardSummary(kit: DashboardKit, report: OrgReport, root: HTMLElement): void {
  const { el, pct, num } = kit;
  const m = report.metrics;
  root.append(
    el("h1", {}, `POM governance report${report.org ? ` — ${report.org}` : ""}`),
    el(
      "p",
      { class: "meta" },
      `Window ${report.window.from} to ${report.window.to} (${report.window.days} days, UTC). Generated ${report.generatedAt}. ` +
        `Release tiers use the ${report.tierThresholds.name} thresholds over deployment days.`,
    ),
  );
  const card = (label: string, value: string, id: string) =>
    el(
      "div",
      { class: "card", "data-testid": `kpi-${id}` },
      el("div", { class: "value" }, value),
      el("div", { class: "label" }, label),
    );
  const tiers = m.releaseFrequency.tiers;
  root.append(
    el(
      "section",
      { class: "cards" },
      card("repositories", String(m.repos), "repos"),
      card("merged pull requests traced to an outcome", pct(m.traceability.tracedShare), "traced"),
      card("ownership complete", pct(m.ownership.completeShare), "ownership"),
      card("cadence coverage (mean)", pct(m.releaseFrequency.cadenceCoverage.mean), "coverage"),
      card(
        "deployment days per week (median)",
        num(m.releaseFrequency.deploymentDaysPerWeek.median),
        "frequency",
      ),
      card("lead time, median hours", num(m.leadTime.medianHours.median), "lead-time"),
      card(
        "tiers elite / high / medium / low",
        `${tiers.elite} / ${tiers.high} / ${tiers.medium} / ${tiers.low}`,
        "tiers",
      ),
    ),
  );

  // Repositories the sweep could not judge: named, so that a short table explains itself.
  const failed = report.failed ?? [];
  if (failed.length > 0) {
    const list = el("ul", {});
    for (const f of failed.slice(0, 100)) list.append(el("li", {}, `${f.repo}: ${f.reason}`));
    root.append(
      el(
        "section",
        { id: "failed", class: "failed", role: "alert" },
        el("strong", {}, `${failed.length} repositories could not be judged and are not counted below.`),
        list,
      ),
    );
  }
}

/**
 * Appends a bar per outcome (the first 50), scaled to the outcome with the most pull requests;
 * nothing when the report names no outcome.
 *
 * @example dashboardOutcomes(kit, report, root) // <div id="outcomes"> with one .bar-row per outcome
 */
export function dashboardOutcomes(kit: DashboardKit, report: OrgReport, root: HTMLElement): void {
  const { el } = kit;
  const outcomes = report.metrics.traceability.byOutcome;
  if (outcomes.length === 0) return;
  const top = Math.max(1, ...outcomes.map((o) => o.pullRequests));
  root.append(
    el("h2", {}, "Pull requests per outcome"),
    el(
      "div",
      { id: "outcomes" },
      ...outcomes
        .slice(0, 50)
        .map((o) =>
          el(
            "div",
            { class: "bar-row" },
            el("span", { class: "name" }, o.id),
            el("span", { class: "bar", style: `width:${Math.round((o.pullRequests / top) * 300)}px` }),
            el("span", {}, String(o.pullRequests)),
          ),
        ),
    ),
  );
}
