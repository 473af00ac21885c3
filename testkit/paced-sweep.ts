/**
 * One installation's sweep in this process against the fake GitHub, through an Octokit built as
 * the server builds it (app/octokit.ts: the transport's fetch, the pacing plugin, Probot's
 * installation authentication), its pacer on a virtual clock: hours of pacing take moments, and
 * every creation it let through is recorded with its virtual time. For the pacing tests and the
 * benchmark.
 */

import pino from "pino";
import { Probot } from "probot";
import { serverOctokit } from "../app/octokit.js";
import { emptyTally, type SweepTally, sweepInstallation } from "../github/flows/sweep.js";
import type { GitHubClient } from "../github/transport/client.js";
import { FileCache } from "../github/transport/file-cache.js";
import type { PaceLimits, PaceWindow } from "../github/transport/pace-window.js";
import type { Admission } from "../github/transport/pacer.js";
import type { FakeGitHub } from "./fake-github/server.js";
import { pacerOnVirtualTime, type VirtualClock } from "./virtual-clock.js";

export interface PacedSweep {
  tally: SweepTally;
  /** The creations the pacer let through, in order, at their virtual times (from 0). */
  admitted: Admission[];
  /** The virtual time the sweep took. */
  virtualMs: number;
  /** The real time it took. */
  realMs: number;
}

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/**
 * Sweeps installation `id` (on `account`) of `fake` with the app's JWT key `privateKey`.
 *
 * @example const { admitted } = await pacedSweep(fake, privateKey, { id: 1, account: "org00" })
 */
export async function pacedSweep(
  fake: FakeGitHub,
  privateKey: string,
  installation: { id: number; account: string },
  options: { now?: Date; limits?: PaceLimits; window?: (clock: VirtualClock) => PaceWindow } = {},
): Promise<PacedSweep> {
  const { pacer, admitted, clock } = pacerOnVirtualTime(options);
  // Probot's throttle off, as against any fake GitHub: the pacer is what is measured.
  const Octokit = serverOctokit({ POM_GITHUB_THROTTLE: "off" }, pino({ level: "silent" }), pacer);
  const probot = new Probot({
    appId: 1,
    privateKey,
    baseUrl: `${fake.url}/api/v3`,
    Octokit,
    logLevel: "warn",
  });
  const client = (await probot.auth(installation.id)) as unknown as GitHubClient;
  const tally = emptyTally();
  const started = performance.now();
  await sweepInstallation(
    { client, cache: new FileCache(), now: options.now ?? new Date() },
    { ...installation, selection: "all" },
    tally,
    quiet,
  );
  return { tally, admitted, virtualMs: clock.now(), realMs: performance.now() - started };
}
