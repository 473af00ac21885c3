/** `pom report --org ORG`: every repository of an organization, judged and measured live. */
import type { RepoInsights } from "../core/insights/report/insights.js";
import type { TeamState } from "../core/insights/teams/history.js";
import type { OrgPolicy } from "../core/manifest/manifest.js";
import { organizationRepositories } from "../github/flows/sweep-plan.js";
import { gatherInsights } from "../github/insights/org-insights.js";
import { FileCache } from "../github/transport/file-cache.js";
import type { Io } from "./io.js";
import { liveClient } from "./live.js";

/**
 * Reads the organization as the app's sweep does (50 repositories per GraphQL query), without
 * writing anything; progress goes to a terminal's stderr.
 */
export async function reportLive(
  org: string,
  io: Io,
  now: Date,
  windowDays: number,
): Promise<{
  repos: RepoInsights[];
  failed: { repo: string; reason: string }[];
  policy: OrgPolicy | null;
  /** The owning teams and their direct members, for the membership history; absent when not read. */
  teams?: { teams: TeamState[]; unlisted: string[] };
}> {
  const client = liveClient(io.env, "--org");
  const progress = io.errIsTTY ? (text: string) => io.progress?.(text) : undefined;
  const log = {
    info: () => {},
    warn: (fields: object, message?: string) =>
      io.err(`warning: ${message ?? ""} ${describe(fields)}`.trim()),
    error: (fields: object, message?: string) =>
      io.err(`warning: ${message ?? ""} ${describe(fields)}`.trim()),
  };
  const { insights, failed, policy, teams } = await gatherInsights(
    { client, cache: new FileCache(), now },
    { id: 0, account: org, selection: "all" },
    log,
    {
      now,
      windowDays,
      tracking: false,
      listRepositories: () => organizationRepositories(client, org),
      onProgress: (event) =>
        progress?.(
          event.phase === "judged"
            ? `judged ${event.done} repositories of ${org}…`
            : `read the history of ${event.done} of ${event.total} repositories…`,
        ),
    },
  );
  progress?.("");
  if (failed.length > 0)
    io.err(`warning: ${failed.length} repositories could not be judged; the report names them`);
  return { repos: insights, failed, policy: policy?.ok ? policy.value : null, ...(teams ? { teams } : {}) };
}

function describe(fields: object): string {
  const { err, ...rest } = fields as { err?: unknown };
  const reason = err instanceof Error ? err.message : err === undefined ? "" : String(err);
  const named = Object.entries(rest)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
  return [named, reason].filter(Boolean).join(": ");
}
