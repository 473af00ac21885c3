/**
 * The state replicas share through a real Redis: the organization reports, and the file cache's
 * ETags (what one replica read is a 304 for the next), forgotten per repository on a push, and
 * never trusted when Redis is gone.
 */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeAll, connect } from "../../app/redis/connection.js";
import { RedisFileEntries } from "../../app/redis/file-entries.js";
import { redisLock } from "../../app/redis/lock.js";
import { RedisReportStore } from "../../app/store/redis-store.js";
import { RedisTeamStore } from "../../app/store/team-store.js";
import { buildReport } from "../../core/insights/report/build.js";
import { applyMembership, recordSweep } from "../../core/insights/teams/history.js";
import type { GitHubClient } from "../../github/transport/client.js";
import { FileCache } from "../../github/transport/file-cache.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { REPORT_NOW, syntheticRepos } from "../core/insights/report/fixtures.js";
import { installationClient } from "../helpers/fake-client.js";
import { REDIS_MISSING, REDIS_URL, testPrefix } from "../helpers/redis.js";

if (!REDIS_URL) console.warn(`skipping the Redis store tests: ${REDIS_MISSING}`);

describe.skipIf(!REDIS_URL)("state shared through Redis", () => {
  const prefix = testPrefix("stores");
  let redis: Redis;
  let fake: FakeGitHub;
  let client: GitHubClient;

  beforeAll(async () => {
    redis = connect({ url: REDIS_URL, prefix }, "test");
    fake = await startFakeGitHub({
      repos: [{ owner: "acme", name: "checkout", files: { ".github/pom.yml": "version: 1\n" } }],
    });
    client = installationClient(fake, "ghs_stores");
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await closeAll([redis]);
    await fake?.close();
  });

  it("keeps each account's team history; concurrent changes from two replicas are both kept", async () => {
    const one = new RedisTeamStore(redis, prefix, redisLock(redis, prefix));
    const other = new RedisTeamStore(redis, prefix, redisLock(redis, prefix));
    const at = new Date("2026-06-01T00:00:00Z");
    await one.update("Acme", (h) => recordSweep(h, at, [{ team: "acme/pay", id: 1, members: [], trio: {} }]));
    const add = (login: string) => (h: Parameters<typeof applyMembership>[0]) =>
      applyMembership(h, at, {
        action: "added",
        member: { login },
        team: { id: 1 },
        organization: { login: "acme" },
      });
    await Promise.all([one.update("acme", add("alice")), other.update("acme", add("bob"))]);
    expect((await other.load("ACME")).snapshots.at(-1)?.teams[0]?.members).toEqual(["alice", "bob"]);
  });

  it("keeps each account's latest report, read back whole by any replica", async () => {
    const one = new RedisReportStore(redis, prefix);
    const other = new RedisReportStore(redis, prefix);
    const report = buildReport({ repos: syntheticRepos(3), now: REPORT_NOW, org: "Acme" });
    await one.save(report);
    expect(await other.latest("acme")).toEqual(report);
    expect(await other.orgs()).toEqual(["acme"]);
    expect(await other.latest("beta")).toBeUndefined();
  });

  it("moves an unreadable report aside and starts afresh", async () => {
    const warnings: string[] = [];
    const store = new RedisReportStore(redis, prefix, (_f, m) => warnings.push(m));
    await redis.set(`${prefix}:report:broken`, "{not json");
    expect(await store.latest("broken")).toBeUndefined();
    expect(await redis.keys(`${prefix}:report:broken:unreadable:*`)).toHaveLength(1);
    expect(warnings).toEqual([expect.stringContaining("moved aside")]);
  });

  it("shares ETags: what one replica read is a 304 for another", async () => {
    const shared = new RedisFileEntries(redis, prefix);
    const first = new FileCache({ shared });
    const second = new FileCache({ shared });
    const repo = { owner: "acme", repo: "checkout" };
    fake.reset();
    expect((await first.read(client, repo, ".github/pom.yml"))?.text).toBe("version: 1\n");
    // The write to Redis is not awaited by the read; give it a moment.
    await new Promise((r) => setTimeout(r, 50));
    expect((await second.read(client, repo, ".github/pom.yml"))?.text).toBe("version: 1\n");
    expect(fake.requests.map((r) => r.status)).toEqual([200, 304]);
    expect(second.stats.shared).toBe(1);
  });

  it("forgets a repository's files on a push, for every replica", async () => {
    const shared = new RedisFileEntries(redis, prefix);
    const first = new FileCache({ shared });
    const repo = { owner: "acme", repo: "checkout" };
    await first.read(client, repo, ".github/pom.yml");
    await new Promise((r) => setTimeout(r, 50));
    first.invalidate(repo);
    await new Promise((r) => setTimeout(r, 50));
    expect(await shared.get("acme/checkout::.github/pom.yml")).toBeUndefined();
    fake.reset();
    await new FileCache({ shared }).read(client, repo, ".github/pom.yml");
    expect(fake.requests.map((r) => r.status)).toEqual([200]);
  });

  it("does not trust a file remembered as missing once another replica saw a push add it", async () => {
    const shared = new RedisFileEntries(redis, prefix);
    const mine = new FileCache({ shared });
    const theirs = new FileCache({ shared });
    const repo = { owner: "acme", repo: "checkout" };
    expect(await mine.read(client, repo, "pom.yml")).toBeNull();
    await new Promise((r) => setTimeout(r, 50));
    // Another replica takes the push that adds pom.yml and forgets the repository's files.
    fake.state.repo("acme/checkout").files.set("pom.yml", "version: 1\n");
    theirs.invalidate(repo);
    await new Promise((r) => setTimeout(r, 50));
    expect((await mine.read(client, repo, "pom.yml"))?.text).toBe("version: 1\n");
    fake.state.repo("acme/checkout").files.delete("pom.yml");
  });

  it("lets a missing file's entry expire, and reads GitHub when Redis is gone", async () => {
    let now = 1_000_000;
    const shared = new RedisFileEntries(redis, prefix, () => now);
    await shared.set("acme/checkout::pom.yml", { file: null, expires: now + 60_000 }, 60_000);
    expect(await shared.get("acme/checkout::pom.yml")).toEqual({ file: null, expires: now + 60_000 });
    now += 60_001;
    expect(await shared.get("acme/checkout::pom.yml")).toBeUndefined();

    const gone = connect({ url: "redis://127.0.0.1:1", prefix }, "gone");
    gone.on("error", () => {});
    const errors: unknown[] = [];
    const cache = new FileCache({
      shared: new RedisFileEntries(gone, prefix),
      onSharedError: (e) => errors.push(e),
    });
    fake.reset();
    const file = await cache.read(client, { owner: "acme", repo: "checkout" }, ".github/pom.yml");
    expect(file?.text).toBe("version: 1\n");
    expect(errors.length).toBeGreaterThan(0);
    gone.disconnect();
  });
});
