/**
 * A repository full of hostile content for the end-to-end tests of the app and the action: its
 * manifest, CODEOWNERS, commit messages, release tag, issue and pull requests (titles, bodies,
 * labels, and proposed manifests) carry HTML, Markdown, mentions, references, math, control
 * characters and 70 KB texts. Also: what every write to GitHub built from them must satisfy.
 */
import { stringify } from "yaml";
import { byteLength } from "../../core/render/escape.js";
import type { FakeSeed, RecordedRequest } from "../../testkit/fake-github/server.js";
import { shaOf } from "../../testkit/fake-github/server.js";
import { exampleOf, type Payload, retarget } from "../../testkit/webhooks.js";
import { HOSTILE, HUGE, isWellFormed, LIMITS, markdownProblems } from "./hostile.js";

const DAY = 86_400_000;
export const TARGET = { owner: "acme", name: "hostile", defaultBranch: "main" };
export const REPO = "acme/hostile";
/** A commit headline, a title: one line. */
export const LINE = HOSTILE.replace(/[\r\n]+/g, " ");
export const HUGE_LINE = HUGE.replace(/[\r\n]+/g, " ");
/** A tag name git accepts (no blanks, no `~^:?*[\`) that is still hostile. */
export const TAG = "v1<img/src=x/onerror=alert(1)>@alice#12`$x$`GH-4";

const MANIFEST = stringify({
  version: 1,
  product: { name: LINE.slice(0, 200) },
  team: {
    name: LINE.slice(0, 200),
    github: "acme/hostile-team",
    product_manager: "alice",
    designer: "bob",
    tech_lead: "mallory",
  },
  release: { cadence: "14d" },
  outcomes: [{ id: "HOS-1", title: LINE.slice(0, 200), metric: "m", target: "1", status: "active" }],
  rules: { "problem.issue": "warn" },
});

/** A proposed manifest with hostile keys and values, one of them 70 KB. */
const PROPOSED = stringify({
  version: 1,
  product: { name: HUGE_LINE.slice(0, 20_000) },
  team: { name: "t", github: "@alice/<img src=x>" },
  release: { cadence: "<script>@carol #4" },
  [LINE]: 1,
  [HUGE_LINE]: 2,
  "@bob": { "#3": "`x" },
});
const BROKEN = `version: 1\nproduct: { name: "${LINE.replace(/"/g, "'")}\n`;

export const PR_PROPOSED = { number: 7, title: HUGE_LINE, sha: shaOf("hostile pr 7"), body: HUGE };
export const PR_BROKEN = { number: 8, title: LINE, sha: shaOf("hostile pr 8"), body: LINE };
export const ISSUE = {
  number: 9,
  title: LINE,
  body: HUGE,
  labels: ["outcome:<img src=x>", "outcome:@alice #12"],
};

export function hostileSeed(now: number): (publicKey: string) => FakeSeed {
  const ago = (ms: number) => new Date(now - ms).toISOString();
  const released = shaOf("hostile release");
  return (publicKey) => ({
    apps: [{ id: 1, publicKey }],
    installations: [{ id: 1, appId: 1, account: "acme" }],
    repos: [
      {
        ...TARGET,
        files: {
          ".github/pom.yml": MANIFEST,
          ".github/CODEOWNERS": `* @evil-user <img src=x onerror=alert(1)> #12 @acme/other \`x $y$ GH-3 https://github.com/${REPO}/issues/1\n`,
        },
        filesAt: {
          [PR_PROPOSED.sha]: { ".github/pom.yml": PROPOSED },
          [PR_BROKEN.sha]: { ".github/pom.yml": BROKEN },
        },
        commits: [
          { message: "Initial commit", date: ago(60 * DAY) },
          { sha: released, message: `${LINE}\n\n${HUGE}`, date: ago(41 * DAY) },
          { message: `${HUGE_LINE}\n\nbody`, date: ago(30 * DAY) },
        ],
        tags: { [TAG]: released },
        releases: [{ tag: TAG, target: released, publishedAt: ago(40 * DAY), body: HUGE, name: LINE }],
        issues: [ISSUE],
        pulls: [
          {
            ...PR_PROPOSED,
            headSha: PR_PROPOSED.sha,
            labels: ["outcome:<script>"],
            files: [".github/pom.yml"],
          },
          { ...PR_BROKEN, headSha: PR_BROKEN.sha, files: [".github/pom.yml"] },
        ],
      },
    ],
    teams: [{ org: "acme", slug: "hostile-team", members: ["alice", "bob"], repos: { [REPO]: "push" } }],
  });
}

/** A `release.published` payload for the hostile release the fake holds. */
export function releasePublished(release: {
  id: number;
  created_at: string;
  published_at: string | null;
}): Payload {
  const payload = retarget(exampleOf("release", "published"), TARGET);
  Object.assign(payload.release, {
    id: release.id,
    tag_name: TAG,
    name: LINE,
    body: HUGE,
    draft: false,
    prerelease: false,
    created_at: release.created_at,
    published_at: release.published_at,
    target_commitish: "main",
  });
  return payload;
}

/** Every problem with one write request's body: not inert, or over a limit. */
export function problemsOf(r: RecordedRequest): string[] {
  const body = (r.body ?? {}) as Record<string, unknown>;
  const where = r.operation ?? `${r.method} ${r.path}`;
  const problems: string[] = [];
  const markdown = (field: string, text: unknown, max: { bytes?: number; chars?: number }) => {
    if (typeof text !== "string") return;
    for (const p of markdownProblems(text)) problems.push(`${where} ${field}: ${p}`);
    if (!isWellFormed(text)) problems.push(`${where} ${field}: a lone surrogate`);
    if (max.bytes !== undefined && byteLength(text) > max.bytes)
      problems.push(`${where} ${field}: over ${max.bytes} bytes`);
    if (max.chars !== undefined && text.length > max.chars)
      problems.push(`${where} ${field}: over ${max.chars} characters`);
  };
  const output = body.output as Record<string, unknown> | undefined;
  if (output) {
    markdown("output.title", output.title, { chars: LIMITS.checkRunTitle });
    markdown("output.summary", output.summary, { bytes: LIMITS.checkRunSummaryBytes });
    markdown("output.text", output.text, { bytes: LIMITS.checkRunSummaryBytes });
    for (const a of (output.annotations ?? []) as Record<string, string>[]) {
      // Annotations are shown as plain text: bounded, whole characters, one known title.
      if (byteLength(a.message ?? "") > LIMITS.annotationMessageBytes)
        problems.push(`${where}: annotation over 64 KB`);
      if (!isWellFormed(a.message ?? "")) problems.push(`${where}: annotation with a lone surrogate`);
      if ((a.title ?? "").length > LIMITS.annotationTitle)
        problems.push(`${where}: annotation title over 255`);
    }
  }
  markdown("body", body.body, { chars: LIMITS.commentChars });
  markdown("title", body.title, { chars: LIMITS.issueTitleChars });
  for (const label of (body.labels ?? []) as string[]) {
    if (!["pom: needs outcome", "pom: needs problem", "pom-governance"].includes(label)) {
      problems.push(`${where}: a label the app does not own: ${JSON.stringify(label)}`);
    }
  }
  return problems;
}
