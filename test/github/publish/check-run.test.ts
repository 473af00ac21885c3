/**
 * The "POM governance" check run: one POST, then PATCHes for annotations beyond 50; with a ledger,
 * one run per subject and commit, edited in place, and nothing written for what GitHub shows.
 */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Finding, Verdict } from "../../../core/engine/types.js";
import { byteLength } from "../../../core/render/escape.js";
import { checkKey, MemoryCheckLedger } from "../../../github/publish/check-ledger.js";
import {
  ANNOTATIONS_PER_REQUEST,
  CHECK_NAME,
  type CheckRunInput,
  publishCheckRun,
} from "../../../github/publish/check-run.js";
import { bodyOf, FakeGitHub, newClient, type SentRequest } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };
const SHA = "0123456789abcdef0123456789abcdef01234567";
const RUNS = "/repos/acme/checkout/check-runs";

function located(i: number, file = ".github/pom.yml", message = `problem ${i}`): Finding {
  return {
    rule: "manifest.valid",
    status: "fail",
    level: "error",
    message,
    fix: "fix it",
    evidence: [],
    location: { file, line: i + 1, column: 1 },
  };
}

type Output = { title: string; summary: string; annotations?: { path: string; start_line: number }[] };
const outputOf = (request: SentRequest | undefined) => bodyOf<{ output: Output }>(request).output;

let gh: FakeGitHub;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  gh = new FakeGitHub();
});
afterEach(() => {
  gh.close();
  nock.cleanAll();
});

describe("publishCheckRun", () => {
  it("creates one completed check run named POM governance on the commit, with the verdict's conclusion", async () => {
    gh.on("POST", RUNS, { status: 201, body: { id: 77 } });
    const verdict: Verdict = {
      conclusion: "neutral",
      findings: [
        {
          rule: "ownership.roles",
          status: "fail",
          level: "warn",
          message: "bob is not a member",
          fix: "add bob",
          evidence: [],
        },
      ],
    };

    const { id } = await publishCheckRun(newClient(), repo, {
      sha: SHA,
      verdict,
      externalId: "pr:12",
      detailsUrl: "https://example.com/pom",
    });

    expect(id).toBe(77);
    expect(gh.sent).toHaveLength(1);
    const body = gh.sent[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      name: CHECK_NAME,
      head_sha: SHA,
      status: "completed",
      conclusion: "neutral",
      external_id: "pr:12",
      details_url: "https://example.com/pom",
    });
    expect(CHECK_NAME).toBe("POM governance");
    expect(Number.isNaN(Date.parse(String(body.completed_at)))).toBe(false);
    const output = outputOf(gh.sent[0]);
    expect(output.title).toBe("POM governance: 1 failed");
    expect(output.summary).toContain("`ownership.roles`");
    expect(output).not.toHaveProperty("annotations");
    expect(gh.scope.isDone()).toBe(true);
  });

  it.each(["success", "neutral", "failure"] as const)(
    "sends the conclusion %s as it is",
    async (conclusion) => {
      gh.on("POST", RUNS, { status: 201, body: { id: 1 } });

      await publishCheckRun(newClient(), repo, {
        sha: SHA,
        verdict: { conclusion, findings: [] },
        externalId: "repo",
      });

      expect(bodyOf<{ conclusion: string }>(gh.sent[0]).conclusion).toBe(conclusion);
      expect(gh.scope.isDone()).toBe(true);
    },
  );

  it("keeps the summary within 65,535 bytes however many and however long the findings", async () => {
    gh.on("POST", RUNS, { status: 201, body: { id: 5 } });
    const long = "é".repeat(3_000);
    const findings = Array.from({ length: 200 }, (_, i) => ({ ...located(i, "elsewhere.yml", long) }));

    await publishCheckRun(newClient(), repo, {
      sha: SHA,
      verdict: { conclusion: "failure", findings },
      externalId: "repo",
      files: new Set([".github/pom.yml"]),
    });

    const output = outputOf(gh.sent[0]);
    expect(byteLength(output.summary)).toBeLessThanOrEqual(65_535);
    expect(output.summary).toMatch(/more findings? not shown/);
    expect(output.title.length).toBeLessThanOrEqual(255);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("sends 120 located findings as 50 annotations on the POST, then PATCHes of 50 and 20", async () => {
    gh.on("POST", RUNS, { status: 201, body: { id: 99 } });
    gh.on("PATCH", `${RUNS}/99`, { status: 200, body: { id: 99 } }, 2);
    const findings = Array.from({ length: 120 }, (_, i) => located(i));

    const { id } = await publishCheckRun(newClient(), repo, {
      sha: SHA,
      verdict: { conclusion: "failure", findings },
      externalId: "repo",
      files: new Set([".github/pom.yml"]),
    });

    expect(id).toBe(99);
    expect(gh.sent.map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST ${RUNS}`,
      `PATCH ${RUNS}/99`,
      `PATCH ${RUNS}/99`,
    ]);
    const batches = gh.sent.map((r) => outputOf(r).annotations ?? []);
    expect(batches.map((b) => b.length)).toEqual([ANNOTATIONS_PER_REQUEST, 50, 20]);
    expect(batches.flat().map((a) => a.start_line)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    // A PATCH appends annotations; it does not start another run or change its conclusion.
    for (const patch of gh.sent.slice(1)) {
      expect(patch.body).not.toHaveProperty("head_sha");
      expect(patch.body).not.toHaveProperty("conclusion");
      expect(outputOf(patch).summary).toBe(outputOf(gh.sent[0]).summary);
    }
    expect(gh.scope.isDone()).toBe(true);
  });

  it("annotates only findings in the given files, and only failing or undecided ones", async () => {
    gh.on("POST", RUNS, { status: 201, body: { id: 3 } });
    const findings: Finding[] = [
      located(0, ".github/pom.yml"),
      located(1, "acme/.github/.github/pom-policy.yml"),
      { ...located(2, ".github/pom.yml"), status: "pass" },
      { ...located(3, ".github/pom.yml"), status: "unknown" },
      { ...located(4, ".github/pom.yml"), level: "warn" },
    ];

    await publishCheckRun(newClient(), repo, {
      sha: SHA,
      verdict: { conclusion: "failure", findings },
      externalId: "pr:1",
      files: new Set([".github/pom.yml"]),
    });

    const annotations = outputOf(gh.sent[0]).annotations as unknown as Record<string, unknown>[];
    expect(annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      [".github/pom.yml", 1, "failure"],
      [".github/pom.yml", 4, "notice"],
      [".github/pom.yml", 5, "warning"],
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("sends no annotations at all when no file may be annotated", async () => {
    gh.on("POST", RUNS, { status: 201, body: { id: 4 } });

    await publishCheckRun(newClient(), repo, {
      sha: SHA,
      verdict: { conclusion: "failure", findings: Array.from({ length: 60 }, (_, i) => located(i)) },
      externalId: "pr:1",
      files: new Set(),
    });

    expect(gh.sent).toHaveLength(1);
    expect(outputOf(gh.sent[0])).not.toHaveProperty("annotations");
    expect(gh.scope.isDone()).toBe(true);
  });

  it("lets a failed POST throw, so the caller can report it", async () => {
    gh.on("POST", RUNS, { status: 422, body: { message: "Validation Failed" } });

    await expect(
      publishCheckRun(newClient(), repo, {
        sha: SHA,
        verdict: { conclusion: "success", findings: [] },
        externalId: "x",
      }),
    ).rejects.toMatchObject({ status: 422 });
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("publishCheckRun with a ledger of the runs written", () => {
  const RUN = `${RUNS}/5`;
  const failing: Verdict = {
    conclusion: "failure",
    findings: [
      {
        rule: "outcome.pull_request",
        status: "fail",
        level: "error",
        message: "no outcome",
        fix: "name one",
        evidence: [],
      },
    ],
  };
  const passing: Verdict = { conclusion: "success", findings: [] };
  const publish = (ledger: MemoryCheckLedger, verdict: Verdict, extra: Partial<CheckRunInput> = {}) =>
    publishCheckRun(newClient(), repo, { sha: SHA, verdict, externalId: "pr:12", ...extra }, ledger);

  it("creates the run once, then writes nothing for the same inputs, and carries the inputs in external_id", async () => {
    const ledger = new MemoryCheckLedger();
    gh.on("POST", RUNS, { status: 201, body: { id: 5 } });

    const first = await publish(ledger, failing, { inputs: "a".repeat(64) });
    const second = await publish(ledger, failing, { inputs: "a".repeat(64) });

    expect(first).toEqual({ id: 5, write: "created" });
    expect(second).toEqual({ id: 5, write: "unchanged" });
    expect(gh.sent).toHaveLength(1);
    expect(bodyOf(gh.sent[0]).external_id).toBe(`pr:12:${"a".repeat(16)}`);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("writes nothing when the inputs changed but the run would show the same", async () => {
    const ledger = new MemoryCheckLedger();
    gh.on("POST", RUNS, { status: 201, body: { id: 5 } });

    await publish(ledger, failing, { inputs: "a".repeat(64) });
    const again = await publish(ledger, failing, { inputs: "b".repeat(64) });

    expect(again.write).toBe("unchanged");
    expect(gh.sent).toHaveLength(1);
    expect((await ledger.get(checkKey(repo, SHA, "pr:12")))?.inputs).toBe("b".repeat(64));
  });

  it("edits the run in place, with one PATCH, when the verdict changes", async () => {
    const ledger = new MemoryCheckLedger();
    gh.on("POST", RUNS, { status: 201, body: { id: 5 } });
    gh.on("PATCH", RUN, { status: 200, body: { id: 5 } });

    await publish(ledger, failing, { inputs: "a".repeat(64) });
    const changed = await publish(ledger, passing, { inputs: "c".repeat(64) });

    expect(changed).toEqual({ id: 5, write: "updated" });
    expect(gh.sent.map((r) => `${r.method} ${r.path}`)).toEqual([`POST ${RUNS}`, `PATCH ${RUN}`]);
    expect(bodyOf(gh.sent[1])).toMatchObject({
      status: "completed",
      conclusion: "success",
      external_id: `pr:12:${"c".repeat(16)}`,
    });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("replaces a run that carries annotations instead of editing it (GitHub would keep the old ones)", async () => {
    const ledger = new MemoryCheckLedger();
    gh.on("POST", RUNS, { status: 201, body: { id: 5 } });
    gh.on("POST", RUNS, { status: 201, body: { id: 6 } });

    await publish(ledger, { conclusion: "failure", findings: [located(1)] });
    const changed = await publish(ledger, passing);

    expect(changed).toEqual({ id: 6, write: "created" });
    expect(gh.sent.map((r) => r.method)).toEqual(["POST", "POST"]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("creates a new run when asked to (a re-run), even for the same verdict", async () => {
    const ledger = new MemoryCheckLedger();
    gh.on("POST", RUNS, { status: 201, body: { id: 5 } });
    gh.on("POST", RUNS, { status: 201, body: { id: 8 } });

    await publish(ledger, failing, { inputs: "a".repeat(64) });
    const rerun = await publish(ledger, failing, { inputs: "a".repeat(64), force: true });

    expect(rerun).toEqual({ id: 8, write: "created" });
    expect((await ledger.get(checkKey(repo, SHA, "pr:12")))?.id).toBe(8);
  });

  it("creates a run again when the one it remembers is gone (404 on the edit)", async () => {
    const ledger = new MemoryCheckLedger();
    gh.on("POST", RUNS, { status: 201, body: { id: 5 } });
    gh.on("PATCH", RUN, { status: 404, body: { message: "Not Found" } });
    gh.on("POST", RUNS, { status: 201, body: { id: 9 } });

    await publish(ledger, failing);
    const changed = await publish(ledger, passing);

    expect(changed).toEqual({ id: 9, write: "created" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("writes one run for concurrent judgements of the same subject and commit", async () => {
    const ledger = new MemoryCheckLedger();
    gh.on("POST", RUNS, { status: 201, body: { id: 5 } });

    const all = await Promise.all([1, 2, 3].map(() => publish(ledger, failing, { inputs: "a".repeat(64) })));

    expect(all.map((p) => p.write).sort()).toEqual(["created", "unchanged", "unchanged"]);
    expect(gh.sent).toHaveLength(1);
  });

  it("keeps the newest records only, up to its size", async () => {
    const ledger = new MemoryCheckLedger({ max: 2 });
    for (const sha of ["a", "b", "c"]) await ledger.set(sha, { id: 1, output: "x", annotated: false });
    expect(ledger.size).toBe(2);
    expect(await ledger.get("a")).toBeUndefined();
    expect(await ledger.get("c")).toBeDefined();
  });
});
