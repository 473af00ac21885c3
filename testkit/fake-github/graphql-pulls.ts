/**
 * The fake's GraphQL for what re-judging pull requests reads: a pull request's changed-file count
 * and head commit with its check suites and runs (the app's own, by name), an issue's timeline
 * (the pull requests that cross-reference it or are linked to it), and a repository's merge queue.
 * GitHub's types and fields, as the public schema has them.
 */
import type { FakeCheckRun, FakeIssue, FakeRepo } from "./state.js";

type Args = Record<string, unknown>;
type Connection = <T>(args: Args, items: readonly T[], name: string, node: (item: T) => unknown) => unknown;

/** The check suites of commit `sha`: one per app that wrote check runs on it. */
export function checkSuitesOf(repo: FakeRepo, sha: string, connection: Connection) {
  return (args: Args) => {
    const filter = (args.filterBy ?? {}) as { appId?: number; checkName?: string };
    const runs = repo.checkRuns.filter((r) => r.head_sha === sha);
    const apps = [...new Set(runs.map((r) => r.app_id ?? 0))].filter(
      (app) => filter.appId === undefined || app === filter.appId,
    );
    const suites = apps
      .map((app) => ({ app, runs: runs.filter((r) => (r.app_id ?? 0) === app) }))
      .filter((s) => filter.checkName === undefined || s.runs.some((r) => r.name === filter.checkName));
    return connection(args, suites, "checkSuite", (suite) => ({
      __typename: "CheckSuite",
      app: { __typename: "App", databaseId: suite.app, slug: `app-${suite.app}` },
      checkRuns: (runArgs: Args) => {
        const by = (runArgs.filterBy ?? {}) as { checkName?: string; appId?: number };
        const rows = suite.runs.filter((r) => by.checkName === undefined || r.name === by.checkName);
        return connection(runArgs, rows, "checkRun", (r) => checkRunNode(r));
      },
    }));
  };
}

function checkRunNode(run: FakeCheckRun) {
  return {
    __typename: "CheckRun",
    databaseId: run.id,
    name: run.name,
    externalId: run.external_id,
    status: run.status.toUpperCase(),
    conclusion: run.conclusion ? run.conclusion.toUpperCase() : null,
    annotations: (args: Args) => ({
      __typename: "CheckAnnotationConnection",
      totalCount: run.output.annotations.length,
      nodes: run.output.annotations.slice(0, Number(args.first ?? 0)),
    }),
  };
}

/** Whether `pull`'s body names issue `number` (`#N`), and whether with a closing keyword. */
function mentions(pull: FakeIssue, number: number): { named: boolean; closes: boolean } {
  const body = pull.body ?? "";
  const named = new RegExp(`(^|[^\\w])#${number}\\b`).test(body);
  const closes = new RegExp(`\\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\\s+#${number}\\b`, "i").test(
    body,
  );
  return { named, closes };
}

/**
 * An issue's timeline items of the types asked: a CrossReferencedEvent for every pull request whose
 * body names it, a ConnectedEvent for every pull request linked to it in the sidebar.
 */
export function timelineOf(
  repo: FakeRepo,
  issue: FakeIssue,
  connection: Connection,
  pullNode: (pull: FakeIssue) => unknown,
) {
  return (args: Args) => {
    const types = Array.isArray(args.itemTypes) ? args.itemTypes.map(String) : [];
    const wants = (t: string) => types.length === 0 || types.includes(t);
    const items: unknown[] = [];
    for (const other of repo.issues) {
      if (!other.pull || other.number === issue.number) continue;
      const { named, closes } = mentions(other, issue.number);
      if (named && wants("CROSS_REFERENCED_EVENT"))
        items.push({
          __typename: "CrossReferencedEvent",
          willCloseTarget: closes,
          isCrossRepository: false,
          source: pullNode(other),
        });
      if (other.pull.closingIssues.includes(issue.number) && wants("CONNECTED_EVENT"))
        items.push({ __typename: "ConnectedEvent", subject: pullNode(other) });
    }
    return connection(args, items, "issueTimelineItems", (item) => item);
  };
}

/** The repository's merge queue of `branch`: its entries in order, each with its head commit. */
export function mergeQueueOf(repo: FakeRepo, connection: Connection, pullNode: (pull: FakeIssue) => unknown) {
  return (args: Args) => {
    if (args.branch !== undefined && args.branch !== repo.defaultBranch) return null;
    const entries = repo.mergeQueue ?? [];
    return {
      __typename: "MergeQueue",
      entries: (entryArgs: Args) =>
        connection(
          entryArgs,
          entries.map((e, i) => ({ ...e, position: i + 1 })),
          "mergeQueueEntry",
          (e) => {
            const pull = repo.issues.find((i) => i.number === e.number && i.pull);
            return {
              __typename: "MergeQueueEntry",
              position: e.position,
              state: "AWAITING_CHECKS",
              headCommit: { __typename: "Commit", oid: e.headSha },
              pullRequest: pull ? pullNode(pull) : null,
            };
          },
        ),
    };
  };
}
