/** The trusted configuration: manifest and org policy, always from the default branches. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isGoverned, loadTrustedConfig } from "../../../github/read/config.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { FakeGitHub, manifestYaml, newClient } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };
const POLICY = "version: 1\nmanifest: error\nlocked: [release.cadence]\n";

let gh: FakeGitHub;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(() => {
  gh = new FakeGitHub();
});
afterEach(() => {
  gh.close();
  nock.cleanAll();
});

describe("loadTrustedConfig", () => {
  it("reads the manifest from .github/pom.yml and the policy from the owner's .github repository", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: POLICY });

    const config = await loadTrustedConfig(newClient(), new FileCache(), repo);

    expect(config.manifestPath).toBe(".github/pom.yml");
    expect(config.manifest?.ok).toBe(true);
    expect(config.policy?.ok).toBe(true);
    expect(isGoverned(config)).toBe(true);
    expect(gh.sent.map((r) => r.path).sort()).toEqual([
      "/repos/acme/.github/contents/.github%2Fpom-policy.yml",
      "/repos/acme/checkout/contents/.github%2Fpom.yml",
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("falls back to the root pom.yml when .github/pom.yml is missing", async () => {
    gh.config("acme/checkout", { manifest: null, rootManifest: manifestYaml(), policy: null });

    const config = await loadTrustedConfig(newClient(), new FileCache(), repo);

    expect(config.manifestPath).toBe("pom.yml");
    expect(config.manifest?.ok).toBe(true);
    expect(config.manifest?.source?.file).toBe("pom.yml");
    expect(config.policy).toBeNull();
    expect(gh.requests("GET", "/repos/acme/checkout/").map((r) => r.path)).toEqual([
      "/repos/acme/checkout/contents/.github%2Fpom.yml",
      "/repos/acme/checkout/contents/pom.yml",
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("does not read the root pom.yml when .github/pom.yml exists", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: null });

    const config = await loadTrustedConfig(newClient(), new FileCache(), repo);

    expect(config.manifestPath).toBe(".github/pom.yml");
    expect(gh.sent.some((r) => r.path.endsWith("/contents/pom.yml"))).toBe(false);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("names the policy by its owner, repository and path", async () => {
    gh.config("acme/checkout", { manifest: null, rootManifest: null, policy: "version: 1\nbogus: true\n" });

    const config = await loadTrustedConfig(newClient(), new FileCache(), repo);

    expect(config.policy?.ok).toBe(false);
    expect(config.policy?.ok === false && config.policy.problems[0]?.file).toBe(
      "acme/.github/.github/pom-policy.yml",
    );
    expect(isGoverned(config)).toBe(true);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("governs a repository with only an org policy", async () => {
    gh.config("acme/checkout", { manifest: null, rootManifest: null, policy: POLICY });

    const config = await loadTrustedConfig(newClient(), new FileCache(), repo);

    expect(config.manifest).toBeNull();
    expect(config.manifestPath).toBeUndefined();
    expect(isGoverned(config)).toBe(true);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("says a repository is not governed when neither manifest nor policy exists", async () => {
    gh.config("acme/checkout", { manifest: null, rootManifest: null, policy: null });

    const config = await loadTrustedConfig(newClient(), new FileCache(), repo);

    expect(config).toEqual({ manifest: null, policy: null });
    expect(isGoverned(config)).toBe(false);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("keeps an invalid manifest as a loaded failure, still governed", async () => {
    gh.config("acme/checkout", { manifest: "version: 1\nteam: [a, b]\n", policy: null });

    const config = await loadTrustedConfig(newClient(), new FileCache(), repo);

    expect(config.manifest?.ok).toBe(false);
    expect(isGoverned(config)).toBe(true);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("never sends a ref: the trusted configuration comes from the default branches", async () => {
    gh.config("acme/checkout", { manifest: null, rootManifest: manifestYaml(), policy: POLICY });

    await loadTrustedConfig(newClient(), new FileCache(), repo);

    expect(gh.sent).toHaveLength(3);
    for (const request of gh.sent) {
      expect(request.query).toEqual({});
      expect(request.headers.accept).toBe("application/vnd.github.v3.raw");
    }
    expect(gh.scope.isDone()).toBe(true);
  });

  it("revalidates with ETags on the next load, which costs only 304s", async () => {
    gh.config("acme/checkout", { manifest: manifestYaml(), policy: POLICY });
    gh.file("acme/checkout", ".github/pom.yml", 304);
    gh.file("acme/.github", ".github/pom-policy.yml", 304);
    const cache = new FileCache();
    const client = newClient();

    const first = await loadTrustedConfig(client, cache, repo);
    const second = await loadTrustedConfig(client, cache, repo);

    expect(second.manifest?.ok).toBe(true);
    expect(second.policy?.ok).toBe(true);
    expect(second.manifestPath).toBe(first.manifestPath);
    expect(cache.stats.notModified).toBe(2);
    expect(gh.sent.slice(2).every((r) => r.headers["if-none-match"] !== undefined)).toBe(true);
    // An unchanged file is not parsed and validated again: the loaded documents are reused.
    expect(second.manifest).toBe(first.manifest);
    expect(second.policy).toBe(first.policy);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("throws when the manifest cannot be read, rather than judging without it", async () => {
    gh.on("GET", "/repos/acme/checkout/contents/.github%2Fpom.yml", {
      status: 500,
      body: { message: "boom" },
    });
    gh.file("acme/.github", ".github/pom-policy.yml", null);

    await expect(loadTrustedConfig(newClient(), new FileCache(), repo)).rejects.toMatchObject({
      status: 500,
    });
    expect(gh.scope.isDone()).toBe(true);
  });
});
