/**
 * Recent work of a local checkout for outcome.stale, offline: the commit messages (subject and
 * body) on HEAD's history and the messages of annotated tags from the last `days` days before
 * `now`. A shallow clone reaches back only to its shallowest commit, and says so.
 */
import type { OutcomeActivity, TracedWork } from "../core/engine/facts.js";
import { DAY_MS } from "../core/insights/metrics/time.js";
import { git, isWithoutCommits } from "./git.js";
import { until } from "./git-history.js";

const FIELD = "\u001f";
const RECORD = "\u001e";

/** The records of a git format of `%x1f`-separated fields ending in `%x1e`. */
function records(out: string): string[][] {
  return out
    .split(RECORD)
    .map((r) => r.replace(/^\n/, ""))
    .filter(Boolean)
    .map((r) => r.split(FIELD));
}

/**
 * What the checkout at `dir` says about work in the `days` days before `now`.
 *
 * @example readActivity("/src/checkout", 60, new Date()).work[0]?.ref // "commit 1a2b3c4"
 */
export function readActivity(dir: string, days: number, now: Date): OutcomeActivity {
  const start = now.getTime() - days * DAY_MS;
  const readFrom = "commit messages and annotated tags";
  const window = [`--since=@${Math.floor(start / 1000)}`, until(now)];
  let log: string;
  try {
    log = git(dir, ["log", ...window, "--format=%H%x1f%cI%x1f%B%x1e", "HEAD", "--"]);
  } catch (error) {
    // A repository without a commit has no work at all, however far back one looks.
    if (isWithoutCommits(error)) return { work: [], since: new Date(start).toISOString(), readFrom };
    throw error;
  }
  const work: TracedWork[] = records(log).map(([sha = "", date = "", message = ""]) => ({
    ref: `commit ${sha.slice(0, 7)}`,
    at: new Date(date).toISOString(),
    texts: [message],
  }));
  const tags = git(dir, [
    "for-each-ref",
    "--format=%(refname:lstrip=2)%1f%(objecttype)%1f%(creatordate:iso-strict)%1f%(contents)%1e",
    "refs/tags",
  ]);
  for (const [tag = "", type = "", date = "", message = ""] of records(tags)) {
    const at = Date.parse(date);
    if (type !== "tag" || Number.isNaN(at) || at < start || at > now.getTime()) continue;
    work.push({ ref: `tag ${tag}`, at: new Date(at).toISOString(), texts: [message] });
  }
  return { work, since: new Date(Math.max(start, shallowSince(dir))).toISOString(), readFrom };
}

/**
 * How far back a shallow clone's history reaches (its newest boundary commit: the work before it
 * is not in the checkout); minus infinity for a whole history.
 */
function shallowSince(dir: string): number {
  if (git(dir, ["rev-parse", "--is-shallow-repository"]).trim() !== "true") return Number.NEGATIVE_INFINITY;
  const dates = git(dir, ["log", "--max-parents=0", "--format=%cI", "HEAD", "--"])
    .split("\n")
    .filter(Boolean)
    .map((d) => Date.parse(d));
  return Math.max(Number.NEGATIVE_INFINITY, ...dates);
}
