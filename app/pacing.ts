/**
 * The pacer of the server's content-creating requests (github/transport/pacer.ts): per
 * installation at most POM_CREATE_PER_MINUTE (default 80) in any rolling minute and
 * POM_CREATE_PER_HOUR (default 500) in any rolling hour, GitHub's secondary limits; shared by the
 * replicas through Redis when REDIS_URL is set (redis/pace-window.ts), else in this process. Off
 * with the throttle (POM_GITHUB_THROTTLE=off: a local fake GitHub has no such limits).
 */
import type { Logger } from "pino";
import { wholeSetting } from "../core/util/settings.js";
import {
  GITHUB_CREATE_LIMITS,
  MemoryWindow,
  type PaceLimits,
  type PaceWindow,
} from "../github/transport/pace-window.js";
import { Pacer } from "../github/transport/pacer.js";
import { onShutdown } from "./lifecycle.js";
import { closeAll, connect, redisSettings } from "./redis/connection.js";
import { RedisWindow } from "./redis/pace-window.js";

/** The limits `env` sets; a malformed one stops start-up. */
export function paceLimits(env: NodeJS.ProcessEnv): PaceLimits {
  return {
    perMinute: wholeSetting(env, "POM_CREATE_PER_MINUTE", 1) ?? GITHUB_CREATE_LIMITS.perMinute,
    perHour: wholeSetting(env, "POM_CREATE_PER_HOUR", 1) ?? GITHUB_CREATE_LIMITS.perHour,
  };
}

/** The server's pacer for `env`, or undefined when creations are not paced. */
export function serverPacer(env: NodeJS.ProcessEnv, log: Logger): Pacer | undefined {
  const limits = paceLimits(env);
  if (env.POM_GITHUB_THROTTLE === "off") return undefined;
  const redis = redisSettings(env);
  let window: PaceWindow = new MemoryWindow(limits);
  if (redis) {
    const connection = connect(redis, "pace");
    connection.on("error", (error) => log.debug({ err: error }, "redis: the pacing connection failed"));
    window = new RedisWindow(connection, redis.prefix, limits, {
      onFallback: (local, error) =>
        local
          ? log.warn(
              { err: error },
              "redis is away: creations are paced by this replica alone until it is back",
            )
          : log.info("redis is back: creations are paced across replicas again"),
    });
    onShutdown("pacing connection", () => closeAll([connection]));
  }
  return new Pacer({
    window,
    onAdmit: ({ key, waitedMs, what }) => {
      if (waitedMs >= 1_000)
        log.info({ installation: key, waitedMs, request: what }, "a creation waited for GitHub's limits");
    },
  });
}
