/**
 * Content-creating requests through the pacer (pacer.ts), as an Octokit plugin: its `request`
 * hook holds every request that creates content until the installation's window has a slot, the
 * most urgent first. The urgency travels with the request as a request option
 * (`request: { pacePriority }`, see `paced`), which the hook reads and removes; a request without
 * one is the least urgent.
 *
 * What counts as content-creating: a POST that creates an issue (`/repos/{o}/{r}/issues`), an
 * issue comment (`/repos/{o}/{r}/issues/{n}/comments`) or a check run (`/repos/{o}/{r}/check-runs`),
 * the kinds GitHub names when it limits "requests that create content". Edits (PATCH: a check run
 * shown anew, annotations appended, an issue edited or closed), deletions and labels added to an
 * issue create nothing: they are not paced here, though every write is still spaced by Octokit's
 * throttling (a second apart per installation) and counts against GitHub's REST points.
 *
 * The hook is outside Octokit's throttling and authentication: a request waiting here holds no
 * throttle slot and asks for its installation token only once it may go.
 */
import type { Octokit } from "@octokit/core";
import type { Pacer, Priority } from "./pacer.js";

const CREATES = [
  /\/repos\/[^/]+\/[^/]+\/issues$/,
  /\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/,
  /\/repos\/[^/]+\/[^/]+\/check-runs$/,
];

/**
 * Whether a request creates content in GitHub's sense (see the module comment).
 *
 * @example isContentCreating("POST", "https://api.github.com/repos/acme/web/issues?x=1") // true
 */
export function isContentCreating(method: string, url: string): boolean {
  if (method.toUpperCase() !== "POST") return false;
  const path = url.split(/[?#]/)[0] ?? url;
  return CREATES.some((pattern) => pattern.test(path));
}

/**
 * The request option that carries a creation's urgency to the pacer.
 *
 * @example await client.request("POST /repos/{owner}/{repo}/issues", { owner, repo, title, ...paced({ rank: 0 }) })
 */
export function paced(priority: Priority | undefined): { request?: { pacePriority: Priority } } {
  return priority ? { request: { pacePriority: priority } } : {};
}

/** The Octokit's constructor options, as a plugin sees them. */
export type OctokitOptions = Record<string, unknown> & {
  auth?: unknown;
  throttle?: { id?: unknown };
};

/**
 * The key a client's creations are paced under: its installation (Probot's installation clients
 * carry the id in their auth options and their throttle id); none for a client that is no
 * installation's (the app's own, with its JWT), which creates no content.
 */
export function installationKey(options: OctokitOptions): string | undefined {
  const id =
    (options.auth as { installationId?: unknown } | undefined)?.installationId ?? options.throttle?.id;
  return typeof id === "number" || (typeof id === "string" && id !== "") ? String(id) : undefined;
}

/**
 * The plugin: `Octokit.plugin(pacing(pacer))`. `keyOf` tells which window a client's creations
 * count in (default: its installation).
 */
export function pacing(
  pacer: Pacer,
  keyOf: (options: OctokitOptions) => string | undefined = installationKey,
) {
  return (octokit: Octokit, options: OctokitOptions): void => {
    const key = keyOf(options);
    octokit.hook.wrap("request", async (request, requestOptions) => {
      const { pacePriority, ...rest } = (requestOptions.request ?? {}) as { pacePriority?: Priority };
      // Replaced on the request's own options (merged for this request): the hooks inside this one
      // are bound to that object, and a copy handed on would not reach them.
      if (pacePriority) requestOptions.request = rest;
      if (key !== undefined) {
        const { method, url } = octokit.request.endpoint.parse(requestOptions);
        if (isContentCreating(method, url)) await pacer.admit(key, pacePriority, `${method} ${url}`);
      }
      return request(requestOptions);
    });
  };
}
