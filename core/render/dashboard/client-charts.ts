/// <reference lib="dom" />
/**
 * The dashboard's charts, drawn as inline SVG: a release timeline per repository and the trend
 * lines of the headline figures. Inlined into the page as the text of each function (see
 * client.ts), so each uses nothing outside its own body and its arguments.
 */
import type { OrgReport } from "../../insights/report/build.js";
import type { DashboardKit, ReportRow } from "./client-kit.js";

/**
 * Appends the release cadence section; returns the function that draws a timeline for each row
 * the repository table shows: a tick per release, red where a gap outgrew the cadence.
 *
 * @example dashboardTimelines(kit, report, root)(rows) // one .timeline-row per row shown
 */
export function dashboardTimelines(
  kit: DashboardKit,
  report: OrgReport,
  root: HTMLElement,
): (rows: readonly ReportRow[]) => void {
  const { el, svg } = kit;
  const DAY = 86_400_000;
  const timelines = el("div", { id: "timelines", "data-testid": "timelines" });
  root.append(
    el("h2", {}, "Release cadence"),
    el(
      "p",
      { class: "meta" },
      "Each tick is a release; red stretches are longer than the repository's cadence.",
    ),
    timelines,
  );
  const from = Date.parse(`${report.window.from}T00:00:00Z`);
  const to = Date.parse(report.generatedAt);
  const timeline = (r: ReportRow): SVGElement => {
    const width = 640;
    const height = 22;
    const x = (ms: number) => Math.max(0, Math.min(width, ((ms - from) / Math.max(DAY, to - from)) * width));
    const chart = svg("svg", {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      class: "timeline",
      role: "img",
    });
    chart.append(svg("rect", { x: 0, y: 10, width, height: 2, fill: "#d0d7de" }));
    const cadence = r.metrics.releaseFrequency?.cadence.ms;
    const points = [from, ...r.timeline.map((t) => Date.parse(t.at)), to];
    if (cadence !== undefined && r.metrics.releaseFrequency) {
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1] as number;
        const b = points[i] as number;
        // Before the first release of the window, the gap counts from the last release before it.
        const start = i === 1 && r.releasedBefore ? Date.parse(r.releasedBefore.at) : a;
        if (b - start > cadence) {
          const late = Math.max(a, start + cadence);
          chart.append(
            svg("rect", {
              x: x(late),
              y: 9,
              width: Math.max(1, x(b) - x(late)),
              height: 4,
              fill: "#cf222e",
              class: "overdue",
            }),
          );
        }
      }
    }
    for (const t of r.timeline) {
      const tick = svg("rect", {
        x: x(Date.parse(t.at)) - 1,
        y: 3,
        width: 2,
        height: 16,
        fill: "#1f883d",
        class: "release",
      });
      const title = svg("title", {});
      title.textContent = `${t.tag} ${t.at}`;
      tick.append(title);
      chart.append(tick);
    }
    return chart;
  };
  return (rows) => {
    timelines.replaceChildren(
      ...rows.map((r) =>
        el(
          "div",
          { class: "timeline-row", "data-repo": r.label ?? r.repo },
          el("span", { class: "name" }, r.label ?? r.repo),
          timeline(r),
        ),
      ),
    );
  };
}

/**
 * Appends a small line chart per headline figure over the report's trend days; a day without a
 * value breaks the line.
 *
 * @example dashboardTrends(kit, report, root) // <div id="trends"> with five <figure class="trend-card">
 */
export function dashboardTrends(kit: DashboardKit, report: OrgReport, root: HTMLElement): void {
  const { el, svg, pct, num } = kit;
  const trends = el("div", { id: "trends", "data-testid": "trends" });
  root.append(el("h2", {}, "Trends"), trends);
  const lines: { name: string; label: string; share: boolean }[] = [
    { name: "traceability.tracedShare", label: "traced to an outcome", share: true },
    { name: "ownership.completeShare", label: "ownership complete", share: true },
    { name: "release.cadenceCoverage.mean", label: "cadence coverage (mean)", share: true },
    {
      name: "release.deploymentDaysPerWeek.median",
      label: "deployment days per week (median)",
      share: false,
    },
    { name: "leadTime.medianHours.median", label: "lead time, median hours", share: false },
  ];
  const days = report.trend.days;
  for (const line of lines) {
    const values = report.trend.series[line.name] ?? [];
    const width = 300;
    const height = 90;
    const known = values.filter((v): v is number => v !== null);
    const max = line.share ? 1 : Math.max(1, ...known);
    const chart = svg("svg", {
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      class: "trend",
      "data-metric": line.name,
      role: "img",
    });
    chart.append(svg("rect", { x: 0, y: 0, width, height, fill: "#f6f8fa" }));
    const px = (i: number) => (days.length <= 1 ? width / 2 : 8 + (i / (days.length - 1)) * (width - 16));
    const py = (v: number) => height - 8 - (v / max) * (height - 16);
    let path = "";
    values.forEach((v, i) => {
      if (v === null) return;
      path += `${path && values[i - 1] !== null && i > 0 ? "L" : "M"}${px(i).toFixed(1)},${py(v).toFixed(1)}`;
      chart.append(
        svg("circle", {
          cx: px(i).toFixed(1),
          cy: py(v).toFixed(1),
          r: 2.5,
          fill: "#0969da",
          class: "point",
        }),
      );
    });
    if (path)
      chart.append(
        svg("path", { d: path, fill: "none", stroke: "#0969da", "stroke-width": 2, class: "line" }),
      );
    const last = known.length > 0 ? known[known.length - 1] : null;
    trends.append(
      el(
        "figure",
        { class: "trend-card" },
        chart,
        el(
          "figcaption",
          {},
          `${line.label}: ${line.share ? pct(last) : num(last ?? null)} (${days[0] ?? "–"} to ${days[days.length - 1] ?? "–"})`,
        ),
      ),
    );
  }
}
