/** Issues and pull requests as GraphQL returns them, and as the rules see them. */
import type { WorkItem } from "../../core/engine/facts.js";

/** The fields the rules read of an issue or pull request. */
export const ISSUE_FIELDS = "number title body author { login } labels(first: 50) { nodes { name } }";

export interface IssueNode {
  number: number;
  title: string;
  body: string | null;
  author: { login: string } | null;
  labels: { nodes: { name: string }[] } | null;
}

/** A GraphQL issue or pull request node as a work item. */
export function toWorkItem(node: IssueNode): WorkItem {
  return {
    number: node.number,
    title: node.title,
    body: node.body,
    labels: (node.labels?.nodes ?? []).map((l) => l.name),
    author: node.author?.login ?? "",
  };
}
