/**
 * The team history stores (core/insights/teams/store.ts): one JSON file per account next to the
 * report files, or one Redis key per account next to the reports, changed under the lock across
 * replicas.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Redis } from "ioredis";
import type { TeamHistory } from "../../core/insights/teams/history.js";
import { historyOf, type TeamHistoryStore } from "../../core/insights/teams/store.js";
import { createSerialiser, type Serialise } from "../../core/util/serial.js";

const orgKey = (org: string) => org.toLowerCase();

export class FileTeamStore implements TeamHistoryStore {
  private readonly dir: string;
  private readonly serial = createSerialiser();

  constructor(dataDir: string) {
    this.dir = join(resolve(dataDir), "teams");
  }

  private file(org: string): string {
    return join(this.dir, `${encodeURIComponent(orgKey(org))}.json`);
  }

  async load(org: string): Promise<TeamHistory> {
    try {
      return historyOf(org, await readFile(this.file(org), "utf8"));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return historyOf(org, null);
      throw error;
    }
  }

  update(org: string, change: (history: TeamHistory) => TeamHistory): Promise<TeamHistory> {
    return this.serial(orgKey(org), async () => {
      const next = change(await this.load(org));
      await mkdir(this.dir, { recursive: true });
      const file = this.file(org);
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, JSON.stringify(next));
      await rename(temporary, file);
      return next;
    });
  }
}

export class RedisTeamStore implements TeamHistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** One at a time across replicas. */
    private readonly across: Serialise,
  ) {}

  private key(org: string): string {
    return `${this.prefix}:teams:${orgKey(org)}`;
  }

  async load(org: string): Promise<TeamHistory> {
    return historyOf(org, await this.redis.get(this.key(org)));
  }

  update(org: string, change: (history: TeamHistory) => TeamHistory): Promise<TeamHistory> {
    return this.across(this.key(org), async () => {
      const next = change(await this.load(org));
      await this.redis.set(this.key(org), JSON.stringify(next));
      return next;
    });
  }
}
