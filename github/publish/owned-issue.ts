/**
 * The issues the app owns in a repository (the tracking issue, the organization report issue):
 * found by their label and hidden marker, open or closed; opened when there is a problem and none
 * exists; edited only when the hash of what they say changes; closed with a note when the problem
 * is fixed; reopened and edited, never opened again, when the problem comes back. Extra open ones
 * (left by a race before the writes were serialised) are closed as not planned. Writes for one
 * kind of issue in one repository run one at a time, in the process and across replicas.
 */
import { createSerialiser, inTurn, type Serialise } from "../../core/util/serial.js";
import type { GitHubClient, RepoRef } from "../transport/client.js";
import { statusOf } from "../transport/client.js";
import type { Priority } from "../transport/pacer.js";
import { paced } from "../transport/pacing.js";
import { byBot, type Goal, hashIn, type Step, stepFor } from "./owned.js";

/** What sets one kind of owned issue apart. */
export interface OwnedIssueKind {
  /** The hidden marker every body the app writes carries. */
  marker: string;
  /** The name of its hash marker (see `hashMarker`). */
  hashName: string;
  /** The label the app gives the issue and looks for it by. */
  label: string;
  /**
   * Only a bot's issue counts as the app's. Without it, the label (which takes triage permission
   * to set) and the marker are enough: the action may write with a person's token.
   */
  botOnly: boolean;
  /** What the one-at-a-time lock is named after ("tracking", "report"). */
  scope: string;
  /** The comment that says why, posted before an issue is closed because its problems are fixed. */
  closingNote?: string;
}

/** An issue as GitHub lists it (REST), or as a batch read it beforehand. */
export interface OwnedIssue {
  number: number;
  node_id?: string;
  /** "open" or "closed"; a row without it is taken for open. */
  state?: string;
  state_reason?: string | null;
  body?: string | null;
  user?: { type?: string } | null;
  pull_request?: unknown;
}

export interface IssueContent {
  title: string;
  body: string;
  /** The hash the body records under the kind's hash marker. */
  hash: string;
}

export type OwnedIssueAction = "opened" | "reopened" | "updated" | "unchanged" | "closed" | "none";

export interface OwnedIssueResult {
  action: OwnedIssueAction;
  /** The issue the app keeps, when there is one (for an opened one, as GitHub answered). */
  issue?: OwnedIssue;
}

export interface OwnedIssueOptions {
  /**
   * The issues, when the caller read them already (the sweep, in its batch query). Such a list
   * may be older than a write made since by another judgement of the repository, so it only ever
   * decides that nothing is to be written: any write is decided on a fresh read.
   */
  listed?: readonly OwnedIssue[];
  /** The number of the issue kept last time, looked at first (it is found even without its label). */
  known?: number;
  /** One at a time across processes too (replicas sharing Redis). */
  across?: Serialise;
  /** How urgent its creations are when creations wait their turn (worst first). */
  priority?: Priority;
}

const isOpen = (issue: OwnedIssue) => issue.state !== "closed";

/**
 * Whether `issue` is one the app owns of `kind`: an issue (not a pull request) carrying the
 * marker, and a bot's where the kind asks for it.
 *
 * @example isOwnedIssue(TRACKING_ISSUE, { number: 4, body: TRACKING_MARKER }) // true
 */
export function isOwnedIssue(kind: OwnedIssueKind, issue: OwnedIssue): boolean {
  if (issue.pull_request || !(issue.body?.includes(kind.marker) ?? false)) return false;
  return !kind.botOnly || byBot(issue);
}

/**
 * The app's issues of `kind` in `repo`, open and closed, newest first (the newest 100: any open
 * one is among them, as the app only opens an issue when it finds none open).
 *
 * @example await findOwnedIssues(client, repo, TRACKING_ISSUE) // [{ number: 4, state: "closed", … }]
 */
export async function findOwnedIssues(
  client: GitHubClient,
  repo: RepoRef,
  kind: OwnedIssueKind,
): Promise<OwnedIssue[]> {
  const { data } = await client.request("GET /repos/{owner}/{repo}/issues", {
    owner: repo.owner,
    repo: repo.repo,
    labels: kind.label,
    state: "all",
    sort: "created",
    direction: "desc",
    per_page: 100,
  });
  return (data as OwnedIssue[]).filter((i) => isOwnedIssue(kind, i));
}

/** Issue `number` when it is still the app's (not deleted, transferred or replaced by a person's). */
async function readOwnedIssue(
  client: GitHubClient,
  repo: RepoRef,
  kind: OwnedIssueKind,
  number: number,
): Promise<OwnedIssue | undefined> {
  try {
    const { data } = await client.request("GET /repos/{owner}/{repo}/issues/{issue_number}", {
      owner: repo.owner,
      repo: repo.repo,
      issue_number: number,
    });
    const issue = data as OwnedIssue;
    return isOwnedIssue(kind, issue) ? issue : undefined;
  } catch (error) {
    if (statusOf(error) === 404 || statusOf(error) === 410) return undefined;
    throw error;
  }
}

interface Plan {
  step: Step;
  current?: OwnedIssue;
  /** Open issues beside the one kept, to close as duplicates. */
  extras: OwnedIssue[];
}

/**
 * Which of the app's issues it keeps, and what that one needs. With some open, the oldest open one
 * (the one people have followed); the others are duplicates. With none open, the newest closed as completed: a duplicate is
 * always younger than the issue it duplicated and is closed as not planned, so that one is never
 * brought back in its place; failing that, the oldest closed one.
 */
function planFor(kind: OwnedIssueKind, goal: Goal<IssueContent>, ours: readonly OwnedIssue[]): Plan {
  const sorted = [...ours].sort((a, b) => a.number - b.number);
  const [oldestOpen, ...extras] = sorted.filter(isOpen);
  const current = oldestOpen ?? sorted.filter((i) => i.state_reason === "completed").at(-1) ?? sorted[0];
  const says = (content: IssueContent) => hashIn(kind.hashName, current?.body) === content.hash;
  const step = stepFor(goal, current && { open: isOpen(current) }, says);
  return { step, ...(current ? { current } : {}), extras };
}

const writes = (plan: Plan) => plan.extras.length > 0 || (plan.step !== "keep" && plan.step !== "none");

/** Closes issue `number`: "completed" when its problems are solved, "not_planned" otherwise. */
async function closeIssue(
  client: GitHubClient,
  repo: RepoRef,
  number: number,
  reason: "completed" | "not_planned",
): Promise<void> {
  await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: number,
    state: "closed",
    state_reason: reason,
  });
}

/** One lock per kind, so that different kinds of issue in one repository do not wait for each other. */
const serialisers = new Map<string, Serialise>();

function inItsTurn<T>(
  kind: OwnedIssueKind,
  repo: RepoRef,
  across: Serialise | undefined,
  task: () => Promise<T>,
) {
  const local = serialisers.get(kind.scope) ?? createSerialiser();
  serialisers.set(kind.scope, local);
  return inTurn(local, across, kind.scope, `${repo.owner}/${repo.repo}`.toLowerCase(), task);
}

/**
 * Brings the app's issue of `kind` in `repo` to `goal`: opens it, reopens it (a recurrence), edits
 * it when its hash changed, closes it with the kind's note when resolved, or leaves it alone. One
 * at a time per kind and repository: a push, a release and the sweep judging the same repository
 * at once would otherwise each find no issue and each open one.
 *
 * @example await syncOwnedIssue(client, repo, TRACKING_ISSUE, "resolved") // { action: "closed", issue }
 */
export function syncOwnedIssue(
  client: GitHubClient,
  repo: RepoRef,
  kind: OwnedIssueKind,
  goal: Goal<IssueContent>,
  options: OwnedIssueOptions = {},
): Promise<OwnedIssueResult> {
  return inItsTurn(kind, repo, options.across, async () => {
    const known =
      options.known === undefined ? undefined : await readOwnedIssue(client, repo, kind, options.known);
    const read = async () => (known ? [known] : await findOwnedIssues(client, repo, kind));
    const listed = known ? undefined : options.listed?.filter((i) => isOwnedIssue(kind, i));
    let plan = planFor(kind, goal, listed ?? (await read()));
    // A list read before this sync had its turn may miss an issue opened, closed or edited
    // meanwhile: it is read again before anything is written on its word.
    if (listed && writes(plan)) plan = planFor(kind, goal, await read());
    return carryOut(client, repo, kind, goal, plan, options.priority);
  });
}

async function carryOut(
  client: GitHubClient,
  repo: RepoRef,
  kind: OwnedIssueKind,
  goal: Goal<IssueContent>,
  { step, current, extras }: Plan,
  priority: Priority | undefined,
): Promise<OwnedIssueResult> {
  for (const extra of extras) await closeIssue(client, repo, extra.number, "not_planned");
  const kept = current ? { issue: current } : {};
  if (step === "none") return { action: "none", ...kept };
  if (step === "keep") return { action: "unchanged", ...kept };
  if (step === "retire" && current) {
    if (kind.closingNote) {
      await client.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
        owner: repo.owner,
        repo: repo.repo,
        issue_number: current.number,
        body: kind.closingNote,
        ...paced(priority),
      });
    }
    await closeIssue(client, repo, current.number, "completed");
    return { action: "closed", ...kept };
  }
  if (typeof goal !== "object") throw new Error(`owned issue: step ${step} without content`);
  const { title, body } = goal.content;
  if (step === "create" || !current) {
    const { data } = await client.request("POST /repos/{owner}/{repo}/issues", {
      owner: repo.owner,
      repo: repo.repo,
      title,
      body,
      labels: [kind.label],
      ...paced(priority),
    });
    return { action: "opened", issue: data as OwnedIssue };
  }
  await client.request("PATCH /repos/{owner}/{repo}/issues/{issue_number}", {
    owner: repo.owner,
    repo: repo.repo,
    issue_number: current.number,
    title,
    body,
    // Also on an edit: the list may be older than a close by a concurrent judgement, and
    // problems mean an open issue.
    state: "open",
  });
  return { action: step === "reopen" ? "reopened" : "updated", ...kept };
}

/**
 * Closes issue `number` as not planned when it is still the app's and open: for an issue nobody
 * asks for any more (its problems were not fixed, so it is not "completed" and gets no note).
 *
 * @example await retireOwnedIssue(client, { owner: "acme", repo: ".github" }, REPORT_ISSUE, 7) // "closed"
 */
export function retireOwnedIssue(
  client: GitHubClient,
  repo: RepoRef,
  kind: OwnedIssueKind,
  number: number,
  across?: Serialise,
): Promise<"closed" | "none"> {
  return inItsTurn(kind, repo, across, async () => {
    const issue = await readOwnedIssue(client, repo, kind, number);
    if (!issue || !isOpen(issue)) return "none" as const;
    await closeIssue(client, repo, number, "not_planned");
    return "closed" as const;
  });
}
