/**
 * Readers shared by several judgements of one subject: a repository judged under two org policies
 * (a policy preview) reads each of its facts once. A fact read under one configuration is reused
 * under another only when the parts of the configuration the readers go by agree (`scope`: the
 * team, the release source, the tag pattern, the environment, the stale limit), so that no
 * judgement sees facts read for another configuration.
 */
import type { FactGetter, FactReaders } from "./fact-source.js";
import type { FactKey } from "./facts.js";

/** The reads of one subject, by scope and fact: handed to every judgement of it. */
export type SharedReads = Map<string, Promise<unknown>>;

/**
 * `readers` whose answers are kept in `reads` under `scope`: a second judgement in the same scope
 * gets the first one's answers without reading again.
 *
 * @example const reads: SharedReads = new Map(); shareReads(reads, "acme/payments|releases", readers)
 */
export function shareReads(reads: SharedReads, scope: string, readers: FactReaders): FactReaders {
  const shared: Record<string, (get: FactGetter) => Promise<unknown>> = {};
  for (const [key, reader] of Object.entries(readers) as [FactKey, (get: FactGetter) => unknown][]) {
    if (!reader) continue;
    shared[key] = (get) => {
      const id = `${scope}\u0000${key}`;
      let read = reads.get(id);
      if (!read) {
        read = Promise.resolve().then(() => reader(get));
        reads.set(id, read);
      }
      return read;
    };
  }
  return shared as FactReaders;
}

/**
 * The scope of a configuration's reads: what the repository readers go by.
 *
 * @example readScope(config) // '["acme/payments","releases",null,"production",60]'
 */
export function readScope(config: {
  team?: { github: string } | undefined;
  releaseSource: { value: string };
  tagPattern: { value: string | undefined };
  environment: { value: string };
  staleDays: { value: number };
}): string {
  return JSON.stringify([
    config.team?.github ?? null,
    config.releaseSource.value,
    config.tagPattern.value ?? null,
    config.environment.value,
    config.staleDays.value,
  ]);
}
