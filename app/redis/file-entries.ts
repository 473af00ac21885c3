/**
 * The file cache's shared level in Redis (see github/transport/file-cache.ts): one hash per repository,
 * a field per file and ref, each value with its own expiry inside (a hash field has none), the
 * hash itself expiring a day after its last write. Forgetting a repository (a push to its
 * pom.yml or CODEOWNERS) is one DEL.
 */
import type { Redis } from "ioredis";
import type { RepoRef } from "../../github/transport/client.js";
import type { Entry, SharedFileEntries } from "../../github/transport/file-cache.js";
import { execAll } from "./connection.js";

const HASH_TTL_SECONDS = 24 * 60 * 60;

/** "owner/repo" of a cache key ("owner/repo:ref:path" or "owner/repo@sha:path"), and the rest. */
function split(key: string): [string, string] {
  const at = key.search(/[:@]/);
  return at < 0 ? [key, ""] : [key.slice(0, at), key.slice(at)];
}

export class RedisFileEntries implements SharedFileEntries {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly now: () => number = Date.now,
  ) {}

  private hash(repo: string): string {
    return `${this.prefix}:files:${repo.toLowerCase()}`;
  }

  /** While Redis is away the cache does without it at once, rather than wait on each read. */
  private ready(): void {
    if (this.redis.status !== "ready") throw new Error(`redis is ${this.redis.status}`);
  }

  async get(key: string): Promise<Entry | undefined> {
    this.ready();
    const [repo, field] = split(key);
    const text = await this.redis.hget(this.hash(repo), field);
    if (text === null) return undefined;
    const stored = JSON.parse(text) as Entry & { until: number };
    if (stored.until <= this.now()) return undefined;
    const { until: _until, ...entry } = stored;
    return entry;
  }

  async set(key: string, entry: Entry, ttlMs: number): Promise<void> {
    this.ready();
    const [repo, field] = split(key);
    const hash = this.hash(repo);
    await execAll(
      this.redis
        .multi()
        .hset(hash, field, JSON.stringify({ ...entry, until: this.now() + ttlMs }))
        .expire(hash, HASH_TTL_SECONDS),
    );
  }

  async invalidate(repo: RepoRef): Promise<void> {
    await this.redis.del(this.hash(`${repo.owner}/${repo.repo}`));
  }
}
