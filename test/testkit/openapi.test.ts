/**
 * The OpenAPI request checker (testkit/openapi.ts) must be able to fail: each case here is a
 * mistake it has to catch, next to the valid request it has to let through.
 */
import { describe, expect, it } from "vitest";
import { assertRequest, checkRequest, findOperation, rewriteNullable } from "../../testkit/openapi.js";

const BASE = "https://api.github.com";
const GHE = "http://127.0.0.1:4000/api/v3";

const checkRun = {
  name: "POM governance",
  head_sha: "0123456789abcdef0123456789abcdef01234567",
  status: "completed",
  conclusion: "failure",
  completed_at: "2026-06-15T12:00:00Z",
  output: {
    title: "1 error",
    summary: "| rule | status |\n|---|---|\n| manifest.valid | failure |",
    annotations: [
      {
        path: ".github/pom.yml",
        start_line: 3,
        end_line: 3,
        annotation_level: "failure",
        message: "team.github is required",
      },
    ],
  },
};

describe("checkRequest: check runs", () => {
  it("accepts a valid check-run create", () => {
    expect(
      checkRequest({ method: "POST", url: `${BASE}/repos/acme/checkout/check-runs`, body: checkRun }),
    ).toEqual([]);
  });

  it("accepts the body as JSON text, as an HTTP mock records it", () => {
    expect(
      checkRequest({
        method: "post",
        url: "/repos/acme/checkout/check-runs",
        body: JSON.stringify(checkRun),
      }),
    ).toEqual([]);
  });

  it("rejects an unknown conclusion and names the field", () => {
    const problems = checkRequest({
      method: "POST",
      url: `${BASE}/repos/acme/checkout/check-runs`,
      body: { ...checkRun, conclusion: "bogus" },
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain("POST /repos/{owner}/{repo}/check-runs");
    expect(problems[0]).toContain("body/conclusion");
    expect(problems[0]).toContain('"success"');
  });

  it("rejects a create without name or head_sha", () => {
    const { name: _name, head_sha: _sha, ...rest } = checkRun;
    const problems = checkRequest({
      method: "POST",
      url: `${BASE}/repos/acme/checkout/check-runs`,
      body: rest,
    });
    expect(problems.join("\n")).toContain("'name'");
    expect(problems.join("\n")).toContain("'head_sha'");
  });

  it("rejects an annotation without path, pointing at the item", () => {
    const { path: _path, ...annotation } = checkRun.output.annotations[0] ?? {};
    const problems = checkRequest({
      method: "POST",
      url: `${BASE}/repos/acme/checkout/check-runs`,
      body: { ...checkRun, output: { ...checkRun.output, annotations: [annotation] } },
    });
    expect(problems).toEqual([
      "POST /repos/{owner}/{repo}/check-runs: body/output/annotations/0 must have required property 'path'",
    ]);
  });

  it("rejects a request without its required body", () => {
    expect(checkRequest({ method: "POST", url: `${BASE}/repos/acme/checkout/check-runs` })).toEqual([
      "POST /repos/{owner}/{repo}/check-runs: a JSON request body is required",
    ]);
  });

  it("accepts a valid check-run update", () => {
    const body = { output: { title: "more", summary: "appended", annotations: checkRun.output.annotations } };
    expect(checkRequest({ method: "PATCH", url: `${BASE}/repos/acme/checkout/check-runs/42`, body })).toEqual(
      [],
    );
    expect(
      checkRequest({
        method: "PATCH",
        url: `${BASE}/repos/acme/checkout/check-runs/42`,
        body: { status: "completed", conclusion: "success" },
      }),
    ).toEqual([]);
  });

  it("rejects an update that completes without a conclusion, and a non-numeric id", () => {
    expect(
      checkRequest({
        method: "PATCH",
        url: `${BASE}/repos/acme/checkout/check-runs/42`,
        body: { status: "completed" },
      }).join("\n"),
    ).toContain("'conclusion'");
    expect(
      checkRequest({
        method: "PATCH",
        url: `${BASE}/repos/acme/checkout/check-runs/undefined`,
        body: { status: "in_progress" },
      }),
    ).toEqual([
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: path parameter {check_run_id} is "undefined" (a stringified JavaScript value)',
    ]);
    expect(
      checkRequest({
        method: "PATCH",
        url: `${BASE}/repos/acme/checkout/check-runs/abc`,
        body: { status: "in_progress" },
      }),
    ).toEqual(["PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}: {check_run_id} must be integer"]);
  });
});

describe("checkRequest: paths and query parameters", () => {
  it("rejects an operation that is not in the subset, naming method and path", () => {
    expect(checkRequest({ method: "GET", url: `${BASE}/repos/acme/checkout/nonsense` })).toEqual([
      "GET /repos/acme/checkout/nonsense: no such operation in GitHub's REST API subset",
    ]);
    expect(checkRequest({ method: "PUT", url: `${BASE}/repos/acme/checkout/check-runs` })).toEqual([
      "PUT /repos/acme/checkout/check-runs: no such operation in GitHub's REST API subset (the path is known for POST)",
    ]);
  });

  it("rejects an unknown query parameter and names the known ones", () => {
    const problems = checkRequest({
      method: "GET",
      url: `${BASE}/repos/acme/checkout/releases?per_page=100&perpage=1`,
    });
    expect(problems).toEqual([
      'GET /repos/{owner}/{repo}/releases: unknown query parameter "perpage" (known: per_page, page)',
    ]);
  });

  it("checks query values against their schema", () => {
    expect(
      checkRequest({ method: "GET", url: `${BASE}/repos/acme/checkout/issues?state=all&per_page=100` }),
    ).toEqual([]);
    expect(
      checkRequest({ method: "GET", url: `${BASE}/repos/acme/checkout/issues?state=opened&per_page=many` }),
    ).toEqual([
      'GET /repos/{owner}/{repo}/issues: ?state must be equal to one of the allowed values: "open", "closed", "all"',
      "GET /repos/{owner}/{repo}/issues: ?per_page must be integer",
    ]);
  });

  it("matches a URL-encoded contents path to the contents operation", () => {
    const url = `${BASE}/repos/acme/x/contents/.github%2Fpom.yml?ref=main`;
    expect(checkRequest({ method: "GET", url })).toEqual([]);
    expect(findOperation("GET", url)).toEqual({
      method: "GET",
      template: "/repos/{owner}/{repo}/contents/{path}",
      operationId: "repos/get-content",
      pathParams: { owner: "acme", repo: "x", path: ".github/pom.yml" },
    });
    // The path parameter may also span segments unencoded.
    expect(findOperation("GET", "/repos/acme/x/contents/.github/pom.yml")?.pathParams.path).toBe(
      ".github/pom.yml",
    );
  });

  it("strips the GitHub Enterprise /api/v3 prefix", () => {
    const url = `${GHE}/repos/acme/checkout/check-runs?per_page=100`;
    expect(findOperation("POST", url)?.template).toBe("/repos/{owner}/{repo}/check-runs");
    expect(
      checkRequest({ method: "POST", url: `${GHE}/repos/acme/checkout/check-runs`, body: checkRun }),
    ).toEqual([]);
    expect(
      checkRequest({ method: "GET", url: `${GHE}/repos/acme/checkout/tags?per_page=100&page=2` }),
    ).toEqual([]);
  });

  it("prefers the most literal template", () => {
    expect(findOperation("PATCH", "/repos/acme/x/issues/comments/7")?.template).toBe(
      "/repos/{owner}/{repo}/issues/comments/{comment_id}",
    );
    expect(findOperation("PATCH", "/repos/acme/x/issues/7")?.template).toBe(
      "/repos/{owner}/{repo}/issues/{issue_number}",
    );
  });

  it("rejects a body on an operation that takes none", () => {
    expect(checkRequest({ method: "GET", url: `${BASE}/repos/acme/x`, body: { name: "x" } })).toEqual([
      "GET /repos/{owner}/{repo}: the operation takes no request body",
    ]);
  });
});

describe("checkRequest: issues, comments and labels", () => {
  it("accepts valid comment create and update bodies", () => {
    const body = { body: "<!-- pom-governance -->\nThis issue needs an outcome." };
    expect(checkRequest({ method: "POST", url: `${BASE}/repos/acme/x/issues/12/comments`, body })).toEqual(
      [],
    );
    expect(checkRequest({ method: "PATCH", url: `${BASE}/repos/acme/x/issues/comments/99`, body })).toEqual(
      [],
    );
    expect(checkRequest({ method: "DELETE", url: `${BASE}/repos/acme/x/issues/comments/99` })).toEqual([]);
  });

  it("rejects a comment whose body is not a string", () => {
    expect(
      checkRequest({ method: "POST", url: `${BASE}/repos/acme/x/issues/12/comments`, body: { body: 42 } }),
    ).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments: body/body must be string"]);
  });

  it("accepts adding and removing a label with spaces and a colon", () => {
    expect(
      checkRequest({
        method: "POST",
        url: `${BASE}/repos/acme/x/issues/12/labels`,
        body: { labels: ["pom: needs outcome"] },
      }),
    ).toEqual([]);
    expect(
      checkRequest({
        method: "DELETE",
        url: `${BASE}/repos/acme/x/issues/12/labels/pom%3A%20needs%20outcome`,
      }),
    ).toEqual([]);
  });

  it("rejects labels sent as a bare string", () => {
    expect(
      checkRequest({ method: "POST", url: `${BASE}/repos/acme/x/issues/12/labels`, body: { labels: "bug" } })
        .length,
    ).toBeGreaterThan(0);
  });

  it("accepts nullable fields set to null (OpenAPI 3.0 nullable)", () => {
    expect(
      checkRequest({
        method: "PATCH",
        url: `${BASE}/repos/acme/x/issues/12`,
        body: { state: "closed", state_reason: null, milestone: null, body: null },
      }),
    ).toEqual([]);
    expect(
      checkRequest({
        method: "PATCH",
        url: `${BASE}/repos/acme/x/issues/12`,
        body: { state: "closed", state_reason: "solved" },
      }),
    ).toHaveLength(1);
  });
});

describe("checkRequest: GraphQL", () => {
  it("accepts a query with variables, on api.github.com and GitHub Enterprise", () => {
    const body = {
      query: "query($owner: String!) { repository(owner: $owner) { id } }",
      variables: { owner: "a" },
    };
    expect(checkRequest({ method: "POST", url: `${BASE}/graphql`, body })).toEqual([]);
    expect(checkRequest({ method: "POST", url: "http://127.0.0.1:4000/api/graphql", body })).toEqual([]);
  });

  it("rejects GraphQL under the REST prefix", () => {
    expect(
      checkRequest({ method: "POST", url: `${GHE}/graphql`, body: { query: "{ viewer { login } }" } }),
    ).toEqual([
      "POST /api/v3/graphql: no such operation in GitHub's REST API subset (GraphQL is POST /graphql, or POST /api/graphql on GitHub Enterprise)",
    ]);
  });

  it("rejects a body without a query", () => {
    expect(checkRequest({ method: "POST", url: `${BASE}/graphql`, body: { variables: {} } })).toEqual([
      'POST /graphql: body must have a non-empty string "query"',
    ]);
    expect(
      checkRequest({
        method: "POST",
        url: `${BASE}/graphql`,
        body: { query: "{ viewer { login } }", variables: [] },
      }),
    ).toEqual(['POST /graphql: body "variables" must be an object']);
  });
});

describe("assertRequest and the nullable rewrite", () => {
  it("throws with every problem, one per line", () => {
    expect(() =>
      assertRequest({ method: "POST", url: `${BASE}/repos/acme/x/check-runs?foo=1`, body: { name: "x" } }),
    ).toThrow(/unknown query parameter "foo"[\s\S]*required property 'head_sha'/);
    expect(() =>
      assertRequest({ method: "POST", url: `${BASE}/repos/acme/x/check-runs`, body: checkRun }),
    ).not.toThrow();
  });

  it("rewrites nullable with and without type, and leaves property names alone", () => {
    expect(rewriteNullable({ type: "string", enum: ["a"], nullable: true })).toEqual({
      type: ["string", "null"],
      enum: ["a", null],
    });
    expect(rewriteNullable({ description: "d", nullable: true, oneOf: [{ type: "string" }] })).toEqual({
      description: "d",
      anyOf: [{ oneOf: [{ type: "string" }] }, { type: "null" }],
    });
    expect(rewriteNullable({ type: "object", properties: { nullable: { type: "boolean" } } })).toEqual({
      type: "object",
      properties: { nullable: { type: "boolean" } },
    });
  });
});
