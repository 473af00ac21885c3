/**
 * app.yml asks GitHub for permissions by the names GitHub's REST description gives them (an app
 * manifest with a misspelt permission is refused when the app is registered), at levels it allows.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..");

describe("app.yml", () => {
  const manifest = parse(readFileSync(join(ROOT, "app.yml"), "utf8")) as {
    default_permissions: Record<string, string>;
  };
  const spec = JSON.parse(readFileSync(join(ROOT, "testkit", "github-subset.json"), "utf8")) as {
    components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> };
  };
  const known = spec.components.schemas["app-permissions"]?.properties ?? {};

  it("names every permission as GitHub does, at a level GitHub offers", () => {
    for (const [name, level] of Object.entries(manifest.default_permissions)) {
      expect(known[name], name).toBeDefined();
      expect(known[name]?.enum, name).toContain(level);
    }
  });

  it("asks to read the organization's custom properties, which the sweep lists (ownership.team)", () => {
    expect(manifest.default_permissions.organization_custom_properties).toBe("read");
    const docs = readFileSync(join(ROOT, "docs", "permissions.md"), "utf8");
    expect(docs).toContain("Custom properties (organization) | read");
  });
});
