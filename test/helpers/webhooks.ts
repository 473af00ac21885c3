/** Real webhook payloads from @octokit/webhooks-examples, read as JSON (importing the package index type-checks badly under NodeNext). */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

interface ExampleGroup {
  name: string;
  examples: Record<string, unknown>[];
}

const require = createRequire(import.meta.url);
let groups: ExampleGroup[] | undefined;

function load(): ExampleGroup[] {
  groups ??= JSON.parse(
    readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8"),
  ) as ExampleGroup[];
  return groups;
}

/** Every example of an event, deep-copied, with `installation: { id: 1 }` added where missing. */
export function examplesOf(event: string): Record<string, unknown>[] {
  const group = load().find((g) => g.name === event);
  if (!group) throw new Error(`no webhook examples for ${event}`);
  return group.examples.map((e) => ({ installation: { id: 1 }, ...structuredClone(e) }));
}

/** The first example of `event` with `action` (or without an action for events like push). */
export function exampleOf(event: string, action?: string): Record<string, unknown> {
  const found = examplesOf(event).find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  return found;
}
