/// <reference lib="dom" />
/**
 * The dashboard script's building blocks: DOM and SVG element builders and the two number
 * formats. Like every client-*.ts part, it is inlined into the page as the text of its function,
 * so the function may use nothing outside its own body and its arguments.
 */
import type { OrgReport } from "../../insights/report/build.js";

/** One repository's row of the report, as the table, matrix and timelines show it. */
export type ReportRow = OrgReport["repos"][number];

export interface DashboardKit {
  /** An HTML element; strings become text nodes, so user text never becomes markup. */
  el: <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs?: Record<string, string>,
    ...children: (Node | string | null)[]
  ) => HTMLElementTagNameMap[K];
  /** An SVG element with its attributes. */
  svg: (tag: string, attrs: Record<string, string | number>) => SVGElement;
  /** A share as a percentage with one decimal, or a dash when unknown. */
  pct: (v: number | null | undefined) => string;
  /** A number with an optional unit, or a dash when unknown. */
  num: (v: number | null | undefined, unit?: string) => string;
}

/**
 * The builders bound to one document.
 *
 * @example dashboardKit(document).pct(0.1234) // "12.3%"
 */
export function dashboardKit(doc: Document): DashboardKit {
  const SVG = "http://www.w3.org/2000/svg";
  const el = <K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Record<string, string> = {},
    ...children: (Node | string | null)[]
  ): HTMLElementTagNameMap[K] => {
    const node = doc.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    for (const c of children) if (c !== null) node.append(typeof c === "string" ? doc.createTextNode(c) : c);
    return node;
  };
  const svg = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const node = doc.createElementNS(SVG, tag) as SVGElement;
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    return node;
  };
  const pct = (v: number | null | undefined) => (v == null ? "–" : `${Math.round(v * 1000) / 10}%`);
  const num = (v: number | null | undefined, unit = "") => (v == null ? "–" : `${v}${unit}`);
  return { el, svg, pct, num };
}
