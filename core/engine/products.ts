/**
 * Judging a repository whose manifest declares several products: the rules of the whole
 * repository (the manifest's, `ownership.paths`) once, and each per-product rule once per product,
 * with the product's configuration and the facts of its scope; each such finding names its product.
 * A pull request is judged against the products its changed files touch: its outcome may be any
 * of theirs. A manifest of the single form is judged as before, by `judge` alone.
 */
import { matchesAnyPath } from "../domain/path-patterns.js";
import type { EffectiveConfig } from "../manifest/config.js";
import type { Evaluation } from "./evaluate.js";
import type { FactSource } from "./fact-source.js";
import { type JudgementInput, type JudgeOptions, judge } from "./judge.js";
import type { Rule } from "./rule.js";
import type { Finding } from "./types.js";
import { conclude } from "./verdict.js";

/** Where a file belongs: the product whose paths match it, `shared`, or nothing. */
export function ownerOf(config: EffectiveConfig, file: string): EffectiveConfig | "shared" | undefined {
  const product = config.products?.find((p) => matchesAnyPath(p.product?.paths ?? [], file));
  if (product) return product;
  return config.shared && matchesAnyPath(config.shared.paths, file) ? "shared" : undefined;
}

/** The products some of `files` belong to, in the manifest's order, and whether any is shared. */
export function touchedBy(
  config: EffectiveConfig,
  files: readonly string[],
): { products: EffectiveConfig[]; shared: boolean } {
  const touched = new Set<EffectiveConfig>();
  let shared = false;
  for (const file of files) {
    const owner = ownerOf(config, file);
    if (owner === "shared") shared = true;
    else if (owner) touched.add(owner);
  }
  return { products: (config.products ?? []).filter((p) => touched.has(p)), shared };
}

/** A source of facts for the whole repository, or for one product's scope. */
export type ScopedSources = (product?: EffectiveConfig) => FactSource;

/**
 * Judges `input`: with `judge` when the manifest has no products; otherwise the repository's
 * rules once and the per-product rules per product.
 *
 * @example await judgeProducts(input, RULES, (product) => product ? productSource(product) : source)
 */
export async function judgeProducts(
  input: JudgementInput,
  rules: readonly Rule[],
  sources: ScopedSources,
  options: JudgeOptions = {},
): Promise<Evaluation> {
  const products = input.config.products;
  if (!products) return judge(input, rules, sources(), options);
  const whole = sources();
  // Waivers naming a product apply to that product's findings only.
  const topConfig = { ...input.config, waivers: input.config.waivers.filter((w) => w.product === undefined) };
  const top = await judge(
    { ...input, config: topConfig },
    rules.filter((r) => !r.perProduct),
    whole,
    options,
  );
  const own = rules.filter((r) => r.perProduct);
  const findings: Finding[] = [...top.findings];
  let scopes = products;
  if (input.subject === "pull_request" && own.some((r) => r.subjects.includes("pull_request"))) {
    const scoped = await pullRequestScopes(input, whole);
    if (!Array.isArray(scoped)) {
      findings.push(...scoped.findings(own, input.config));
      scopes = [];
    } else scopes = scoped;
  }
  for (const product of scopes) {
    const evaluation = await judge({ ...input, config: product }, own, sources(product), options);
    const name = product.product?.name;
    findings.push(...evaluation.findings.map((f) => (name === undefined ? f : { ...f, product: name })));
  }
  return { conclusion: conclude(findings), findings, config: input.config, needs: [] };
}

/**
 * The products a pull request is judged for, each with the outcomes of every touched product (a
 * change to two products may serve an outcome of either); or, when it touches no product or its
 * files cannot be read, what to report instead.
 */
async function pullRequestScopes(
  input: JudgementInput,
  source: FactSource,
): Promise<EffectiveConfig[] | { findings: (rules: readonly Rule[], config: EffectiveConfig) => Finding[] }> {
  const { changedFiles } = await source.read(["changedFiles"]);
  const each = (
    status: Finding["status"],
    message: string,
    fix: string,
    evidence: string[],
    lasting = false,
  ) => ({
    findings: (rules: readonly Rule[], config: EffectiveConfig) =>
      rules
        .filter((r) => r.subjects.includes("pull_request") && config.levels[r.id].value !== "off")
        .map(
          (r): Finding => ({
            rule: r.id,
            status,
            level: config.levels[r.id].value,
            message,
            fix,
            evidence,
            ...(lasting ? { lasting: true } : {}),
          }),
        ),
  });
  if (!changedFiles?.ok) {
    const reason = changedFiles?.reason ?? "it was not gathered";
    return each(
      "unknown",
      `the files the pull request changes could not be read (${reason}), so neither can the products it touches`,
      changedFiles?.fix ??
        "run the check again; a pull request of more than 3,000 files cannot be judged per product",
      [],
      changedFiles?.lasting === true,
    );
  }
  const { products, shared } = touchedBy(input.config, changedFiles.value);
  if (products.length === 0) {
    return each(
      "skip",
      shared
        ? "the pull request changes only shared paths, which no product's outcomes govern"
        : "the pull request changes no product's paths",
      "",
      [`changed files: ${changedFiles.value.length}`],
    );
  }
  const outcomes = new Map(products.flatMap((p) => p.outcomes.map((o) => [o.id.toLowerCase(), o] as const)));
  return products.map((p) => ({ ...p, outcomes: [...outcomes.values()] }));
}
