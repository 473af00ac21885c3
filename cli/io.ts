/** What a command needs from its process: arguments, directories, environment and output. */

export interface Io {
  cwd: string;
  env: Record<string, string | undefined>;
  out(text: string): void;
  err(text: string): void;
  /** Whether stdout is a terminal (colours only then). */
  isTTY: boolean;
  /** Whether stderr is a terminal (progress only then). */
  errIsTTY?: boolean;
  /** Replaces the progress line on stderr ("" clears it). */
  progress?(text: string): void;
}

/** Exit codes: 0 ok, 1 a rule at error level failed or a file is invalid, 2 usage or I/O error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Colours only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: Io): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== "") return false;
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== "0") return true;
  return io.isTTY && io.env.TERM !== "dumb";
}

/** A usage error: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {}
