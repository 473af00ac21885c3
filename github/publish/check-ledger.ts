/**
 * What the app remembers of the check runs it wrote: for each subject and commit, the run's id, a
 * hash of what the verdict was computed from, and a hash of what the run shows. With it, a verdict
 * that is already on GitHub is not written again, and a changed one edits the run in place, without
 * reading GitHub first. Kept in this process (bounded), or shared by replicas (in Redis).
 */
import { setNewest } from "../../core/util/bounded-map.js";
import { createSerialiser, inTurn, type Serialise } from "../../core/util/serial.js";

export interface CheckRecord {
  /** The check run's id. */
  id: number;
  /** A hash of the verdict's inputs (head, texts, labels, linked issues, config), when known. */
  inputs?: string;
  /** A hash of what the run shows: conclusion, title, summary, annotations. */
  output: string;
  /** Whether the run carries annotations (GitHub appends them on edit: such a run is replaced). */
  annotated: boolean;
}

export interface CheckLedger {
  get(key: string): Promise<CheckRecord | undefined>;
  set(key: string, record: CheckRecord): Promise<void>;
  /** Runs `task` when no other task for `key` runs (here, and across replicas where shared). */
  inTurn<T>(key: string, task: () => Promise<T>): Promise<T>;
}

/** The ledger key of a subject ("pr:12", "repo", "release:v1") on commit `sha` of a repository. */
export function checkKey(repo: { owner: string; repo: string }, sha: string, subject: string): string {
  return `${repo.owner}/${repo.repo}@${sha}:${subject}`.toLowerCase();
}

/** A ledger in this process: the newest `max` records (default 20,000). */
export class MemoryCheckLedger implements CheckLedger {
  readonly #records = new Map<string, CheckRecord>();
  readonly #serial: Serialise = createSerialiser();
  readonly #across: Serialise | undefined;
  readonly #max: number;

  constructor(options: { max?: number; across?: Serialise } = {}) {
    this.#max = options.max ?? 20_000;
    this.#across = options.across;
  }

  async get(key: string): Promise<CheckRecord | undefined> {
    return this.#records.get(key);
  }

  async set(key: string, record: CheckRecord): Promise<void> {
    setNewest(this.#records, key, record, this.#max);
  }

  inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
    return inTurn(this.#serial, this.#across, "check", key, task);
  }

  get size(): number {
    return this.#records.size;
  }
}
