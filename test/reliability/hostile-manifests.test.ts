/**
 * Hostile and broken manifests (test/reliability/hostile-corpus.ts) through every runtime: the
 * loader, `pom validate` and `pom check` (the built command), the app (`node dist/app/server.js`,
 * a check run with a failing `manifest.valid` and an annotation) and the action bundle (a failed
 * step with the finding and its annotation). Each is refused with its first problem at
 * file:line:column, and nothing crashes or hangs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadManifest, loadPolicy } from "../../core/manifest/manifest.js";
import type { SourceProblem } from "../../core/manifest/problem.js";
import { decodeUtf8 } from "../../core/manifest/yaml-source.js";
import { type ActionRun, installationToken, runAction } from "../../testkit/action-runner.js";
import { type AppProcess, ensureBuilt, waitFor } from "../../testkit/app-process.js";
import type { FakeGitHub, SeedRepo } from "../../testkit/fake-github/server.js";
import { startFakeGitHub } from "../../testkit/fake-github/server.js";
import { deliver } from "../../testkit/webhooks.js";
import { ensureBuilt as ensureCliBuilt, NOW_ISO, pom } from "../cli/pom.js";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import {
  appKeys,
  CHECK_NAME,
  CRASH,
  governedRepo,
  OWNER,
  pushPayload,
  reliabilitySeed,
  SECRET,
  startReliabilityApp,
  tail,
  warmUp,
} from "./helpers.js";
import { type CorpusFile, hostileCorpus, repoNameOf } from "./hostile-corpus.js";

const corpus = hostileCorpus();
const MANIFEST_PATH = ".github/pom.yml";
/** The files GitHub can hold as text: those the app and the action are fed. */
const served = corpus.flatMap((file, index) =>
  file.text !== undefined ? [{ file, repo: repoNameOf(index) }] : [],
);

function problemsOf(file: CorpusFile, shown = file.name): SourceProblem[] {
  const decoded = decodeUtf8(file.bytes, shown);
  if (!decoded.ok) return decoded.problems;
  const loaded = loadManifest(decoded.text, shown);
  if (loaded.ok) throw new Error(`${file.origin}/${file.name} loaded, but must be refused`);
  return loaded.problems;
}

function expectFirst(
  problem: { line: number; column: number; message: string } | undefined,
  file: CorpusFile,
) {
  expect(problem, `${file.origin}/${file.name}`).toBeDefined();
  expect([problem?.line, problem?.column], `${file.origin}/${file.name}: ${problem?.message}`).toEqual([
    file.expected.line,
    file.expected.column,
  ]);
  expect(problem?.message, `${file.origin}/${file.name}`).toContain(file.expected.message);
}

describe("the corpus", () => {
  it("holds at least 40 files, among them every kind the hostile README names", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
    expect(corpus.filter((f) => f.origin === "hostile").length).toBeGreaterThanOrEqual(20);
    expect(corpus.filter((f) => f.origin === "generated").map((f) => f.name)).toEqual([
      "generated-5mb.yml",
      "generated-enormous-string.yml",
      "generated-long-unknown-value.yml",
      "generated-nesting-flow-10000.yml",
      "generated-nesting-block-10000.yml",
      "generated-12000-keys.yml",
      "generated-windows-1252.yml",
      "generated-utf-16.yml",
    ]);
    expect(corpus.find((f) => f.name === "generated-5mb.yml")?.bytes.length).toBeGreaterThan(5 * 1024 * 1024);
  });
});

describe("the loader", () => {
  it.each(corpus.map((f) => [`${f.origin}/${f.name}`, f] as const))(
    "refuses %s with its first problem where the trouble is, every problem positioned",
    (_name, file) => {
      const problems = problemsOf(file);
      expectFirst(problems[0], file);
      for (const p of problems) {
        expect(p.file).toBe(file.name);
        expect(Number.isInteger(p.line) && p.line >= 1 && Number.isInteger(p.column) && p.column >= 1).toBe(
          true,
        );
        expect(p.message.trim()).not.toBe("");
      }
      // As an org policy it is refused too (or loads, for what a policy allows), without throwing.
      if (file.text !== undefined) expect(() => loadPolicy(file.text ?? "", file.name)).not.toThrow();
    },
  );
});

describe("the command line", () => {
  let tmp: TempRoot;
  let dir: string;

  beforeAll(() => {
    ensureCliBuilt();
    tmp = tempRoot("pom-hostile-");
    dir = tmp.dir("corpus");
    for (const file of corpus) writeFileSync(join(dir, file.name), file.bytes);
  }, 120_000);

  afterAll(() => tmp?.cleanup());

  it("`pom validate` refuses every file with file:line:col: manifest.valid: message, first problem first", async () => {
    const names = corpus.map((f) => f.name);
    const result = await pom(["validate", ...names], { cwd: dir });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toBe("");
    const lines = result.stdout.split("\n").filter(Boolean);
    for (const file of corpus) {
      const first = lines.find((l) => l.startsWith(`${file.name}:`));
      const match = /^[^:]+:(\d+):(\d+): manifest\.valid: (.*)$/.exec(first ?? "");
      expect(match, `${file.name}: ${first}`).not.toBeNull();
      expectFirst({ line: Number(match?.[1]), column: Number(match?.[2]), message: match?.[3] ?? "" }, file);
    }
    for (const line of lines) expect(line).toMatch(/^[^:]+:\d+:\d+: manifest\.valid: \S/);
  });

  it.each(
    [
      "38-tag-js-function.yml",
      "41-alias-bomb.yml",
      "11-duplicate-key-far-apart.yml",
      "generated-5mb.yml",
      "generated-nesting-block-10000.yml",
      "generated-windows-1252.yml",
    ].map((name) => [name]),
  )("`pom check` fails manifest.valid for %s at its position", async (name) => {
    const file = corpus.find((f) => f.name === name);
    if (!file) throw new Error(`no ${name} in the corpus`);
    const repo = tmp.repo("check");
    repo.write(".github/CODEOWNERS", "* @acme/payments\n");
    writeFileSync(join(repo.dir, MANIFEST_PATH), file.bytes);
    repo.commit("a hostile manifest", NOW_ISO);
    const result = await pom(["check", "--now", NOW_ISO, "--format", "json"], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(1);
    const verdict = JSON.parse(result.stdout) as {
      conclusion: string;
      findings: {
        rule: string;
        status: string;
        location?: { file: string; line: number; column: number };
        message: string;
      }[];
    };
    expect(verdict.conclusion).toBe("failure");
    const first = verdict.findings.find((f) => f.rule === "manifest.valid");
    expect(first?.status).toBe("fail");
    expect(first?.location?.file).toBe(MANIFEST_PATH);
    expectFirst(
      {
        line: first?.location?.line ?? 0,
        column: first?.location?.column ?? 0,
        message: first?.message ?? "",
      },
      file,
    );
  });
});

describe("the app and the action", () => {
  let fake: FakeGitHub;
  let app: AppProcess;

  beforeAll(async () => {
    const build = ensureBuilt();
    const { privateKey, publicKey } = appKeys();
    const now = Date.now();
    const repos: SeedRepo[] = served.map(({ file, repo }) => {
      const seeded = governedRepo(repo, now);
      return { ...seeded, files: { ...seeded.files, [MANIFEST_PATH]: file.text ?? "" } };
    });
    fake = await startFakeGitHub(reliabilitySeed({ now, publicKey, names: [], repos }));
    await warmUp(fake, repoNameOf(0));
    await build;
    app = await startReliabilityApp("app", fake, privateKey);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it("the app fails manifest.valid in a check run with an annotation at the first problem, for every file", async () => {
    const wrong: string[] = [];
    for (const { file, repo } of served) {
      const payload = pushPayload(fake, repo);
      const delivery = await deliver(app.url, "push", payload, { secret: SECRET });
      const [run] = fake.state.repo(`${OWNER}/${repo}`).checkRuns.filter((r) => r.name === CHECK_NAME);
      const annotations = (run?.output.annotations ?? []) as {
        path: string;
        start_line: number;
        start_column?: number;
        title: string;
        message: string;
      }[];
      const first = annotations.find((a) => a.title === "manifest.valid");
      const got = `${delivery.status} ${run?.conclusion} ${first?.path}:${first?.start_line}:${first?.start_column ?? "-"} ${first?.message}`;
      const ok =
        delivery.status === 200 &&
        run?.conclusion === "failure" &&
        first?.path === MANIFEST_PATH &&
        first.start_line === file.expected.line &&
        (first.start_column === undefined || first.start_column === file.expected.column) &&
        first.message.includes(file.expected.message);
      if (!ok) wrong.push(`${file.origin}/${file.name}: ${got}`);
    }
    expect(wrong, `--- app log ---\n${tail(app)}`).toEqual([]);
    expect(app.alive()).toBe(true);
    expect(app.output()).not.toMatch(CRASH);
  }, 60_000);

  it("the action fails the step with the finding and its annotation, for every file of the hostile kinds", async () => {
    const runs: { file: CorpusFile; run: ActionRun }[] = [];
    const queue = served.filter(({ file }) => file.everywhere);
    expect(queue.length).toBeGreaterThanOrEqual(40);
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { file, repo } = next;
        const run = await runAction({
          fake,
          repository: `${OWNER}/${repo}`,
          event: "push",
          payload: pushPayload(fake, repo),
          inputs: { token: installationToken(fake, 1) },
        });
        runs.push({ file, run });
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    const wrong: string[] = [];
    for (const { file, run } of runs) {
      const annotation = run.errors.find((e) => e.properties.title?.startsWith("manifest.valid"));
      const ok =
        run.code === 1 &&
        run.outputs.conclusion === "failure" &&
        annotation?.properties.file === MANIFEST_PATH &&
        annotation.properties.line === String(file.expected.line) &&
        annotation.properties.col === String(file.expected.column) &&
        annotation.message.includes(file.expected.message) &&
        !CRASH.test(run.stderr);
      if (!ok)
        wrong.push(
          `${file.origin}/${file.name}: exit ${run.code}, ${run.outputs.conclusion}, ${JSON.stringify(annotation)} ${run.stderr.slice(0, 200)}`,
        );
    }
    expect(wrong).toEqual([]);
    expect(fake.problems).toEqual([]);
  }, 120_000);

  it("leaves the app serving", async () => {
    await waitFor("GET /healthz", async () => (await fetch(`${app.url}/healthz`)).status === 200);
  });
});
