/** Which deliveries describe a subject worth judging; shared by the app and the action. */

/** A push to the repository's default branch that did not delete it. */
export function isDefaultBranchPush(payload: {
  ref?: string;
  deleted?: boolean;
  repository?: { default_branch?: string } | null;
}): boolean {
  const branch = payload.repository?.default_branch;
  return Boolean(branch) && payload.ref === `refs/heads/${branch}` && !payload.deleted;
}

/** A release that is published: drafts have no tag yet and are not releases. */
export function isPublishedRelease(release: { draft?: boolean } | null | undefined): boolean {
  return Boolean(release) && !release?.draft;
}
