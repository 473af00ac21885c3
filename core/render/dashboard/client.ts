/// <reference lib="dom" />
/**
 * The dashboard's script, as page.ts inlines it. It runs in the browser, where there are no
 * imports: the page carries the text of dashboardClient and of each part (client-*.ts), and calls
 * dashboardClient with the parts as an argument. So no part may use anything outside its own body
 * and its arguments, and a new part must be listed in CLIENT_PARTS. It builds every element with
 * the DOM (user text only ever goes into `textContent`), draws the charts as inline SVG and makes
 * no request of any kind.
 */
import type { OrgReport } from "../../insights/report/build.js";
import { dashboardCampaigns } from "./client-campaigns.js";
import { dashboardTimelines, dashboardTrends } from "./client-charts.js";
import { dashboardKit } from "./client-kit.js";
import { dashboardOutcomes, dashboardSummary } from "./client-summary.js";
import { dashboardMatrix, dashboardTable } from "./client-tables.js";
import { dashboardTeams } from "./client-teams.js";

/** The functions the page script is made of; each reaches the browser as its source text. */
export const CLIENT_PARTS = {
  kit: dashboardKit,
  summary: dashboardSummary,
  campaigns: dashboardCampaigns,
  table: dashboardTable,
  matrix: dashboardMatrix,
  timelines: dashboardTimelines,
  trends: dashboardTrends,
  outcomes: dashboardOutcomes,
  teams: dashboardTeams,
};

export type ClientParts = typeof CLIENT_PARTS;

/**
 * Builds the page in `#app` from the report, section by section in page order, and marks the body
 * ready. The parts come as an argument, not an import, because the browser gets only their text.
 *
 * @example dashboardClient(document, report, CLIENT_PARTS) // <body data-ready="true">
 */
export function dashboardClient(doc: Document, report: OrgReport, parts: ClientParts): void {
  const kit = parts.kit(doc);
  const root = doc.getElementById("app") as HTMLElement;
  parts.summary(kit, report, root);
  parts.campaigns(kit, report, root);
  parts.teams(kit, report, root);
  const table = parts.table(kit, report, root);
  const matrix = parts.matrix(kit, report, root);
  const timelines = parts.timelines(kit, report, root);
  // The filters and the sort decide which repositories every section below them shows.
  const render = () => {
    const rows = table.update();
    matrix(rows);
    timelines(rows);
  };
  table.listen(render);
  parts.trends(kit, report, root);
  parts.outcomes(kit, report, root);
  render();
  doc.body.setAttribute("data-ready", "true");
}

/**
 * The inline script: dashboardClient and every part as source text, called on the report the page
 * carries in `#pom-report`. The text is taken from the functions as they are compiled, so it
 * holds whatever the build made of them and needs nothing else.
 *
 * @example dashboardScript().startsWith("(function dashboardClient(") // true
 */
export function dashboardScript(): string {
  const parts = Object.entries(CLIENT_PARTS)
    .map(([name, part]) => `${name}: (${part.toString()})`)
    .join(",\n");
  return `(${dashboardClient.toString()})(document, JSON.parse(document.getElementById("pom-report").textContent), {\n${parts}\n});`;
}
