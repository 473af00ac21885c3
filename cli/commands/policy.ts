/**
 * `pom policy preview`: what a proposed org policy would change, before it merges. Live, every
 * repository of the organization is judged under the policy GitHub has and the proposed one, from
 * the app's batched reads (nothing is written); offline, `--repos DIR...` judges local checkouts.
 */
import { dirname, relative, resolve } from "node:path";
import type { PolicyPreview } from "../../core/insights/preview.js";
import { type Loaded, loadPolicy, type OrgPolicy } from "../../core/manifest/manifest.js";
import type { SourceProblem } from "../../core/manifest/problem.js";
import type { Command } from "../command.js";
import { confinement, displayPath, readPolicyFile, readPolicyText } from "../files.js";
import { git, gitTopLevel, repositoryName } from "../git.js";
import { EXIT, type Io, UsageError } from "../io.js";
import { parseNow } from "./shared.js";
import { formatProblem } from "./validate.js";

const FORMATS = ["text", "json", "markdown"] as const;

export const policyCommand: Command = {
  name: "policy",
  usage: `
Usage: pom policy preview --policy FILE [--org ORG] [--format text|json|markdown] [--now ISO]
       pom policy preview --policy FILE --repos DIR [DIR...] [--current FILE] [options]

Previews a change to the org policy (.github/pom-policy.yml): every repository judged under the
policy as it stands and under FILE, and what changes: the repositories that would start or stop
failing (an error-level finding), then per rule those for which it gets worse or better.

Live (the default), the organization's repositories are read from GitHub as the app's sweep
reads them, 50 per GraphQL query, with the token in GITHUB_TOKEN (or GH_TOKEN) and the API at
GITHUB_API_URL; the policy as it stands is the one on the default branch of ORG/.github.
Nothing is written. ORG defaults to the owner of the origin remote of FILE's repository.

Offline, --repos judges local git checkouts instead (as pom check does: tags, CODEOWNERS from
the tree, team rules unknown); the policy as it stands is --current FILE, else FILE as its git
repository's HEAD has it, else none.

Options:
  --policy FILE    the proposed org policy (required)
  --org ORG        the organization to preview live
  --repos DIR      judge local checkouts (further directories may follow it) instead of GitHub
  --current FILE   offline: the policy as it stands
  --format FORMAT  text (default), json (every row), or markdown (as the app's check shows it)
  --now ISO        judge as of this time instead of now

Exit codes: 0 previewed (whatever it shows), 1 the proposed policy is invalid (its problems as
file:line:col: message), 2 usage or I/O error.`,
  options: {
    policy: { type: "string" },
    org: { type: "string" },
    repos: { type: "string", multiple: true },
    current: { type: "string" },
    format: { type: "string" },
    now: { type: "string" },
  },
  positionals: true,
  async run({ values, positionals }, io) {
    const [sub, ...more] = positionals;
    if (sub !== "preview")
      throw new UsageError(`pom policy takes the subcommand "preview"; got "${sub ?? ""}"`);
    const format = (values.format as string | undefined) ?? "text";
    if (!(FORMATS as readonly string[]).includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")}; got "${format}"`);
    const policyPath = values.policy as string | undefined;
    if (!policyPath) throw new UsageError("--policy FILE is required: the proposed org policy");
    const repos = values.repos as string[] | undefined;
    if (more.length > 0 && !repos) throw new UsageError(`unexpected argument "${more[0]}"`);
    if (repos && values.org !== undefined)
      throw new UsageError("give --org (live) or --repos (offline), not both");
    const now = parseNow(values.now);
    const read = readPolicyText(policyPath, io.cwd, confinement(policyPath, io.cwd));
    const proposed = "text" in read ? loadPolicy(read.text, read.shown) : read.problems;
    if (!proposed.ok) return invalid(proposed.problems, io);
    let preview: PolicyPreview;
    if (repos) {
      const { previewCheckouts } = await import("../policy-offline.js");
      preview = await previewCheckouts({
        dirs: [...repos, ...more],
        current: currentPolicy(values.current as string | undefined, policyPath, io),
        proposed,
        proposedFile: read.shown,
        org: (values.org as string | undefined) ?? "local checkouts",
        now,
        cwd: io.cwd,
      });
    } else {
      const org = (values.org as string | undefined) ?? orgOf(policyPath, io.cwd);
      const { previewLive } = await import("../policy-live.js");
      preview = await previewLive(org, { file: read.shown, text: (read as { text: string }).text }, io, now);
    }
    io.out(await render(preview, format));
    return EXIT.ok;
  },
};

function invalid(problems: readonly SourceProblem[], io: Io): number {
  for (const p of problems) io.out(formatProblem(p));
  return EXIT.failed;
}

async function render(preview: PolicyPreview, format: string): Promise<string> {
  if (format === "json") return JSON.stringify(preview, null, 2);
  if (format === "markdown")
    // Its reader ran the command: every repository is named.
    return (await import("../../core/render/preview-markdown.js")).renderPreviewMarkdown(preview, {
      namePrivate: true,
    });
  return (await import("../../core/render/preview-text.js")).renderPreviewText(preview);
}

/** The organization of the policy's repository: the owner of its origin remote. */
function orgOf(policyPath: string, cwd: string): string {
  const top = gitTopLevel(dirname(resolve(cwd, policyPath)));
  const name = top ? repositoryName(top) : "";
  const owner = name.includes("/") ? name.split("/")[0] : undefined;
  if (!owner) throw new UsageError("give --org ORG: the policy's repository has no origin remote to tell it");
  return owner;
}

/** Offline, the policy as it stands: --current, else the proposed file as HEAD has it, else none. */
function currentPolicy(current: string | undefined, policyPath: string, io: Io): Loaded<OrgPolicy> | null {
  if (current !== undefined) {
    const loaded = readPolicyFile(current, io.cwd, confinement(current, io.cwd));
    if (!loaded.ok)
      throw new UsageError(
        `the current policy is invalid: ${loaded.problems.map((p) => formatProblem(p)).join("; ")}`,
      );
    return loaded;
  }
  const file = resolve(io.cwd, policyPath);
  const top = gitTopLevel(dirname(file));
  if (!top) return none(io, "the policy's directory is not in a git repository");
  let text: string;
  try {
    text = git(top, ["show", `HEAD:${relative(top, file).split("\\").join("/")}`]);
  } catch {
    return none(io, "HEAD of its repository has no copy of it");
  }
  const loaded = loadPolicy(text, `${displayPath(policyPath, io.cwd)} at HEAD`);
  if (!loaded.ok)
    throw new UsageError(
      `the policy at HEAD is invalid: ${loaded.problems.map((p) => formatProblem(p)).join("; ")}`,
    );
  return loaded;
}

function none(io: Io, why: string): null {
  io.err(`note: no current policy (${why}; give --current FILE): repositories are compared with none`);
  return null;
}
