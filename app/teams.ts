/**
 * `membership` and `team` webhooks: the owning teams' membership history changed from the payload
 * alone, without reading GitHub (core/insights/teams/history.ts). A membership event names only
 * the team whose direct members changed, which is what the history keeps.
 */
import type { Probot } from "probot";
import {
  applyMembership,
  applyTeamEvent,
  type MembershipEvent,
  type TeamEvent,
} from "../core/insights/teams/history.js";
import type { Shared } from "./shared.js";

/** Registers the handlers; with no team store (none configured), nothing is registered. */
export function registerTeamHandlers(on: Probot["on"], shared: Shared): void {
  const store = shared.teams;
  if (!store) return;
  on(["membership.added", "membership.removed"], async (context) => {
    const payload = context.payload as unknown as MembershipEvent & { organization: { login: string } };
    const now = new Date();
    await store.update(payload.organization.login, (h) => applyMembership(h, now, payload));
  });
  on(["team.created", "team.deleted", "team.edited"], async (context) => {
    const payload = context.payload as unknown as TeamEvent & { organization: { login: string } };
    const now = new Date();
    await store.update(payload.organization.login, (h) => applyTeamEvent(h, now, payload));
  });
}
