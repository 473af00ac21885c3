/**
 * The embedded report store: one JSON file per account under a directory (POM_DATA_DIR), written
 * to a temporary file and renamed over the old one, so that a crash mid-write leaves the previous
 * report whole. A file that cannot be read back is moved aside, never overwritten unread.
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { OrgReport } from "../../core/insights/report/build.js";
import {
  orgKey,
  parseStoredReport,
  type ReportStore,
  UNREADABLE_REPORT,
} from "../../core/insights/report/store.js";

/** The default directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = ".pom-data";

type Warn = (fields: object, message: string) => void;

export class FileReportStore implements ReportStore {
  readonly where: string;
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly warn: Warn = () => {},
  ) {
    this.dir = join(resolve(dataDir), "reports");
    this.where = this.dir;
  }

  private file(org: string): string {
    return join(this.dir, `${encodeURIComponent(orgKey(org))}.json`);
  }

  async latest(org: string): Promise<OrgReport | undefined> {
    const file = this.file(org);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    const report = parseStoredReport(text);
    if (report) return report;
    const aside = `${file}.unreadable-${Date.now()}`;
    await rename(file, aside);
    this.warn({ file, movedTo: aside }, UNREADABLE_REPORT);
    return undefined;
  }

  async save(report: OrgReport): Promise<void> {
    if (!report.org) throw new Error("a stored report needs its org");
    await mkdir(this.dir, { recursive: true });
    const file = this.file(report.org);
    const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(temporary, JSON.stringify(report));
    await rename(temporary, file);
  }

  async orgs(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    // Only the files this store wrote: a login, as encodeURIComponent leaves it.
    return names
      .filter((n) => /^[a-z0-9][a-z0-9-]*\.json$/.test(n))
      .map((n) => n.slice(0, -".json".length))
      .sort();
  }
}
