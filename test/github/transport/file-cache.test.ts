/** FileCache: conditional reads with ETags, remembered 404s, LRU eviction. */
import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadTrustedConfig } from "../../../github/read/config.js";
import { FileCache } from "../../../github/transport/file-cache.js";
import { FakeGitHub, newClient } from "../../helpers/github.js";

const repo = { owner: "acme", repo: "checkout" };
const MANIFEST = "/repos/acme/checkout/contents/.github%2Fpom.yml";

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

describe("FileCache.read", () => {
  it("fetches a file with the raw media type on first read and remembers its ETag", async () => {
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n", { etag: '"abc"' });
    const cache = new FileCache();

    const file = await cache.read(newClient(), repo, ".github/pom.yml");

    expect(file).toEqual({ path: ".github/pom.yml", text: "version: 1\n" });
    const [request] = gh.sent;
    expect(request?.path).toBe(MANIFEST);
    expect(request?.headers.accept).toBe("application/vnd.github.v3.raw");
    expect(request?.headers["if-none-match"]).toBeUndefined();
    expect(cache.stats).toMatchObject({ fetched: 1, notModified: 0 });
    expect(cache.size).toBe(1);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("sends If-None-Match on the second read and serves the cached text on a 304", async () => {
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n", { etag: '"abc"' });
    gh.file("acme/checkout", ".github/pom.yml", 304, { etag: '"abc"' });
    const cache = new FileCache();
    const client = newClient();

    await cache.read(client, repo, ".github/pom.yml");
    const again = await cache.read(client, repo, ".github/pom.yml");

    expect(again).toEqual({ path: ".github/pom.yml", text: "version: 1\n" });
    expect(gh.sent[1]?.headers["if-none-match"]).toBe('"abc"');
    expect(cache.stats).toMatchObject({ fetched: 1, notModified: 1 });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("takes a changed file and its new ETag when the conditional read answers 200", async () => {
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n", { etag: '"one"' });
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n# edited\n", { etag: '"two"' });
    gh.file("acme/checkout", ".github/pom.yml", 304, { etag: '"two"' });
    const cache = new FileCache();
    const client = newClient();

    await cache.read(client, repo, ".github/pom.yml");
    expect((await cache.read(client, repo, ".github/pom.yml"))?.text).toBe("version: 1\n# edited\n");
    expect((await cache.read(client, repo, ".github/pom.yml"))?.text).toBe("version: 1\n# edited\n");

    expect(gh.sent.map((r) => r.headers["if-none-match"])).toEqual([undefined, '"one"', '"two"']);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("sends the ref when one is given and keeps it apart from the default branch's copy", async () => {
    gh.file("acme/checkout", ".github/pom.yml", "head\n", { ref: "abc123" });
    gh.file("acme/checkout", ".github/pom.yml", "default\n");
    const cache = new FileCache();
    const client = newClient();

    expect((await cache.read(client, repo, ".github/pom.yml", "abc123"))?.text).toBe("head\n");
    expect((await cache.read(client, repo, ".github/pom.yml"))?.text).toBe("default\n");

    expect(gh.sent.map((r) => r.query)).toEqual([{ ref: "abc123" }, {}]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("returns null for a 404 and does not ask again within the TTL, but does after it", async () => {
    let now = 1_000_000;
    gh.file("acme/checkout", "pom.yml", null);
    gh.file("acme/checkout", "pom.yml", null);
    const cache = new FileCache({ missingTtlMs: 60_000, now: () => now });
    const client = newClient();

    expect(await cache.read(client, repo, "pom.yml")).toBeNull();
    now += 59_999;
    expect(await cache.read(client, repo, "pom.yml")).toBeNull();
    expect(gh.sent).toHaveLength(1);
    expect(cache.stats).toMatchObject({ missing: 1, hits: 1 });

    now += 1;
    expect(await cache.read(client, repo, "pom.yml")).toBeNull();
    expect(gh.sent).toHaveLength(2);
    expect(gh.sent[1]?.headers["if-none-match"]).toBeUndefined();
    expect(cache.stats).toMatchObject({ missing: 2, hits: 1 });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("finds a file created after its 404 expired", async () => {
    let now = 0;
    gh.file("acme/checkout", "pom.yml", null);
    gh.file("acme/checkout", "pom.yml", "version: 1\n");
    const cache = new FileCache({ missingTtlMs: 1_000, now: () => now });
    const client = newClient();

    expect(await cache.read(client, repo, "pom.yml")).toBeNull();
    now = 1_000;
    expect(await cache.read(client, repo, "pom.yml")).toEqual({ path: "pom.yml", text: "version: 1\n" });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("throws a 5xx for the caller to report, and caches nothing for it", async () => {
    gh.on("GET", MANIFEST, { status: 502, body: { message: "Bad Gateway" } });
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n");
    const cache = new FileCache();
    const client = newClient();

    await expect(cache.read(client, repo, ".github/pom.yml")).rejects.toMatchObject({ status: 502 });
    expect(cache.size).toBe(0);
    expect(await cache.read(client, repo, ".github/pom.yml")).not.toBeNull();
    expect(gh.scope.isDone()).toBe(true);
  });

  it("throws a 403 rather than calling the file missing", async () => {
    gh.on("GET", MANIFEST, { status: 403, body: { message: "Resource not accessible by integration" } });
    const cache = new FileCache();

    await expect(cache.read(newClient(), repo, ".github/pom.yml")).rejects.toMatchObject({ status: 403 });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("decodes the JSON form of the contents API when the raw media type is not honoured", async () => {
    gh.on("GET", MANIFEST, {
      status: 200,
      body: { type: "file", encoding: "base64", content: Buffer.from("version: 1\n").toString("base64") },
    });
    const cache = new FileCache();

    expect((await cache.read(newClient(), repo, ".github/pom.yml"))?.text).toBe("version: 1\n");
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("FileCache.invalidate", () => {
  it("forgets a repository's files, so the next read is unconditional", async () => {
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n", { etag: '"abc"' });
    gh.file("acme/other", ".github/pom.yml", "version: 1\n", { etag: '"def"' });
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n", { etag: '"abc"' });
    gh.file("acme/other", ".github/pom.yml", 304, { etag: '"def"' });
    const cache = new FileCache();
    const client = newClient();
    const other = { owner: "acme", repo: "other" };

    await cache.read(client, repo, ".github/pom.yml");
    await cache.read(client, other, ".github/pom.yml");
    cache.invalidate({ owner: "ACME", repo: "Checkout" });
    expect(cache.size).toBe(1);
    await cache.read(client, repo, ".github/pom.yml");
    await cache.read(client, other, ".github/pom.yml");

    expect(gh.sent.map((r) => r.headers["if-none-match"])).toEqual([
      undefined,
      undefined,
      undefined,
      '"def"',
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });

  it("forgets a remembered 404 too", async () => {
    gh.file("acme/checkout", "pom.yml", null);
    gh.file("acme/checkout", "pom.yml", "version: 1\n");
    const cache = new FileCache();
    const client = newClient();

    expect(await cache.read(client, repo, "pom.yml")).toBeNull();
    cache.invalidate(repo);
    expect(await cache.read(client, repo, "pom.yml")).not.toBeNull();
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("FileCache LRU", () => {
  it("evicts the least recently used entry once it holds more than max", async () => {
    gh.file("acme/checkout", "a.yml", "a", { etag: '"A"' });
    gh.file("acme/checkout", "b.yml", "b", { etag: '"B"' });
    gh.file("acme/checkout", "a.yml", 304, { etag: '"A"' });
    gh.file("acme/checkout", "c.yml", "c", { etag: '"C"' });
    gh.file("acme/checkout", "b.yml", "b", { etag: '"B"' });
    gh.file("acme/checkout", "c.yml", 304, { etag: '"C"' });
    const cache = new FileCache({ max: 2 });
    const client = newClient();

    await cache.read(client, repo, "a.yml"); // [a]
    await cache.read(client, repo, "b.yml"); // [a, b]
    await cache.read(client, repo, "a.yml"); // 304, a is used again: [b, a]
    await cache.read(client, repo, "c.yml"); // [a, c]: b, least recently used, goes
    expect(cache.size).toBe(2);
    await cache.read(client, repo, "b.yml"); // unconditional again: [c, b]
    await cache.read(client, repo, "c.yml"); // c survived: 304

    expect(gh.sent.map((r) => `${r.path.split("/").pop()} ${r.headers["if-none-match"] ?? "-"}`)).toEqual([
      "a.yml -",
      "b.yml -",
      'a.yml "A"',
      "c.yml -",
      "b.yml -",
      'c.yml "C"',
    ]);
    expect(cache.size).toBe(2);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("FileCache.readAtCommit", () => {
  const SHA = "3333333333333333333333333333333333333333";

  it("asks for a commit's copy with the default branch's ETag and keeps the answer for good", async () => {
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n", { etag: '"abc"' });
    gh.file("acme/checkout", ".github/pom.yml", 304, { ref: SHA, etag: '"abc"' });
    const cache = new FileCache();
    const client = newClient();

    await cache.read(client, repo, ".github/pom.yml");
    const first = await cache.readAtCommit(client, repo, ".github/pom.yml", SHA);
    const second = await cache.readAtCommit(client, repo, ".github/pom.yml", SHA);

    expect(first).toEqual({ file: { path: ".github/pom.yml", text: "version: 1\n" }, sameAsDefault: true });
    expect(second).toEqual(first);
    expect(gh.sent).toHaveLength(2);
    expect(gh.sent[1]?.query).toEqual({ ref: SHA });
    expect(gh.sent[1]?.headers["if-none-match"]).toBe('"abc"');
    expect(gh.scope.isDone()).toBe(true);
  });

  it("tells a changed or missing copy from the default branch's", async () => {
    const OTHER = "4444444444444444444444444444444444444444";
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n", { etag: '"abc"' });
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n# edited\n", { ref: SHA, etag: '"def"' });
    gh.file("acme/checkout", ".github/pom.yml", null, { ref: OTHER });
    const cache = new FileCache();
    const client = newClient();

    await cache.read(client, repo, ".github/pom.yml");
    const edited = await cache.readAtCommit(client, repo, ".github/pom.yml", SHA);
    const deleted = await cache.readAtCommit(client, repo, ".github/pom.yml", OTHER);

    expect(edited).toEqual({
      file: { path: ".github/pom.yml", text: "version: 1\n# edited\n" },
      sameAsDefault: false,
    });
    expect(deleted).toEqual({ file: null, sameAsDefault: false });
    expect(gh.scope.isDone()).toBe(true);
  });

  it("throws what is neither a file, a 304 nor a 404, and keeps nothing", async () => {
    gh.on("GET", `${MANIFEST}?ref=${SHA}`, { status: 502, body: { message: "Bad Gateway" } });
    gh.file("acme/checkout", ".github/pom.yml", "version: 1\n", { ref: SHA });
    const cache = new FileCache();
    const client = newClient();

    await expect(cache.readAtCommit(client, repo, ".github/pom.yml", SHA)).rejects.toMatchObject({
      status: 502,
    });
    const retried = await cache.readAtCommit(client, repo, ".github/pom.yml", SHA);

    expect(retried.file?.text).toBe("version: 1\n");
    expect(retried.sameAsDefault).toBe(false);
    expect(gh.scope.isDone()).toBe(true);
  });
});

describe("FileCache: a 404 that is not about the file", () => {
  it("throws when the installation token request answered 404, instead of calling the file missing", async () => {
    const cache = new FileCache();
    const tokenLost = Object.assign(new Error("Not Found"), {
      status: 404,
      request: { method: "POST", url: "https://api.github.com/app/installations/9/access_tokens" },
    });
    const client = { request: () => Promise.reject(tokenLost), graphql: () => Promise.reject(tokenLost) };

    await expect(cache.read(client as never, repo, ".github/pom.yml")).rejects.toBe(tokenLost);
    await expect(cache.readAtCommit(client as never, repo, ".github/pom.yml", "a".repeat(40))).rejects.toBe(
      tokenLost,
    );
    expect(cache.size).toBe(0);
  });
});

describe("FileCache: bytes that are not UTF-8", () => {
  it("keeps the position of the first bad byte, as the CLI reports it, and the config refuses the manifest there", async () => {
    // "version: 1\nproduct:\n  name: Caf" then a lone Latin-1 é (0xE9).
    const bytes = Buffer.concat([
      Buffer.from("version: 1\nproduct:\n  name: Caf"),
      Buffer.from([0xe9, 0x0a]),
    ]);
    gh.on("GET", MANIFEST, {
      status: 200,
      body: bytes,
      headers: { "content-type": "application/vnd.github.raw; charset=utf-8", etag: '"latin1"' },
    });
    gh.file("acme/.github", ".github/pom-policy.yml", null);
    const cache = new FileCache();

    const config = await loadTrustedConfig(newClient(), cache, repo);

    expect(config.manifest?.ok).toBe(false);
    expect(config.manifest && !config.manifest.ok ? config.manifest.problems : []).toEqual([
      expect.objectContaining({
        file: ".github/pom.yml",
        line: 3,
        column: 12,
        message: expect.stringContaining("not valid UTF-8"),
      }),
    ]);
    expect(gh.scope.isDone()).toBe(true);
  });
});
