/**
 * The redelivery run against the loopback fake GitHub: what it asks for (each failed GUID once,
 * never one refused with a 4xx or handled already), what it costs (⌈attempts / 100⌉ list calls and
 * one call per failed GUID), how far back it reads (the mark, or three days), and what happens when
 * GitHub does not take a request (asked again by the next run) or refuses it (not asked again).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MARK_OVERLAP_MS, type RedeliveryMemory, redeliverFailed } from "../../../github/flows/redeliver.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { appClient } from "../../helpers/fake-client.js";

const LIST = "GET /app/hook/deliveries";
const ASK = "POST /app/hook/deliveries/{delivery_id}/attempts";
const payload = { action: "opened", installation: { id: 1 }, repository: { id: 5 } };

/** The memory of one process, with what it was told. */
function memory(): RedeliveryMemory & { claims: Set<string>; marks: string[] } {
  const claims = new Set<string>();
  const marks: string[] = [];
  return {
    claims,
    marks,
    mark: async () => marks[marks.length - 1],
    setMark: async (at) => {
      marks.push(at);
    },
    claim: async (guid) => {
      if (claims.has(guid)) return false;
      claims.add(guid);
      return true;
    },
    unclaim: async (guid) => {
      claims.delete(guid);
    },
  };
}

let fake: FakeGitHub;
beforeEach(async () => {
  fake = await startFakeGitHub({ apps: [{ id: 1 }] });
});
afterEach(() => fake.close());

/** Logs `count` attempts with `statusCode`, one a second, the newest `newestSecondsAgo` ago. */
function logAttempts(count: number, statusCode: number, newestSecondsAgo = 1, guid?: (i: number) => string) {
  return Array.from({ length: count }, (_, i) =>
    fake.state.deliveries.record({
      event: "pull_request",
      payload,
      statusCode,
      deliveredAt: new Date(Date.now() - (newestSecondsAgo + count - i) * 1000).toISOString(),
      ...(guid ? { guid: guid(i) } : {}),
    }),
  );
}

const calls = (operation: string) => fake.requests.filter((r) => r.operation === operation);

describe("a redelivery run", () => {
  it("asks once for each GUID whose every attempt failed, at ⌈attempts / 100⌉ list calls plus one call per GUID", async () => {
    logAttempts(230, 200);
    const failed = [...logAttempts(3, 502), ...logAttempts(2, 0), ...logAttempts(1, 504)];
    logAttempts(4, 400);
    // A GUID that failed and was redelivered with success since.
    const [healed] = logAttempts(1, 500);
    fake.state.deliveries.record({
      event: "pull_request",
      payload,
      statusCode: 200,
      guid: healed?.guid,
      redelivery: true,
    });
    const newest = fake.state.deliveries.all.at(-1)?.delivered_at;
    const mem = memory();
    const report = await redeliverFailed(appClient(fake), mem, { now: new Date() });

    expect(report.requested.sort()).toEqual(failed.map((d) => d.guid).sort());
    expect(report).toMatchObject({ attempts: 242, pages: 3, failed: 6, already: 0, refused: 0 });
    expect(calls(LIST)).toHaveLength(Math.ceil(242 / 100));
    expect(calls(ASK)).toHaveLength(failed.length);
    expect(calls(ASK).every((r) => r.status === 202)).toBe(true);
    expect(fake.problems).toEqual([]);
    // The mark is the newest attempt read.
    expect(mem.marks).toEqual([newest]);
  });

  it("asks for nothing twice: the next run reads back only to the mark, and finds each GUID claimed", async () => {
    logAttempts(150, 200, 7_200);
    const [failed] = logAttempts(1, 502, 400);
    const mem = memory();
    await redeliverFailed(appClient(fake), mem, { now: new Date() });
    await fake.state.deliveries.settled();
    fake.reset();

    // The redelivery failed too (nobody answers it); a new failure comes in.
    const [later] = logAttempts(1, 503);
    const second = await redeliverFailed(appClient(fake), mem, { now: new Date() });
    expect(second.requested).toEqual([later?.guid]);
    expect(second.already).toBe(1);
    expect(calls(LIST)).toHaveLength(1);
    expect(fake.state.deliveries.requested.map((r) => r.guid)).toEqual([failed?.guid, later?.guid]);
  });

  it("reads back three days on a first run, and from the mark less a few minutes after", async () => {
    logAttempts(1, 502, 3 * 86_400 + 60);
    logAttempts(1, 502, 2 * 86_400);
    const mem = memory();
    const first = await redeliverFailed(appClient(fake), mem, { now: new Date() });
    // The older one is past GitHub's window: not asked for (GitHub would refuse).
    expect(first.requested).toHaveLength(1);
    expect(Date.parse(mem.marks[0] ?? "")).toBeLessThan(Date.now() - 2 * 86_400_000 + 1000);
    expect(MARK_OVERLAP_MS).toBe(300_000);
  });

  it("does not ask for a GUID the app handled after all (it answered late)", async () => {
    const [late] = logAttempts(1, 0);
    const report = await redeliverFailed(appClient(fake), memory(), {
      now: new Date(),
      handled: async (guid) => guid === late?.guid,
    });
    expect(report).toMatchObject({ failed: 1, handled: 1, requested: [] });
    expect(calls(ASK)).toEqual([]);
  });

  it("asks again next run when GitHub did not take the request (5xx), holding the mark back", async () => {
    logAttempts(120, 200, 120);
    const [failed] = logAttempts(1, 502, 60);
    logAttempts(5, 200);
    fake.inject({ match: ASK, status: 502 });
    const mem = memory();
    const first = await redeliverFailed(appClient(fake), mem, { now: new Date() });
    expect(first).toMatchObject({ requested: [], retryLater: 1 });
    expect(mem.claims.size).toBe(0);
    expect(mem.marks.at(-1)).toBe(failed?.delivered_at);

    const second = await redeliverFailed(appClient(fake), mem, { now: new Date() });
    expect(second.requested).toEqual([failed?.guid]);
  });

  it("does not ask again for a GUID GitHub refused to redeliver (4xx)", async () => {
    logAttempts(1, 502);
    fake.inject({ match: ASK, status: 422 });
    const mem = memory();
    const first = await redeliverFailed(appClient(fake), mem, { now: new Date() });
    expect(first).toMatchObject({ requested: [], refused: 1 });
    const second = await redeliverFailed(appClient(fake), mem, { now: new Date() });
    expect(second).toMatchObject({ requested: [], already: 1 });
    expect(calls(ASK)).toHaveLength(1);
  });
});
