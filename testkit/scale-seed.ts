/**
 * A large enterprise for the several-replica tests and the benchmark: `orgs` organizations (one
 * installation each) of `perOrg` governed repositories, each owned by its organization's team with
 * push access and released 3 days ago, but every 200th, whose last release is 40 days old
 * (release.cadence fails and a tracking issue is opened). The first repository of each
 * organization has an open pull request that names its outcome.
 */
import type { KeyObject } from "node:crypto";
import { type FakeSeed, type SeedRepo, shaOf } from "./fake-github/server.js";

const DAY = 86_400_000;

export const orgName = (o: number) => `org${String(o).padStart(2, "0")}`;
export const repoName = (i: number) => `svc-${String(i).padStart(4, "0")}`;
export const isLate = (i: number) => i % 200 === 0;
export const PULL = { number: 1, title: "OKR-1: faster sign-up", headSha: shaOf("scale pr 1") };

const manifest = (org: string) => `version: 1
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
`;

function repo(org: string, i: number, now: number): SeedRepo {
  const released = new Date(now - (isLate(i) ? 40 : 3) * DAY).toISOString();
  return {
    owner: org,
    name: repoName(i),
    files: { ".github/pom.yml": manifest(org), ".github/CODEOWNERS": `* @${org}/platform\n` },
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
): FakeSeed {
  const names = Array.from({ length: orgs }, (_, o) => orgName(o));
  const repos = names.flatMap((org) => Array.from({ length: perOrg }, (_, i) => repo(org, i, now)));
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
