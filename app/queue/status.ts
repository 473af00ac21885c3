/**
 * What the sweep queue is doing, for operators (`GET /pom/sweep.json` behind the dashboard token):
 * how many jobs wait, run, failed; when the next run is due; the last reports kept; and the
 * failed jobs with their reasons.
 */
import type { Queue } from "bullmq";
import { REPO, REPORT, SCHEDULER } from "./jobs.js";

export async function sweepStatus(queue: Queue): Promise<object> {
  const [counts, scheduler, reports, failed] = await Promise.all([
    queue.getJobCounts(
      "waiting",
      "active",
      "delayed",
      "failed",
      "completed",
      "waiting-children",
      "prioritized",
    ),
    queue.getJobScheduler(SCHEDULER),
    queue.getJobs(["completed"], 0, 200),
    queue.getFailed(0, 99),
  ]);
  return {
    counts,
    schedule: scheduler
      ? {
          cron: scheduler.pattern ?? null,
          next: scheduler.next ? new Date(scheduler.next).toISOString() : null,
        }
      : null,
    lastReports: reports
      .filter((j) => j.name === REPORT)
      .slice(0, 20)
      .map((j) => ({
        job: j.id,
        finishedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
        ...j.returnvalue,
      })),
    failed: failed.map((j) => ({
      job: j.id,
      kind: j.name,
      ...(j.name === REPO ? { repo: `${j.data.owner}/${j.data.name}` } : {}),
      reason: j.failedReason,
      attempts: j.attemptsMade,
      failedAt: j.finishedOn ? new Date(j.finishedOn).toISOString() : null,
    })),
  };
}
