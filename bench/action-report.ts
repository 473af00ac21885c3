/** The action's start-up in the benchmark's output: its table, the bundle's make-up, and its budget. */
import type { ActionResult } from "./action.js";

/** The design budget (DESIGN section 8): a pull request check within 2× a trivial Node action. */
export const ACTION_BUDGET = 2;

type Table = (head: string[], rows: (string | number)[][]) => string;

export function actionBudget(a: ActionResult) {
  const peer =
    a.peerMs !== undefined ? `; labeler-style peer ${a.peerMs} ms (ours ${a.peerRatio}× the peer's)` : "";
  return {
    budget: `action finishes a PR check within ${ACTION_BUDGET}× a trivial Node action`,
    measured: `median ${a.actionMs} ms vs ${a.trivialMs} ms: ${a.ratio}×${peer}`,
    status: a.ratio <= ACTION_BUDGET ? ("met" as const) : ("not met" as const),
  };
}

export function renderAction(a: ActionResult, table: Table): string {
  const rows: (string | number)[][] = [
    ["pom-governance action on pull_request.opened", a.actionMs],
    ["trivial Node action (read event, write one output)", a.trivialMs],
    ...(a.peerMs !== undefined
      ? [["labeler-style peer (actions/labeler's packages; read config, add a label)", a.peerMs]]
      : []),
    ["node -e 0", a.emptyNodeMs],
    ["the bundle, loaded only (no token input: fails at once)", a.loadOnlyMs],
    ["ratio action / trivial", `${a.ratio}×`],
    ...(a.peerRatio !== undefined ? [["ratio action / peer", `${a.peerRatio}×`]] : []),
  ];
  const b = a.bundle;
  const made = b.groups.length
    ? `\n\nWhat the bundle holds (esbuild metafile of ${b.fresh ? "the committed build" : "a fresh build; the committed file differs"}, bytes in the minified output):\n\n${table(
        ["input", "bytes", "share"],
        b.groups.map((g) => [g.name, g.bytes, `${g.share}%`]),
      )}\n\nLargest single inputs: ${b.files.map((f) => `${f.path} (${f.bytes})`).join(", ")}.`
    : "";
  return (
    `## Action cold start (median of ${a.runs} runs)\n\n${table(["what", "median ms"], rows)}\n\n` +
    `Bundle: ${a.bundleBytes} bytes (${a.bundleGzipBytes} gzipped); ${a.requestsPerRun} API requests per run ` +
    `(${a.rateLimitedPerRun} rate-limited), ${a.apiSpanMs} ms from the first answer to the last.${made}`
  );
}
