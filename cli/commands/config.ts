/** `pom config`: the effective configuration and where each value came from. */

import { RULE_IDS } from "../../core/engine/types.js";
import { type EffectiveConfig, resolveConfig, type Sourced } from "../../core/manifest/config.js";
import { describeSchedule } from "../../core/manifest/schedule.js";
import { DEFAULT_LEVELS } from "../../policies/registry.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../io.js";
import { loadCheckout, parseNow } from "./shared.js";
import { formatProblem } from "./validate.js";

function origin(value: Sourced<unknown>): string {
  const at = value.location ? ` ${value.location.file}:${value.location.line}:${value.location.column}` : "";
  return `(${value.from}${at})`;
}

/** The effective configuration as plain data, with provenance. */
export function describeConfig(config: EffectiveConfig) {
  return {
    rules: Object.fromEntries(
      RULE_IDS.map((id) => [id, { ...config.levels[id], locked: config.locked.includes(id) }]),
    ),
    release: {
      cadence: { ...config.cadence, value: config.cadence.value.text },
      source: config.releaseSource,
      tag_pattern: config.tagPattern,
      environment: config.environment,
    },
    outcomes: config.outcomes,
    exemptions: { labels: config.exemptLabels, authors: config.exemptAuthors },
    waivers: config.waivers,
    campaigns: config.campaigns,
  };
}

export const configCommand: Command = {
  name: "config",
  usage: `
Usage: pom config [--repo DIR] [--policy FILE] [--now ISO] [--format text|json]

Shows the configuration the rules use: defaults <- org policy <- repo manifest, with locks
and release.max_cadence applied, and the origin (default, policy or manifest, with file:line:col)
of every value. A level staged by date (a schedule, or an org policy campaign) is shown as it is
on the day of --now, followed by its schedule.

Options:
  --repo DIR       the checkout whose manifest to read (default: the current directory)
  --policy FILE    an org policy to merge
  --now ISO        the levels as of this time instead of now (e.g. 2027-02-01T00:00:00Z)
  --format FORMAT  text (default) or json`,
  options: {
    repo: { type: "string" },
    policy: { type: "string" },
    now: { type: "string" },
    format: { type: "string" },
  },
  positionals: false,
  run({ values }, io) {
    const format = (values.format as string | undefined) ?? "text";
    if (format !== "text" && format !== "json")
      throw new UsageError(`--format must be text or json; got "${format}"`);
    const now = parseNow(values.now);
    const checkout = loadCheckout(values, io.cwd);
    const problems = [
      ...(checkout.manifest && !checkout.manifest.ok ? checkout.manifest.problems : []),
      ...(checkout.policy && !checkout.policy.ok ? checkout.policy.problems : []),
    ];
    for (const p of problems) io.err(formatProblem(p));
    const config = resolveConfig({
      defaults: DEFAULT_LEVELS,
      ...(checkout.policy?.ok
        ? { policy: { value: checkout.policy.value, source: checkout.policy.source } }
        : {}),
      ...(checkout.manifest?.ok
        ? { manifest: { value: checkout.manifest.value, source: checkout.manifest.source } }
        : {}),
      now,
    });
    for (const v of config.violations) io.err(formatProblem(v));
    const status = problems.length > 0 || config.violations.length > 0 ? EXIT.failed : EXIT.ok;
    if (format === "json") {
      io.out(JSON.stringify(describeConfig(config), null, 2));
      return status;
    }
    const width = Math.max(...RULE_IDS.map((id) => id.length));
    io.out("rules:");
    for (const id of RULE_IDS) {
      const level = config.levels[id];
      const lock = config.locked.includes(id) ? "  locked" : "";
      const campaign = level.campaign ? `  campaign ${level.campaign}` : "";
      const schedule = level.schedule ? `  schedule: ${describeSchedule(level.schedule)}` : "";
      io.out(
        `  ${id.padEnd(width)}  ${level.value.padEnd(5)}  ${origin(level)}${lock}${campaign}${schedule}`,
      );
    }
    if (config.campaigns.length > 0) io.out("campaigns:");
    for (const c of config.campaigns)
      io.out(
        `  ${c.id}  deadline ${c.deadline}  ${c.rules.join(", ")}  schedule: ${describeSchedule(c.schedule)}  ${origin({ value: c, from: "policy", ...(c.location ? { location: c.location } : {}) })}  ${c.title}`,
      );
    io.out("release:");
    io.out(`  cadence      ${config.cadence.value.text}  ${origin(config.cadence)}`);
    io.out(`  source       ${config.releaseSource.value}  ${origin(config.releaseSource)}`);
    io.out(`  tag_pattern  ${config.tagPattern.value ?? "(any tag)"}  ${origin(config.tagPattern)}`);
    io.out(`  environment  ${config.environment.value}  ${origin(config.environment)}`);
    io.out("outcomes:");
    if (config.outcomes.length === 0) io.out("  (none)");
    for (const o of config.outcomes)
      io.out(
        `  ${o.id}  ${o.status}  ${origin({ value: o, from: o.from, ...(o.location ? { location: o.location } : {}) })}${o.title ? `  ${o.title}` : ""}`,
      );
    io.out("exemptions:");
    io.out(`  labels   ${config.exemptLabels.join(", ") || "(none)"}`);
    io.out(`  authors  ${config.exemptAuthors.join(", ") || "(none)"}`);
    io.out("waivers:");
    if (config.waivers.length === 0) io.out("  (none)");
    for (const w of config.waivers) io.out(`  ${w.rule} until ${w.until}: ${w.reason}`);
    return status;
  },
};
