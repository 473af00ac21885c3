/**
 * The seam between the engine and the world: a fact source reads the facts the rules ask for. Every
 * runtime judges through one: live per repository (REST and GraphQL), batched (a sweep's GraphQL
 * pages), a local git checkout, a webhook payload. The engine asks only for facts the enabled rules
 * declare, and only when a rule needs them, so a source reads nothing a judgement does not use.
 */
import { FACT_NAMES as FACT_KEYS, type FactKey, type Facts } from "./facts.js";

/** Reads facts on demand. */
export interface FactSource {
  /** Reads `keys` (each at most once per source); a key the source cannot give is left out. */
  read(keys: readonly FactKey[]): Promise<Facts>;
}

/** Another fact of the same source, for a reader that builds on it (unreleased work on releases). */
export type FactGetter = <K extends FactKey>(key: K) => Promise<Facts[K]>;

/** How to read each fact a source can give. */
export type FactReaders = {
  [K in FactKey]?: (get: FactGetter) => Promise<NonNullable<Facts[K]>> | NonNullable<Facts[K]>;
};

/** A source that also says which facts it read, for tests and logs. */
export interface ReadingSource extends FactSource {
  readonly asked: ReadonlySet<FactKey>;
}

/**
 * A source over layers of readers: for each fact, the first layer with a reader for it reads it,
 * once; later asks get the same answer. A payload layer goes before a live one, say.
 *
 * @example
 * const source = factSource({ pullRequest: () => known(fromPayload(pr)) }, { closingIssues: () => readClosing() });
 * await source.read(["pullRequest"]) // { pullRequest: … }, nothing read from GitHub
 */
export function factSource(...layers: FactReaders[]): ReadingSource {
  const pending = new Map<FactKey, Promise<Facts[FactKey]>>();
  const asked = new Set<FactKey>();
  const get: FactGetter = <K extends FactKey>(key: K): Promise<Facts[K]> => {
    let read = pending.get(key);
    if (!read) {
      const layer = layers.find((l) => l[key] !== undefined);
      const reader = layer?.[key] as ((get: FactGetter) => Facts[K] | Promise<Facts[K]>) | undefined;
      asked.add(key);
      read = reader ? Promise.resolve().then(() => reader(get)) : Promise.resolve(undefined);
      pending.set(key, read);
    }
    return read as Promise<Facts[K]>;
  };
  return {
    asked,
    async read(keys) {
      const values = await Promise.all(keys.map((k) => get(k)));
      const facts: Record<string, unknown> = {};
      keys.forEach((k, i) => {
        if (values[i] !== undefined) facts[k] = values[i];
      });
      return facts as Facts;
    },
  };
}

/** The facts already at hand, as a source (a test's, or a sweep batch's answer). */
export function givenFacts(facts: Facts): FactReaders {
  const readers: Record<string, () => unknown> = {};
  for (const [key, fact] of Object.entries(facts)) if (fact !== undefined) readers[key] = () => fact;
  return readers as FactReaders;
}

/**
 * The facts that belong to one product of a manifest with products (its team, its unreleased
 * work); a product's source reads these with the product's configuration, the rest from the
 * repository's source.
 */
export const PRODUCT_FACTS: readonly FactKey[] = ["team", "teamMembers", "unreleased", "unreleasedCount"];

/** The readers of `keys` only. */
export function pick(readers: FactReaders, keys: readonly FactKey[]): FactReaders {
  const picked: Record<string, unknown> = {};
  for (const key of keys) if (readers[key]) picked[key] = readers[key];
  return picked as FactReaders;
}

/** Readers that ask another source (read once there, shared by every source that delegates). */
export function delegate(source: FactSource): FactReaders {
  const readers: Record<string, () => Promise<unknown>> = {};
  for (const key of Object.keys(FACT_KEYS) as FactKey[]) {
    readers[key] = async () => (await source.read([key]))[key];
  }
  return readers as FactReaders;
}
