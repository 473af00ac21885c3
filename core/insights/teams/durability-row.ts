/**
 * A team's durability as the team view shows it (docs/maturity.md): churn over 90 days, how many
 * times the trio changed (a team whose trio changed more than once is flagged), how long each of
 * the trio has held the role, and the renames and re-creations. Computed from the membership
 * history (history.ts, durability.ts); `unknown` while the history does not cover the window.
 */
import { durability, type MembershipChange } from "./durability.js";
import type { TeamHistory } from "./history.js";
import { type Links, teamLink } from "./links.js";
import { type Figure, ROLES, type Role } from "./types.js";

export interface TeamDurability {
  /** (joined + left) / members now, over 90 days. */
  churn90d: Figure<number | null>;
  trioChanges90d: Figure<number>;
  /** The trio changed more than once in 90 days. */
  trioUnstable: boolean | "unknown";
  /** Days each of the trio has held the role; `atLeast` when the history begins with them in it. */
  trioTenureDays: Record<Role, Figure<number | null> & { atLeast?: boolean }>;
  /** The team was renamed or re-created in the window. */
  events: { at: string; change: "renamed" | "re-created"; detail: string }[];
}

const HISTORY_ROLE = {
  productManager: "product_manager",
  designer: "designer",
  techLead: "tech_lead",
} as const;
const unknown = (reason: string): Figure<never> => ({ value: "unknown", evidence: [], reason });

/** One change as evidence: when, what, and what recorded it. */
const said = (c: MembershipChange) =>
  `${c.at} ${c.change}${c.login ? ` ${c.login}` : ""}${c.detail ? ` (${c.detail})` : ""} [${c.by}]`;

/**
 * The durability row of `team`, from `history` (absent: nothing is known yet).
 *
 * @example durabilityRow(history, "acme/payments", now, links).churn90d.value // 0.25
 */
export function durabilityRow(
  history: TeamHistory | undefined,
  team: string,
  now: Date,
  links: Links,
): TeamDurability {
  const noHistory = "no membership history was kept for this team yet";
  if (!history || history.snapshots.length === 0)
    return {
      churn90d: unknown(noHistory),
      trioChanges90d: unknown(noHistory),
      trioUnstable: "unknown",
      trioTenureDays: Object.fromEntries(
        ROLES.map((r) => [r, unknown(noHistory)]),
      ) as TeamDurability["trioTenureDays"],
      events: [],
    };
  const d = durability(history, team, now);
  const short = `the membership history begins ${d.historySince?.slice(0, 10)}: it does not cover 90 days yet`;
  const page = teamLink(links, team);
  const of = (kinds: MembershipChange["change"][]) =>
    d.changes.filter((c) => kinds.includes(c.change)).map(said);
  return {
    churn90d: d.churn
      ? { value: d.churn.rate, evidence: [page, ...of(["joined", "left"])] }
      : unknown(d.covered ? "the team is not in the latest snapshot" : short),
    trioChanges90d:
      d.trioChanges === null ? unknown(short) : { value: d.trioChanges, evidence: of(["trio"]) },
    trioUnstable: d.trioUnstable ?? "unknown",
    trioTenureDays: Object.fromEntries(
      ROLES.map((role) => {
        const t = d.trio[HISTORY_ROLE[role]];
        return [
          role,
          t
            ? {
                value: t.days,
                evidence: [`${t.since} ${t.login} ${role} since`],
                ...(t.atLeast ? { atLeast: true } : {}),
              }
            : { value: null, evidence: [], reason: "no one holds the role" },
        ];
      }),
    ) as TeamDurability["trioTenureDays"],
    events: d.changes.flatMap((c) =>
      c.change === "renamed" || c.change === "re-created"
        ? [{ at: c.at, change: c.change, detail: c.detail ?? "" }]
        : [],
    ),
  };
}
