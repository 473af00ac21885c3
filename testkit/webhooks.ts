/**
 * Real webhook payloads (@octokit/webhooks-examples, read as JSON: importing the package index type-checks badly under NodeNext), moved
 * onto the fake's repositories, signed and delivered the way GitHub delivers them.
 */
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./app-process.js";

// biome-ignore lint/suspicious/noExplicitAny: webhook payloads are free-form JSON here
export type Payload = Record<string, any>;

interface ExampleGroup {
  name: string;
  examples: Payload[];
}

let groups: ExampleGroup[] | undefined;

/** Every example payload of `event`, in the file's order. */
export function examplesOf(event: string): Payload[] {
  groups ??= JSON.parse(
    readFileSync(join(ROOT, "node_modules/@octokit/webhooks-examples/api.github.com/index.json"), "utf8"),
  ) as ExampleGroup[];
  return structuredClone(groups.find((g) => g.name === event)?.examples ?? []);
}

/** The first example of `event` with `action` (a deep copy). */
export function exampleOf(event: string, action?: string): Payload {
  const found = examplesOf(event).find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no example payload for ${event}.${action}`);
  return found;
}

export interface Target {
  owner: string;
  name: string;
  defaultBranch: string;
  id?: number;
}

/**
 * An open, non-draft pull request on `target`, built from a real `pull_request` example
 * (`template`): number, title, body and head commit as given, authored by erin, no labels, based on
 * the default branch.
 */
export function openPullRequest(
  template: Payload,
  target: Target,
  pr: { number: number; title: string; sha: string; body: string | null },
): Payload {
  const payload = retarget(template, target);
  payload.number = pr.number;
  Object.assign(payload.pull_request, {
    number: pr.number,
    title: pr.title,
    body: pr.body,
    labels: [],
    draft: false,
    state: "open",
    user: { ...payload.pull_request.user, login: "erin", type: "User" },
    head: { ...payload.pull_request.head, sha: pr.sha, ref: `feature-${pr.number}` },
    base: { ...payload.pull_request.base, ref: target.defaultBranch },
  });
  return payload;
}

/**
 * Moves a payload onto `target`: every repository object that was the payload's repository (also
 * in pull request heads and bases, and in `repositories`/`repositories_added`), the organization,
 * and `installation` (id 1 unless given).
 */
export function retarget(payload: Payload, target: Target, installationId = 1): Payload {
  const p = structuredClone(payload);
  const original = p.repository?.full_name as string | undefined;
  const fullName = `${target.owner}/${target.name}`;
  const rewrite = (repo: Payload) => {
    repo.name = target.name;
    repo.full_name = fullName;
    if (target.id !== undefined) repo.id = target.id;
    if (repo.owner && typeof repo.owner === "object")
      repo.owner = { ...repo.owner, login: target.owner, type: "Organization" };
    if ("default_branch" in repo || repo === p.repository) repo.default_branch = target.defaultBranch;
  };
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const object = node as Payload;
      if (typeof object.full_name === "string" && object.full_name === original) rewrite(object);
      for (const value of Object.values(object)) walk(value);
    }
  };
  walk(p);
  for (const key of ["repositories", "repositories_added"]) {
    if (Array.isArray(p[key]) && p[key].length > 0) {
      p[key] = [
        { ...p[key][0], name: target.name, full_name: fullName, ...(target.id ? { id: target.id } : {}) },
      ];
    }
  }
  if (p.organization) p.organization = { ...p.organization, login: target.owner };
  p.installation = {
    ...(p.installation ?? {}),
    id: installationId,
    node_id: `MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u${installationId}`,
  };
  return p;
}

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export interface Delivery {
  id: string;
  status: number;
  text: string;
  ms: number;
}

/** POSTs one delivery to the app's webhook path and waits for the answer (Probot answers after the handlers ran). */
export async function deliver(
  appUrl: string,
  event: string,
  payload: Payload,
  options: { secret: string; id?: string; signature?: string },
): Promise<Delivery> {
  const body = JSON.stringify(payload);
  const id = options.id ?? randomUUID();
  const started = performance.now();
  const res = await fetch(`${appUrl}/api/github/webhooks`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/e2e",
      "x-github-event": event,
      "x-github-delivery": id,
      "x-github-hook-installation-target-type": "integration",
      "x-hub-signature-256": options.signature ?? sign(options.secret, body),
    },
    body,
  });
  return { id, status: res.status, text: await res.text(), ms: performance.now() - started };
}
