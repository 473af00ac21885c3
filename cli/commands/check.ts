/** `pom check`: evaluate the repository rules on a local checkout, offline. */
import { join, relative, resolve, sep } from "node:path";
import { CODEOWNERS_PATHS } from "../../core/domain/codeowners.js";
import { delegate, factSource, PRODUCT_FACTS, pick } from "../../core/engine/fact-source.js";
import { judgeProducts } from "../../core/engine/products.js";
import type { Verdict } from "../../core/engine/types.js";
import { blocks } from "../../core/engine/verdict.js";
import { type RepoInsights, repoInsights } from "../../core/insights/report/insights.js";
import type { EffectiveConfig } from "../../core/manifest/config.js";
import { MANIFEST_PATHS } from "../../core/manifest/manifest.js";
import { toJson } from "../../core/render/json.js";
import { renderMarkdown } from "../../core/render/markdown.js";
import { renderSarif, repositoryFiles, type SarifInput } from "../../core/render/sarif.js";
import { renderText } from "../../core/render/text.js";
import { effectiveConfig, REPO_RULES, RULES } from "../../policies/registry.js";
import type { Command } from "../command.js";
import { displayPath } from "../files.js";
import { repositoryName } from "../git.js";
import { HISTORY_DAYS, historyStart, readMergedPullRequests } from "../git-history.js";
import { EXIT, type Io, UsageError, useColor } from "../io.js";
import { localReaders } from "../local-facts.js";
import { type Checkout, loadCheckout, parseNow, REPO_OPTIONS } from "./shared.js";

const FORMATS = ["text", "json", "markdown", "sarif"] as const;

export const checkCommand: Command = {
  name: "check",
  usage: `
Usage: pom check [--repo DIR] [--policy FILE] [--now ISO] [--format text|json|markdown|sarif]
       pom check --github OWNER/REPO [--now ISO] [--format ...]

Evaluates the repository rules against a local git checkout without contacting GitHub:
releases are the git tags reachable from HEAD that match release.tag_pattern (dated by git),
CODEOWNERS comes from the working tree, unreleased changes are the commits after the newest
qualifying tag, all counted; with --now, nothing dated after it counts. The checkout's pom.yml
and CODEOWNERS must be regular files that do not link out of the repository.
Rules that need GitHub (ownership.team, ownership.roles) report "unknown (offline)".
Pull request and issue rules do not apply to a checkout.

With --github, the repository rules are evaluated live against GitHub instead: the manifest and
the org policy from the default branch, teams, CODEOWNERS and releases through the API, with the
token in GITHUB_TOKEN (or GH_TOKEN) and the API at GITHUB_API_URL (default api.github.com).

Options:
  --repo DIR       the checkout to evaluate (default: the current directory)
  --policy FILE    an org policy to apply (.github/pom-policy.yml of the org's .github repo)
  --now ISO        evaluate as of this time instead of now (e.g. 2026-11-22T09:00:00Z)
  --format FORMAT  text (default), json (stable shape, see README), markdown, or sarif (SARIF
                   2.1.0 for GitHub code scanning: failing and undecided rules as results)
  --github SLUG    evaluate OWNER/REPO live on GitHub instead of a local checkout

Exit codes: 0 no error-level rule failed, 1 one did (or GitHub failed to answer for one),
2 usage or I/O error (DIR is not a git repository, a file of it was refused).`,
  options: {
    ...REPO_OPTIONS,
    now: { type: "string" },
    format: { type: "string" },
    github: { type: "string" },
  },
  positionals: false,
  async run({ values }, io) {
    const format = (values.format as string | undefined) ?? "text";
    if (!(FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`--format must be one of ${FORMATS.join(", ")}; got "${format}"`);
    }
    const now = parseNow(values.now);
    if (typeof values.github === "string") {
      const { checkLive } = await import("../live.js");
      const live = await checkLive(values.github, io.env, now, format === "json" ? HISTORY_DAYS : undefined);
      const manifestPath = live.evaluation.config.manifestSource?.file ?? MANIFEST_PATHS[0];
      return report(live.evaluation, format, io, {
        ...(live.insights ? { insights: live.insights } : {}),
        files: { manifestPath, repoFiles: repositoryFiles() },
      });
    }
    const checkout = loadCheckout(values, io.cwd, { git: true });
    const input = {
      subject: "repo" as const,
      manifest: checkout.manifest,
      policy: checkout.policy,
      config: effectiveConfig(checkout.manifest, checkout.policy, now),
      now,
    };
    const options = { now, cwd: io.cwd, root: checkout.root };
    const source = factSource(localReaders(checkout.dir, input.config, options));
    // A product's source reads its own unreleased work, and the rest from the repository's.
    const sources = (product?: EffectiveConfig) =>
      product
        ? factSource(pick(localReaders(checkout.dir, product, options), PRODUCT_FACTS), delegate(source))
        : source;
    const verdict = await judgeProducts(input, RULES, sources, { eager: true });
    // The insights read the releases whether or not a rule did (asked once: remembered).
    const facts = format === "json" ? await source.read(["releases"]) : {};
    const insights =
      format === "json"
        ? repoInsights({
            repo: repositoryName(checkout.dir),
            checkedAt: now,
            verdict,
            config: verdict.config,
            ...(facts.releases?.ok ? { releases: facts.releases.value } : {}),
            merged: readMerged(checkout.dir, now),
            historySince: historyStart(now),
          })
        : undefined;
    const code = report(verdict, format, io, {
      ...(insights ? { insights } : {}),
      files: checkoutFiles(checkout, io.cwd),
    });
    if (format === "text" && verdict.config.releaseSource.value !== "tags") {
      io.err(
        `note: offline, releases are read from git tags (release.source is ${verdict.config.releaseSource.value})`,
      );
    }
    return code;
  },
};

/** Merged pull requests from git, or none when git cannot tell (the verdict says why). */
function readMerged(dir: string, now: Date) {
  try {
    return readMergedPullRequests(dir, now);
  } catch {
    return undefined;
  }
}

/**
 * Prints the verdict. The JSON carries `insights` too: the repository's history, for `pom report
 * --from DIR` to compute the figures of any window from many such files.
 */
function report(
  verdict: Verdict,
  format: string,
  io: Io,
  extra: { insights?: RepoInsights; files: Pick<SarifInput, "manifestPath" | "repoFiles"> },
): number {
  const { insights } = extra;
  if (format === "json")
    io.out(JSON.stringify({ ...toJson(verdict), ...(insights ? { insights } : {}) }, null, 2));
  else if (format === "markdown") io.out(renderMarkdown(verdict));
  else if (format === "sarif")
    io.out(
      renderSarif({
        findings: verdict.findings,
        rules: REPO_RULES,
        ...extra.files,
      }).trimEnd(),
    );
  else io.out(renderText(verdict, { color: useColor(io) }));
  // An error-level rule that GitHub's passing fault kept undecided fails too (`pom check --github`):
  // a gate does not pass on what it did not see. Offline ("unknown (offline)") it is lasting.
  return blocks(verdict.findings, "error") ? EXIT.failed : EXIT.ok;
}

/**
 * Where SARIF locations point: paths in the repository, from its top (the checkout may be a
 * directory inside it), for the files findings name as the command shows them.
 */
function checkoutFiles(checkout: Checkout, cwd: string): Pick<SarifInput, "manifestPath" | "repoFiles"> {
  const inRepo = (path: string) => relative(checkout.root, path).split(sep).join("/");
  const manifest = resolve(checkout.dir, checkout.manifestFile ?? MANIFEST_PATHS[0]);
  const files = new Map([[displayPath(manifest, cwd), inRepo(manifest)]]);
  for (const path of CODEOWNERS_PATHS) files.set(path, inRepo(join(checkout.dir, path)));
  return { manifestPath: inRepo(manifest), repoFiles: files };
}
