/** A client of the fake GitHub with an installation token, as an app's installation sees it. */
import { Octokit } from "@octokit/core";
import type { GitHubClient } from "../../github/transport/client.js";
import type { FakeGitHub } from "../../testkit/fake-github/server.js";

export function installationClient(fake: FakeGitHub, token: string, installationId = 1): GitHubClient {
  fake.state.tokens.set(token, installationId);
  return new Octokit({ auth: token, baseUrl: `${fake.url}/api/v3` });
}
