/** A report store in memory, for tests of the sweep and the dashboard. */
import type { OrgReport } from "../core/insights/report/build.js";
import { orgKey, type ReportStore } from "../core/insights/report/store.js";
import { emptyHistory, type TeamHistory } from "../core/insights/teams/history.js";
import type { TeamHistoryStore } from "../core/insights/teams/store.js";

export class MemoryReportStore implements ReportStore {
  readonly where = "memory";
  readonly reports = new Map<string, OrgReport>();
  saves = 0;

  async latest(org: string): Promise<OrgReport | undefined> {
    return this.reports.get(orgKey(org));
  }

  async save(report: OrgReport): Promise<void> {
    this.saves++;
    this.reports.set(orgKey(report.org ?? ""), structuredClone(report));
  }

  async orgs(): Promise<string[]> {
    return [...this.reports.keys()].sort();
  }
}

/** A team history store in memory. */
export class MemoryTeamStore implements TeamHistoryStore {
  readonly histories = new Map<string, TeamHistory>();

  async load(org: string): Promise<TeamHistory> {
    return structuredClone(this.histories.get(orgKey(org)) ?? emptyHistory(org));
  }

  async update(org: string, change: (history: TeamHistory) => TeamHistory): Promise<TeamHistory> {
    const next = change(await this.load(org));
    this.histories.set(orgKey(org), structuredClone(next));
    return next;
  }
}
