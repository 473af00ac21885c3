/**
 * What the org policy asks of waivers (`waivers: { require_approval, max_days }`): a waiver that
 * says when it was granted, no longer than `max_days` from then, and, with `require_approval`, an
 * approving review by the governance team on the pull request that added it (judged by the engine
 * from the `waiverApprovals` fact: a login typed into the file proves nothing).
 */
import type { OrgPolicy, Waiver } from "./manifest.js";

export interface WaiverPolicy {
  /** A waiver is honoured only once a member of the governance team approved the pull request that added it. */
  requireApproval: boolean;
  /** The longest waiver, in days from `granted` to `until`. */
  maxDays?: number;
}

const DAY_MS = 86_400_000;

/** The waiver policy of an org policy (none: waivers need neither approval nor a date). */
export function waiverPolicyOf(policy: OrgPolicy | undefined): WaiverPolicy {
  const waivers = policy?.waivers;
  return {
    requireApproval: waivers?.require_approval === true,
    ...(waivers?.max_days !== undefined ? { maxDays: waivers.max_days } : {}),
  };
}

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`);

/**
 * Why `waiver` breaks the waiver policy (then it is not honoured), or undefined when it does not.
 *
 * @example waiverProblem({ rule: "release.cadence", until: "2027-06-01", reason: "x", granted: "2027-01-01" }, { requireApproval: false, maxDays: 90 })
 * // { message: "… 151 days …", hint: "…" }
 */
export function waiverProblem(
  waiver: Waiver,
  policy: WaiverPolicy,
): { message: string; hint: string } | undefined {
  const { maxDays } = policy;
  if (maxDays === undefined) return undefined;
  if (!waiver.granted)
    return {
      message: `the waiver of ${waiver.rule} says nothing of when it was granted, and the org policy limits waivers to ${maxDays} days`,
      hint: `add granted: YYYY-MM-DD (the day it was agreed), with until at most ${maxDays} days later`,
    };
  const days = Math.round((dayOf(waiver.until) - dayOf(waiver.granted)) / DAY_MS);
  if (days < 0)
    return {
      message: `the waiver of ${waiver.rule} ends (${waiver.until}) before it was granted (${waiver.granted})`,
      hint: "correct granted or until",
    };
  if (days > maxDays)
    return {
      message: `the waiver of ${waiver.rule} lasts ${days} days (${waiver.granted} to ${waiver.until}), longer than the ${maxDays} days the org policy allows`,
      hint: `set until to ${new Date(dayOf(waiver.granted) + maxDays * DAY_MS).toISOString().slice(0, 10)} or earlier, and renew it in a new pull request when it ends`,
    };
  return undefined;
}

/**
 * The key that identifies a waiver for its approval: its rule and dates. Editing its reason keeps
 * the approval; moving a date makes it another waiver, which needs one of its own.
 *
 * @example waiverKey({ rule: "release.cadence", until: "2027-01-31", granted: "2026-11-02" }) // "release.cadence|2027-01-31|2026-11-02"
 */
export function waiverKey(waiver: Pick<Waiver, "rule" | "until" | "granted">): string {
  return `${waiver.rule}|${waiver.until}|${waiver.granted ?? ""}`;
}
