/// <reference lib="dom" />
/**
 * The dashboard's script. It runs in the browser, inlined into the page by page.ts as the text of
 * this one function, so it must be self-contained: no imports at run time, no reference to
 * anything outside its body. It builds every element with the DOM (user text only ever goes into
 * `textContent`), draws the charts as inline SVG and makes no request of any kind.
 */
import type { OrgReport } from "../../insights/report/build.js";

export function dashboardClient(doc: Document, report: OrgReport): void {
  const SVG = "http://www.w3.org/2000/svg";
  const DAY = 86_400_000;
  const TIER_RANK: Record<string, number> = { elite: 0, high: 1, medium: 2, low: 3 };
  const CONCLUSION_RANK: Record<string, number> = { failure: 0, neutral: 1, success: 2 };

  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Record<string, string> = {},
    ...children: (Node | string | null)[]
  ): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) if (c !== null) node.append(typeof c === "string" ? doc.createTextNode(c) : c);
    return node;
  };
  const svg = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const node = doc.createElementNS(SVG, tag) as SVGElement;
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  };
  const pct = (v: number | null | undefined) => (v == null ? "–" : `${Math.round(v * 1000) / 10}%`);
  const num = (v: number | null | undefined, unit = "") => (v == null ? "–" : `${v}${unit}`);
  const root = doc.getElementById("app") as HTMLElement;
  const m = report.metrics;

  // Header and figures.
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

  // Filters.
  const search = el("input", {
    type: "search",
    id: "filter",
    placeholder: "filter by repository, team or rule",
    "aria-label": "filter",
  });
  const conclusion = el(
    "select",
    { id: "conclusion", "aria-label": "conclusion" },
    ...["all", "failure", "neutral", "success"].map((c) =>
      el("option", { value: c }, c === "all" ? "any conclusion" : c),
    ),
  );
  const tier = el(
    "select",
    { id: "tier", "aria-label": "tier" },
    ...["all", "elite", "high", "medium", "low"].map((t) =>
      el("option", { value: t }, t === "all" ? "any tier" : t),
    ),
  );
  const count = el("span", { id: "count", class: "meta" });
  root.append(el("section", { class: "filters" }, search, conclusion, tier, count));

  // The repository table.
  type Row = OrgReport["repos"][number];
  const columns: {
    key: string;
    label: string;
    value: (r: Row) => string | number | null;
    show: (r: Row) => string;
  }[] = [
    { key: "repo", label: "repository", value: (r) => r.repo, show: (r) => r.repo },
    { key: "team", label: "team", value: (r) => r.team, show: (r) => r.team ?? "–" },
    {
      key: "conclusion",
      label: "conclusion",
      value: (r) => CONCLUSION_RANK[r.conclusion] ?? 9,
      show: (r) => r.conclusion,
    },
    {
      key: "tier",
      label: "tier",
      value: (r) => (r.metrics.releaseFrequency ? (TIER_RANK[r.metrics.releaseFrequency.tier] ?? 9) : null),
      show: (r) => r.metrics.releaseFrequency?.tier ?? "–",
    },
    {
      key: "since",
      label: "days since release",
      value: (r) => r.metrics.releaseFrequency?.daysSinceLastRelease ?? null,
      show: (r) => (r.metrics.releaseFrequency ? num(r.metrics.releaseFrequency.daysSinceLastRelease) : "–"),
    },
    {
      key: "coverage",
      label: "cadence coverage",
      value: (r) => r.metrics.releaseFrequency?.cadence.coverage ?? null,
      show: (r) => pct(r.metrics.releaseFrequency?.cadence.coverage),
    },
    {
      key: "lead",
      label: "lead time (h)",
      value: (r) => r.metrics.leadTime?.medianHours ?? null,
      show: (r) => num(r.metrics.leadTime?.medianHours),
    },
    {
      key: "traced",
      label: "traced",
      value: (r) => r.metrics.traceability?.tracedShare ?? null,
      show: (r) => pct(r.metrics.traceability?.tracedShare),
    },
    {
      key: "failing",
      label: "failing rules",
      value: (r) => r.failing.length,
      show: (r) => r.failing.join(", ") || "none",
    },
  ];
  let sortKey = "conclusion";
  let sortDir = 1;
  const head = el("tr");
  const body = el("tbody");
  const table = el("table", { id: "repos", "data-testid": "repos" }, el("thead", {}, head), body);
  for (const c of columns) {
    const button = el("button", { type: "button", "data-sort": c.key }, c.label);
    button.addEventListener("click", () => {
      sortDir = sortKey === c.key ? -sortDir : 1;
      sortKey = c.key;
      render();
    });
    head.append(el("th", { "data-key": c.key }, button));
  }
  root.append(el("h2", {}, "Repositories"), table);

  // The compliance matrix.
  const matrixBody = el("tbody");
  const matrixHead = el(
    "tr",
    {},
    el("th", {}, "repository"),
    ...report.matrix.rules.map((r) => el("th", { class: "rule" }, r)),
  );
  root.append(
    el("h2", {}, "Compliance"),
    el("table", { id: "matrix", "data-testid": "matrix" }, el("thead", {}, matrixHead), matrixBody),
  );

  // Release timelines.
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
  const timeline = (r: Row): SVGElement => {
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

  const matches = (r: Row): boolean => {
    const text = search.value.trim().toLowerCase();
    if (conclusion.value !== "all" && r.conclusion !== conclusion.value) return false;
    if (tier.value !== "all" && r.metrics.releaseFrequency?.tier !== tier.value) return false;
    if (!text) return true;
    return [r.repo, r.team ?? "", r.product ?? "", ...r.failing].some((s) => s.toLowerCase().includes(text));
  };
  const compare = (a: Row, b: Row): number => {
    const column = columns.find((c) => c.key === sortKey) ?? (columns[0] as (typeof columns)[number]);
    const va = column.value(a);
    const vb = column.value(b);
    // Empty values sort last in either direction.
    if (va === null && vb === null) return a.repo < b.repo ? -1 : 1;
    if (va === null) return 1;
    if (vb === null) return -1;
    if (va < vb) return -sortDir;
    if (va > vb) return sortDir;
    return a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0;
  };

  const render = () => {
    const rows = report.repos.filter(matches).sort(compare);
    body.replaceChildren(
      ...rows.map((r) =>
        el(
          "tr",
          { "data-repo": r.repo, class: r.conclusion },
          ...columns.map((c) => el("td", { "data-key": c.key }, c.show(r))),
        ),
      ),
    );
    for (const th of Array.from(head.children)) {
      const key = th.getAttribute("data-key");
      th.setAttribute("aria-sort", key === sortKey ? (sortDir > 0 ? "ascending" : "descending") : "none");
    }
    const shown = new Set(rows.map((r) => r.repo));
    matrixBody.replaceChildren(
      ...report.matrix.rows
        .filter((row) => shown.has(row.repo))
        .map((row) =>
          el(
            "tr",
            { "data-repo": row.repo },
            el("th", {}, row.repo),
            ...report.matrix.rules.map((rule) => {
              const status = row.statuses[rule] ?? "none";
              return el(
                "td",
                { class: `status ${status}`, title: `${rule}: ${status}` },
                status === "none" ? "" : status,
              );
            }),
          ),
        ),
    );
    timelines.replaceChildren(
      ...rows.map((r) =>
        el(
          "div",
          { class: "timeline-row", "data-repo": r.repo },
          el("span", { class: "name" }, r.repo),
          timeline(r),
        ),
      ),
    );
    count.textContent = `${rows.length} of ${report.repos.length} repositories`;
  };
  search.addEventListener("input", render);
  conclusion.addEventListener("change", render);
  tier.addEventListener("change", render);

  // Trend lines.
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

  // Pull requests per outcome.
  const outcomes = m.traceability.byOutcome;
  if (outcomes.length > 0) {
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
  render();
  doc.body.setAttribute("data-ready", "true");
}
