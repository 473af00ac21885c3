/**
 * A large enterprise for the several-replica tests and the benchmark: `orgs` organizations (one
 * installation each) of `perOrg` governed repositories, each owned by its organization's team with
 * push access and released 3 days ago, but every 200th, whose last release is 40 days old
 * (release.cadence fails and a tracking issue is opened). The first repository of each
 * organization has an open pull request that names its outcome. Options make other repositories
 * late (`late`) and set the level release.cadence fails at in a repository's manifest (`cadence`).
 */
import type { KeyObject } from "node:crypto";
import { type FakeSeed, type SeedRepo, shaOf } from "./fake-github/server.js";

const DAY = 86_400_000;

export const orgName = (o: number) => `org${String(o).padStart(2, "0")}`;
export const repoName = (i: number) => `svc-${String(i).padStart(4, "0")}`;
export const isLate = (i: number) => i % 200 === 0;
export const PULL = { number: 1, title: "OKR-1: faster sign-up", headSha: shaOf("scale pr 1") };

export interface ScaleOptions {
  /** Which repositories released 40 days ago (default: every 200th). */
  late?: (i: number) => boolean;
  /** The level of release.cadence in repository i's manifest (default: the rule's own). */
  cadence?: (i: number) => "error" | "warn" | undefined;
}

const manifest = (org: string, cadence?: string) => `version: 1
product:
  name: Service
team:
  name: Platform
  github: ${org}/platform
  product_manager: pm
  designer: ux
  tech_lead: tl
release:
  cadence: 14d
  source: releases
outcomes:
  - id: OKR-1
    title: Faster onboarding
    metric: days_to_first_value
    target: "7"
${cadence ? `rules:\n  release.cadence: ${cadence}\n` : ""}`;

function repo(org: string, i: number, now: number, options: ScaleOptions): SeedRepo {
  const released = new Date(now - ((options.late ?? isLate)(i) ? 40 : 3) * DAY).toISOString();
  return {
    owner: org,
    name: repoName(i),
    files: {
      ".github/pom.yml": manifest(org, options.cadence?.(i)),
      ".github/CODEOWNERS": `* @${org}/platform\n`,
    },
    commits: [{ message: "Initial commit", date: new Date(now - 60 * DAY).toISOString() }],
    releases: [{ tag: "v1.0.0", publishedAt: released }],
    ...(i === 0 ? { pulls: [{ ...PULL, body: "Serves OKR-1." }] } : {}),
  };
}

export function scaleSeed(
  orgs: number,
  perOrg: number,
  now: number,
  publicKey: KeyObject | string,
  options: ScaleOptions = {},
): FakeSeed {
  const names = Array.from({ length: orgs }, (_, o) => orgName(o));
  const repos = names.flatMap((org) => Array.from({ length: perOrg }, (_, i) => repo(org, i, now, options)));
  return {
    apps: [{ id: 1, publicKey }],
    installations: names.map((account, o) => ({ id: o + 1, account })),
    repos,
    teams: names.map((org) => ({
      org,
      slug: "platform",
      members: ["pm", "ux", "tl"],
      repos: Object.fromEntries(
        Array.from({ length: perOrg }, (_, i) => [`${org}/${repoName(i)}`, "push" as const]),
      ),
    })),
  };
}
