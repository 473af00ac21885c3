/**
 * Repository jobs judged together. Each `repo` job stays a job of its own (its lock, its retries,
 * its failure reason), but the jobs a replica holds for one installation at the same moment are
 * read with one batch of GraphQL queries, as the one-process sweep reads them: a replica with
 * room for 50 jobs asks GitHub about 50 repositories at once, not one at a time. A batch holds one
 * run's jobs of one installation, and goes when it is full or when its first job has waited
 * `waitMs`.
 */

export interface BatchRepo {
  owner: string;
  name: string;
  nodeId: string;
}

export interface BatchInstallation {
  id: number;
  account: string;
  /** The run the jobs belong to: runs never share a batch. */
  runId: string;
}

/** What became of each repository of a batch, by lower-cased "owner/name": a result or why not. */
export type BatchOutcome<R> = Map<string, { result: R } | { error: unknown }>;

export type JudgeBatch<R> = (installation: BatchInstallation, repos: BatchRepo[]) => Promise<BatchOutcome<R>>;

interface Pending<R> {
  installation: BatchInstallation;
  items: { repo: BatchRepo; resolve: (result: R) => void; reject: (error: unknown) => void }[];
  timer?: NodeJS.Timeout;
}

const keyOf = (repo: BatchRepo) => `${repo.owner}/${repo.name}`.toLowerCase();
const groupOf = (installation: BatchInstallation) => `${installation.runId}\u0000${installation.id}`;

/**
 * @example const batcher = new Batcher(judge, { size: 50, waitMs: 250 }); await batcher.add(installation, repo)
 */
export class Batcher<R> {
  readonly #pending = new Map<string, Pending<R>>();

  constructor(
    private readonly judge: JudgeBatch<R>,
    private readonly options: { size: number; waitMs: number },
  ) {}

  /** Judges `repo` with the others of its installation that arrive in time. */
  add(installation: BatchInstallation, repo: BatchRepo): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const group = groupOf(installation);
      let pending = this.#pending.get(group);
      if (!pending) {
        pending = { installation, items: [] };
        this.#pending.set(group, pending);
        const started = pending;
        pending.timer = setTimeout(() => this.#flush(started), this.options.waitMs);
      }
      pending.items.push({ repo, resolve, reject });
      if (pending.items.length >= this.options.size) this.#flush(pending);
    });
  }

  /** Jobs waiting for their batch to go. */
  get waiting(): number {
    let n = 0;
    for (const p of this.#pending.values()) n += p.items.length;
    return n;
  }

  #flush(pending: Pending<R>): void {
    const group = groupOf(pending.installation);
    if (this.#pending.get(group) !== pending) return;
    this.#pending.delete(group);
    clearTimeout(pending.timer);
    const { items } = pending;
    this.judge(
      pending.installation,
      items.map((i) => i.repo),
    ).then(
      (outcome) => {
        for (const item of items) {
          const got = outcome.get(keyOf(item.repo));
          if (!got) item.reject(new Error(`the batch returned nothing for ${keyOf(item.repo)}`));
          else if ("error" in got) item.reject(got.error);
          else item.resolve(got.result);
        }
      },
      (error: unknown) => {
        for (const item of items) item.reject(error);
      },
    );
  }
}
