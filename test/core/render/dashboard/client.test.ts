/**
 * The dashboard's inline script run on its own, in a bare VM context with a minimal stand-in for
 * the DOM: the page carries every function the script calls, since the browser gets no imports.
 * Runs without a browser; the Chromium tests in test/browser check what the page looks like.
 */
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { buildReport } from "../../../../core/insights/report/build.js";
import { renderDashboard } from "../../../../core/render/dashboard/page.js";
import { REPORT_NOW, syntheticRepos } from "../../insights/report/fixtures.js";

/** Just enough of an element for the script: attributes, children, text, value and listeners. */
class FakeNode {
  readonly attributes = new Map<string, string>();
  readonly children: FakeNode[] = [];
  readonly listeners = new Map<string, () => void>();
  textContent = "";
  value: string;
  constructor(readonly tag: string) {
    this.value = tag === "select" ? "all" : "";
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  /** As the DOM's: a string is appended as a text node. */
  append(...nodes: (FakeNode | string)[]): void {
    this.children.push(...nodes.map(textNode));
  }
  replaceChildren(...nodes: (FakeNode | string)[]): void {
    this.children.splice(0, this.children.length, ...nodes.map(textNode));
  }
  addEventListener(type: string, listener: () => void): void {
    this.listeners.set(type, listener);
  }
  /** Every node below this one whose attribute `name` is `value`, in document order. */
  findAll(name: string, value: string): FakeNode[] {
    return this.children.flatMap((c) => [
      ...(c.getAttribute(name) === value ? [c] : []),
      ...c.findAll(name, value),
    ]);
  }
}

function textNode(node: FakeNode | string): FakeNode {
  return typeof node === "string" ? Object.assign(new FakeNode("#text"), { textContent: node }) : node;
}

/** Runs the page's inline script against the fake document; returns its body and #app. */
function runPage(html: string): { body: FakeNode; app: FakeNode } {
  const data = /<script type="application\/json" id="pom-report">([\s\S]*?)<\/script>/.exec(html)?.[1];
  const script = /<script>\n([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (data === undefined || script === undefined) throw new Error("the page has no data or no script");
  const app = new FakeNode("main");
  const body = new FakeNode("body");
  const document = {
    body,
    createElement: (tag: string) => new FakeNode(tag),
    createElementNS: (_ns: string, tag: string) => new FakeNode(tag),
    createTextNode: (text: string) => Object.assign(new FakeNode("#text"), { textContent: text }),
    getElementById: (id: string) => (id === "app" ? app : id === "pom-report" ? { textContent: data } : null),
  };
  runInNewContext(script, { document });
  return { body, app };
}

/** The repositories in the table's rows, top to bottom. */
const repoOrder = (app: FakeNode) =>
  app
    .findAll("id", "repos")[0]
    ?.children.flatMap((part) => part.children.map((row) => row.getAttribute("data-repo")))
    .filter((repo) => repo !== null);

describe("the dashboard's inline script", () => {
  const report = buildReport({ repos: syntheticRepos(5), now: REPORT_NOW, org: "acme" });

  it("runs with nothing but the page: every section drawn, the body marked ready", () => {
    const { body, app } = runPage(renderDashboard(report));
    expect(body.getAttribute("data-ready")).toBe("true");
    expect(app.findAll("data-testid", "kpi-repos")).toHaveLength(1);
    for (const id of ["repos", "matrix", "timelines"]) expect(app.findAll("data-testid", id)).toHaveLength(1);
    // One repository in each of the three sections the filters drive.
    expect(app.findAll("data-repo", "acme/svc-03")).toHaveLength(3);
    expect(app.findAll("id", "count")[0]?.textContent).toBe("5 of 5 repositories");
    expect(app.findAll("class", "trend")).toHaveLength(5);
  });

  it("re-sorts through its own parts when a column header is clicked", () => {
    const { app } = runPage(renderDashboard(report));
    const sortByRepo = app.findAll("data-sort", "repo")[0]?.listeners.get("click");
    sortByRepo?.();
    expect(repoOrder(app)).toEqual([
      "acme/svc-00",
      "acme/svc-01",
      "acme/svc-02",
      "acme/svc-03",
      "acme/svc-04",
    ]);
    sortByRepo?.();
    expect(repoOrder(app)).toEqual([
      "acme/svc-04",
      "acme/svc-03",
      "acme/svc-02",
      "acme/svc-01",
      "acme/svc-00",
    ]);
  });
});

describe("the dashboard's campaigns", () => {
  it("show each campaign's readiness, and nothing when there is none", () => {
    const campaign = {
      id: "codeowners-2027",
      title: "Every repo names its owning team in CODEOWNERS",
      rules: ["ownership.codeowners" as const],
      deadline: "2026-07-01",
    };
    const repos = syntheticRepos(6).map((r) => ({ ...r, campaigns: [campaign] }));
    const { app } = runPage(renderDashboard(buildReport({ repos, now: REPORT_NOW, org: "acme" })));
    const [row] = app.findAll("data-campaign", "codeowners-2027");
    const text = (node: FakeNode | undefined): string =>
      node ? node.textContent + node.children.map(text).join("") : "";
    // svc-02 and svc-05 are undecided (i % 3 == 2), the other four pass.
    expect(text(row)).toContain("2026-07-01 (in 16 days)");
    expect(text(row)).toContain("4 of 6 (66.7%)");
    const none = runPage(renderDashboard(buildReport({ repos: syntheticRepos(2), now: REPORT_NOW })));
    expect(none.app.findAll("data-testid", "campaigns")).toEqual([]);
  });
});
