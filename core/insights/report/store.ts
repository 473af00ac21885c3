/**
 * Where the app keeps the organization reports its sweeps compute: the latest report of each
 * account, whose `history` holds one snapshot per UTC day (bounded, see core/insights/report/build.ts), so
 * that the dashboard and the trend lines survive a restart.
 */
import type { OrgReport } from "./build.js";

export interface ReportStore {
  /** The latest report of `org` (case-insensitive), or undefined when none was kept yet. */
  latest(org: string): Promise<OrgReport | undefined>;
  /** Keeps `report` as the latest of its `org`, replacing the previous one whole. */
  save(report: OrgReport): Promise<void>;
  /** The accounts that have a report, sorted. */
  orgs(): Promise<string[]>;
  /** Where the reports are kept, for the logs. */
  readonly where: string;
}

/** A stored report as the store reads it back; anything else is not used (and not deleted). */
export function isStoredReport(value: unknown): value is OrgReport {
  const r = value as Partial<OrgReport> | null;
  return (
    typeof r === "object" &&
    r !== null &&
    r.kind === "pom-governance-report" &&
    typeof r.org === "string" &&
    Array.isArray(r.repos) &&
    Array.isArray(r.history)
  );
}

/** The key an account's report is kept under: GitHub logins are case-insensitive. */
export function orgKey(org: string): string {
  return org.toLowerCase();
}

/** A stored text read back as a report, or undefined when it is not one (not JSON, or not a report). */
export function parseStoredReport(text: string): OrgReport | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isStoredReport(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The warning logged when a stored report is moved aside. */
export const UNREADABLE_REPORT =
  "a stored report could not be read; it was moved aside and a new history begins";
