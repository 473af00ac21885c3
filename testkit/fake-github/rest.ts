/**
 * The fake's REST routes, keyed by the OpenAPI operation they implement ("GET /repos/{owner}/{repo}").
 * Each handler reads or changes the state and answers as GitHub does, including its errors (404
 * for what the installation cannot see, 304 for a matching ETag, 422 for invalid input).
 */
import type { IncomingHttpHeaders } from "node:http";
import {
  checkRunJson,
  commentJson,
  commitJson,
  installationJson,
  issueJson,
  labelJson,
  pullJson,
  releaseJson,
  repoJson,
  teamJson,
  type Urls,
  userJson,
} from "./json.js";
import { type FakeCheckRun, type FakeIssue, type FakeRepo, type FakeState, shaOf } from "./state.js";

export type Auth =
  | { kind: "app"; appId: number }
  | { kind: "installation"; installationId: number }
  | { kind: "none" };

export interface RestRequest {
  method: string;
  /** The OpenAPI path template the request matched. */
  template: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: unknown;
  auth: Auth;
}

export interface Reply {
  status: number;
  json?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Handler = (state: FakeState, urls: Urls, req: RestRequest) => Reply;

const ok = (json: unknown, status = 200): Reply => ({ status, json });
const notFound = (): never => {
  throw new HttpError(404, "Not Found");
};

function body(req: RestRequest): Record<string, unknown> {
  return req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>) : {};
}

export function paginate<T>(items: readonly T[], query: URLSearchParams, max = 100): T[] {
  const perPage = Math.min(Math.max(Number(query.get("per_page") ?? 30) || 30, 1), max);
  const page = Math.max(Number(query.get("page") ?? 1) || 1, 1);
  return items.slice((page - 1) * perPage, page * perPage);
}

export function installationOf(req: RestRequest): number {
  if (req.auth.kind !== "installation") throw new HttpError(401, "Requires authentication");
  return req.auth.installationId;
}

/** The repository of the path, when the caller's installation may see it; else 404. */
export function repoOf(state: FakeState, req: RestRequest): FakeRepo {
  const repo = state.findRepo(req.params.owner ?? "", req.params.repo ?? "");
  if (!repo || !state.canSee(installationOf(req), repo)) return notFound();
  return repo;
}

function issueOf(repo: FakeRepo, req: RestRequest): FakeIssue {
  return repo.issues.find((i) => i.number === Number(req.params.issue_number)) ?? notFound();
}

function accepts(req: RestRequest, fragment: string): boolean {
  return String(req.headers.accept ?? "").includes(fragment);
}

function etagOf(text: string): string {
  return `"${shaOf(text)}"`;
}

function matchesEtag(req: RestRequest, etag: string): boolean {
  const header = String(req.headers["if-none-match"] ?? "");
  return header
    .split(",")
    .map((t) => t.trim().replace(/^W\//, ""))
    .includes(etag);
}

function labelsFrom(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map((l) => (typeof l === "string" ? l : String((l as { name?: unknown })?.name ?? "")));
  }
  if (value && typeof value === "object") return labelsFrom((value as { labels?: unknown }).labels);
  return [];
}

function touch(issue: FakeIssue): void {
  issue.updated_at = new Date().toISOString();
}

const routes: Record<string, Handler> = {
  "POST /app/installations/{installation_id}/access_tokens": (state, _urls, req) => {
    if (req.auth.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
    const installation = state.installations.get(Number(req.params.installation_id));
    if (!installation || installation.appId !== req.auth.appId) return notFound();
    const token = `ghs_fake${installation.id}x${state.nextId()}`;
    state.tokens.set(token, installation.id);
    return ok(
      {
        token,
        expires_at: new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d+Z$/, "Z"),
        permissions: installationJson(_urls, installation).permissions,
        repository_selection: installation.repositories === "all" ? "all" : "selected",
      },
      201,
    );
  },

  "GET /app/installations": (state, urls, req) => {
    if (req.auth.kind !== "app") throw new HttpError(401, "A JSON web token could not be decoded");
    const appId = req.auth.appId;
    const mine = [...state.installations.values()].filter((i) => i.appId === appId);
    return ok(paginate(mine, req.query).map((i) => installationJson(urls, i)));
  },

  "GET /installation/repositories": (state, urls, req) => {
    const id = installationOf(req);
    const repos = state.installationRepos(id);
    const installation = state.installations.get(id);
    return ok({
      total_count: repos.length,
      repository_selection: installation?.repositories === "all" ? "all" : "selected",
      repositories: paginate(repos, req.query).map((r) => repoJson(urls, r)),
    });
  },

  "GET /orgs/{org}/repos": (state, urls, req) => {
    const org = (req.params.org ?? "").toLowerCase();
    const id = installationOf(req);
    const repos = state.installationRepos(id).filter((r) => r.owner.toLowerCase() === org);
    if (repos.length === 0 && state.installations.get(id)?.account.toLowerCase() !== org) return notFound();
    return ok(paginate(repos, req.query).map((r) => repoJson(urls, r)));
  },

  "GET /orgs/{org}/teams": (state, urls, req) => {
    const org = req.params.org ?? "";
    if (state.installations.get(installationOf(req))?.account.toLowerCase() !== org.toLowerCase()) {
      return notFound();
    }
    const teams = [...state.teams.values()].filter((t) => t.org.toLowerCase() === org.toLowerCase());
    return ok(paginate(teams, req.query).map((t) => teamJson(urls, t)));
  },

  "GET /orgs/{org}/teams/{team_slug}": (state, urls, req) => {
    const team = teamOf(state, req);
    return ok(teamJson(urls, team));
  },

  "GET /orgs/{org}/teams/{team_slug}/members": (state, urls, req) => {
    const team = teamOf(state, req);
    return ok(paginate(team.members, req.query).map((login) => userJson(urls, login)));
  },

  "GET /orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}": (state, urls, req) => {
    const team = teamOf(state, req);
    const repo = repoOf(state, req);
    const permission = team.repos.get(repo.fullName.toLowerCase());
    if (!permission) return notFound();
    // Without the repository media type GitHub answers 204 No Content.
    if (!accepts(req, "application/vnd.github.v3.repository+json")) return { status: 204 };
    return ok(repoJson(urls, repo, permission));
  },

  "GET /repos/{owner}/{repo}": (state, urls, req) => ok(repoJson(urls, repoOf(state, req))),

  "GET /repos/{owner}/{repo}/contents/{path}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const path = req.params.path ?? "";
    const ref = req.query.get("ref") ?? undefined;
    const files = state.filesAt(repo, ref);
    if (!files) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const text = files.get(path);
    if (text === undefined) return notFound();
    const raw = accepts(req, ".raw");
    const etag = etagOf(`${raw ? "raw" : "json"}:${path}:${text}`);
    if (matchesEtag(req, etag)) return { status: 304, headers: { etag } };
    if (raw) return { status: 200, text, contentType: "text/plain; charset=utf-8", headers: { etag } };
    return {
      status: 200,
      headers: { etag },
      json: {
        type: "file",
        encoding: "base64",
        size: Buffer.byteLength(text),
        name: path.split("/").at(-1),
        path,
        content: Buffer.from(text).toString("base64"),
        sha: shaOf(`blob ${text}`),
        url: `${urls.api}/repos/${repo.fullName}/contents/${path}`,
      },
    };
  },

  "POST /repos/{owner}/{repo}/check-runs": (state, urls, req) => {
    const repo = repoOf(state, req);
    const b = body(req);
    const output = (b.output ?? {}) as Record<string, unknown>;
    const installation = req.auth.kind === "installation" ? req.auth.installationId : undefined;
    const run: FakeCheckRun = {
      id: state.nextId(),
      ...(installation !== undefined ? { app_id: state.installations.get(installation)?.appId ?? 0 } : {}),
      name: String(b.name ?? ""),
      head_sha: String(b.head_sha ?? ""),
      status: String(b.status ?? (b.conclusion ? "completed" : "queued")),
      conclusion: typeof b.conclusion === "string" ? b.conclusion : null,
      external_id: typeof b.external_id === "string" ? b.external_id : null,
      details_url: typeof b.details_url === "string" ? b.details_url : null,
      started_at: typeof b.started_at === "string" ? b.started_at : new Date().toISOString(),
      completed_at: typeof b.completed_at === "string" ? b.completed_at : null,
      output: {
        title: typeof output.title === "string" ? output.title : null,
        summary: typeof output.summary === "string" ? output.summary : null,
        text: typeof output.text === "string" ? output.text : null,
        annotations: Array.isArray(output.annotations) ? [...output.annotations] : [],
      },
    };
    if (!/^[0-9a-f]{40}$/.test(run.head_sha)) throw new HttpError(422, "No commit found for SHA");
    repo.checkRuns.push(run);
    return ok(checkRunJson(urls, repo, run), 201);
  },

  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const run = repo.checkRuns.find((r) => r.id === Number(req.params.check_run_id)) ?? notFound();
    const b = body(req);
    for (const field of [
      "name",
      "status",
      "conclusion",
      "external_id",
      "details_url",
      "completed_at",
    ] as const) {
      if (typeof b[field] === "string") (run as unknown as Record<string, unknown>)[field] = b[field];
    }
    const output = b.output as Record<string, unknown> | undefined;
    if (output) {
      for (const field of ["title", "summary", "text"] as const)
        if (typeof output[field] === "string") run.output[field] = output[field];
      // GitHub appends annotations sent by an update to those the run already has.
      if (Array.isArray(output.annotations)) run.output.annotations.push(...output.annotations);
    }
    return ok(checkRunJson(urls, repo, run));
  },

  "GET /repos/{owner}/{repo}/commits/{ref}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const ref = req.params.ref ?? "";
    const sha = state.resolveRef(repo, ref);
    if (!sha) throw new HttpError(422, `No commit found for SHA: ${ref}`);
    if (accepts(req, "application/vnd.github.sha")) {
      return { status: 200, text: sha, contentType: "application/vnd.github.sha; charset=utf-8" };
    }
    const index = repo.commits.findIndex((c) => c.sha === sha);
    const commit = repo.commits[index] ?? {
      sha,
      message: "(commit)",
      date: new Date().toISOString(),
      author: "octocat",
    };
    return ok(commitJson(urls, repo, commit, index > 0 ? repo.commits[index - 1] : undefined));
  },

  "GET /repos/{owner}/{repo}/compare/{basehead}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const [base = "", head = ""] = (req.params.basehead ?? "").split("...");
    const baseSha = state.resolveRef(repo, base);
    const headSha = state.resolveRef(repo, head);
    if (!baseSha || !headSha) return notFound();
    const from = repo.commits.findIndex((c) => c.sha === baseSha);
    const to = repo.commits.findIndex((c) => c.sha === headSha);
    const commits = from >= 0 && to >= 0 && to > from ? repo.commits.slice(from + 1, to + 1) : [];
    const behind = from >= 0 && to >= 0 && to < from ? from - to : 0;
    // A pull request's head was cut from its merge base; on the default branch's history the
    // merge base is the older of the two.
    const pull = state.pullByHead(repo, headSha);
    const older = from >= 0 && to >= 0 ? repo.commits[Math.min(from, to)] : undefined;
    const mergeBase = pull ? pull.mergeBase : (older?.sha ?? baseSha);
    const known = repo.commits.find((c) => c.sha === mergeBase);
    return ok({
      url: `${urls.api}/repos/${repo.fullName}/compare/${req.params.basehead}`,
      status: commits.length > 0 ? "ahead" : behind > 0 ? "behind" : "identical",
      ahead_by: commits.length,
      behind_by: behind,
      total_commits: commits.length,
      merge_base_commit: commitJson(
        urls,
        repo,
        known ?? {
          sha: mergeBase,
          message: "merge base",
          date: new Date(0).toISOString(),
          author: "octocat",
        },
      ),
      commits: paginate(commits, req.query, 250).map((c) =>
        commitJson(urls, repo, c, repo.commits[repo.commits.indexOf(c) - 1]),
      ),
      files: [],
    });
  },

  "GET /repos/{owner}/{repo}/deployments": (state, urls, req) => {
    const repo = repoOf(state, req);
    const environment = req.query.get("environment");
    const rows = repo.deployments
      .filter((d) => !environment || d.environment === environment)
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    return ok(
      paginate(rows, req.query).map((d) => ({
        id: d.id,
        url: `${urls.api}/repos/${repo.fullName}/deployments/${d.id}`,
        sha: d.sha,
        ref: d.ref,
        task: "deploy",
        environment: d.environment,
        created_at: d.created_at,
        updated_at: d.created_at,
        creator: userJson(urls, "octocat"),
      })),
    );
  },

  "GET /repos/{owner}/{repo}/issues": (state, urls, req) => {
    const repo = repoOf(state, req);
    const wantedState = req.query.get("state") ?? "open";
    const labels = (req.query.get("labels") ?? "")
      .split(",")
      .map((l) => l.trim().toLowerCase())
      .filter(Boolean);
    const rows = repo.issues
      .filter((i) => wantedState === "all" || i.state === wantedState)
      .filter((i) => labels.every((l) => i.labels.some((x) => x.toLowerCase() === l)))
      .sort((a, b) => b.number - a.number);
    if (req.query.get("direction") === "asc") rows.reverse();
    return ok(paginate(rows, req.query).map((i) => issueJson(urls, repo, i)));
  },

  "POST /repos/{owner}/{repo}/issues": (state, urls, req) => {
    const repo = repoOf(state, req);
    const b = body(req);
    if (typeof b.title !== "string" || b.title === "") throw new HttpError(422, "Validation Failed");
    const issue = state.addIssue(repo.fullName, {
      title: b.title,
      body: typeof b.body === "string" ? b.body : null,
      labels: labelsFrom(b.labels),
      author: "pom-governance[bot]",
    });
    return ok(issueJson(urls, repo, issue), 201);
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}": (state, urls, req) => {
    const repo = repoOf(state, req);
    return ok(issueJson(urls, repo, issueOf(repo, req)));
  },

  "PATCH /repos/{owner}/{repo}/issues/{issue_number}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const issue = issueOf(repo, req);
    const b = body(req);
    if (typeof b.title === "string") issue.title = b.title;
    if (typeof b.body === "string" || b.body === null) issue.body = b.body as string | null;
    if (b.labels !== undefined) {
      issue.labels = [];
      state.addLabels(repo, issue, labelsFrom(b.labels));
    }
    if (b.state === "closed" && issue.state === "open") {
      issue.state = "closed";
      issue.closed_at = new Date().toISOString();
      issue.state_reason = typeof b.state_reason === "string" ? b.state_reason : "completed";
    } else if (b.state === "open" && issue.state === "closed") {
      issue.state = "open";
      issue.closed_at = null;
      issue.state_reason = "reopened";
    }
    touch(issue);
    return ok(issueJson(urls, repo, issue));
  },

  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": (state, urls, req) => {
    const repo = repoOf(state, req);
    const issue = issueOf(repo, req);
    const rows = repo.comments.filter((c) => c.issue === issue.number);
    return ok(paginate(rows, req.query).map((c) => commentJson(urls, repo, c)));
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": (state, urls, req) => {
    const repo = repoOf(state, req);
    const issue = issueOf(repo, req);
    const text = body(req).body;
    if (typeof text !== "string" || text === "") throw new HttpError(422, "Validation Failed");
    if (text.length > 65_536) throw new HttpError(422, "Body is too long (maximum is 65536 characters)");
    const comment = state.addComment(repo, issue, text, "pom-governance[bot]");
    touch(issue);
    return ok(commentJson(urls, repo, comment), 201);
  },

  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const comment = repo.comments.find((c) => c.id === Number(req.params.comment_id)) ?? notFound();
    const text = body(req).body;
    if (typeof text !== "string" || text === "") throw new HttpError(422, "Validation Failed");
    comment.body = text;
    comment.updated_at = new Date().toISOString();
    return ok(commentJson(urls, repo, comment));
  },

  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": (state, _urls, req) => {
    const repo = repoOf(state, req);
    const index = repo.comments.findIndex((c) => c.id === Number(req.params.comment_id));
    if (index < 0) return notFound();
    repo.comments.splice(index, 1);
    return { status: 204 };
  },

  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": (state, urls, req) => {
    const repo = repoOf(state, req);
    const issue = issueOf(repo, req);
    state.addLabels(repo, issue, labelsFrom(req.body));
    touch(issue);
    return ok(issue.labels.map((l) => labelJson(urls, repo, l)));
  },

  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const issue = issueOf(repo, req);
    const name = (req.params.name ?? "").toLowerCase();
    const index = issue.labels.findIndex((l) => l.toLowerCase() === name);
    if (index < 0) throw new HttpError(404, "Label does not exist");
    issue.labels.splice(index, 1);
    touch(issue);
    return ok(issue.labels.map((l) => labelJson(urls, repo, l)));
  },

  "POST /repos/{owner}/{repo}/labels": (state, urls, req) => {
    const repo = repoOf(state, req);
    const name = String(body(req).name ?? "");
    if ([...repo.labels].some((l) => l.toLowerCase() === name.toLowerCase())) {
      throw new HttpError(422, "Validation Failed", {
        errors: [{ resource: "Label", code: "already_exists" }],
      });
    }
    repo.labels.add(name);
    return ok(labelJson(urls, repo, name), 201);
  },

  "GET /repos/{owner}/{repo}/labels/{name}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const name = (req.params.name ?? "").toLowerCase();
    const label = [...repo.labels].find((l) => l.toLowerCase() === name) ?? notFound();
    return ok(labelJson(urls, repo, label));
  },

  "GET /repos/{owner}/{repo}/pulls/{pull_number}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const issue = repo.issues.find((i) => i.number === Number(req.params.pull_number) && i.pull);
    return ok(pullJson(urls, repo, issue ?? notFound()));
  },

  "GET /repos/{owner}/{repo}/releases": (state, urls, req) => {
    const repo = repoOf(state, req);
    const rows = [...repo.releases].sort(
      (a, b) => Date.parse(b.published_at ?? b.created_at) - Date.parse(a.published_at ?? a.created_at),
    );
    return ok(paginate(rows, req.query).map((r) => releaseJson(urls, repo, r)));
  },

  "GET /repos/{owner}/{repo}/releases/tags/{tag}": (state, urls, req) => {
    const repo = repoOf(state, req);
    const release = repo.releases.find((r) => r.tag_name === req.params.tag && !r.draft) ?? notFound();
    return ok(releaseJson(urls, repo, release));
  },

  "GET /repos/{owner}/{repo}/tags": (state, urls, req) => {
    const repo = repoOf(state, req);
    const rows = [...repo.tags.entries()].map(([name, t]) => ({
      name,
      commit: { sha: t.sha, url: `${urls.api}/repos/${repo.fullName}/commits/${t.sha}` },
      zipball_url: `${urls.api}/repos/${repo.fullName}/zipball/refs/tags/${name}`,
      tarball_url: `${urls.api}/repos/${repo.fullName}/tarball/refs/tags/${name}`,
      node_id: `REF_${shaOf(name).slice(0, 8)}`,
    }));
    return ok(paginate(rows, req.query));
  },
};

function teamOf(state: FakeState, req: RestRequest) {
  const id = installationOf(req);
  const installation = state.installations.get(id);
  const org = req.params.org ?? "";
  if (installation?.account.toLowerCase() !== org.toLowerCase()) return notFound();
  return state.findTeam(org, req.params.team_slug ?? "") ?? notFound();
}

/** The handler for an OpenAPI operation, when the fake implements it. */
export function restHandler(method: string, template: string): Handler | undefined {
  return routes[`${method} ${template}`];
}
