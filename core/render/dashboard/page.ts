/**
 * The dashboard as one self-contained HTML file: inline CSS, the report as inline JSON, and the
 * inline script of client.ts and its parts. A Content-Security-Policy forbids the page any
 * request (no `connect-src`, no external scripts, styles, images or fonts), so it works from a
 * file, from the app, or attached to an e-mail, and leaks nothing when opened.
 */
import type { OrgReport } from "../../insights/report/build.js";
import { dashboardScript } from "./client.js";

/** The page may run its own inline script and style, and nothing else: no request of any kind. */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; background: #fff; }
body { margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: #59636e; font-size: 13px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card .value { font-size: 22px; font-weight: 600; } .card .label { color: #59636e; font-size: 12px; }
.filters { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
.filters input { width: 280px; padding: 4px 8px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid #d8dee4; padding: 4px 8px; text-align: left; white-space: nowrap; }
th button { all: unset; cursor: pointer; font-weight: 600; }
th[aria-sort="ascending"] button::after { content: " ▲"; } th[aria-sort="descending"] button::after { content: " ▼"; }
tr.failure td[data-key="conclusion"] { color: #cf222e; font-weight: 600; }
tr.neutral td[data-key="conclusion"] { color: #9a6700; } tr.success td[data-key="conclusion"] { color: #1a7f37; }
#matrix th.rule { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: 500; }
td.status { text-align: center; font-size: 0; width: 18px; }
td.status.pass { background: #dafbe1; } td.status.fail { background: #ffcecb; }
td.status.unknown { background: #eaeef2; } td.status.waived { background: #fff8c5; } td.status.skip { background: #f6f8fa; }
.timeline-row { display: flex; align-items: center; gap: 8px; font-size: 12px; }
.timeline-row .name { width: 220px; overflow: hidden; text-overflow: ellipsis; }
#trends { display: flex; flex-wrap: wrap; gap: 12px; }
.trend-card { margin: 0; font-size: 12px; color: #59636e; }
.bar-row { display: flex; gap: 8px; align-items: center; font-size: 12px; }
.failed { border: 1px solid #cf222e; border-radius: 6px; padding: 8px 12px; color: #82071e; font-size: 13px; }
.bar-row .name { width: 120px; } .bar { display: inline-block; height: 10px; background: #0969da; }
`;

/** JSON that is safe inside a <script> element: no `<`, no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A page's opening, up to and including `<body>`; `csp` also as a meta tag, for files opened locally. */
export function htmlHead(title: string, style: string, csp?: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
${csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">\n` : ""}<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${style}</style>
</head>
<body>`;
}

/** Text safe in HTML content and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/**
 * The dashboard page of a report.
 *
 * @example renderDashboard(buildReport({ repos, now })).startsWith("<!doctype html>") // true
 */
export function renderDashboard(report: OrgReport): string {
  const title = `POM governance report${report.org ? ` — ${report.org}` : ""}`;
  return `${htmlHead(title, STYLE, DASHBOARD_CSP)}
<main id="app"></main>
<noscript>This dashboard needs JavaScript; the same figures are in the JSON and Markdown reports.</noscript>
<script type="application/json" id="pom-report">${scriptJson(report)}</script>
<script>
${dashboardScript()}
</script>
</body>
</html>
`;
}
