/** What the several-replica tests share: their fake GitHub, the replicas' environment, the clean-up. */
import { type AppProcess, ensureBuilt } from "../../testkit/app-process.js";
import { type FakeGitHub, startFakeGitHub } from "../../testkit/fake-github/server.js";
import { scaleSeed } from "../../testkit/scale-seed.js";
import { appKeys } from "../helpers/app-keys.js";
import { clearPrefix, REDIS_URL } from "../helpers/redis.js";

/** The fake GitHub with `orgs` organizations of `perOrg` repositories, and the app's private key; dist/ built. */
export async function startScaleFake(
  orgs: number,
  perOrg: number,
): Promise<{ fake: FakeGitHub; privateKey: string }> {
  const build = ensureBuilt();
  const { privateKey, publicKey } = appKeys();
  const fake = await startFakeGitHub(scaleSeed(orgs, perOrg, Date.now(), publicKey));
  await build;
  return { fake, privateKey };
}

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
    POM_REDELIVERY_CRON: "off",
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
