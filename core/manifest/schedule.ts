/**
 * Levels that rise with the date. A rule's level in `rules:` (of the manifest or the org policy)
 * is a constant or a schedule `{ warn: 2027-01-01, error: 2027-03-01 }`: off before the first
 * date, then each level from the start of its UTC day. A campaign is a schedule too (warn until
 * its deadline, error from it). Pure: the day a level is read on is always given.
 */
import type { Level } from "../engine/types.js";

/** A schedule as written: the first UTC day (YYYY-MM-DD) of each level; either may be absent. */
export interface ScheduleSpec {
  warn?: string;
  error?: string;
}

/** A level as written under `rules:`: a constant or a schedule. */
export type LevelSpec = Level | ScheduleSpec;

/** A level as a function of the day: `initial`, then each step's level from its day on. */
export interface Schedule {
  initial: Level;
  /** In increasing order of day; each `from` is a UTC day, YYYY-MM-DD. */
  steps: { from: string; level: Level }[];
}

const RANK: Record<Level, number> = { off: 0, warn: 1, error: 2 };

/** Whether `a` is a lower level than `b` (off < warn < error). */
export function isLower(a: Level, b: Level): boolean {
  return RANK[a] < RANK[b];
}

/** The UTC day of a moment, YYYY-MM-DD: what schedules are read on. */
export function dayOf(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/**
 * The schedule of a level as written.
 *
 * @example scheduleOf({ warn: "2027-01-01", error: "2027-03-01" }).steps.length // 2
 * @example scheduleOf("error") // { initial: "error", steps: [] }
 */
export function scheduleOf(spec: LevelSpec): Schedule {
  if (typeof spec === "string") return { initial: spec, steps: [] };
  const steps: Schedule["steps"] = [];
  if (spec.warn) steps.push({ from: spec.warn, level: "warn" });
  if (spec.error) steps.push({ from: spec.error, level: "error" });
  steps.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  return { initial: "off", steps };
}

/**
 * A campaign's schedule: its own `levels` when it sets them, else warn until the deadline and
 * error from it.
 *
 * @example campaignSchedule("2027-02-01") // { initial: "warn", steps: [{ from: "2027-02-01", level: "error" }] }
 */
export function campaignSchedule(deadline: string, levels?: ScheduleSpec): Schedule {
  return levels ? scheduleOf(levels) : { initial: "warn", steps: [{ from: deadline, level: "error" }] };
}

/**
 * The level of `schedule` on `day` (YYYY-MM-DD): a step applies from the start of its day.
 *
 * @example levelOn(scheduleOf({ warn: "2027-01-01" }), "2027-01-01") // "warn"
 */
export function levelOn(schedule: Schedule, day: string): Level {
  let level = schedule.initial;
  for (const step of schedule.steps) if (step.from <= day) level = step.level;
  return level;
}

/** Whether the level never changes. */
export function isConstant(schedule: Schedule): boolean {
  return schedule.steps.every((s) => s.level === schedule.initial);
}

/**
 * The first day on which `repo` is lower than `floor`, with both levels then; undefined when
 * `repo` is at least `floor` on every day. Both are step functions: comparing them before any
 * date and on each day either changes is comparing them on every day.
 *
 * @example firstLower(scheduleOf({ error: "2027-04-01" }), scheduleOf({ error: "2027-03-01" }))
 * // { day: "2027-03-01", level: "off", floor: "error" }
 */
export function firstLower(
  repo: Schedule,
  floor: Schedule,
): { day: string | undefined; level: Level; floor: Level } | undefined {
  if (isLower(repo.initial, floor.initial))
    return { day: undefined, level: repo.initial, floor: floor.initial };
  const days = [...new Set([...repo.steps, ...floor.steps].map((s) => s.from))].sort();
  for (const day of days) {
    const level = levelOn(repo, day);
    const required = levelOn(floor, day);
    if (isLower(level, required)) return { day, level, floor: required };
  }
  return undefined;
}

/**
 * The next change of level after `day`, when there is one.
 *
 * @example nextStep(scheduleOf({ warn: "2027-01-01", error: "2027-03-01" }), "2027-01-15") // { from: "2027-03-01", level: "error" }
 */
export function nextStep(schedule: Schedule, day: string): { from: string; level: Level } | undefined {
  return schedule.steps.find((s) => s.from > day && s.level !== levelOn(schedule, day));
}

/**
 * A schedule in words, for messages and `pom config`.
 *
 * @example describeSchedule(scheduleOf({ warn: "2027-01-01", error: "2027-03-01" }))
 * // "off, warn from 2027-01-01, error from 2027-03-01"
 */
export function describeSchedule(schedule: Schedule): string {
  return [schedule.initial, ...schedule.steps.map((s) => `${s.level} from ${s.from}`)].join(", ");
}
