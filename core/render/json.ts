/** The stable JSON shape: `{ conclusion, findings: [{ rule, status, level, message, fix, evidence, location?, product? }] }`. */
import type { Finding, Verdict } from "../engine/types.js";

/** The verdict as a plain object with exactly the documented keys, in a fixed order. */
export function toJson(verdict: Verdict): Verdict {
  return {
    conclusion: verdict.conclusion,
    findings: verdict.findings.map(
      (f): Finding => ({
        rule: f.rule,
        status: f.status,
        level: f.level,
        message: f.message,
        fix: f.fix,
        evidence: [...f.evidence],
        ...(f.location ? { location: { ...f.location } } : {}),
        ...(f.product !== undefined ? { product: f.product } : {}),
      }),
    ),
  };
}

/** The verdict as JSON text. */
export function renderJson(verdict: Verdict): string {
  return JSON.stringify(toJson(verdict), null, 2);
}
