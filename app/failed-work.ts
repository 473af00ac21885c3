/**
 * Work that failed after its delivery was acknowledged. The webhook middleware answers "202 still
 * processing" once a delivery has taken 9 s, and GitHub logs that as a success: a handler that
 * fails after that (its retries outlasted the acknowledgement) leaves no failed delivery for the
 * redelivery job to find. Such work is kept here instead — the installation, the repository and
 * the subject to judge again — and the redelivery schedule judges it again (app/redelivery.ts).
 * A failure within the 9 s is answered with an error and redelivered by GitHub when asked; it is
 * not kept. Kept for three days (GitHub's redelivery window), in this process or in Redis.
 */
import type { Context } from "probot";
import { setNewest } from "../core/util/bounded-map.js";
import { describeSubject, type WorkSubject } from "../github/flows/rejudge-subject.js";
import { DELIVERY_MEMORY_MS } from "./delivery-ledger.js";
import { parseExternalId } from "./events.js";

/** When the webhook middleware acknowledges a delivery still being handled (@octokit/webhooks: 9 s). */
export const ACKNOWLEDGED_AFTER_MS = 9_000;
/** Kept from a little earlier: work kept twice is judged twice (harmless), work not kept is lost. */
const KEEP_AFTER_MS = ACKNOWLEDGED_AFTER_MS - 1_000;

export interface FailedWork {
  installationId: number;
  owner: string;
  repo: string;
  subject: WorkSubject;
  /** The event and delivery it came from. */
  event: string;
  delivery: string;
  /** When it failed first (ISO), and how often it was tried again since. */
  at: string;
  tries: number;
}

export interface FailedWorkStore {
  /** Keeps `work` (one record per subject: a newer failure replaces an older one). */
  keep(work: FailedWork): Promise<void>;
  /** Takes every record kept (they are removed: whoever takes one judges it). */
  takeAll(): Promise<FailedWork[]>;
}

/** The key of a subject: one record per repository and subject. */
export function workKey(work: Pick<FailedWork, "owner" | "repo" | "subject">): string {
  return `${work.owner}/${work.repo}:${describeSubject(work.subject)}`.toLowerCase();
}

/** Whether `work` is past GitHub's three-day window at `now`. */
export function expired(work: FailedWork, now: number): boolean {
  return now - Date.parse(work.at) > DELIVERY_MEMORY_MS;
}

/** The records of one process: the newest `max` (default 10,000), for three days. */
export class MemoryFailedWork implements FailedWorkStore {
  readonly #records = new Map<string, FailedWork>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: { max?: number; now?: () => number } = {}) {
    this.#max = options.max ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  async keep(work: FailedWork): Promise<void> {
    setNewest(this.#records, workKey(work), work, this.#max);
  }

  async takeAll(): Promise<FailedWork[]> {
    const all = [...this.#records.values()].filter((w) => !expired(w, this.#now()));
    this.#records.clear();
    return all;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: webhook payloads are read field by field here
type Payload = Record<string, any>;

/** The subject a delivery judges, when it judges one (a sweep-like event judges several). */
export function subjectOf(event: string, payload: Payload): WorkSubject | undefined {
  if (event === "pull_request" && typeof payload.pull_request?.number === "number")
    return { kind: "pr", number: payload.pull_request.number };
  if (event === "issues" && typeof payload.issue?.number === "number")
    return { kind: "issue", number: payload.issue.number };
  if (event === "release" && typeof payload.release?.tag_name === "string")
    return { kind: "release", tag: payload.release.tag_name };
  if (event === "push" && typeof payload.after === "string") return { kind: "repo", sha: payload.after };
  if (event === "check_run") {
    const subject = parseExternalId(payload.check_run?.external_id);
    if (subject?.kind === "repo") return { kind: "repo", sha: payload.check_run.head_sha };
    return subject;
  }
  return undefined;
}

/** The record of a delivery's failed work, when it has a subject and an installation. */
export function failedWorkOf(context: Context, at: Date): FailedWork | undefined {
  const payload = context.payload as Payload;
  const subject = subjectOf(context.name, payload);
  const installationId = payload.installation?.id;
  if (!subject || typeof installationId !== "number" || !payload.repository) return undefined;
  const { owner, repo } = context.repo();
  return {
    installationId,
    owner,
    repo,
    subject,
    event: context.name,
    delivery: context.id,
    at: at.toISOString(),
    tries: 0,
  };
}

/**
 * `handler`, keeping its work when it fails after the delivery was acknowledged; the error goes on
 * (Probot logs it; an answer not yet sent says 5xx). Wrap it outermost, so that its clock starts
 * as close as can be to the middleware's.
 */
export function keepFailedWork(
  store: FailedWorkStore | undefined,
  handler: (context: Context) => Promise<void>,
  now: () => number = Date.now,
): (context: Context) => Promise<void> {
  if (!store) return handler;
  return async (context) => {
    const started = now();
    try {
      await handler(context);
    } catch (error) {
      const work = now() - started >= KEEP_AFTER_MS ? failedWorkOf(context, new Date(now())) : undefined;
      if (work) {
        await store
          .keep(work)
          .catch((problem: unknown) =>
            context.log.error({ err: problem, id: context.id }, "failed work could not be kept"),
          );
        context.log.warn(
          { event: context.name, id: context.id, subject: describeSubject(work.subject) },
          "the delivery was acknowledged before its work failed: kept, and judged again on the redelivery schedule",
        );
      }
      throw error;
    }
  };
}
