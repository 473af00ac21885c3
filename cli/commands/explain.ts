/** `pom explain [RULE]`: what a rule checks, why it matters, how to fix it. */

import { isRuleId, RULE_IDS } from "../../core/engine/types.js";
import { suggestionHint } from "../../core/manifest/suggest.js";
import { explainRule } from "../../core/render/explain.js";
import { findRule, RULES } from "../../policies/registry.js";
import type { Command } from "../command.js";
import { EXIT, UsageError } from "../io.js";

export const explainCommand: Command = {
  name: "explain",
  usage: `
Usage: pom explain [RULE]

Without RULE, lists every rule with its default level. With RULE (for example release.cadence),
explains it.`,
  options: {},
  positionals: true,
  run({ positionals }, io) {
    const [id, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError("explain takes one rule id");
    if (id === undefined) {
      const width = Math.max(...RULES.map((r) => r.id.length));
      io.out("Rules (default level in brackets); `pom explain RULE` for details:\n");
      for (const rule of RULES)
        io.out(`  ${rule.id.padEnd(width)}  ${`[${rule.defaultLevel}]`.padEnd(7)}  ${rule.title}`);
      return EXIT.ok;
    }
    if (!isRuleId(id)) throw new UsageError(`unknown rule "${id}"; ${suggestionHint(id, RULE_IDS)}`);
    io.out(explainRule(findRule(id)));
    return EXIT.ok;
  },
};
