/**
 * The report store in Redis, for several replicas: each account's latest report (with its daily
 * history) under `<prefix>:report:<account>`, and the set of accounts. A value that cannot be read
 * back is renamed aside, never overwritten unread.
 */
import type { Redis } from "ioredis";
import type { OrgReport } from "../../core/insights/report/build.js";
import {
  orgKey,
  parseStoredReport,
  type ReportStore,
  UNREADABLE_REPORT,
} from "../../core/insights/report/store.js";
import { execAll } from "../redis/connection.js";

type Warn = (fields: object, message: string) => void;

export class RedisReportStore implements ReportStore {
  readonly where: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly warn: Warn = () => {},
  ) {
    this.where = `redis (keys ${prefix}:report:*)`;
  }

  private key(org: string): string {
    return `${this.prefix}:report:${orgKey(org)}`;
  }

  async latest(org: string): Promise<OrgReport | undefined> {
    const key = this.key(org);
    const text = await this.redis.get(key);
    if (text === null) return undefined;
    const report = parseStoredReport(text);
    if (report) return report;
    const aside = `${key}:unreadable:${Date.now()}`;
    await this.redis.rename(key, aside);
    this.warn({ key, movedTo: aside }, UNREADABLE_REPORT);
    return undefined;
  }

  async save(report: OrgReport): Promise<void> {
    if (!report.org) throw new Error("a stored report needs its org");
    await execAll(
      this.redis
        .multi()
        .set(this.key(report.org), JSON.stringify(report))
        .sadd(`${this.prefix}:reports`, orgKey(report.org)),
    );
  }

  async orgs(): Promise<string[]> {
    return (await this.redis.smembers(`${this.prefix}:reports`)).sort();
  }
}
