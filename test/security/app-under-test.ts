/**
 * The real server (`node dist/app/server.js`) against a loopback fake GitHub seeded for one test
 * file, with webhook payloads built from real examples and signed with the app's secret.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { type AppProcess, ensureBuilt, startApp } from "../../testkit/app-process.js";
import {
  type FakeGitHub,
  type FakeSeed,
  type RecordedRequest,
  startFakeGitHub,
} from "../../testkit/fake-github/server.js";
import {
  type Delivery,
  deliver,
  exampleOf,
  openPullRequest,
  type Payload,
  retarget,
  type Target,
} from "../../testkit/webhooks.js";

export interface AppUnderTest {
  fake: FakeGitHub;
  app: AppProcess;
  secret: string;
  privateKey: string;
  send(event: string, payload: Payload): Promise<Delivery>;
  stop(): Promise<void>;
}

/** Starts the fake with `seed(publicKey)` and the app (installation 1 sees everything) against it. */
export async function startAppUnderTest(
  seed: (publicKey: string) => FakeSeed,
  env: Record<string, string> = {},
): Promise<AppUnderTest> {
  const build = ensureBuilt();
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const secret = `whsec-${randomBytes(16).toString("hex")}`;
  const fake = await startFakeGitHub(seed(publicKey));
  let app: AppProcess | undefined;
  try {
    await build;
    app = await startApp("app", {
      NODE_ENV: "test",
      APP_ID: "1",
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      GHE_HOST: fake.host,
      GHE_PROTOCOL: "http",
      POM_GITHUB_THROTTLE: "off",
      POM_SWEEP_CRON: "off",
      POM_REDELIVERY_CRON: "off",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
      ...env,
    });
  } catch (error) {
    await fake.close();
    throw error;
  }
  const started = app;
  return {
    fake,
    app: started,
    secret,
    privateKey,
    send: (event, payload) => deliver(started.url, event, payload, { secret }),
    stop: async () => {
      await started.stop();
      await fake.close();
    },
  };
}

/** The requests that changed something at GitHub: REST writes, not GraphQL queries or token requests. */
export function writesIn(requests: readonly RecordedRequest[]): RecordedRequest[] {
  return requests.filter(
    (r) =>
      r.method !== "GET" &&
      r.operation !== "POST /graphql" &&
      r.operation !== "POST /app/installations/{installation_id}/access_tokens",
  );
}

/** An opened pull request on `target` by erin, with `labels`. */
export function pullRequestOpened(
  target: Target,
  pr: { number: number; title: string; sha: string; body: string | null; labels?: string[] },
): Payload {
  const payload = openPullRequest(exampleOf("pull_request", "opened"), target, pr);
  payload.pull_request.labels = (pr.labels ?? []).map((name, i) => ({ id: i + 1, name, color: "ededed" }));
  return payload;
}

/** An opened issue on `target` by erin, with `labels`. */
export function issueOpened(
  target: Target,
  issue: { number: number; title: string; body: string | null; labels?: string[] },
): Payload {
  const payload = retarget(exampleOf("issues", "opened"), target);
  Object.assign(payload.issue, {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    labels: (issue.labels ?? []).map((name, i) => ({ id: i + 1, name, color: "ededed" })),
    state: "open",
    user: { ...payload.issue.user, login: "erin", type: "User" },
  });
  return payload;
}

/** A push to the default branch of `target` at `head` that changes `files`. */
export function pushToDefaultBranch(target: Target, head: string, files: string[]): Payload {
  const payload = retarget(exampleOf("push"), target);
  const commit = { ...payload.commits?.[0], id: head, added: [], removed: [], modified: files };
  Object.assign(payload, {
    ref: `refs/heads/${target.defaultBranch}`,
    after: head,
    deleted: false,
    commits: [commit],
    head_commit: commit,
  });
  return payload;
}
