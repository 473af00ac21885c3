/** A problem found in a file: where it is (1-based line and column), what it is, how to fix it. */
import type { SourceLocation } from "../engine/types.js";

export interface SourceProblem extends SourceLocation {
  message: string;
  hint?: string;
  /** The path of the value at fault, e.g. `rules.outcome.pull_request`. */
  path?: string;
}
