/**
 * Team durability from a hand-built membership history (docs/metrics.md, "Team durability"), and
 * the history changed by real `membership` and `team` webhook payloads.
 */
import { describe, expect, it } from "vitest";
import { durability } from "../../../../core/insights/teams/durability.js";
import {
  applyMembership,
  applyTeamEvent,
  emptyHistory,
  type MembershipEvent,
  recordSweep,
  type TeamEvent,
  type TeamHistory,
  type TeamState,
} from "../../../../core/insights/teams/history.js";
import { exampleOf } from "../../../../testkit/webhooks.js";

const NOW = new Date("2026-06-15T12:00:00Z"); // the 90-day window starts 2026-03-18
const at = (day: string) => new Date(`${day}T06:00:00Z`);
const pay = (members: string[], trio: TeamState["trio"] = {}, team = "acme/payments", id = 7): TeamState => ({
  team,
  id,
  members,
  trio,
});
const TRIO = { product_manager: "alice", designer: "bob", tech_lead: "carol" };

/** Five members from March 1; dave joins Apr 10, erin leaves May 1; the designer changes twice. */
function payments(): TeamHistory {
  let h = emptyHistory("acme");
  h = recordSweep(h, at("2026-03-01"), [pay(["alice", "bob", "carol", "erin", "frank"], TRIO)]);
  h = recordSweep(h, at("2026-03-02"), [pay(["alice", "bob", "carol", "erin", "frank"], TRIO)]); // unchanged
  h = recordSweep(h, at("2026-04-10"), [pay(["alice", "bob", "carol", "dave", "erin", "frank"], TRIO)]);
  h = recordSweep(h, at("2026-05-01"), [
    pay(["alice", "bob", "carol", "dave", "frank"], { ...TRIO, designer: "dave" }),
  ]);
  h = recordSweep(h, at("2026-06-01"), [
    pay(["alice", "bob", "carol", "dave", "frank"], { ...TRIO, designer: "frank" }),
  ]);
  return h;
}

describe("team history", () => {
  it("appends a snapshot only when something changed", () => {
    expect(payments().snapshots.map((s) => s.at.slice(0, 10))).toEqual([
      "2026-03-01",
      "2026-04-10",
      "2026-05-01",
      "2026-06-01",
    ]);
  });

  it("keeps 180 days, and the newest older snapshot as the state they start from", () => {
    let h = payments();
    h = recordSweep(h, new Date("2026-11-15T00:00:00Z"), [pay(["alice"], TRIO)]);
    // 180 days before Nov 15 is May 19: Jun 1 and Nov 15 are kept, and May 1 as the state before.
    expect(h.snapshots.map((s) => s.at.slice(0, 10))).toEqual(["2026-05-01", "2026-06-01", "2026-11-15"]);
  });

  it("takes a real membership payload: the member added under the team it names, nothing read", () => {
    const payload = exampleOf("membership", "added") as unknown as MembershipEvent;
    const h0 = recordSweep(emptyHistory("octocoders"), at("2026-06-01"), [
      pay(["hubot"], {}, "octocoders/github", 3253328),
    ]);
    const h1 = applyMembership(h0, at("2026-06-02"), payload);
    expect(h1.snapshots.at(-1)).toEqual({
      at: "2026-06-02T06:00:00.000Z",
      by: "membership",
      teams: [{ team: "octocoders/github", id: 3253328, members: ["Codertocat", "hubot"], trio: {} }],
    });
    const removed = exampleOf("membership", "removed") as unknown as MembershipEvent;
    expect(applyMembership(h1, at("2026-06-03"), removed).snapshots.at(-1)?.teams[0]?.members).toEqual([
      "hubot",
    ]);
    // A team the sweep does not know (not an owning team): no change.
    expect(applyMembership(emptyHistory("octocoders"), at("2026-06-02"), payload).snapshots).toEqual([]);
  });

  it("takes real team payloads: renamed (same id), deleted, re-created (same name, new id)", () => {
    const h0 = recordSweep(emptyHistory("octocoders"), at("2026-06-01"), [
      pay(["hubot"], TRIO, "octocoders/old", 3253328),
    ]);
    const edited = exampleOf("team", "edited") as unknown as TeamEvent;
    const h1 = applyTeamEvent(h0, at("2026-06-02"), edited);
    expect(h1.snapshots.at(-1)?.teams.map((t) => t.team)).toEqual(["octocoders/github"]);
    const h2 = applyTeamEvent(h1, at("2026-06-03"), exampleOf("team", "deleted") as unknown as TeamEvent);
    expect(h2.snapshots.at(-1)?.teams).toEqual([]);
    const created = exampleOf("team", "created") as unknown as TeamEvent;
    created.team.id = 99;
    const h3 = applyTeamEvent(h2, at("2026-06-04"), created);
    expect(h3.snapshots.at(-1)?.teams).toEqual([
      { team: "octocoders/github", id: 99, members: [], trio: TRIO },
    ]);
    const d = durability(h3, "octocoders/github", NOW);
    expect(d.changes.map((c) => [c.change, c.detail ?? c.login])).toEqual([
      ["renamed", "octocoders/old → octocoders/github"],
      ["re-created", "octocoders/github has a new id"],
    ]);
  });
});

describe("durability: the hand-worked example", () => {
  const d = durability(payments(), "acme/payments", NOW);

  it("churn: 1 joined + 1 left over 5 members now = 0.4", () => {
    expect(d.covered).toBe(true);
    expect(d.size).toBe(5);
    expect(d.churn).toEqual({ joined: 1, left: 1, rate: 0.4 });
  });

  it("trio: the PM and tech lead since the history began (at least 106.3 days), the designer since Jun 1", () => {
    expect(d.trio.product_manager).toEqual({
      login: "alice",
      since: "2026-03-01T06:00:00.000Z",
      days: 106.3,
      atLeast: true,
    });
    expect(d.trio.designer).toEqual({
      login: "frank",
      since: "2026-06-01T06:00:00.000Z",
      days: 14.3,
      atLeast: false,
    });
  });

  it("flags a trio that changed more than once in 90 days, naming each change", () => {
    expect(d.trioChanges).toBe(2);
    expect(d.trioUnstable).toBe(true);
    expect(d.changes.filter((c) => c.change === "trio").map((c) => c.detail)).toEqual([
      "designer: bob → dave",
      "designer: dave → frank",
    ]);
  });

  it("is unknown until the history covers the window", () => {
    const young = durability(payments(), "acme/payments", new Date("2026-05-15T00:00:00Z"));
    expect(young.covered).toBe(false);
    expect(young.churn).toBeNull();
    expect(young.trioChanges).toBeNull();
    expect(young.trioUnstable).toBeNull();
    expect(durability(emptyHistory("acme"), "acme/payments", NOW)).toMatchObject({
      historySince: null,
      size: null,
      churn: null,
    });
  });
});
