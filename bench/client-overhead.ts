/**
 * What one API call costs the app's side, apart from GitHub: the same conditional GET (answered
 * 304 by the fake, the app's most frequent call) made 300 times in a row through
 *
 * - Probot's Octokit with its retry plugin on (Probot's default, which the app used to run);
 * - Probot's Octokit as app/server.ts configures it: retry plugin off, githubFetch
 *   (github/transport/http.ts: timeouts, bounded retries) as its fetch;
 * - a bare `fetch`.
 * Throttling is off in all of them, as against the fake in the other phases.
 *
 * The fake runs in this process too, so each figure includes the fake's own work; the
 * differences between them are the client's.
 */
import { Probot, ProbotOctokit } from "probot";
import { githubFetch } from "../github/transport/http.js";
import { startFakeGitHub } from "../testkit/fake-github/server.js";
import type { Context } from "./config.js";
import { eventSeed, ORG, repoName } from "./seed.js";
import { median, round } from "./stats.js";

export interface ClientCost {
  client: string;
  /** Median wall time per request, in ms. */
  wallMs: number;
  /** CPU time per request (client and fake), in ms. */
  cpuMs: number;
}

const CALLS = 300;

async function measure(client: string, call: () => Promise<unknown>): Promise<ClientCost> {
  for (let i = 0; i < 30; i++) await call(); // warm-up
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await call();
    times.push(performance.now() - started);
  }
  const used = process.cpuUsage(cpu);
  return {
    client,
    wallMs: round(median(times), 2),
    cpuMs: round((used.user + used.system) / 1000 / CALLS, 2),
  };
}

interface RequestClient {
  request(route: string, params: Record<string, unknown>): Promise<{ headers: Record<string, string> }>;
}

export async function measureClientOverhead(context: Context): Promise<ClientCost[]> {
  const fake = await startFakeGitHub(eventSeed(1, Date.now(), context.publicKey));
  try {
    const octokit = (retry: boolean) =>
      ProbotOctokit.defaults((options: Record<string, unknown>) => ({
        ...options,
        ...(retry
          ? {}
          : {
              retry: { enabled: false },
              request: { ...(options.request as object), fetch: githubFetch() },
            }),
        throttle: { ...(options.throttle as object), enabled: false },
      }));
    const params = { owner: ORG, repo: repoName(0), path: ".github/pom.yml", mediaType: { format: "raw" } };
    const route = "GET /repos/{owner}/{repo}/contents/{path}";
    const results: ClientCost[] = [];
    let token = "";
    for (const [name, retry] of [
      ["Probot Octokit, retry plugin on (Probot's default)", true],
      ["Probot Octokit as the server runs it (plugin off, githubFetch)", false],
    ] as const) {
      const probot = new Probot({
        appId: 1,
        privateKey: context.privateKey,
        baseUrl: `${fake.url}/api/v3`,
        Octokit: octokit(retry),
        logLevel: "warn",
      });
      const client = (await probot.auth(1)) as unknown as RequestClient & {
        auth(o: object): Promise<{ token: string }>;
      };
      // The first request fetches the installation token from the fake; auth() then reads it from
      // the cache (asked first, it would go to api.github.com).
      const { headers } = await client.request(route, params);
      token = (await client.auth({ type: "installation" })).token;
      const conditional = { ...params, headers: { "if-none-match": headers.etag } };
      results.push(await measure(name, () => client.request(route, conditional).catch(() => undefined)));
    }
    const first = await fetch(`${fake.url}/api/v3/repos/${ORG}/${repoName(0)}/contents/.github%2Fpom.yml`, {
      headers: { authorization: `token ${token}`, accept: "application/vnd.github.raw" },
    });
    await first.text();
    const etag = first.headers.get("etag") ?? "";
    results.push(
      await measure("bare fetch", async () => {
        const res = await fetch(`${fake.url}/api/v3/repos/${ORG}/${repoName(0)}/contents/.github%2Fpom.yml`, {
          headers: {
            authorization: `token ${token}`,
            accept: "application/vnd.github.raw",
            "if-none-match": etag,
          },
        });
        await res.arrayBuffer();
      }),
    );
    return results;
  } finally {
    await fake.close();
  }
}
