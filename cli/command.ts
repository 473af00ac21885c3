/** What a `pom` command is: its name, usage, options, and what it runs. */
import type { Io } from "./io.js";

/** The options of a command, as node:util parseArgs takes them. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
}

export interface Command {
  name: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** Whether positional arguments are accepted. */
  positionals: boolean;
  run(args: { values: Record<string, unknown>; positionals: string[] }, io: Io): Promise<number> | number;
}
