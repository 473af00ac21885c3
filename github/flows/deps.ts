/**
 * What a flow needs: a GitHub client, the caches shared between deliveries, the ledger of check
 * runs written, and the one clock of its entry (a delivery, a sweep, an action run, a command).
 */
import { setNewest } from "../../core/util/bounded-map.js";
import type { Serialise } from "../../core/util/serial.js";
import type { CheckLedger } from "../publish/check-ledger.js";
import type { PullRequestDetails } from "../read/pull-request-facts.js";
import type { GitHubClient } from "../transport/client.js";
import type { FileCache } from "../transport/file-cache.js";

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface PipelineDeps {
  client: GitHubClient;
  cache: FileCache;
  /** The clock of this entry, set once where it begins; every judgement below reads it. */
  now: Date;
  /** Pull request details by head commit: a label or an edit does not re-read them. */
  details?: Map<string, PullRequestDetails>;
  /** The governance files a pull request changes, by base and head commit. */
  changes?: Map<string, Set<string>>;
  /** The check runs already written, so that a verdict GitHub shows is not written again. */
  checks?: CheckLedger;
  /** Where the manifest is looked for (default: .github/pom.yml, then pom.yml). */
  manifestPaths?: readonly string[];
  /**
   * Runs writes that must not happen twice at once (finding, then opening, a tracking or report
   * issue) one at a time across processes; within a process they are serialised anyway.
   */
  across?: Serialise;
}

/** Entries a shared map of a process keeps (the newest). */
const KEPT = 2_000;

/** Keeps `value` in one of the deps' maps, when there is one (the newest 2,000). */
export function remember<T>(map: Map<string, T> | undefined, key: string, value: T): void {
  if (map) setNewest(map, key, value, KEPT);
}
