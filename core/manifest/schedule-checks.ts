/**
 * What the schemas cannot say about staged levels: a schedule's dates rise (warn before error), a
 * campaign's id is unique, a rule belongs to one campaign at most and is not also set under
 * `rules:`. Each problem points at the value in the file. Run even when the schema failed, so
 * every value is checked for its shape first.
 */
import type { SourceProblem } from "./problem.js";
import { formatPath as formatted } from "./schema-check.js";
import type { PathSegment, YamlSource } from "./yaml-source.js";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The schedules under `rules:` (of a manifest or an org policy) whose error date is not after their
 * warn date.
 *
 * @example checkRuleSchedules({ rules: { "release.cadence": { warn: "2027-03-01", error: "2027-01-01" } } }, source).length // 1
 */
export function checkRuleSchedules(document: unknown, source: YamlSource): SourceProblem[] {
  const rules = isRecord(document) ? document.rules : undefined;
  if (!isRecord(rules)) return [];
  return Object.entries(rules).flatMap(([id, spec]) => scheduleOrder(spec, ["rules", id], source));
}

/**
 * The campaigns of an org policy: unique ids, each rule in one campaign at most and not also under
 * `rules:` (nor, for manifest.present, the top-level `manifest:`), their own schedules in order.
 */
export function checkCampaigns(policy: unknown, source: YamlSource): SourceProblem[] {
  if (!isRecord(policy) || !Array.isArray(policy.campaigns)) return [];
  const rules = isRecord(policy.rules) ? policy.rules : {};
  const problems: SourceProblem[] = [];
  const ids = new Map<string, number>();
  const owner = new Map<string, string>();
  policy.campaigns.forEach((campaign, index) => {
    if (!isRecord(campaign)) return;
    const here = (...rest: PathSegment[]): PathSegment[] => ["campaigns", index, ...rest];
    if (typeof campaign.id === "string") {
      const first = ids.get(campaign.id.toLowerCase());
      if (first === undefined) ids.set(campaign.id.toLowerCase(), index);
      else
        problems.push(
          problem(
            source,
            here("id"),
            `campaign id "${campaign.id}" is declared twice (first as campaigns[${first}])`,
            "give each campaign its own id",
          ),
        );
    }
    problems.push(...scheduleOrder(campaign.levels, here("levels"), source));
    if (!Array.isArray(campaign.rules)) return;
    campaign.rules.forEach((rule, at) => {
      if (typeof rule !== "string") return;
      const name = typeof campaign.id === "string" ? `campaign "${campaign.id}"` : `campaigns[${index}]`;
      const earlier = owner.get(rule);
      if (earlier !== undefined)
        problems.push(
          problem(
            source,
            here("rules", at),
            `${rule} is staged by ${earlier} and by ${name}; a rule belongs to one campaign at most`,
            `remove ${rule} from one of the two campaigns`,
          ),
        );
      else owner.set(rule, name);
      const ruled =
        rule in rules
          ? "rules"
          : rule === "manifest.present" && policy.manifest !== undefined
            ? "manifest"
            : undefined;
      if (ruled)
        problems.push(
          problem(
            source,
            here("rules", at),
            `${rule} is staged by ${name} and also set under ${ruled === "rules" ? `rules.${rule}` : "manifest"}; the campaign is the rule's org level`,
            `remove ${ruled === "rules" ? `rules.${rule}` : "manifest:"}, or the rule from the campaign`,
          ),
        );
    });
  });
  return problems;
}

/** A schedule whose error date is not after its warn date. */
function scheduleOrder(spec: unknown, path: PathSegment[], source: YamlSource): SourceProblem[] {
  if (!isRecord(spec) || typeof spec.warn !== "string" || typeof spec.error !== "string") return [];
  if (spec.warn < spec.error) return [];
  return [
    problem(
      source,
      [...path, "error"],
      `${formatted(path)}: error from ${spec.error} is not after warn from ${spec.warn}; a schedule rises: off, then warn, then error`,
      spec.warn === spec.error
        ? `leave out warn to go from off to error on ${spec.error}`
        : `set error to a day after ${spec.warn}, or swap the two dates`,
    ),
  ];
}

function problem(source: YamlSource, path: PathSegment[], message: string, hint: string): SourceProblem {
  return { ...source.locate(path), message, hint, path: formatted(path) };
}
