/** The `pom` command line: parses arguments and dispatches to a command. */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { closestMatch } from "../core/manifest/suggest.js";
import type { Command } from "./command.js";
import { EXIT, type Io, UsageError } from "./io.js";

/**
 * The commands by name, each loaded only when it runs (or shows its help): `pom --version`,
 * `pom explain` and `pom init` do not load the YAML parser, the schema validators or the rules
 * they do not use.
 */
const COMMANDS: readonly { name: string; summary: string; load: () => Promise<Command> }[] = [
  {
    name: "validate",
    summary: "check pom.yml (and org policy) files: exit 0 valid, 1 invalid",
    load: async () => (await import("./commands/validate.js")).validateCommand,
  },
  {
    name: "check",
    summary: "evaluate the repository's rules on a local checkout, offline",
    load: async () => (await import("./commands/check.js")).checkCommand,
  },
  {
    name: "report",
    summary: "the organization's delivery and traceability figures: JSON, Markdown or an HTML dashboard",
    load: async () => (await import("./commands/report.js")).reportCommand,
  },
  {
    name: "policy",
    summary: "preview a change to the org policy: which repositories would start or stop failing",
    load: async () => (await import("./commands/policy.js")).policyCommand,
  },
  {
    name: "init",
    summary: "write a starter .github/pom.yml guessed from the repository (--force to replace one)",
    load: async () => (await import("./commands/init.js")).initCommand,
  },
  {
    name: "explain",
    summary: "what a rule checks, why it matters for the operating model, how to fix it",
    load: async () => (await import("./commands/explain.js")).explainCommand,
  },
  {
    name: "config",
    summary: "show the effective configuration and where each value came from",
    load: async () => (await import("./commands/config.js")).configCommand,
  },
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "pom — governance-as-code for the Product Operating Model",
    "",
    "Usage: pom <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Options:",
    "  -h, --help     show help (also after a command: pom check --help)",
    "  -v, --version  show the version",
    "",
    "Exit codes: 0 ok, 1 an error-level rule failed or a file is invalid, 2 usage or I/O error.",
    "Colours are used on a terminal only; set NO_COLOR to turn them off.",
  ].join("\n");
}

/**
 * Runs `pom` with `argv` (without node and script) and returns the exit code.
 *
 * @example await main(["validate", ".github/pom.yml"], io) // 0 when valid
 */
export async function main(argv: string[], io: Io): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === "-h" || first === "--help" || first === "help") {
    const topic = first === "help" ? rest[0] : undefined;
    const entry = COMMANDS.find((c) => c.name === topic);
    io.out(entry ? commandHelp(await entry.load()) : mainHelp());
    return EXIT.ok;
  }
  if (first === "-v" || first === "--version") {
    io.out(version());
    return EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === first);
  if (!entry) {
    const guess = closestMatch(
      first,
      COMMANDS.map((c) => c.name),
    );
    io.err(`pom: unknown command "${first}"${guess ? ` (did you mean "${guess}"?)` : ""}; see pom --help`);
    return EXIT.usage;
  }
  const command = await entry.load();
  try {
    const parsed = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
      allowPositionals: command.positionals,
      strict: true,
    });
    if (parsed.values.help) {
      io.out(commandHelp(command));
      return EXIT.ok;
    }
    return await command.run({ values: parsed.values, positionals: parsed.positionals }, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`pom ${command.name}: ${(error as Error).message}`);
      io.err(`see pom ${command.name} --help`);
      return EXIT.usage;
    }
    io.err(`pom ${command.name}: ${(error as Error).message ?? String(error)}`);
    return EXIT.usage;
  }
}

function commandHelp(command: Command): string {
  return `${command.usage.trim()}\n\n  -h, --help  show this help`;
}
