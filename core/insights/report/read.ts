/**
 * Reading back what `pom check --format json` and `pom report --format json` wrote: the insights
 * of a repository, or an earlier report's history. Anything else is refused with the file, line
 * and column of the first problem, so that no result is silently left out of a report.
 */

import { RULE_IDS } from "../../engine/types.js";
import { jsonErrorOffset } from "../../manifest/json-position.js";
import type { SourceProblem } from "../../manifest/problem.js";
import { readYaml } from "../../manifest/yaml-source.js";
import type { Snapshot } from "../metrics/trend.js";
import type { TeamHistory } from "../teams/history.js";
import type { RepoInsights } from "./insights.js";
import {
  anything,
  type Check,
  count,
  day,
  fields,
  isObject,
  list,
  oneOf,
  type Path,
  positive,
  string,
  time,
} from "./json-shape.js";

const FINDING = fields(
  {
    rule: oneOf(RULE_IDS),
    status: oneOf(["pass", "fail", "skip", "waived", "unknown"]),
    level: oneOf(["error", "warn", "off"]),
    message: string,
    fix: string,
    evidence: list(string),
    location: anything,
  },
  ["location"],
);

const TRIO_OF = fields({ productManager: string, designer: string, techLead: string }, [
  "productManager",
  "designer",
  "techLead",
]);
const OUTCOMES = list(
  fields(
    {
      id: string,
      status: oneOf(["active", "achieved", "dropped"]),
      metric: string,
      target: anything,
      due: string,
      from: oneOf(["manifest", "policy", "default"]),
    },
    ["metric", "target", "due"],
  ),
);
const CADENCE = fields({ text: string, ms: positive });
const WAIVERS = list(fields({ rule: string, until: string, reason: string, granted: string }, ["granted"]));
/** A product's own part of a repository's insights (a repository with products). */
const PRODUCT = fields(
  {
    product: string,
    conclusion: oneOf(["success", "neutral", "failure"]),
    findings: list(FINDING),
    team: string,
    teamName: string,
    trio: TRIO_OF,
    outcomes: OUTCOMES,
    cadence: CADENCE,
    tagPattern: string,
    activeOutcomes: list(string),
    waivers: WAIVERS,
  },
  ["team", "teamName", "trio", "outcomes", "tagPattern", "waivers"],
);

const INSIGHTS = fields(
  {
    repo: string,
    checkedAt: time,
    conclusion: oneOf(["success", "neutral", "failure"]),
    findings: list(FINDING),
    hasManifest: (v, path) => (typeof v === "boolean" ? undefined : [path, "expected true or false"]),
    product: string,
    team: string,
    teamName: string,
    trio: TRIO_OF,
    teamMembers: list(string),
    outcomes: OUTCOMES,
    cadence: CADENCE,
    tagPattern: string,
    activeOutcomes: list(string),
    releases: list(
      fields(
        {
          tag: string,
          name: string,
          sha: string,
          publishedAt: time,
          draft: anything,
          prerelease: anything,
        },
        ["name", "sha", "draft", "prerelease"],
      ),
    ),
    merged: list(
      fields(
        {
          number: count,
          mergedAt: time,
          trace: oneOf(["outcome", "exempt", "waived", "none", "unknown"]),
          outcomes: list(string),
        },
        ["trace", "outcomes"],
      ),
    ),
    historySince: time,
    gaps: list(string),
    campaigns: list(fields({ id: string, title: string, rules: list(oneOf(RULE_IDS)), deadline: day })),
    reverts: list(
      fields({ at: time, pull: count, sha: string, revertedAt: time, by: string }, [
        "pull",
        "sha",
        "revertedAt",
      ]),
    ),
    incidents: list(
      fields({ number: count, createdAt: time, closedAt: time, tags: list(string) }, ["closedAt"]),
    ),
    waivers: WAIVERS,
    stability: fields({ patchWindowMs: positive, hotfixPatterns: list(string), incidentLabel: string }),
    products: list(PRODUCT),
    perProduct: anything,
  },
  [
    "product",
    "team",
    "teamName",
    "trio",
    "teamMembers",
    "outcomes",
    "tagPattern",
    "releases",
    "merged",
    "historySince",
    "gaps",
    "campaigns",
    "reverts",
    "incidents",
    "stability",
    "waivers",
    "products",
    "perProduct",
  ],
);

/** A snapshot's figures: each a number, or null where it could not be computed. */
const figures: Check = (v, path) => {
  if (!isObject(v)) return [path, "expected an object of figures"];
  for (const [name, figure] of Object.entries(v)) {
    if (figure !== null && (typeof figure !== "number" || !Number.isFinite(figure)))
      return [[...path, name], "expected a number or null"];
  }
  return undefined;
};
const SNAPSHOT = fields({ at: time, metrics: figures });
const TRIO = fields({ product_manager: string, designer: string, tech_lead: string }, [
  "product_manager",
  "designer",
  "tech_lead",
]);
const TEAM_HISTORY = fields({
  kind: oneOf(["pom-team-history"]),
  org: string,
  snapshots: list(
    fields({
      at: time,
      by: oneOf(["sweep", "membership", "team"]),
      teams: list(fields({ team: string, id: positive, members: list(string), trio: TRIO }, ["id"])),
    }),
  ),
});

export type Read<T> = { ok: true; value: T } | { ok: false; problem: SourceProblem };

/** A check result read, or why not; `report` marks the output of `pom report`, not a problem to stop for. */
export type CheckResultRead = Read<RepoInsights> | { ok: false; report: true; problem: SourceProblem };

/** Where a JSON text stops being JSON, by line and column. */
function syntaxProblem(text: string, file: string, error: Error): SourceProblem {
  const offset = jsonErrorOffset(text) ?? 0;
  const before = text.slice(0, offset).split("\n");
  return {
    file,
    line: before.length,
    column: (before[before.length - 1]?.length ?? 0) + 1,
    message: `not valid JSON: ${error.message.split("\n")[0]}`,
  };
}

function located(text: string, file: string, path: Path, message: string): SourceProblem {
  // JSON is YAML: the YAML reader knows where each value is (within its size limit).
  const read = readYaml(text, file);
  const at = read.ok ? read.source.locate(path) : { file, line: 1, column: 1 };
  const shown = path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`))
    .join("")
    .replace(/^\./, "");
  return { ...at, file, message: shown ? `${shown}: ${message}` : message };
}

function parse(text: string, file: string): Read<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problem: syntaxProblem(text, file, error as Error) };
  }
}

/**
 * The insights in a `pom check --format json` result.
 *
 * @example readCheckResult(text, "results/checkout.json") // { ok: true, value: { repo: "acme/checkout", … } }
 */
export function readCheckResult(text: string, file: string): CheckResultRead {
  const parsed = parse(text, file);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  const expected = "expected the output of `pom check --format json`";
  if (isObject(value) && value.kind === "pom-governance-report")
    return {
      ok: false,
      report: true,
      problem: located(text, file, [], `a report, not a check result: ${expected}`),
    };
  if (!isObject(value) || !("insights" in value))
    return { ok: false, problem: located(text, file, [], `no "insights": ${expected}`) };
  const problem = INSIGHTS(value.insights, ["insights"]);
  if (problem) return { ok: false, problem: located(text, file, ...problem) };
  return { ok: true, value: value.insights as RepoInsights };
}

/**
 * The history in an earlier `pom report --format json`: its dated snapshots, and the owning teams'
 * membership history when it has one (`teamHistory`, written by `pom report --org`).
 */
export function readReportHistory(
  text: string,
  file: string,
): Read<{ snapshots: Snapshot[]; teamHistory?: TeamHistory }> {
  const parsed = parse(text, file);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (!isObject(value) || value.kind !== "pom-governance-report")
    return {
      ok: false,
      problem: located(text, file, [], "expected the output of `pom report --format json`"),
    };
  const problem =
    list(SNAPSHOT)(value.history, ["history"]) ??
    (value.teamHistory === undefined ? undefined : TEAM_HISTORY(value.teamHistory, ["teamHistory"]));
  if (problem) return { ok: false, problem: located(text, file, ...problem) };
  return {
    ok: true,
    value: {
      snapshots: value.history as Snapshot[],
      ...(value.teamHistory ? { teamHistory: value.teamHistory as TeamHistory } : {}),
    },
  };
}
