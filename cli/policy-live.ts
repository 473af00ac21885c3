/** `pom policy preview --org ORG`: the preview of a proposed org policy, live from GitHub. */
import type { PolicyPreview } from "../core/insights/preview.js";
import { type PreviewTally, previewPolicy } from "../github/flows/policy-preview.js";
import { organizationRepositories } from "../github/flows/sweep-plan.js";
import { FileCache } from "../github/transport/file-cache.js";
import type { Io } from "./io.js";
import { liveClient } from "./live.js";

/**
 * Judges every repository of `org` under its policy and under `proposed`, as the app's preview
 * does (50 repositories per GraphQL query), writing nothing; warnings go to stderr.
 */
export async function previewLive(
  org: string,
  proposed: { file: string; text: string },
  io: Io,
  now: Date,
): Promise<PolicyPreview> {
  const client = liveClient(io.env, "pom policy preview");
  const warn = (fields: object, message?: string) => {
    const { err } = fields as { err?: unknown };
    io.err(`warning: ${message ?? ""}${err instanceof Error ? `: ${err.message}` : ""}`);
  };
  const tally: PreviewTally = { unbatched: 0 };
  const preview = await previewPolicy(
    { client, cache: new FileCache(), now },
    { account: org, selection: "all", listRepositories: () => organizationRepositories(client, org) },
    proposed,
    { log: { info: () => {}, warn, error: warn } },
    tally,
  );
  if (tally.unbatched > 0) io.err(`note: ${tally.unbatched} repositories were read one by one`);
  return preview;
}
