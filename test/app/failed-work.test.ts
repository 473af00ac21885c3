/**
 * Failed work and the redelivery job's memory in one process: which subject a delivery judges, when
 * a failure is kept (only after the 9 s acknowledgement, with an injected clock), one record per
 * subject for three days, GUID claims that hold for three days, and one run at a time.
 */
import type { Context } from "probot";
import { describe, expect, it } from "vitest";
import {
  ACKNOWLEDGED_AFTER_MS,
  type FailedWork,
  keepFailedWork,
  MemoryFailedWork,
  subjectOf,
} from "../../app/failed-work.js";
import { localTurns, MemoryRedeliveryMemory } from "../../app/redelivery-memory.js";

const DAY = 86_400_000;
const repository = { name: "checkout", owner: { login: "acme" } };

/** A Probot context of `event` with `payload` (only what the wrapper reads). */
function contextOf(event: string, payload: Record<string, unknown>): Context {
  return {
    name: event,
    id: "guid-1",
    payload: { installation: { id: 4 }, repository, ...payload },
    repo: () => ({ owner: "acme", repo: "checkout" }),
    log: { warn: () => {}, error: () => {} },
  } as unknown as Context;
}

describe("subjectOf", () => {
  it.each([
    ["pull_request", { pull_request: { number: 7 } }, { kind: "pr", number: 7 }],
    ["issues", { issue: { number: 9 } }, { kind: "issue", number: 9 }],
    ["release", { release: { tag_name: "v1.2.0" } }, { kind: "release", tag: "v1.2.0" }],
    ["push", { after: "abc123" }, { kind: "repo", sha: "abc123" }],
    [
      "check_run",
      { check_run: { external_id: "pr:7:0123abcd", head_sha: "f00" } },
      { kind: "pr", number: 7 },
    ],
    ["check_run", { check_run: { external_id: "repo", head_sha: "f00" } }, { kind: "repo", sha: "f00" }],
    ["check_suite", { check_suite: { head_sha: "f00" } }, undefined],
    ["installation", {}, undefined],
  ])("%s %j judges %j", (event, payload, subject) => {
    expect(subjectOf(event, payload)).toEqual(subject);
  });
});

describe("keepFailedWork", () => {
  /** Runs a handler that takes `ms` on the injected clock, then fails (or not). */
  async function handle(ms: number, fails = true, event = "pull_request") {
    let clock = Date.parse("2026-06-15T12:00:00Z");
    const store = new MemoryFailedWork({ now: () => clock });
    const handler = keepFailedWork(
      store,
      async () => {
        clock += ms;
        if (fails) throw Object.assign(new Error("GitHub answered 502"), { status: 502 });
      },
      () => clock,
    );
    const outcome = await handler(contextOf(event, { pull_request: { number: 7 } })).catch((e: Error) => e);
    return { outcome, kept: await store.takeAll() };
  }

  it("keeps the work of a delivery that failed after it was acknowledged, and lets the error go on", async () => {
    const { outcome, kept } = await handle(ACKNOWLEDGED_AFTER_MS + 500);
    expect((outcome as Error).message).toBe("GitHub answered 502");
    expect(kept).toEqual<FailedWork[]>([
      {
        installationId: 4,
        owner: "acme",
        repo: "checkout",
        subject: { kind: "pr", number: 7 },
        event: "pull_request",
        delivery: "guid-1",
        at: "2026-06-15T12:00:09.500Z",
        tries: 0,
      },
    ]);
  });

  it("keeps nothing for a failure answered in time (GitHub logs it failed and it is redelivered), nor for a success", async () => {
    expect((await handle(2_000)).kept).toEqual([]);
    expect((await handle(ACKNOWLEDGED_AFTER_MS + 500, false)).kept).toEqual([]);
  });

  it("keeps nothing for a delivery without one subject", async () => {
    expect((await handle(ACKNOWLEDGED_AFTER_MS + 500, true, "installation")).kept).toEqual([]);
  });
});

describe("MemoryFailedWork", () => {
  const work = (number: number, at: string): FailedWork => ({
    installationId: 1,
    owner: "acme",
    repo: "checkout",
    subject: { kind: "pr", number },
    event: "pull_request",
    delivery: `d-${number}-${at}`,
    at,
    tries: 0,
  });

  it("keeps one record per subject (the newest), hands each out once, and drops those past three days", async () => {
    const now = Date.parse("2026-06-15T12:00:00Z");
    const store = new MemoryFailedWork({ now: () => now });
    await store.keep(work(7, "2026-06-15T11:00:00Z"));
    await store.keep(work(7, "2026-06-15T11:30:00Z"));
    await store.keep(work(8, new Date(now - 3 * DAY - 1).toISOString()));
    expect((await store.takeAll()).map((w) => w.delivery)).toEqual(["d-7-2026-06-15T11:30:00Z"]);
    expect(await store.takeAll()).toEqual([]);
  });
});

describe("the redelivery job's memory in one process", () => {
  it("claims a GUID once for three days, and again once given back", async () => {
    let now = 0;
    const memory = new MemoryRedeliveryMemory({ now: () => now });
    expect(await memory.claim("a")).toBe(true);
    expect(await memory.claim("a")).toBe(false);
    await memory.unclaim("a");
    expect(await memory.claim("a")).toBe(true);
    now = 3 * DAY;
    expect(await memory.claim("a")).toBe(true);
    expect(await memory.mark()).toBeUndefined();
    await memory.setMark("2026-06-15T12:00:00Z");
    expect(await memory.mark()).toBe("2026-06-15T12:00:00Z");
  });

  it("runs one job at a time: a tick during a run is skipped", async () => {
    const turns = localTurns();
    let release: () => void = () => {};
    const first = turns(new Date(0), () => new Promise<void>((resolve) => (release = resolve)));
    expect(await turns(new Date(1000), async () => {})).toBe("busy");
    release();
    expect(await first).toBe("ran");
    expect(await turns(new Date(2000), async () => {})).toBe("ran");
  });
});
