/**
 * Where the app keeps what outlives a request: the file cache's ETags, the organization reports,
 * the sweep, and the redelivery job's memory and the failed work it judges again. Without REDIS_URL, all in this process (memory, files under POM_DATA_DIR, a cron
 * timer); with it, shared by every replica through Redis (and BullMQ for the sweep).
 */
import type { Probot } from "probot";
import { MemoryCheckLedger } from "../github/publish/check-ledger.js";
import { FileCache } from "../github/transport/file-cache.js";
import { MemoryDeliveryLedger } from "./delivery-ledger.js";
import { MemoryFailedWork } from "./failed-work.js";
import { onShutdown } from "./lifecycle.js";
import { queueSettings, startDistributedSweep } from "./queue/distributed.js";
import { localTurns, MemoryRedeliveryMemory } from "./redelivery-memory.js";
import { closeAll, connect, redisSettings } from "./redis/connection.js";
import { RedisFileEntries } from "./redis/file-entries.js";
import { RedisCheckLedger, RedisDeliveryLedger } from "./redis/ledgers.js";
import { redisLock } from "./redis/lock.js";
import { RedisFailedWork, RedisRedeliveryMemory, redisTurns } from "./redis/redelivery.js";
import type { Shared } from "./shared.js";
import { DEFAULT_DATA_DIR, FileReportStore } from "./store/file-store.js";
import { RedisReportStore } from "./store/redis-store.js";
import { FileTeamStore, RedisTeamStore } from "./store/team-store.js";
import { DEFAULT_SWEEP_CRON, scheduleSweeps } from "./sweep.js";
import type { SweepControl } from "./sweep-routes.js";

/** The shared state for `env`: embedded, or in Redis when REDIS_URL is set. */
export function createShared(app: Probot, env: NodeJS.ProcessEnv): Shared {
  const warn = (fields: object, message: string) => app.log.warn(fields, message);
  const redis = redisSettings(env);
  const appId = Number(env.APP_ID) || undefined;
  if (!redis) {
    return {
      ...(appId ? { appId } : {}),
      cache: new FileCache(),
      details: new Map(),
      changes: new Map(),
      checks: new MemoryCheckLedger(),
      deliveries: new MemoryDeliveryLedger(),
      store: new FileReportStore(env.POM_DATA_DIR || DEFAULT_DATA_DIR, warn),
      teams: new FileTeamStore(env.POM_DATA_DIR || DEFAULT_DATA_DIR),
      failedWork: new MemoryFailedWork(),
      redelivery: { memory: new MemoryRedeliveryMemory(), turns: localTurns() },
    };
  }
  const connection = connect(redis, "state");
  connection.on("error", (error) =>
    app.log.warn({ err: error }, "redis: connection problem (the app retries)"),
  );
  onShutdown("redis state connection", () => closeAll([connection]));
  const across = redisLock(connection, redis.prefix, { onProblem: warn });
  return {
    ...(appId ? { appId } : {}),
    cache: new FileCache({
      shared: new RedisFileEntries(connection, redis.prefix),
      onSharedError: (error) =>
        app.log.warn({ err: error }, "redis: the shared file cache failed; GitHub is read instead"),
    }),
    details: new Map(),
    changes: new Map(),
    checks: new RedisCheckLedger(connection, redis.prefix, across, warn),
    deliveries: new RedisDeliveryLedger(connection, redis.prefix, warn),
    store: new RedisReportStore(connection, redis.prefix, warn),
    teams: new RedisTeamStore(connection, redis.prefix, across),
    across,
    failedWork: new RedisFailedWork(connection, redis.prefix),
    redelivery: {
      memory: new RedisRedeliveryMemory(connection, redis.prefix),
      turns: redisTurns(connection, redis.prefix, warn),
    },
  };
}

/** Starts the sweeps: a cron timer in this process, or this replica's worker on the Redis queue. */
export async function startSweeps(
  app: Probot,
  shared: Shared,
  env: NodeJS.ProcessEnv,
): Promise<SweepControl | undefined> {
  const redis = redisSettings(env);
  if (!redis) {
    const stop = scheduleSweeps(app, shared, env.POM_SWEEP_CRON);
    onShutdown("sweep schedule", async () => stop());
    return undefined;
  }
  const cron = (env.POM_SWEEP_CRON ?? DEFAULT_SWEEP_CRON).trim();
  const sweep = await startDistributedSweep(app, shared, redis, cron, queueSettings(env));
  onShutdown("sweep worker", () => sweep.close());
  return sweep;
}
