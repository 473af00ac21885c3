/**
 * Reading files from GitHub with conditional requests: the ETag of each file is remembered, and
 * an unchanged file costs a 304, which does not count against the rate limit. The cache is a
 * bounded LRU; files that do not exist are remembered for a short while.
 */
import { decodeUtf8, type SourceProblem } from "../core/yaml-source.js";
import { type GitHubClient, type RepoRef, statusOf } from "./client.js";

export interface RepoFile {
  path: string;
  /** The text; for bytes that are not valid UTF-8, decoded with replacement characters. */
  text: string;
  /** Where the bytes stop being UTF-8, when they do: a positioned error, as the CLI gives. */
  invalid?: SourceProblem[];
}

interface Entry {
  etag?: string;
  file: RepoFile | null;
  /** For missing files: when to ask again. */
  expires?: number;
}

export interface FileCacheOptions {
  /** Most entries kept (default 5,000). */
  max?: number;
  /** How long a missing file is remembered, in ms (default 60 s). */
  missingTtlMs?: number;
  /** Clock for the missing-file TTL (tests). */
  now?: () => number;
}

export class FileCache {
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #missingTtl: number;
  readonly #now: () => number;
  /** Counters, for logs and the benchmark. */
  readonly stats = { hits: 0, notModified: 0, fetched: 0, missing: 0 };

  constructor(options: FileCacheOptions = {}) {
    this.#max = options.max ?? 5_000;
    this.#missingTtl = options.missingTtlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
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
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  /** Forgets everything cached for one repository (after a push that changes its files). */
  invalidate(ref: RepoRef): void {
    const prefix = `${ref.owner}/${ref.repo}:`.toLowerCase();
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
  }

  /**
   * The text of `path` on `ref` (default: the default branch), or null when there is no such file.
   * Other failures (5xx, 403, timeouts) are thrown for the caller to report.
   */
  async read(client: GitHubClient, repo: RepoRef, path: string, ref?: string): Promise<RepoFile | null> {
    const key = `${repo.owner}/${repo.repo}:${ref ?? ""}:${path}`.toLowerCase();
    const cached = this.get(key);
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
      this.set(key, { ...(etag ? { etag } : {}), file });
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
        this.set(key, { file: null, expires: this.#now() + this.#missingTtl });
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
    const base = this.get(`${repo.owner}/${repo.repo}::${path}`.toLowerCase());
    const answer = (file: RepoFile | null): FileAtCommit => ({
      file,
      sameAsDefault: file === null ? base?.file === null : base?.file?.text === file.text,
    });
    const pinned = this.get(key);
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
      this.set(key, { file });
      this.stats.fetched++;
      return answer(file);
    } catch (error) {
      const status = statusOf(error);
      if (status === 304 && base?.file) {
        this.stats.notModified++;
        this.set(key, { file: base.file });
        return answer(base.file);
      }
      if (status === 404 && !fromTokenRequest(error)) {
        this.stats.missing++;
        // Not pinned for good: a fork's new commit may not have reached the base repository yet.
        this.set(key, { file: null, expires: this.#now() + this.#missingTtl });
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
