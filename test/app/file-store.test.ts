/**
 * The embedded report store: what is saved is read back whole, per account and case-insensitively;
 * a write replaces the previous report at once; a file that cannot be read is moved aside, not lost.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileReportStore } from "../../app/store/file-store.js";
import { buildReport } from "../../core/insights/report/build.js";
import { REPORT_NOW, syntheticRepos } from "../core/insights/report/fixtures.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pom-store-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const report = (org: string, count = 3) =>
  buildReport({ repos: syntheticRepos(count), now: REPORT_NOW, org });

describe("FileReportStore", () => {
  it("has nothing before the first save, and creates its directory on the first", async () => {
    const store = new FileReportStore(join(dir, "data"));
    expect(await store.orgs()).toEqual([]);
    expect(await store.latest("acme")).toBeUndefined();
    await store.save(report("acme"));
    expect(existsSync(join(dir, "data", "reports", "acme.json"))).toBe(true);
  });

  it("reads back what it saved, for each account, whatever the case of the login", async () => {
    const store = new FileReportStore(dir);
    const acme = report("Acme", 4);
    await store.save(acme);
    await store.save(report("beta", 2));
    expect(await store.latest("acme")).toEqual(acme);
    expect((await store.latest("BETA"))?.repos).toHaveLength(2);
    expect(await store.orgs()).toEqual(["acme", "beta"]);
  });

  it("replaces the previous report and leaves no temporary file behind", async () => {
    const store = new FileReportStore(dir);
    await store.save(report("acme", 2));
    await store.save(report("acme", 5));
    expect((await store.latest("acme"))?.repos).toHaveLength(5);
    expect(readdirSync(join(dir, "reports"))).toEqual(["acme.json"]);
  });

  it("moves an unreadable file aside, says so, and starts afresh", async () => {
    const warnings: string[] = [];
    const store = new FileReportStore(dir, (_fields, message) => warnings.push(message));
    await store.save(report("acme"));
    writeFileSync(join(dir, "reports", "acme.json"), '{"kind": "pom-governance-report", "repos": [');
    expect(await store.latest("acme")).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining("moved aside")]);
    const aside = readdirSync(join(dir, "reports")).filter((n) => n.includes(".unreadable-"));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(dir, "reports", aside[0] as string), "utf8")).toContain('"repos": [');
    await store.save(report("acme"));
    expect(await store.latest("acme")).toBeDefined();
  });
});
