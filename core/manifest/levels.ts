/**
 * The level of every rule on the judgement's day: defaults <- the org policy (its `rules:`, or the
 * campaign that stages the rule) <- the repo manifest, with the policy's locks. A level may be a
 * schedule; a locked rule's level in the manifest, constant or scheduled, must be at least the
 * org's on every day: a repo may bring a locked rule's dates forward, never postpone them.
 */
import { type Level, RULE_IDS, type RuleId, type SourceLocation } from "../engine/types.js";
import type { Manifest, OrgPolicy } from "./manifest.js";
import type { SourceProblem } from "./problem.js";
import {
  campaignSchedule,
  dayOf,
  describeSchedule,
  firstLower,
  isConstant,
  isLower,
  type LevelSpec,
  levelOn,
  nextStep,
  type Schedule,
  scheduleOf,
} from "./schedule.js";
import type { YamlSource } from "./yaml-source.js";

export type Origin = "default" | "policy" | "manifest";

export interface Sourced<T> {
  value: T;
  from: Origin;
  location?: SourceLocation;
}

/** A rule's level on the judgement's day, where it came from and, when it changes, its schedule. */
export interface RuleLevel extends Sourced<Level> {
  /** The schedule `value` was read from, when the level changes with the date. */
  schedule?: Schedule;
  /** The org policy's campaign that stages the rule, when the level is the campaign's. */
  campaign?: string;
  /** The rule whose level (and lock and waivers) this one takes, set neither in the policy nor the manifest. */
  inheritedFrom?: RuleId;
}

/** A campaign of the org policy, with its schedule. */
export interface EffectiveCampaign {
  id: string;
  title: string;
  rules: RuleId[];
  deadline: string;
  schedule: Schedule;
  location?: SourceLocation;
}

export interface LevelInput {
  defaults: Record<RuleId, Level>;
  policy?: OrgPolicy;
  policySource?: YamlSource;
  manifest?: Manifest;
  manifestSource?: YamlSource;
  locked: RuleId[];
  /** The one clock: the level of a schedule is the one of this moment's UTC day. */
  now: Date;
}

interface Chosen {
  schedule: Schedule;
  from: Origin;
  location?: SourceLocation;
  campaign?: string;
}

/**
 * Every rule's level at `input.now`; attempts of the manifest to lower a locked rule on some day
 * are pushed to `violations` (and do not take effect).
 *
 * @example resolveLevels({ defaults, locked: [], now }, [])["release.cadence"].value // "error"
 */
export function resolveLevels(input: LevelInput, violations: SourceProblem[]): Record<RuleId, RuleLevel> {
  const day = dayOf(input.now);
  const levels = {} as Record<RuleId, RuleLevel>;
  // outcome.overdue, set nowhere, takes outcome.declared's level, lock and waivers.
  const inherits = INHERITED.filter(
    ([id]) => !setByOrg(id, input) && input.manifest?.rules?.[id] === undefined,
  );
  for (const [id, from] of INHERITED)
    if (!setByOrg(id, input) && input.locked.includes(from) && !input.locked.includes(id))
      input.locked.push(id);
  for (const id of RULE_IDS) {
    let chosen = orgLevel(id, input);
    const written = input.manifest?.rules?.[id];
    if (written !== undefined) {
      const location = input.manifestSource?.locate(["rules", id]);
      const repo = scheduleOf(written);
      const lower = input.locked.includes(id) ? firstLower(repo, chosen.schedule) : undefined;
      if (lower) violations.push(lockViolation(id, written, repo, chosen, lower, location));
      else chosen = { schedule: repo, from: "manifest", ...(location ? { location } : {}) };
    }
    const { schedule, campaign, ...sourced } = chosen;
    levels[id] = {
      ...sourced,
      value: levelOn(schedule, day),
      ...(isConstant(schedule) ? {} : { schedule }),
      ...(campaign ? { campaign } : {}),
    };
  }
  for (const [id, from] of inherits) levels[id] = { ...levels[from], inheritedFrom: from };
  return levels;
}

/**
 * Rules that, set neither in the org policy nor in the manifest, take the level, lock and waivers
 * of another: `outcome.overdue` was part of `outcome.declared`, and keeps its meaning.
 */
export const INHERITED: readonly (readonly [RuleId, RuleId])[] = [["outcome.overdue", "outcome.declared"]];

/** Whether the org policy sets `id` itself (in `rules:` or a campaign). */
function setByOrg(id: RuleId, input: LevelInput): boolean {
  return (
    input.policy?.rules?.[id] !== undefined ||
    (input.policy?.campaigns ?? []).some((c) => c.rules.includes(id))
  );
}

/** The campaigns of an org policy, each with its schedule and place in the file. */
export function campaignsOf(
  policy: OrgPolicy | undefined,
  source: YamlSource | undefined,
): EffectiveCampaign[] {
  return (policy?.campaigns ?? []).map((c, i) => ({
    id: c.id,
    title: c.title,
    rules: [...c.rules],
    deadline: c.deadline,
    schedule: campaignSchedule(c.deadline, c.levels),
    ...(source ? { location: source.locate(["campaigns", i]) } : {}),
  }));
}

/** The org's level of `id`: its campaign's schedule, its `rules:` entry, or the default. */
function orgLevel(id: RuleId, input: LevelInput): Chosen {
  const { policy, policySource: source } = input;
  const index = policy?.campaigns?.findIndex((c) => c.rules.includes(id)) ?? -1;
  const campaign = policy?.campaigns?.[index];
  if (campaign) {
    return {
      schedule: campaignSchedule(campaign.deadline, campaign.levels),
      from: "policy",
      ...(source ? { location: source.locate(["campaigns", index]) } : {}),
      campaign: campaign.id,
    };
  }
  const ruled = policy?.rules?.[id];
  const spec = id === "manifest.present" ? (ruled ?? policy?.manifest) : ruled;
  const heir = INHERITED.find(([h]) => h === id);
  if (spec === undefined && heir) return orgLevel(heir[1], input);
  if (spec === undefined) return { schedule: scheduleOf(input.defaults[id]), from: "default" };
  const key = ruled === undefined ? ["manifest"] : ["rules", id];
  return { schedule: scheduleOf(spec), from: "policy", ...(source ? { location: source.locate(key) } : {}) };
}

function lockViolation(
  id: RuleId,
  written: LevelSpec,
  repo: Schedule,
  org: Chosen,
  lower: NonNullable<ReturnType<typeof firstLower>>,
  location: SourceLocation | undefined,
): SourceProblem {
  const at = { ...(location ?? { file: "pom.yml", line: 1, column: 1 }), path: `rules.${id}` };
  if (typeof written === "string" && isConstant(org.schedule)) {
    return {
      ...at,
      message: `rules.${id} is "${written}", but the org policy locks ${id} at "${org.schedule.initial}"; a repo may not lower a locked rule`,
      hint: `remove rules.${id} or set it to "${org.schedule.initial}"`,
    };
  }
  const first = [...repo.steps, ...org.schedule.steps].map((s) => s.from).sort()[0];
  const when = lower.day ? `from ${lower.day}` : `before ${first}`;
  const locked = `${writtenForm(org.schedule)}${org.campaign ? ` (campaign ${org.campaign})` : ""}`;
  return {
    ...at,
    message: `rules.${id} is ${writtenForm(repo)}, but the org policy locks ${id} at ${locked}: ${when} it would be "${lower.level}" where the lock requires "${lower.floor}"; a repo may bring a locked rule's dates forward, never postpone them`,
    hint: `remove rules.${id}, or keep it at least at ${writtenForm(org.schedule)} on every day`,
  };
}

/**
 * A schedule as a person would write it: `"error"`, `{ warn: 2027-01-01, error: 2027-03-01 }`, or
 * in words when it does not start off (a campaign's "warn, error from 2027-02-01").
 */
export function writtenForm(schedule: Schedule): string {
  if (isConstant(schedule)) return `"${schedule.initial}"`;
  if (schedule.initial === "off")
    return `{ ${schedule.steps.map((s) => `${s.level}: ${s.from}`).join(", ")} }`;
  return `"${describeSchedule(schedule)}"`;
}

const DAY_MS = 86_400_000;

/** Whole days from `now` to the start of `day` (UTC), rounded up: "in 84 days". */
export function daysUntil(day: string, now: Date): number {
  return Math.ceil((Date.parse(`${day}T00:00:00Z`) - now.getTime()) / DAY_MS);
}

/** The note `stageNote` puts before a finding's message, with the colon that follows it. */
export const STAGE_NOTE =
  /^(?:warning now|not checked now); (?:blocks|warns) from \d{4}-\d{2}-\d{2} \([^)]*\): /;

/**
 * What a finding under `level` says when the level will rise: "warning now; blocks from 2027-03-01
 * (in 84 days)", naming the campaign when it is the campaign's; undefined when it will not rise.
 *
 * @example stageNote({ value: "warn", from: "policy", schedule }, now) // "warning now; blocks from 2027-03-01 (in 84 days)"
 */
export function stageNote(level: RuleLevel, now: Date): string | undefined {
  const next = level.schedule ? nextStep(level.schedule, dayOf(now)) : undefined;
  if (!next || !isLower(level.value, next.level)) return undefined;
  const days = daysUntil(next.from, now);
  const current = level.value === "warn" ? "warning now" : "not checked now";
  const then = next.level === "error" ? "blocks" : "warns";
  const campaign = level.campaign ? `, campaign ${level.campaign}` : "";
  return `${current}; ${then} from ${next.from} (in ${days} day${days === 1 ? "" : "s"}${campaign})`;
}
