/**
 * The fake's git tree route: the files of a ref (a branch, tag, commit or `HEAD`) as GitHub lists
 * them, directories included, all the way down with `recursive`; past the state's
 * `treeEntryLimit` entries the list is cut and `truncated: true`, as GitHub does past 100,000.
 */
import type { Urls } from "./json.js";
import { HttpError, type Reply, type RestRequest, repoOf } from "./rest.js";
import { type FakeState, shaOf } from "./state.js";

type Route = (state: FakeState, urls: Urls, req: RestRequest) => Reply;

interface Entry {
  path: string;
  mode: string;
  type: "blob" | "tree";
  sha: string;
  size?: number;
  url: string;
}

const routes: Record<string, Route> = {
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const ref = req.params.tree_sha ?? "";
    const files = state.filesAt(repo, ref === "HEAD" ? undefined : ref);
    if (!files) throw new HttpError(404, "Not Found");
    // GitHub takes any value of `recursive` as "yes"; without it, only the top level is listed.
    const recursive = req.query.has("recursive");
    const api = `${urls.api}/repos/${repo.fullName}/git`;
    const entries = new Map<string, Entry>();
    for (const [path, text] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const names = path.split("/");
      for (let depth = 1; depth < names.length; depth++) {
        const dir = names.slice(0, depth).join("/");
        if (!recursive && depth > 1) break;
        const sha = shaOf(`tree ${repo.fullName}:${dir}`);
        if (!entries.has(dir))
          entries.set(dir, { path: dir, mode: "040000", type: "tree", sha, url: `${api}/trees/${sha}` });
      }
      if (!recursive && names.length > 1) continue;
      const sha = shaOf(`blob ${text}`);
      entries.set(path, {
        path,
        mode: "100644",
        type: "blob",
        sha,
        size: Buffer.byteLength(text),
        url: `${api}/blobs/${sha}`,
      });
    }
    const all = [...entries.values()];
    const sha = shaOf(`tree ${repo.fullName}@${ref}`);
    return {
      status: 200,
      json: {
        sha,
        url: `${api}/trees/${sha}`,
        tree: all.slice(0, state.treeEntryLimit),
        truncated: all.length > state.treeEntryLimit,
      },
    };
  },
};

/** The handler for a git tree operation, when it is one. */
export function treeHandler(method: string, template: string): Route | undefined {
  return routes[`${method} ${template}`];
}
