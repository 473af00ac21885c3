/**
 * Running a flow for a delivery: timed (our own time and the time spent waiting on GitHub), one
 * log line with what it came to, and a failure logged with its subject and passed on to Probot,
 * which answers the delivery with an error that GitHub records and can redeliver.
 */
import type { Context } from "probot";
import type { GovernResult } from "../github/flows/govern.js";
import type { RejudgeTally } from "../github/flows/rejudge.js";
import { describeError } from "../github/transport/client.js";
import { type GitHubWaits, timeWaits } from "../github/transport/waits.js";

function summarise(result: GovernResult): object {
  if (result.skipped) return { skipped: result.skipped };
  return {
    conclusion: result.evaluation?.conclusion,
    findings: result.evaluation?.findings.map((f) => `${f.rule}:${f.status}`),
    ...(result.checkRunId ? { checkRunId: result.checkRunId } : {}),
    ...(result.checkWrite ? { checkWrite: result.checkWrite } : {}),
    ...(result.feedback ? { feedback: result.feedback } : {}),
    ...(result.tracking ? { tracking: result.tracking } : {}),
  };
}

export async function run(context: Context, what: string, flow: () => Promise<GovernResult>): Promise<void> {
  const started = process.hrtime.bigint();
  let result: GovernResult;
  let waits: GitHubWaits;
  try {
    ({ value: result, waits } = await timeWaits(flow));
  } catch (error) {
    // Nothing was published (or not all of it): said here in a line of its own, with the subject;
    // the error goes on to Probot, which logs its stack and answers the delivery with a failure
    // that GitHub shows and can redeliver.
    const reason = describeError(error);
    context.log.error({ event: context.name, id: context.id, subject: what, reason }, "governing failed");
    throw error;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  context.log.info(
    {
      event: context.name,
      id: context.id,
      subject: what,
      ms: Math.round(ms),
      // Of `ms`, the time spent waiting on GitHub (requests in flight, retry pauses).
      githubMs: Math.round(waits.ms),
      requests: waits.requests,
      ...summarise(result),
    },
    "governed",
  );
}

/** A delivery older than what was already judged: logged, not published over the newer verdict. */
export function stale(context: Context, what: string, updatedAt: string | null | undefined): void {
  context.log.info(
    { event: context.name, id: context.id, subject: what, updatedAt },
    "stale delivery skipped",
  );
}

/** Re-judges pull requests that depend on what the delivery changed, and logs the tally. */
export async function runRejudge(
  context: Context,
  what: string,
  flow: () => Promise<RejudgeTally>,
): Promise<void> {
  try {
    const tally = await flow();
    if (tally.judged > 0 || tally.failed > 0)
      context.log.info(
        { event: context.name, id: context.id, subject: what, ...tally },
        "pull requests re-judged",
      );
  } catch (error) {
    const reason = describeError(error);
    context.log.error({ event: context.name, id: context.id, subject: what, reason }, "re-judging failed");
    throw error;
  }
}
