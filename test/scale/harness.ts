/** What the several-replica tests share: the replicas' environment, and their clean-up. */
import type { AppProcess } from "../e2e/helpers/app-process.js";
import type { FakeGitHub } from "../fake-github/server.js";
import { clearPrefix, REDIS_URL } from "../helpers/redis.js";

/** The environment of a replica on `fake` and the tests' Redis, under `prefix`, plus `extra`. */
export function replicaEnv(
  fake: FakeGitHub,
  privateKey: string,
  prefix: string,
  extra: Record<string, string>,
): Record<string, string> {
  return {
    NODE_ENV: "test",
    APP_ID: "1",
    PRIVATE_KEY: privateKey,
    GHE_HOST: fake.host,
    GHE_PROTOCOL: "http",
    REDIS_URL,
    POM_REDIS_PREFIX: prefix,
    LOG_LEVEL: "info",
    LOG_FORMAT: "json",
    ...extra,
  };
}

/** Stops the replicas, then the fake, then forgets the test's keys. */
export async function tearDown(
  replicas: readonly AppProcess[],
  fake: FakeGitHub | undefined,
  prefix: string,
) {
  await Promise.all(replicas.map((r) => r.stop()));
  await fake?.close();
  await clearPrefix(prefix);
}
