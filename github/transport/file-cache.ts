/**
 * Reading files from GitHub with conditional requests: the ETag of each file is remembered, and
 * an unchanged file costs a 304, which does not count against the rate limit. The cache is a
 * bounded LRU; files that do not exist are remembered for a short while. Several processes can
 * share what they learnt through a second level (`SharedFileEntries`, e.g. in Redis): an entry
 * one replica read is a conditional request, not a full read, for the others. Every entry is still
 * checked with GitHub (If-None-Match), so a stale one costs a full read, never a wrong answer;
 * only the short memory of missing files is taken on trust.
 */

import type { SourceProblem } from "../../core/manifest/problem.js";
import { decodeUtf8 } from "../../core/manifest/yaml-source.js";
import { setNewest } from "../../core/util/bounded-map.js";
import { type GitHubClient, type RepoRef, statusOf } from "./client.js";

export interface RepoFile {
  path: string;
  /** The text; for bytes that are not valid UTF-8, decoded with replacement characters. */
  text: string;
  /** Where the bytes stop being UTF-8, when they do: a positioned error, as the CLI gives. */
  invalid?: SourceProblem[];
}

export interface Entry {
  etag?: string;
  file: RepoFile | null;
  /** For missing files: when to ask again. */
  expires?: number;
}

/**
 * A second level of entries shared between processes. Keys start with the repository
 * ("owner/repo:" or "owner/repo@"), lower case. Failures of the store are the caller's to
 * tolerate: the cache then works from its own level.
 */
export interface SharedFileEntries {
  get(key: string): Promise<Entry | undefined>;
  /** Keeps `entry` for `ttlMs`. */
  set(key: string, entry: Entry, ttlMs: number): Promise<void>;
  /** Forgets every entry of one repository. */
  invalidate(repo: RepoRef): Promise<void>;
}

export interface FileCacheOptions {
  /** Most entries kept (default 5,000). */
  max?: number;
  /** How long a missing file is remembered, in ms (default 60 s). */
  missingTtlMs?: number;
  /** Clock for the missing-file TTL (tests). */
  now?: () => number;
  /** Entries shared with other processes. */
  shared?: SharedFileEntries;
  /** How long a shared entry of a file that exists lives (default 24 h). */
  sharedTtlMs?: number;
  /** Told when the shared level fails (it is then skipped for that read). */
  onSharedError?: (error: unknown) => void;
}

export class FileCache {
  readonly #entries = new Map<string, Entry>();
  readonly #reading = new Map<string, Promise<RepoFile | null>>();
  readonly #max: number;
  readonly #missingTtl: number;
  readonly #now: () => number;
  readonly #shared: SharedFileEntries | undefined;
  readonly #sharedTtl: number;
  readonly #onSharedError: (error: unknown) => void;
  /** Counters, for logs and the benchmark. */
  readonly stats = { hits: 0, notModified: 0, fetched: 0, missing: 0, shared: 0 };

  constructor(options: FileCacheOptions = {}) {
    this.#max = options.max ?? 5_000;
    this.#missingTtl = options.missingTtlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#shared = options.shared;
    this.#sharedTtl = options.sharedTtlMs ?? 24 * 60 * 60 * 1000;
    this.#onSharedError = options.onSharedError ?? (() => {});
  }

  /**
   * This level's entry, else the shared level's (kept here too). A file this level remembers as
   * missing is looked up in the shared level all the same: a push another replica took may have
   * added it (and forgotten the shared entry), and a missing entry is never checked with GitHub.
   */
  async #lookup(key: string): Promise<Entry | undefined> {
    const local = this.get(key);
    if (!this.#shared || (local && local.file !== null)) return local;
    try {
      const shared = await this.#shared.get(key);
      if (shared) {
        if (!local) this.stats.shared++;
        this.set(key, shared);
      } else if (local) this.#entries.delete(key);
      return shared;
    } catch (error) {
      this.#onSharedError(error);
      return local;
    }
  }

  /** Keeps an entry here and, for the others, in the shared level. */
  #keep(key: string, entry: Entry): void {
    this.set(key, entry);
    if (!this.#shared) return;
    const ttl = entry.expires !== undefined ? Math.max(1, entry.expires - this.#now()) : this.#sharedTtl;
    this.#shared.set(key, entry, ttl).catch((error: unknown) => this.#onSharedError(error));
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: Entry): void {
    setNewest(this.#entries, key, entry, this.#max);
  }

  /** Forgets everything cached for one repository (after a push that changes its files). */
  invalidate(ref: RepoRef): void {
    const prefix = `${ref.owner}/${ref.repo}:`.toLowerCase();
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
    this.#shared?.invalidate(ref).catch((error: unknown) => this.#onSharedError(error));
  }

  /**
   * The text of `path` on `ref` (default: the default branch), or null when there is no such file.
   * Other failures (5xx, 403, timeouts) are thrown for the caller to report.
   */
  read(client: GitHubClient, repo: RepoRef, path: string, ref?: string): Promise<RepoFile | null> {
    const key = `${repo.owner}/${repo.repo}:${ref ?? ""}:${path}`.toLowerCase();
    // Judgements that run side by side (re-judging a repository's open pull requests) ask for the
    // same file at once: one request answers them all.
    const inFlight = this.#reading.get(key);
    if (inFlight) return inFlight;
    const reading = this.#read(client, repo, path, key, ref).finally(() => this.#reading.delete(key));
    this.#reading.set(key, reading);
    return reading;
  }

  async #read(
    client: GitHubClient,
    repo: RepoRef,
    path: string,
    key: string,
    ref: string | undefined,
  ): Promise<RepoFile | null> {
    const cached = await this.#lookup(key);
    if (cached && cached.file === null && cached.expires !== undefined && cached.expires > this.#now()) {
      this.stats.hits++;
      return null;
    }
    try {
      const response = await client.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner: repo.owner,
        repo: repo.repo,
        path,
        ...(ref ? { ref } : {}),
        mediaType: { format: "raw" },
        // The bytes, not text: an invalid UTF-8 sequence must be reported, not replaced.
        request: { parseSuccessResponseBody: false },
        headers: cached?.etag ? { "if-none-match": cached.etag } : {},
      });
      const file = await fileFrom(path, response);
      const etag = response.headers.etag;
      this.#keep(key, { ...(etag ? { etag } : {}), file });
      this.stats.fetched++;
      return file;
    } catch (error) {
      const status = statusOf(error);
      if (status === 304 && cached) {
        this.stats.notModified++;
        this.set(key, cached);
        return cached.file;
      }
      if (status === 404 && !fromTokenRequest(error)) {
        this.stats.missing++;
        this.#keep(key, { file: null, expires: this.#now() + this.#missingTtl });
        return null;
      }
      throw error;
    }
  }

  /**
   * `path` as commit `sha` has it. A commit never changes, so the answer is kept without expiry.
   * The request carries the ETag of the default branch's copy (read it first): the raw content's
   * ETag is derived from the bytes alone, so a commit whose copy is unchanged is answered 304,
   * which costs no rate limit. Were GitHub's ETag to differ per ref, the cost would be one
   * ordinary read and the answer the same: the texts are compared.
   */
  async readAtCommit(client: GitHubClient, repo: RepoRef, path: string, sha: string): Promise<FileAtCommit> {
    const key = `${repo.owner}/${repo.repo}@${sha}:${path}`.toLowerCase();
    const base = await this.#lookup(`${repo.owner}/${repo.repo}::${path}`.toLowerCase());
    const answer = (file: RepoFile | null): FileAtCommit => ({
      file,
      sameAsDefault: file === null ? base?.file === null : base?.file?.text === file.text,
    });
    const pinned = await this.#lookup(key);
    if (pinned && (pinned.expires === undefined || pinned.expires > this.#now())) {
      this.stats.hits++;
      return answer(pinned.file);
    }
    try {
      const response = await client.request("GET /repos/{owner}/{repo}/contents/{path}", {
        owner: repo.owner,
        repo: repo.repo,
        path,
        ref: sha,
        mediaType: { format: "raw" },
        // The bytes, not text: an invalid UTF-8 sequence must be reported, not replaced.
        request: { parseSuccessResponseBody: false },
        headers: base?.etag && base.file ? { "if-none-match": base.etag } : {},
      });
      const file = await fileFrom(path, response);
      this.#keep(key, { file });
      this.stats.fetched++;
      return answer(file);
    } catch (error) {
      const status = statusOf(error);
      if (status === 304 && base?.file) {
        this.stats.notModified++;
        this.#keep(key, { file: base.file });
        return answer(base.file);
      }
      if (status === 404 && !fromTokenRequest(error)) {
        this.stats.missing++;
        // Not pinned for good: a fork's new commit may not have reached the base repository yet.
        this.#keep(key, { file: null, expires: this.#now() + this.#missingTtl });
        return answer(null);
      }
      throw error;
    }
  }
}

/** A file as a commit has it, compared with the same file on the default branch. */
export interface FileAtCommit {
  file: RepoFile | null;
  /** Whether the commit's copy is the default branch's, byte for byte. */
  sameAsDefault: boolean;
}

/**
 * Whether a 404 came from the installation token request rather than the file: an installation
 * that was removed answers 404 there, and "no such installation" must not read as "no manifest".
 */
function fromTokenRequest(error: unknown): boolean {
  const url = (error as { request?: { url?: unknown } })?.request?.url;
  return typeof url === "string" && /\/app\/installations\/[^/]+\/access_tokens/.test(url);
}

/** The file from an answer whose body was left unparsed (a stream), or parsed (a test double). */
async function fileFrom(path: string, response: { data: unknown; headers: object }): Promise<RepoFile> {
  const body = response.data;
  let bytes: Uint8Array;
  if (typeof body === "string") bytes = new TextEncoder().encode(body);
  else if (body instanceof Uint8Array) bytes = body;
  else if (body && typeof (body as ReadableStream).getReader === "function")
    bytes = new Uint8Array(await new Response(body as ReadableStream).arrayBuffer());
  else if (body === null || body === undefined) bytes = new Uint8Array();
  else bytes = contentBytes(body);
  const type = String((response.headers as Record<string, unknown>)["content-type"] ?? "");
  // The contents API's JSON form, when the raw media type was not honoured.
  if (/json/i.test(type)) bytes = contentBytes(JSON.parse(new TextDecoder().decode(bytes)));
  const decoded = decodeUtf8(bytes, path);
  return decoded.ok
    ? { path, text: decoded.text }
    : { path, text: new TextDecoder().decode(bytes), invalid: decoded.problems };
}

function contentBytes(data: unknown): Uint8Array {
  const content = (data as { content?: unknown; encoding?: unknown })?.content;
  if (typeof content !== "string") throw new Error("the contents API returned no file content");
  return (data as { encoding?: string }).encoding === "base64"
    ? new Uint8Array(Buffer.from(content, "base64"))
    : new TextEncoder().encode(content);
}
