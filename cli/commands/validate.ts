/** `pom validate [FILE...] [--policy FILE]`: check manifests (and an org policy) without evaluating rules. */
import { basename, dirname, resolve } from "node:path";
import { resolveConfig } from "../../core/manifest/config.js";
import type { Loaded } from "../../core/manifest/manifest.js";
import type { SourceProblem } from "../../core/manifest/problem.js";
import { DEFAULT_LEVELS } from "../../policies/registry.js";
import type { Command } from "../command.js";
import { confinement, findManifest, readManifestFile, readPolicyFile } from "../files.js";
import { gitTopLevel } from "../git.js";
import { EXIT, UsageError } from "../io.js";
import { listFiles } from "../product-history.js";

/** `file:line:col: rule: message (hint)` — the format editors and CI problem matchers understand. */
export function formatProblem(problem: SourceProblem, rule = "manifest.valid"): string {
  const hint = problem.hint ? ` (${problem.hint})` : "";
  return `${problem.file}:${problem.line}:${problem.column}: ${rule}: ${problem.message}${hint}`;
}

export const validateCommand: Command = {
  name: "validate",
  usage: `
Usage: pom validate [FILE...] [--policy FILE]

Checks that each manifest parses and matches the schema. Without FILE, checks .github/pom.yml
(or pom.yml) in the current directory. Files named pom-policy.yml are checked as org policies.
With --policy, the org policy is checked too, and each manifest must respect its locks and
release.max_cadence.

Errors are printed as file:line:col: rule: message. A file larger than 256 KiB is reported by
its size without being read; one that is not a regular file (a FIFO, a device), or that is named
inside the working directory but links out of its repository, is refused (exit 2).

Options:
  --policy FILE  an org policy (.github/pom-policy.yml of the org's .github repository)`,
  options: { policy: { type: "string" } },
  positionals: true,
  run({ values, positionals }, io) {
    const policyPath = values.policy as string | undefined;
    const files = [...positionals];
    if (files.length === 0) {
      // With --policy alone, the manifest here (if any) is still checked, against the policy.
      const found = findManifest(io.cwd);
      if (found) files.push(found);
      else if (!policyPath)
        throw new UsageError("no .github/pom.yml or pom.yml here; pass a FILE or run `pom init`");
    }
    // The clock of this run: a lock holds on every day, so the verdict does not depend on it.
    const now = new Date();
    let failed = false;
    const report = (file: string, problems: SourceProblem[]) => {
      if (problems.length === 0) {
        io.out(`${file}: valid`);
        return;
      }
      failed = true;
      for (const p of problems) io.out(formatProblem(p));
    };

    const policyFiles = [
      ...(policyPath ? [policyPath] : []),
      ...files.filter((f) => basename(f) === "pom-policy.yml"),
    ];
    let policy: Loaded<import("../../core/manifest/manifest.js").OrgPolicy> | undefined;
    for (const file of policyFiles) {
      const loaded = readPolicyFile(file, io.cwd, confinement(file, io.cwd));
      report(
        loaded.ok ? loaded.source.file : (loaded.problems[0]?.file ?? file),
        loaded.ok ? [] : loaded.problems,
      );
      if (file === policyPath) policy = loaded;
    }
    for (const file of files.filter((f) => basename(f) !== "pom-policy.yml")) {
      // In a git work tree, its files decide whether products' paths overlap.
      const top = gitTopLevel(dirname(resolve(io.cwd, file)));
      const tree = top ? () => listFiles(top) : undefined;
      const loaded = readManifestFile(file, io.cwd, confinement(file, io.cwd), tree);
      if (!loaded.ok) {
        report(loaded.problems[0]?.file ?? file, loaded.problems);
        continue;
      }
      const violations = policy?.ok
        ? resolveConfig({
            defaults: DEFAULT_LEVELS,
            policy: { value: policy.value, source: policy.source },
            manifest: { value: loaded.value, source: loaded.source },
            now,
          }).violations
        : [];
      report(loaded.source.file, violations);
    }
    return failed ? EXIT.failed : EXIT.ok;
  },
};
