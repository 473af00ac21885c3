/** Clients of the fake GitHub: as an app's installation sees it (a token), or as the app itself (a JWT). */
import { Octokit } from "@octokit/core";
import type { GitHubClient } from "../../github/transport/client.js";
import type { FakeGitHub } from "../../testkit/fake-github/server.js";

export function installationClient(fake: FakeGitHub, token: string, installationId = 1): GitHubClient {
  fake.state.tokens.set(token, installationId);
  return new Octokit({ auth: token, baseUrl: `${fake.url}/api/v3` });
}

/**
 * A client of the fake GitHub as app `appId` itself (a JWT, as `app.auth()` gives in Probot). The
 * JWT is not signed: give the app no public key in the seed.
 */
export function appClient(fake: FakeGitHub, appId = 1): GitHubClient {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const jwt = `${part({ alg: "RS256", typ: "JWT" })}.${part({ iat: now - 30, exp: now + 540, iss: appId })}.unsigned`;
  return new Octokit({ auth: jwt, baseUrl: `${fake.url}/api/v3` });
}
