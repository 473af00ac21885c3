/// <reference lib="dom" />
/**
 * The dashboard's tables: the filters, the sortable repository table and the compliance matrix.
 * Inlined into the page as the text of each function (see client.ts), so each uses nothing
 * outside its own body and its arguments.
 */
import type { OrgReport } from "../../insights/report/build.js";
import type { DashboardKit, ReportRow } from "./client-kit.js";

export interface RepoTable {
  /** Redraws the table for the current filters and sort; returns the rows shown, in order. */
  update: () => ReportRow[];
  /** Calls `render` whenever a filter or the sort changes. */
  listen: (render: () => void) => void;
}

/**
 * Appends the filters and the repository table, sorted by conclusion (failures first) until a
 * column header is clicked; a second click on the same header reverses the order.
 *
 * @example dashboardTable(kit, report, root).update().length // the repositories the filters let through
 */
export function dashboardTable(kit: DashboardKit, report: OrgReport, root: HTMLElement): RepoTable {
  const { el, pct, num } = kit;
  const TIER_RANK: Record<string, number> = { elite: 0, high: 1, medium: 2, low: 3 };
  const CONCLUSION_RANK: Record<string, number> = { failure: 0, neutral: 1, success: 2 };

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

  const columns: {
    key: string;
    label: string;
    value: (r: ReportRow) => string | number | null;
    show: (r: ReportRow) => string;
  }[] = [
    { key: "repo", label: "repository", value: (r) => r.label ?? r.repo, show: (r) => r.label ?? r.repo },
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
  // Until listen() is called there is no page to redraw.
  let changed: () => void = () => {};
  const head = el("tr");
  const body = el("tbody");
  const table = el("table", { id: "repos", "data-testid": "repos" }, el("thead", {}, head), body);
  for (const c of columns) {
    const button = el("button", { type: "button", "data-sort": c.key }, c.label);
    button.addEventListener("click", () => {
      sortDir = sortKey === c.key ? -sortDir : 1;
      sortKey = c.key;
      changed();
    });
    head.append(el("th", { "data-key": c.key }, button));
  }
  root.append(el("h2", {}, "Repositories"), table);

  const matches = (r: ReportRow): boolean => {
    const text = search.value.trim().toLowerCase();
    if (conclusion.value !== "all" && r.conclusion !== conclusion.value) return false;
    if (tier.value !== "all" && r.metrics.releaseFrequency?.tier !== tier.value) return false;
    if (!text) return true;
    return [r.repo, r.team ?? "", r.product ?? "", ...r.failing].some((s) => s.toLowerCase().includes(text));
  };
  const compare = (a: ReportRow, b: ReportRow): number => {
    const column = columns.find((c) => c.key === sortKey) ?? (columns[0] as (typeof columns)[number]);
    const va = column.value(a);
    const vb = column.value(b);
    // Empty values sort last in either direction.
    const [na, nb] = [a.label ?? a.repo, b.label ?? b.repo];
    if (va === null && vb === null) return na < nb ? -1 : 1;
    if (va === null) return 1;
    if (vb === null) return -1;
    if (va < vb) return -sortDir;
    if (va > vb) return sortDir;
    return na < nb ? -1 : na > nb ? 1 : 0;
  };

  return {
    update: () => {
      const rows = report.repos.filter(matches).sort(compare);
      body.replaceChildren(
        ...rows.map((r) =>
          el(
            "tr",
            { "data-repo": r.label ?? r.repo, class: r.conclusion },
            ...columns.map((c) => el("td", { "data-key": c.key }, c.show(r))),
          ),
        ),
      );
      for (const th of Array.from(head.children)) {
        const key = th.getAttribute("data-key");
        th.setAttribute("aria-sort", key === sortKey ? (sortDir > 0 ? "ascending" : "descending") : "none");
      }
      count.textContent = `${rows.length} of ${report.repos.length} repositories`;
      return rows;
    },
    listen: (render) => {
      changed = render;
      search.addEventListener("input", render);
      conclusion.addEventListener("change", render);
      tier.addEventListener("change", render);
    },
  };
}

/**
 * Appends the compliance matrix (a column per rule); returns the function that fills it with the
 * rows the repository table shows.
 *
 * @example dashboardMatrix(kit, report, root)(rows) // one <tr data-repo> per row shown
 */
export function dashboardMatrix(
  kit: DashboardKit,
  report: OrgReport,
  root: HTMLElement,
): (rows: readonly ReportRow[]) => void {
  const { el } = kit;
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
  return (rows) => {
    const shown = new Set(rows.map((r) => r.label ?? r.repo));
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
  };
}
