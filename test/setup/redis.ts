/**
 * A real Redis for the tests that need one (several replicas, the shared stores): the one at
 * POM_TEST_REDIS_URL (CI starts Debian's redis-server and sets it), else a redis-server started
 * here (testkit/redis-server.ts), else none, and those tests are skipped saying why (failed
 * instead, under POM_REQUIRE_REDIS=1). Tests keep apart by key prefix.
 */
import type { TestProject } from "vitest/node";
import {
  answers,
  type RedisServer,
  redisServerMissing,
  startRedisServer,
} from "../../testkit/redis-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** A Redis URL, or "" when none could be had (see `redisMissing`). */
    redisUrl: string;
    redisMissing: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.POM_TEST_REDIS_URL;
  let server: RedisServer | undefined;
  let url = "";
  let missing = "";
  if (given) {
    url = (await answers(given, Date.now() + 5_000)) ? given : "";
    if (!url) missing = `POM_TEST_REDIS_URL=${given} does not answer`;
  } else {
    missing = redisServerMissing() ?? "";
    if (!missing) {
      try {
        server = await startRedisServer();
        url = server.url;
      } catch (error) {
        missing = (error as Error).message;
      }
    }
  }
  if (missing) missing += " (install Debian's redis-server, as .ci/run does, or set POM_TEST_REDIS_URL)";
  if (!url && process.env.POM_REQUIRE_REDIS === "1")
    throw new Error(`the Redis tests must run here: ${missing}`);
  project.provide("redisUrl", url);
  project.provide("redisMissing", missing);
  return async () => {
    await server?.stop();
  };
}
