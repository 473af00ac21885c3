/**
 * `pom check` on the files of a checkout that it cannot trust: a CODEOWNERS too large for GitHub.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { checkJson, daysAgo, ensureBuilt, findingOf, governedRepo } from "./pom.js";

let tmp: TempRoot;

beforeAll(() => {
  ensureBuilt();
  tmp = tempRoot("pom-cli-files-");
});

afterAll(() => tmp?.cleanup());

describe.concurrent("CODEOWNERS", () => {
  it("fails ownership.codeowners for a CODEOWNERS over 3 MB, which GitHub ignores, without echoing it", async () => {
    const repo = governedRepo(tmp, daysAgo(1));
    repo.tag("v1.0.0");
    // Right, but too large: GitHub loads no CODEOWNERS over 3 MB, so the team owns nothing.
    repo.write(".github/CODEOWNERS", "* @acme/payments\n".repeat(216_000));
    const { code, verdict } = await checkJson(repo.dir);
    const finding = findingOf(verdict, "ownership.codeowners");
    expect(finding).toMatchObject({ status: "fail", level: "warn" });
    expect(finding.message).toBe(
      ".github/CODEOWNERS is 3672000 bytes: GitHub ignores a CODEOWNERS file over 3 MB, so it makes no one an owner",
    );
    expect(JSON.stringify(verdict)).not.toContain("* @acme/payments\\n* @acme/payments");
    expect(code).toBe(0);
  });
});
