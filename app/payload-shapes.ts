/**
 * What each handled event's payload must hold before a handler reads it.
 *
 * GitHub always sends these fields with these types. A delivery that is validly signed but lacks
 * them (made by hand with the secret, or rewritten by a proxy) is malformed input: without this
 * check a handler dies on a TypeError, which the webhook middleware answers with a 500 quoting it,
 * and a 5xx tells GitHub the delivery is worth redelivering. Here it is refused with an error whose
 * `status` the middleware answers with (400) and whose message says nothing of the internals; the
 * details (which field, what it was) go to the log. Only the fields the handlers and the flows read
 * are checked, so GitHub adding or dropping another field never refuses a delivery.
 */
import type { Context } from "probot";

/** The problems of `value` at `path`, as "path must be …, not …"; none when it fits. */
type Check = (value: unknown, path: string) => string[];

/** "path must be …, not …", the top level being "the payload". */
const problem = (path: string, expected: string, value: unknown) =>
  `${path || "the payload"} must be ${expected}, not ${kindOf(value)}`;

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

const is =
  (expected: string, test: (value: unknown) => boolean): Check =>
  (value, path) =>
    test(value) ? [] : [problem(path, expected, value)];

const text = is("a string", (v) => typeof v === "string");
const whole = is("a whole number", (v) => Number.isSafeInteger(v));
const flag = is("a boolean", (v) => typeof v === "boolean");

/** Absent or null is fine; anything else must pass `check`. */
const optional =
  (check: Check): Check =>
  (value, path) =>
    value === undefined || value === null ? [] : check(value, path);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const fields =
  (shape: Record<string, Check>): Check =>
  (value, path) => {
    if (!isRecord(value)) return [problem(path, "an object", value)];
    const prefix = path === "" ? "" : `${path}.`;
    return Object.entries(shape).flatMap(([key, check]) => check(value[key], `${prefix}${key}`));
  };

const list =
  (item: Check): Check =>
  (value, path) =>
    Array.isArray(value)
      ? value.flatMap((entry, i) => item(entry, `${path}[${i}]`))
      : [problem(path, "a list", value)];

const repository = fields({ name: text, owner: fields({ login: text }), default_branch: optional(text) });
const person = optional(fields({ login: optional(text) }));
const labelObject = fields({ name: optional(text) });
/** Labels come as objects, or (in some payloads) as their names. */
const labels = optional(
  list(optional((value, path) => (typeof value === "string" ? [] : labelObject(value, path)))),
);
const paths = optional(list(text));

const pullRequest = fields({
  number: whole,
  title: optional(text),
  body: optional(text),
  draft: optional(flag),
  merged_at: optional(text),
  updated_at: optional(text),
  user: person,
  labels,
  head: fields({ sha: text }),
});

/** Per event (the `x-github-event` header), the fields the handlers of handlers.ts read. */
const SHAPES: Record<string, Check> = {
  membership: fields({
    action: text,
    member: optional(fields({ login: text })),
    team: fields({ id: whole, slug: optional(text) }),
    organization: fields({ login: text }),
  }),
  team: fields({
    action: text,
    team: fields({ id: whole, slug: text }),
    organization: fields({ login: text }),
  }),
  pull_request: fields({
    repository,
    pull_request: pullRequest,
  }),
  pull_request_review: fields({
    repository,
    review: fields({ state: optional(text) }),
    pull_request: pullRequest,
  }),
  issues: fields({
    repository,
    issue: fields({
      number: whole,
      title: optional(text),
      body: optional(text),
      updated_at: optional(text),
      user: person,
      labels,
    }),
  }),
  release: fields({
    repository,
    release: fields({
      tag_name: text,
      name: optional(text),
      body: optional(text),
      draft: flag,
      prerelease: flag,
      published_at: optional(text),
      created_at: optional(text),
    }),
  }),
  push: fields({
    repository,
    ref: text,
    after: text,
    deleted: optional(flag),
    commits: optional(list(fields({ added: paths, modified: paths, removed: paths }))),
  }),
  installation: fields({ repositories: optional(list(fields({ full_name: text }))) }),
  installation_repositories: fields({ repositories_added: optional(list(fields({ full_name: text }))) }),
  check_run: fields({
    repository,
    check_run: fields({ name: text, external_id: optional(text), head_sha: text }),
  }),
  merge_group: fields({
    repository,
    merge_group: fields({ head_sha: text, head_ref: text, base_ref: text }),
  }),
  check_suite: fields({
    repository,
    check_suite: fields({
      head_sha: text,
      head_branch: optional(text),
      pull_requests: optional(list(fields({ number: whole }))),
    }),
  }),
};

/** Enough of the problems to find the fault; a list of 2,000 bad commits is not logged whole. */
const MAX_PROBLEMS = 10;

/**
 * Why `payload` of `event` cannot be handled, or [] when it can (or when no shape is known).
 *
 * @example payloadProblems("issues", { ...payload, issue: null }) // ["issue must be an object, not null"]
 */
export function payloadProblems(event: string, payload: unknown): string[] {
  return (SHAPES[event]?.(payload, "") ?? []).slice(0, MAX_PROBLEMS);
}

/** A validly signed delivery that is not what GitHub sends: the webhook middleware answers `status`. */
export class MalformedPayload extends Error {
  override name = "MalformedPayload";
  readonly status = 400;

  constructor(
    event: string,
    readonly problems: string[],
  ) {
    super(`the ${event} payload is malformed`);
  }
}

/**
 * Throws MalformedPayload, after logging what is wrong, when the delivery of `context` lacks what
 * its handler reads. Call it first in a handler, before anything reads the payload.
 */
export function assertWellFormed(context: Context): void {
  const problems = payloadProblems(context.name, context.payload);
  if (problems.length === 0) return;
  context.log.warn({ event: context.name, id: context.id, problems }, "malformed delivery refused");
  throw new MalformedPayload(context.name, problems);
}
