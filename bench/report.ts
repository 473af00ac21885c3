/**
 * The figures as tables (GitHub markdown, readable in a terminal and pasted into
 * docs/performance.md), the machine they came from, and each performance budget of the design held against
 * them. A budget is a statement about the figures, never a reason for the run to fail.
 */
import { availableParallelism, cpus, loadavg, release, totalmem } from "node:os";
import type { ActionResult } from "./action.js";
import { actionBudget, renderAction } from "./action-report.js";
import type { CallFigures, VariantResult } from "./api-calls.js";
import type { ClientCost } from "./client-overhead.js";
import type { Sizes } from "./config.js";
import { SCENARIOS } from "./events.js";
import type { GlobResult } from "./glob.js";
import type { ManifestResult } from "./manifest.js";
import { type MonorepoCalls, monorepoTable } from "./monorepo-calls.js";
import { PACING_HEAD, type PacingResult, pacingBudget, pacingRows } from "./pacing.js";
import { type PreviewResult, previewBudget, previewSection } from "./preview.js";
import { type RedeliveryResult, redeliveryBudget, renderRedelivery } from "./redelivery.js";
import type { ReplicasResult } from "./replicas.js";
import { round } from "./stats.js";
import type { SweepResult } from "./sweep.js";
import type { TeamsResult } from "./teams.js";
import type { WebhookResult } from "./webhooks.js";

export interface Machine {
  nproc: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

export function machine(): Machine {
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? "unknown",
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${process.platform} ${release()}`,
    loadAverageAtStart: loadavg().map((l) => round(l, 2)),
  };
}

export interface Results {
  generatedAt: string;
  quick: boolean;
  machine: Machine;
  sizes: Sizes;
  /** What was measured: the commit, files changed since (tracked ones), whether they compile. */
  source?: { commit: string; changed: string[]; compiles: boolean };
  secondsTaken?: number;
  apiCalls?: VariantResult[];
  monorepoCalls?: MonorepoCalls;
  webhooks?: WebhookResult;
  sweep?: SweepResult;
  teams?: TeamsResult;
  preview?: PreviewResult;
  pacing?: PacingResult;
  replicas?: ReplicasResult;
  redelivery?: RedeliveryResult;
  action?: ActionResult;
  manifest?: ManifestResult;
  glob?: GlobResult;
  clientOverhead?: ClientCost[];
  budgets?: Budget[];
}

export interface Budget {
  budget: string;
  measured: string;
  status: "met" | "partly met" | "not met";
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [
    head,
    ...rows.map((r) => r.map((c) => (typeof c === "number" && Number.isNaN(c) ? "–" : String(c)))),
  ];
  const widths = head.map((_, i) => Math.max(3, ...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 3)).join(" | ")} |`;
  return [
    line(cells[0] as string[]),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...cells.slice(1).map(line),
  ].join("\n");
}

const calls = (f: CallFigures | undefined) =>
  f ? `${f.rateLimited} (${f.restReads} REST, ${f.graphql} GQL, ${f.writes} W) + ${f.notModified}×304` : "–";

function apiTable(variants: VariantResult[]): string {
  const [ours, naive, floor] = variants;
  const rows = SCENARIOS.map((s) => [
    `${s.label}${s.namesOutcome ? " *" : ""}`,
    `${s.weight}%`,
    calls(ours?.scenarios[s.id]),
    ours?.handlingMs[s.id] ?? Number.NaN,
    naive?.scenarios[s.id]?.rateLimited ?? Number.NaN,
    floor?.scenarios[s.id]?.rateLimited ?? Number.NaN,
  ]);
  rows.push([
    "**weighted mix, per event**",
    "100%",
    calls(ours?.mix),
    "",
    naive?.mix.rateLimited ?? Number.NaN,
    floor?.mix.rateLimited ?? Number.NaN,
  ]);
  rows.push([
    "first delivery after start (token, cold config)",
    "",
    ours ? `${ours.firstDelivery.rateLimited} (${ours.firstDelivery.tokens} token)` : "–",
    "",
    naive?.firstDelivery.rateLimited ?? Number.NaN,
    floor?.firstDelivery.rateLimited ?? Number.NaN,
  ]);
  return table(
    [
      "event (warm path)",
      "mix",
      "pom-governance: rate-limited calls + 304s",
      "handling ms (p50, c=1)",
      "naive: rate-limited",
      "floor: rate-limited",
    ],
    rows,
  );
}

function webhookTable(w: WebhookResult): string {
  return table(
    [
      "concurrency",
      "deliveries",
      "events/s",
      "app ms p50 / p95 / p99",
      "own ms p50 / p95 / p99",
      "round trip ms p50 / p99",
      "server CPU ms/delivery",
      "sender+fake CPU ms/delivery",
      "rate-limited calls/delivery",
    ],
    w.levels.map((l) => [
      l.concurrency,
      `${l.deliveries}${l.cut ? " (time bound)" : ""}${l.failed ? `, ${l.failed} failed` : ""}`,
      l.eventsPerSecond,
      `${l.appMs.p50} / ${l.appMs.p95} / ${l.appMs.p99}`,
      l.ownMs ? `${l.ownMs.p50} / ${l.ownMs.p95} / ${l.ownMs.p99}` : "–",
      `${l.roundTripMs.p50} / ${l.roundTripMs.p99}`,
      l.cpuMsPerDelivery,
      l.senderAndFakeCpuMsPerDelivery,
      l.calls.rateLimited,
    ]),
  );
}

function replicasTable(r: ReplicasResult): string {
  if (r.skipped) return `Skipped: ${r.skipped}.`;
  return table(
    [
      "replicas",
      "throttle",
      "repos",
      "wall s",
      "repos per replica-hour",
      "rate-limited calls",
      "GraphQL",
      "writes",
      "Redis MiB",
      "Redis MiB per 1,000 repos",
      "of which reports",
    ],
    r.runs.map((x) => [
      x.replicas,
      x.throttle ? "on" : "off",
      x.repositories,
      x.wallSeconds,
      x.reposPerReplicaHour,
      x.rateLimitedCalls,
      x.graphql,
      x.writes,
      x.redisMiB,
      x.redisMiBPer1000,
      x.reportsMiBPer1000,
    ]),
  );
}

function sweepTable(s: SweepResult): string {
  return table(
    [
      "sweep",
      "repos",
      "rate-limited calls",
      "per repo",
      "304s",
      "GraphQL",
      "of which report",
      "of which stability",
      "custom properties",
      "writes",
      "wall s",
      "ms/repo",
      "× target",
    ],
    s.runs.map((r) => [
      r.name,
      r.repositories,
      r.calls.rateLimited,
      r.perRepo.rateLimited,
      r.calls.notModified,
      r.calls.graphql,
      r.calls.report,
      r.calls.stability ?? 0,
      r.calls.customProperties,
      r.calls.writes,
      r.wallSeconds,
      round((r.wallSeconds * 1000) / Math.max(1, r.repositories), 1),
      round(r.calls.rateLimited / s.targetCalls, 0),
    ]),
  );
}

/** Each performance budget of the design against the figures. */
export function budgets(r: Results): Budget[] {
  const out: Budget[] = [];
  const ours = r.apiCalls?.[0];
  if (ours) {
    const pr = SCENARIOS.filter((s) => s.event === "pull_request");
    const named = pr.filter((s) => s.namesOutcome);
    const worst = Math.max(
      ...named.map((s) => ours.scenarios[s.id]?.rateLimited ?? Number.POSITIVE_INFINITY),
    );
    const per = named.map((s) => `${s.id} ${ours.scenarios[s.id]?.rateLimited}`).join(", ");
    out.push({
      budget: "≤ 1 rate-limited call per PR event on the warm path when the PR names its outcome",
      measured: `${per} (rate-limited calls per event)`,
      status: worst <= 1 ? "met" : "not met",
    });
    const configReads = Math.max(...pr.map((s) => ours.scenarios[s.id]?.restReads ?? 0));
    const notModified = Math.min(...pr.map((s) => ours.scenarios[s.id]?.notModified ?? 0));
    out.push({
      budget: "config reads are conditional (ETag); their 304s do not count",
      measured: `${notModified} config reads per PR event answered 304; ${configReads} rate-limited REST reads`,
      status: notModified >= 1 && configReads === 0 ? "met" : "not met",
    });
    const graphql = Math.max(...pr.map((s) => ours.scenarios[s.id]?.graphql ?? 0));
    out.push({
      budget: "facts for one PR from at most one GraphQL query",
      measured: `at most ${graphql} GraphQL query per PR event`,
      status: graphql <= 1 ? "met" : "not met",
    });
  }
  const warm = r.sweep?.runs.find((run) => run.name.startsWith("second"));
  if (r.sweep && warm) {
    const stability = warm.calls.stability ?? 0;
    const judging = warm.calls.rateLimited - warm.calls.report - stability;
    out.push({
      budget: `daily sweep of N repos ≈ N/50 calls (N=${warm.repositories}: ${r.sweep.targetCalls} with the installations)`,
      measured: `${warm.calls.rateLimited} rate-limited calls (${warm.perRepo.rateLimited} per repo): ${judging} to judge (${round(judging / r.sweep.targetCalls, 1)}× the target; ${warm.calls.customProperties} of them the custom property lists, ⌈N/100⌉ per owner = ${r.sweep.propertyCalls}) and ${warm.calls.report} for the organization report's histories (${round(warm.calls.rateLimited / r.sweep.targetCalls, 1)}× with them)`,
      status:
        judging > 1.5 * r.sweep.targetCalls
          ? "not met"
          : warm.calls.rateLimited <= 1.5 * r.sweep.targetCalls
            ? "met"
            : "partly met",
    });
  }
  if (r.teams) {
    const t = r.teams;
    out.push({
      budget: `team facts add at most ⌈teams/50⌉ GraphQL calls (${t.teams} teams: ${t.budget})`,
      measured: `${t.teamCalls} added: ${t.graphql} GraphQL queries for ${t.repositories} repositories, against ${t.withoutTeams} without teams (pages, histories, stability signals)`,
      status: t.teamCalls <= t.budget ? "met" : "not met",
    });
  }
  if (r.sweep && warm) {
    // One query per 50 repositories of an installation (queries cannot mix installations' tokens):
    // over all of them at most ⌈N/50⌉ + installations − 1.
    const most = Math.ceil(warm.governed / 50) + r.sweep.installations - 1;
    out.push({
      budget:
        "revert and incident detection adds at most ⌈repos/50⌉ GraphQL queries per installation to a sweep",
      measured: `${warm.calls.stability ?? 0} queries for ${warm.governed} governed repositories in ${r.sweep.installations} installations (at most ${most})`,
      status: (warm.calls.stability ?? 0) <= most ? "met" : "not met",
    });
  }
  if (r.pacing && r.pacing.runs.length > 0) out.push(pacingBudget(r.pacing));
  const w = r.webhooks;
  if (w) {
    const single = w.levels[0];
    const best = Math.max(...w.levels.map((l) => l.eventsPerSecond));
    if (single) {
      out.push({
        budget: "webhook handling: p99 under 10 ms of our own time per event",
        measured: `at concurrency ${single.concurrency}: own time (handling minus waiting on GitHub) p99 ${single.ownMs?.p99} ms (p50 ${single.ownMs?.p50}); whole handling p99 ${single.appMs.p99} ms (p50 ${single.appMs.p50}); server CPU ${single.cpuMsPerDelivery} ms per delivery on average`,
        status: (single.ownMs?.p99 ?? Number.POSITIVE_INFINITY) < 10 ? "met" : "not met",
      });
    }
    out.push({
      budget: "one process sustains hundreds of deliveries per second against a loopback GitHub",
      measured: `${best} deliveries/s at best (${w.levels.map((l) => `c=${l.concurrency}: ${l.eventsPerSecond}`).join(", ")})`,
      status: best >= 200 ? "met" : "not met",
    });
    // Flat: what the process keeps (heap after a full GC) grows by less than 10 MiB or 20% over the
    // run, and RSS by less than a quarter from the warm-up's level.
    const heap = w.rss.heapAfterGcMiB;
    const heapGrowth = heap.end - heap.afterWarmUp;
    const rssGrowth = w.rss.endMiB - w.rss.afterWarmUpMiB;
    out.push({
      budget: "memory stays flat under load",
      measured:
        `RSS ${w.rss.startMiB} MiB at start, ${w.rss.afterWarmUpMiB} after warm-up, ${w.rss.endMiB} after ${w.deliveries} deliveries; ` +
        `heap after full GC ${heap.afterWarmUp} → ${heap.end} MiB`,
      status:
        heapGrowth > Math.max(10, 0.2 * heap.afterWarmUp)
          ? "not met"
          : rssGrowth <= 0.25 * w.rss.afterWarmUpMiB
            ? "met"
            : "partly met",
    });
  }
  if (r.action) out.push(actionBudget(r.action));
  if (r.redelivery) out.push(redeliveryBudget(r.redelivery));
  if (r.preview) out.push(previewBudget(r.preview));
  return out;
}

export function render(r: Results): string {
  const parts: string[] = [];
  const m = r.machine;
  parts.push(
    `Machine: ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}; ` +
      `load average ${m.loadAverageAtStart.join(" ")} at start, ${m.loadAverageAtEnd?.join(" ") ?? "?"} at the end` +
      `${r.quick ? " (--quick run)" : ""}`,
  );
  if (r.source) {
    const changed =
      r.source.changed.length > 0 ? ` + uncommitted changes to ${r.source.changed.join(", ")}` : "";
    parts.push(
      `Source: commit ${r.source.commit}${changed}${r.source.compiles ? "" : " (DOES NOT COMPILE)"}`,
    );
  }
  if (r.apiCalls) {
    parts.push(
      `## API calls per event (mean of ${r.sizes.perScenario} deliveries each; * = the PR names its outcome)\n\n${apiTable(r.apiCalls)}`,
    );
  }
  if (r.monorepoCalls) {
    parts.push(
      `## API calls of a repository with products (docs/monorepo.md "Costs")\n\n${monorepoTable(r.monorepoCalls)}`,
    );
  }
  if (r.webhooks) {
    const w = r.webhooks;
    parts.push(
      `## Webhook server (${w.deliveries} signed deliveries of the mix)\n\n${webhookTable(w)}\n\n` +
        `All levels: app ms p50 ${w.appMs.p50}, p95 ${w.appMs.p95}, p99 ${w.appMs.p99} (n=${w.appMs.n} governed deliveries); ` +
        `own ms (not waiting on GitHub) p50 ${w.ownMs?.p50}, p95 ${w.ownMs?.p95}, p99 ${w.ownMs?.p99}. ` +
        `RSS: ${w.rss.startMiB} MiB at start, ${w.rss.afterWarmUpMiB} after warm-up, ${w.rss.endMiB} after ${w.deliveries} deliveries ` +
        `(every 1,000: ${w.rss.samples.map(([, mib]) => mib).join(", ")}). ` +
        `JS heap after a full GC: ${w.rss.heapAfterGcMiB.afterWarmUp} MiB after warm-up, ${w.rss.heapAfterGcMiB.end} at the end.`,
    );
  }
  if (r.clientOverhead) {
    parts.push(
      `## One API call from the app's side (conditional GET answered 304)\n\n${table(
        ["client", "wall ms (p50)", "CPU ms (client + fake)"],
        r.clientOverhead.map((c) => [c.client, c.wallMs, c.cpuMs]),
      )}`,
    );
  }
  if (r.sweep) {
    parts.push(
      `## Sweep (${r.sweep.repositories} repositories, ${r.sweep.installations} installations; target N/50 + installations = ${r.sweep.targetCalls})\n\n${sweepTable(r.sweep)}`,
    );
  }
  if (r.teams) {
    const t = r.teams;
    parts.push(
      `## Team view (${t.repositories} repositories, ${t.teams} teams)\n\n${table(
        [
          "GraphQL queries",
          "without teams",
          "added by the team facts",
          "budget ⌈teams/50⌉",
          "teams per level L0-L4",
        ],
        [[t.graphql, t.withoutTeams, t.teamCalls, t.budget, t.levels.join(" / ")]],
      )}`,
    );
  }
  if (r.preview) parts.push(previewSection(r.preview));
  if (r.pacing) {
    const p = r.pacing;
    parts.push(
      `## A first sweep under GitHub's limits on creations (${p.limits.perMinute} a minute, ${p.limits.perHour} an hour; virtual time)\n\n${table(PACING_HEAD, pacingRows(p))}` +
        `${p.redisSkipped ? `\n\nThe window in Redis: skipped (${p.redisSkipped}).` : ""}`,
    );
  }
  if (r.replicas) {
    parts.push(
      `## Sweep as jobs on 1 vs 3 replicas (Redis, BullMQ; ten installations)\n\n${replicasTable(r.replicas)}`,
    );
  }
  if (r.redelivery) parts.push(renderRedelivery(r.redelivery));
  if (r.action) parts.push(renderAction(r.action, table));
  if (r.manifest) {
    const mf = r.manifest;
    parts.push(
      `## Manifest validation\n\n${table(
        ["manifest", "bytes", "loadManifest/s"],
        [...mf.files.map((f) => [f.file, f.bytes, f.perSecond]), ["all, round-robin", "", mf.perSecond]],
      )}\n\n${table(
        ["validators", "loadManifest/s (round-robin)", "first call ms"],
        [
          ["precompiled (generated standalone code)", mf.perSecond, mf.firstCallMs],
          [
            `compiled at start (ajv: ${mf.compiled.compileMs} ms to compile)`,
            mf.compiled.perSecond,
            mf.compiled.firstCallMs,
          ],
        ],
      )}`,
    );
  }
  if (r.glob) {
    const g = r.glob;
    for (const run of g.runs) {
      parts.push(
        `## Tag patterns (${g.tags} tags of ${run.tagLength} characters; * = extrapolated from the tags matched within the time bound)\n\n${table(
          [
            "pattern",
            "chars",
            "old CPU ms",
            "old × v*",
            "new CPU ms",
            "new × v*",
            "new ns per tag character",
          ],
          run.shapes.map((s) => [
            s.name,
            s.patternLength,
            `${s.oldMs}${s.oldExtrapolated ? " *" : ""}`,
            s.oldRatio,
            s.newMs,
            s.newRatio,
            s.newNsPerChar,
          ]),
        )}\n\nWorst shape against v*: ${run.worstOldRatio}× with the old matcher, ${run.worstNewRatio}× with the new ` +
          `(v* now reads only its prefix); the new matcher's worst is ${run.worstNewToOldVStar}× what v* cost with the old one.`,
      );
    }
  }
  if (r.budgets) {
    parts.push(
      `## The design budgets\n\n${table(
        ["budget", "measured", "status"],
        r.budgets.map((b) => [b.budget, b.measured, b.status]),
      )}`,
    );
  }
  return parts.join("\n\n");
}
