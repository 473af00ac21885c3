/**
 * The owning teams of an account judged in batches merge into one snapshot: every team a batch
 * read, the trio of the first repository (by name) naming one, as one process takes it.
 */
import { describe, expect, it } from "vitest";
import { mergeBatchTeams } from "../../../../core/insights/teams/batch-snapshot.js";

describe("mergeBatchTeams", () => {
  it("joins the batches' teams, takes the trio from the first repository by name, keeps unread teams apart", () => {
    const merged = mergeBatchTeams(
      [
        {
          teams: [{ team: "acme/pay", id: 1, members: ["ann", "bob"], trio: { designer: "zed" } }],
          unlisted: ["acme/ghost"],
        },
        {
          teams: [
            { team: "acme/pay", id: 1, members: ["ann", "bob"], trio: {} },
            { team: "acme/search", members: ["cy"], trio: {} },
          ],
          unlisted: ["acme/pay"],
        },
      ],
      [
        { repo: "acme/zeta", team: "acme/pay", trio: { designer: "zed" } },
        { repo: "acme/alpha", team: "ACME/Pay", trio: { productManager: "ann", techLead: "bob" } },
        { repo: "acme/find", team: "acme/search" },
      ],
    );
    expect(merged).toEqual({
      teams: [
        {
          team: "acme/pay",
          id: 1,
          members: ["ann", "bob"],
          trio: { product_manager: "ann", tech_lead: "bob" },
        },
        { team: "acme/search", members: ["cy"], trio: {} },
      ],
      // acme/pay was read by the first batch: only the team no batch read is kept as it was.
      unlisted: ["acme/ghost"],
    });
  });
});
