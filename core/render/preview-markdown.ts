/**
 * A policy preview as Markdown, for the "POM policy preview" check run and `pom policy preview
 * --format markdown`: the counts first, then the repositories that would start and stop failing,
 * then each rule's changes. Within GitHub's 65,535-byte limit: rows past what fits are counted
 * ("…and N more not shown"), and a last line says how many were left out and where the full list
 * is. Where everyone may read the summary (a public `.github` repository), private repositories
 * are counted, never named.
 */
import type { PolicyPreview, RepoFlip, RuleFlip } from "../insights/preview.js";
import { byteLength, escapeInline, truncateBytes } from "./escape.js";
import { MARKDOWN_LIMIT } from "./markdown.js";

export interface PreviewMarkdownOptions {
  limit?: number;
  /** Name private repositories (default no: count them only). */
  namePrivate?: boolean;
  /** Where the full list is (e.g. the dashboard's address of this preview), for the last line. */
  fullList?: string;
}

interface Section {
  title: string;
  header: string[];
  rows: string[];
  /** Rows of private repositories left unnamed. */
  unnamed: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const name = (repo: string) => escapeInline(repo, 140);

/** The one-line headline (also the check run's title). */
export function previewHeadline(preview: PolicyPreview): string {
  if (preview.invalid) return `the proposed policy is invalid (${plural(preview.invalid.length, "problem")})`;
  const parts = [
    preview.startFailing.length > 0
      ? `${plural(preview.startFailing.length, "repository", "repositories")} would start failing`
      : "",
    preview.stopFailing.length > 0 ? `${preview.stopFailing.length} would stop failing` : "",
  ].filter(Boolean);
  const worse = preview.rules.reduce((n, r) => n + r.worse.length, 0);
  if (parts.length === 0 && worse > 0)
    parts.push(`${plural(worse, "new finding")}, no repository starts failing`);
  return parts.length > 0
    ? parts.join(", ")
    : `nothing gets worse in ${plural(preview.repositories, "repository", "repositories")}`;
}

/**
 * @example renderPreviewMarkdown(preview, { fullList: "/pom/acme/preview/12.json" }).startsWith("## POM policy preview") // true
 */
export function renderPreviewMarkdown(preview: PolicyPreview, options: PreviewMarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const head = [
    `## POM policy preview: ${escapeInline(previewHeadline(preview), 300)}`,
    "",
    proposedLine(preview),
    "",
  ];
  if (preview.invalid) {
    head.push("The proposed policy is invalid, so no repository was judged under it:", "");
    for (const p of preview.invalid)
      head.push(
        `- \`${escapeInline(`${p.file}:${p.line}:${p.column}`, 300)}\` ${escapeInline(p.message, 500)}${p.hint ? ` (${escapeInline(p.hint, 300)})` : ""}`,
      );
    return truncateBytes(head.join("\n"), limit);
  }
  head.push(...countLines(preview), "");
  const sections = [
    flipSection("Would start failing", "newly failing", preview.startFailing, options),
    flipSection("Would stop failing", "no longer failing", preview.stopFailing, options),
    ...preview.rules.map((change) =>
      ruleSection(
        `\`${change.rule}\`: ${change.worse.length} worse, ${change.better.length} better`,
        [...change.worse, ...change.better],
        options,
      ),
    ),
    notJudgedSection(preview, options),
  ].filter((s) => s.rows.length > 0 || s.unnamed > 0);
  return fitSections(head.join("\n"), sections, limit, options.fullList);
}

function proposedLine(preview: PolicyPreview): string {
  const { file, pull, head } = preview.proposed;
  const from = [pull !== undefined ? `pull request ${pull}` : "", head ? `at ${head.slice(0, 7)}` : ""]
    .filter(Boolean)
    .join(", ");
  return `The proposed \`${escapeInline(file, 200)}\`${from ? ` (${escapeInline(from, 100)})` : ""} against the policy as it stands: every repository of ${name(preview.org)} judged under both, from the same reads.`;
}

function countLines(preview: PolicyPreview): string[] {
  const lines = [
    "| | repositories |",
    "| --- | ---: |",
    `| judged (${preview.privateRepositories} private) | ${preview.repositories} |`,
    `| would start failing | ${preview.startFailing.length} |`,
    `| would stop failing | ${preview.stopFailing.length} |`,
    `| could not be judged | ${preview.notJudged.length} |`,
  ];
  if (preview.rules.length === 0) return [...lines, "", "No rule changes for any repository."];
  return [
    ...lines,
    "",
    "| rule | worse | better |",
    "| --- | ---: | ---: |",
    ...preview.rules.map((r) => `| \`${r.rule}\` | ${r.worse.length} | ${r.better.length} |`),
  ];
}

function split<T extends { private: boolean }>(items: readonly T[], options: PreviewMarkdownOptions) {
  const named = options.namePrivate ? items : items.filter((i) => !i.private);
  return { named, unnamed: items.length - named.length };
}

function flipSection(
  title: string,
  what: string,
  flips: readonly RepoFlip[],
  options: PreviewMarkdownOptions,
): Section {
  const { named, unnamed } = split(flips, options);
  return {
    title: `${title} (${flips.length})`,
    header: [`| repository | now | proposed | ${what} |`, "| --- | --- | --- | --- |"],
    rows: named.map(
      (f) =>
        `| ${name(f.repo)} | ${f.from} | ${f.to} | ${f.rules.map((r) => `\`${r}\``).join(", ") || "–"} |`,
    ),
    unnamed,
  };
}

function ruleSection(title: string, flips: readonly RuleFlip[], options: PreviewMarkdownOptions): Section {
  const { named, unnamed } = split(flips, options);
  return {
    title,
    header: ["| repository | now | proposed |", "| --- | --- | --- |"],
    rows: named.map((f) => `| ${name(f.repo)} | ${f.from} | ${f.to} |`),
    unnamed,
  };
}

function notJudgedSection(preview: PolicyPreview, options: PreviewMarkdownOptions): Section {
  const { named, unnamed } = split(preview.notJudged, options);
  return {
    title: `Could not be judged (${preview.notJudged.length})`,
    header: ["| repository | why |", "| --- | --- |"],
    rows: named.map((n) => `| ${name(n.repo)} | ${escapeInline(n.reason, 300)} |`),
    unnamed,
  };
}

/** Room kept, per section still to come, for its title and its "not shown" line. */
const SECTION_RESERVE = 320;
const FOOTER_RESERVE = 600;

/** The sections after `head`, as many rows as fit in `limit`, the rest counted. */
function fitSections(head: string, sections: readonly Section[], limit: number, fullList?: string): string {
  const parts = [head];
  let bytes = byteLength(head);
  let left = 0;
  const append = (text: string) => {
    parts.push(text);
    bytes += byteLength(text);
  };
  const room = (index: number) => limit - FOOTER_RESERVE - (sections.length - index - 1) * SECTION_RESERVE;
  const add = (line: string, index: number) => {
    if (bytes + 1 + byteLength(line) > room(index)) return false;
    append(`\n${line}`);
    return true;
  };
  sections.forEach((section, index) => {
    append(`\n\n### ${section.title}\n`);
    let shownRows = 0;
    if (section.rows.length > 0 && add(section.header.join("\n"), index))
      for (const row of section.rows) {
        if (!add(row, index)) break;
        shownRows++;
      }
    const omitted = section.rows.length - shownRows;
    left += omitted;
    if (omitted > 0)
      append(
        `\n\n…and ${plural(omitted, "more repository", "more repositories")} not shown here (size limit).`,
      );
    if (section.unnamed > 0)
      append(
        `\n\n${plural(section.unnamed, "private repository is", "private repositories are")} counted here but not named: everyone may read this check.`,
      );
  });
  if (left > 0)
    append(
      `\n\n${plural(left, "row was", "rows were")} left out to stay within GitHub's 65,535-byte limit${fullList ? `; the full list: \`${fullList.replace(/`/g, "").slice(0, 300)}\`` : ""}.`,
    );
  return truncateBytes(parts.join(""), limit);
}
