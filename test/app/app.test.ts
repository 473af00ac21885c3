/**
 * The app through Probot with real webhook payloads: which requests each event causes, and that
 * every one of them is a valid GitHub REST call.
 */
import nock from "nock";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../github/publish/issue-feedback.js";
import { exampleOf } from "../helpers/webhooks.js";
import { createProbot, mockGitHub, type Sent, tokenReply } from "./harness.js";

const MANIFEST = `version: 1
product: { name: Hello World }
team: { name: Octo, github: Codertocat/octo }
outcomes:
  - { id: HW-1, title: Say hello to more people, metric: greetings, target: 1000 }
`;

const REPO = "/repos/Codertocat/Hello-World";
const MERGE_BASE = "0000000000000000000000000000000000000b45";
/** The head commit of the example pull request. */
const payloadHead = () =>
  (exampleOf("pull_request", "opened") as { pull_request: { head: { sha: string } } }).pull_request.head.sha;

interface World {
  manifest?: string | null;
  policy?: string | null;
  /** Governance paths the pull request edits. */
  files?: string[];
  closingIssues?: { number: number; title: string; body: string | null }[];
  comments?: { id: number; body: string; user?: { login: string; type: string } }[];
}

function world(w: World) {
  return (req: Sent): [number, unknown, Record<string, string>?] | undefined => {
    const token = tokenReply(req);
    if (token) return token;
    const path = decodeURIComponent(req.path.split("?")[0] ?? "");
    if (req.method === "GET" && path === `${REPO}/contents/.github/pom.yml`) {
      return w.manifest ? [200, w.manifest, { "content-type": "text/plain", etag: '"m1"' }] : undefined;
    }
    if (req.method === "GET" && path === "/repos/Codertocat/.github/contents/.github/pom-policy.yml") {
      return w.policy ? [200, w.policy, { "content-type": "text/plain", etag: '"p1"' }] : undefined;
    }
    if (req.method === "GET" && path.startsWith(`${REPO}/compare/`)) {
      return [200, { merge_base_commit: { sha: MERGE_BASE }, commits: [], files: [] }];
    }
    const variables = (req.body as { variables?: Record<string, string> } | undefined)?.variables ?? {};
    if (req.method === "POST" && path === "/graphql" && "e0_0" in variables) {
      // Blob ids: the head's copy of each path in `files` differs from the default branch's and
      // the merge base's; every other copy is the same everywhere.
      const head = payloadHead();
      const repository = Object.fromEntries(
        Object.entries(variables)
          .filter(([name]) => /^e\d+_\d+$/.test(name))
          .map(([name, expression]) => {
            const [rev = "", path = ""] = expression.split(":");
            const edited = rev === head && (w.files ?? []).includes(path);
            return [`o${name.slice(1)}`, { oid: edited ? "edited" : "same" }];
          }),
      );
      return [200, { data: { repository } }];
    }
    if (req.method === "POST" && path === "/graphql") {
      return [
        200,
        {
          data: {
            repository: {
              pullRequest: {
                closingIssuesReferences: {
                  nodes: (w.closingIssues ?? []).map((i) => ({
                    ...i,
                    author: { login: "x" },
                    labels: { nodes: [] },
                  })),
                },
              },
            },
          },
        },
      ];
    }
    if (req.method === "POST" && path === `${REPO}/check-runs`) return [201, { id: 42 }];
    if (req.method === "GET" && path.startsWith(`${REPO}/issues/`) && path.endsWith("/comments")) {
      return [200, w.comments ?? []];
    }
    if (req.method === "POST" && path.endsWith("/comments")) return [201, { id: 7 }];
    if (req.method === "POST" && path.endsWith("/labels")) return [200, []];
    if (req.method === "GET" && path === `${REPO}/pulls/2`) {
      return [200, exampleOf("pull_request", "opened").pull_request as object];
    }
    return undefined;
  };
}

beforeAll(() => {
  nock.disableNetConnect();
});

afterEach(() => {
  nock.cleanAll();
});

function prPayload(title: string, body: string | null = null) {
  const payload = exampleOf("pull_request", "opened") as {
    pull_request: { title: string; body: string | null };
  };
  payload.pull_request.title = title;
  payload.pull_request.body = body;
  return payload;
}

describe("pull requests", () => {
  it("a pull request naming an active outcome gets a successful check run on its head commit", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    await createProbot().receive({
      id: "1",
      name: "pull_request",
      payload: prPayload("Greet in French (HW-1)") as never,
    });
    const checks = gh.sent.filter((r) => r.path.endsWith("/check-runs"));
    expect(checks).toHaveLength(1);
    expect(checks[0]?.body).toMatchObject({
      name: "POM governance",
      head_sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
      conclusion: "success",
      external_id: expect.stringMatching(/^pr:2:[0-9a-f]{16}$/),
    });
    expect(gh.writes()).toHaveLength(1);
    expect(gh.problems).toEqual([]);
  });

  it("a pull request tracing to nothing fails, and the summary says which outcomes are active", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    await createProbot().receive({
      id: "2",
      name: "pull_request",
      payload: prPayload("Update the README") as never,
    });
    const check = gh.sent.find((r) => r.path.endsWith("/check-runs"))?.body as {
      conclusion: string;
      output: { summary: string };
    };
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("outcome.pull_request");
    expect(check.output.summary).toContain("HW-1");
    expect(gh.problems).toEqual([]);
  });

  it("a pull request that closes an issue serving an outcome passes through that issue", async () => {
    const gh = mockGitHub(
      world({ manifest: MANIFEST, closingIssues: [{ number: 9, title: "Greetings for HW-1", body: null }] }),
    );
    await createProbot().receive({
      id: "3",
      name: "pull_request",
      payload: prPayload("Add greeting", "Fixes #9") as never,
    });
    const check = gh.sent.find((r) => r.path.endsWith("/check-runs"))?.body as { conclusion: string };
    expect(check.conclusion).toBe("success");
    // Beside the blob ids of the governance files (manifest.protected), one query for the issues.
    const query = gh.sent.find(
      (r) => r.path === "/graphql" && String((r.body as { query: string }).query).includes("closingIssues"),
    )?.body as { query: string };
    expect(query.query).toContain("closingIssuesReferences");
    expect(query.query).toContain("ref9: issueOrPullRequest(number: 9)");
  });

  it("reads the configuration from the default branch; the head's copy is only compared with it", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    const payload = prPayload("HW-1 work") as unknown as { pull_request: { head: { sha: string } } };
    await createProbot().receive({ id: "4", name: "pull_request", payload: payload as never });
    const configReads = gh.sent.filter((r) => r.path.includes("/contents/") && r.path.includes("pom"));
    const fromDefault = configReads.filter((r) => !/[?&]ref=/.test(r.path)).map((r) => r.path);
    expect(fromDefault).toEqual(
      expect.arrayContaining([expect.stringContaining("pom.yml"), expect.stringContaining("pom-policy.yml")]),
    );
    // The only other read is the manifest at the head commit, to see whether the PR changes it.
    const atHead = configReads.filter((r) => /[?&]ref=/.test(r.path)).map((r) => r.path);
    expect(atHead).toEqual([`${REPO}/contents/.github%2Fpom.yml?ref=${payload.pull_request.head.sha}`]);
  });

  it("a pull request that edits pom.yml gets its proposed manifest validated, with an annotation", async () => {
    const gh = mockGitHub((req) => {
      const path = decodeURIComponent(req.path);
      if (path.startsWith(`${REPO}/contents/.github/pom.yml?ref=`)) {
        return [
          200,
          "version: 1\nproduct: { name: X }\nteam: { name: T, github: acme }\n",
          { "content-type": "text/plain" },
        ];
      }
      return world({ manifest: MANIFEST, files: [".github/pom.yml"] })(req);
    });
    await createProbot().receive({
      id: "5",
      name: "pull_request",
      payload: prPayload("HW-1: tune manifest") as never,
    });
    const check = gh.sent.find((r) => r.path.endsWith("/check-runs"))?.body as {
      conclusion: string;
      output: { annotations?: { path: string; start_line: number; title: string }[] };
    };
    expect(check.conclusion).toBe("failure");
    expect(check.output.annotations).toEqual([
      expect.objectContaining({ path: ".github/pom.yml", start_line: 3, title: "manifest.valid" }),
    ]);
    expect(gh.problems).toEqual([]);
  });

  it("a proposed manifest GitHub fails to serve fails manifest.valid with the reason, never passes", async () => {
    const gh = mockGitHub((req) => {
      if (decodeURIComponent(req.path).startsWith(`${REPO}/contents/.github/pom.yml?ref=`)) {
        return [502, { message: "Bad Gateway" }];
      }
      return world({ manifest: MANIFEST, files: [".github/pom.yml"] })(req);
    });
    await createProbot().receive({
      id: "5b",
      name: "pull_request",
      payload: prPayload("HW-1: tune manifest") as never,
    });
    const check = gh.sent.find((r) => r.path.endsWith("/check-runs"))?.body as {
      conclusion: string;
      output: { summary: string };
    };
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("could not be read: GitHub answered 502");
  });

  it("when GitHub cannot serve the configuration, the check fails with the reason instead of vanishing", async () => {
    const gh = mockGitHub((req) => {
      if (decodeURIComponent(req.path) === `${REPO}/contents/.github/pom.yml`)
        return [503, { message: "Unavailable" }];
      return world({ manifest: MANIFEST })(req);
    });
    await createProbot().receive({
      id: "5c",
      name: "pull_request",
      payload: prPayload("HW-1 work") as never,
    });
    const check = gh.sent.find((r) => r.path.endsWith("/check-runs"))?.body as {
      conclusion: string;
      output: { summary: string };
    };
    expect(check.conclusion).toBe("failure");
    expect(check.output.summary).toContain("could not be read: GitHub answered 503");
    expect(gh.problems).toEqual([]);
  });

  it("a repository without a manifest or org policy is left alone: no check run", async () => {
    const gh = mockGitHub(world({ manifest: null }));
    await createProbot().receive({ id: "6", name: "pull_request", payload: prPayload("anything") as never });
    expect(gh.writes()).toEqual([]);
  });
});

describe("issues", () => {
  function issuePayload(body: string, labels: string[] = []) {
    const payload = exampleOf("issues", "opened") as {
      issue: { body: string; labels: { name: string }[]; title: string };
    };
    payload.issue.title = "Spelling mistake";
    payload.issue.body = body;
    payload.issue.labels = labels.map((name) => ({ name }));
    return payload;
  }

  it("an issue without an outcome gets the label and one sticky comment", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    await createProbot().receive({ id: "7", name: "issues", payload: issuePayload("It is broken") as never });
    const writes = gh.writes();
    expect(writes.map((w) => `${w.method} ${decodeURIComponent(w.path)}`)).toEqual([
      `POST ${REPO}/issues/1/labels`,
      `POST ${REPO}/issues/1/comments`,
    ]);
    expect(writes[0]?.body).toEqual({ labels: ["pom: needs outcome"] });
    expect(String((writes[1]?.body as { body?: string } | undefined)?.body)).toContain(COMMENT_MARKER);
    expect(gh.problems).toEqual([]);
  });

  it("the same issue delivered again, already labelled and commented, causes no write", async () => {
    const labelled = issuePayload("It is broken", ["pom: needs outcome"]);
    const first = mockGitHub(world({ manifest: MANIFEST }));
    await createProbot().receive({ id: "8", name: "issues", payload: issuePayload("It is broken") as never });
    const comment = String((first.writes()[1]?.body as { body?: string } | undefined)?.body);
    nock.cleanAll();
    const again = mockGitHub(
      world({
        manifest: MANIFEST,
        comments: [{ id: 7, body: comment, user: { login: "pom-governance[bot]", type: "Bot" } }],
      }),
    );
    await createProbot().receive({ id: "8", name: "issues", payload: labelled as never });
    expect(again.writes()).toEqual([]);
  });

  it("ignores our own label being added", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    const payload = {
      ...exampleOf("issues", "labeled"),
      label: { name: "pom: needs outcome" },
      sender: { login: "pom[bot]", type: "Bot" },
    };
    await createProbot().receive({ id: "9", name: "issues", payload: payload as never });
    expect(gh.sent).toEqual([]);
  });
});

describe("push and re-runs", () => {
  it("a push that does not touch pom.yml or CODEOWNERS costs nothing", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    const payload = exampleOf("push") as {
      commits: { added: string[]; modified: string[]; removed: string[] }[];
    };
    for (const c of payload.commits) c.modified = ["src/index.js"];
    await createProbot().receive({ id: "10", name: "push", payload: payload as never });
    expect(gh.sent).toEqual([]);
  });

  it("a re-requested check run of a pull request evaluates that pull request again", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    const payload = exampleOf("check_run", "rerequested") as {
      check_run: { name: string; external_id: string };
      repository: object;
    };
    payload.check_run.name = "POM governance";
    payload.check_run.external_id = "pr:2";
    payload.repository = (exampleOf("pull_request", "opened") as { repository: object }).repository;
    await createProbot().receive({ id: "11", name: "check_run", payload: payload as never });
    expect(gh.sent.some((r) => r.path === `${REPO}/pulls/2`)).toBe(true);
    expect(gh.sent.filter((r) => r.path.endsWith("/check-runs"))).toHaveLength(1);
    expect(gh.problems).toEqual([]);
  });

  it("a re-requested check run whose external id carries the inputs' hash is judged again, as a new run", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    const payload = exampleOf("check_run", "rerequested") as {
      check_run: { name: string; external_id: string };
      repository: object;
    };
    payload.check_run.name = "POM governance";
    payload.check_run.external_id = "pr:2:0123456789abcdef";
    payload.repository = (exampleOf("pull_request", "opened") as { repository: object }).repository;
    await createProbot().receive({ id: "11b", name: "check_run", payload: payload as never });
    expect(gh.sent.some((r) => r.path === `${REPO}/pulls/2`)).toBe(true);
    expect(gh.sent.filter((r) => r.method === "POST" && r.path.endsWith("/check-runs"))).toHaveLength(1);
    expect(gh.problems).toEqual([]);
  });

  it("a re-requested check run of another app is not ours to answer", async () => {
    const gh = mockGitHub(world({ manifest: MANIFEST }));
    const payload = exampleOf("check_run", "rerequested") as { check_run: { name: string } };
    payload.check_run.name = "CI";
    await createProbot().receive({ id: "12", name: "check_run", payload: payload as never });
    expect(gh.sent).toEqual([]);
  });
});
