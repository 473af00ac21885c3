import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveConfig } from "../core/manifest/config.js";
import { loadManifest, loadPolicy } from "../core/manifest/manifest.js";
import { DEFAULT_LEVELS } from "../policies/registry.js";

const NOW = new Date("2026-12-07T12:00:00Z");
const root = new URL("..", import.meta.url).pathname;

function yamlFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? yamlFiles(join(dir, entry.name))
      : entry.name.endsWith(".yml")
        ? [join(dir, entry.name)]
        : [],
  );
}

const files = yamlFiles("examples");
const manifests = files.filter((f) => !f.endsWith("pom-policy.yml"));
const policies = files.filter((f) => f.endsWith("pom-policy.yml"));
const read = (file: string) => readFileSync(join(root, file), "utf8");

describe("the examples", () => {
  it("include manifests and an org policy", () => {
    expect(manifests.length).toBeGreaterThanOrEqual(3);
    expect(policies.length).toBeGreaterThanOrEqual(1);
  });

  it.each([...manifests, ".github/pom.yml"])("%s is a valid manifest", (file) => {
    const loaded = loadManifest(read(file), file);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  });

  it.each(policies)("%s is a valid org policy", (file) => {
    const loaded = loadPolicy(read(file), file);
    expect(loaded.ok ? [] : loaded.problems).toEqual([]);
  });

  it("flag a waiver of a locked rule when checkout.pom.yml is judged under the example org policy", () => {
    const policy = loadPolicy(read("examples/org/pom-policy.yml"), "pom-policy.yml");
    const manifest = loadManifest(read("examples/checkout.pom.yml"), "pom.yml");
    if (!policy.ok || !manifest.ok) throw new Error("examples must load");
    const config = resolveConfig({
      defaults: DEFAULT_LEVELS,
      policy: { value: policy.value, source: policy.source },
      manifest: { value: manifest.value, source: manifest.source },
      now: NOW,
    });
    expect(config.violations.map((v) => [v.line, v.path])).toEqual([[39, "waivers[0]"]]);
    expect(config.waivers).toEqual([]);
  });

  it.each(manifests.filter((f) => !f.includes("checkout")))(
    "%s respects the example org policy's locks and maximum cadence",
    (file) => {
      const policy = loadPolicy(read("examples/org/pom-policy.yml"), "pom-policy.yml");
      const manifest = loadManifest(read(file), file);
      if (!policy.ok || !manifest.ok) throw new Error("examples must load");
      const config = resolveConfig({
        defaults: DEFAULT_LEVELS,
        policy: { value: policy.value, source: policy.source },
        manifest: { value: manifest.value, source: manifest.source },
        now: NOW,
      });
      expect(config.violations).toEqual([]);
    },
  );
});
