/**
 * The small pages around the served dashboard: sign-in, a message (no report yet, not found), and
 * the list of accounts when the app keeps reports for more than one. Plain HTML without script.
 */
import type { OrgReport } from "../../insights/report/build.js";
import { escapeHtml, htmlHead } from "./page.js";

/** The sign-in page may post its form to this server, and do nothing else. */
export const LOGIN_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const STYLE = `body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 40px; max-width: 720px; }
h1 { font-size: 22px; } .error { color: #cf222e; } input { padding: 4px 8px; width: 320px; }
table { border-collapse: collapse; } th, td { border-bottom: 1px solid #d8dee4; padding: 4px 10px; text-align: left; }`;

function page(title: string, body: string): string {
  return `${htmlHead(title, STYLE)}
${body}
</body>
</html>
`;
}

/**
 * The sign-in form: the token is posted to /pom/login, which sets the session cookie.
 *
 * @example loginPage("That token is not right.").includes('action="/pom/login"') // true
 */
export function loginPage(error?: string): string {
  return page(
    "POM governance — sign in",
    `<h1>POM governance dashboard</h1>
<p>Enter the dashboard token (the server's <code>POM_DASHBOARD_TOKEN</code>).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
<form method="post" action="/pom/login">
<label>Token <input type="password" name="token" id="token" autocomplete="current-password" required></label>
<button type="submit" id="sign-in">Sign in</button>
</form>`,
  );
}

/** A page that says one thing. */
export function messagePage(title: string, text: string): string {
  return page(`POM governance — ${title}`, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
}

/** The accounts with a report, each with its headline figures and links to the page and the JSON. */
export function orgIndexPage(reports: readonly OrgReport[]): string {
  const pct = (v: number | null) => (v === null ? "–" : `${Math.round(v * 1000) / 10}%`);
  const rows = reports
    .map((r) => {
      const org = escapeHtml(r.org ?? "");
      const href = encodeURIComponent(r.org ?? "");
      return `<tr><td><a href="/pom/${href}">${org}</a></td><td>${r.repos.length}</td><td>${pct(r.metrics.traceability.tracedShare)}</td><td>${pct(r.metrics.ownership.completeShare)}</td><td>${escapeHtml(r.generatedAt)}</td><td><a href="/pom/${href}.json">JSON</a></td></tr>`;
    })
    .join("\n");
  return page(
    "POM governance — organizations",
    `<h1>POM governance reports</h1>
<table id="orgs">
<thead><tr><th>account</th><th>repositories</th><th>traced</th><th>ownership complete</th><th>as of</th><th></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
  );
}
