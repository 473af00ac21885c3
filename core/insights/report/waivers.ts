/** The org report's list of the waivers in force across its repositories. */
import { isWaiverActive, utcDay } from "../../engine/waivers.js";
import { DAY_MS } from "../metrics/time.js";
import { type RepoInsights, type ReportedWaiver, rowLabel } from "./insights.js";

/** A waiver in force: where, of which rule, why, and how many days it has left (its last day counts). */
export interface ActiveWaiver extends ReportedWaiver {
  repo: string;
  daysLeft: number;
}

/** Every repository's waivers still in force at `now`, soonest to end first. */
export function activeWaivers(repos: readonly RepoInsights[], now: Date): ActiveWaiver[] {
  const today = Date.parse(`${utcDay(now)}T00:00:00Z`);
  return repos
    .flatMap((r) =>
      (r.waivers ?? [])
        .filter((w) => isWaiverActive(w.until, now))
        .map((w) => ({
          repo: rowLabel(r),
          ...w,
          daysLeft: Math.round((Date.parse(`${w.until}T00:00:00Z`) - today) / DAY_MS) + 1,
        })),
    )
    .sort((a, b) => a.daysLeft - b.daysLeft || (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
}
