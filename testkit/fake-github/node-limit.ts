/**
 * GitHub's limit on the size of a GraphQL query, enforced by the fake as GitHub enforces it, computed as GitHub documents it: every
 * connection asks for `first` (or `last`) nodes for each node of the connection above it, and the
 * sum over all connections may not exceed 500,000. GitHub refuses a query above it before running
 * it, so the fake GitHub (which does not model it) cannot notice. `nodes(ids:)` is counted as a
 * connection of as many nodes as ids are given (GitHub's documentation is silent on it; this errs
 * on the safe side).
 */
import { type FieldNode, Kind, parse, type SelectionSetNode } from "graphql";

export const NODE_LIMIT = 500_000;

/** The nodes `query` may return at most, by GitHub's rule. */
export function nodeCount(query: string, variables: Record<string, unknown> = {}): number {
  const doc = parse(query);
  let total = 0;
  const size = (field: FieldNode): number | undefined => {
    for (const arg of field.arguments ?? []) {
      if (field.name.value === "nodes" && arg.name.value === "ids") {
        if (arg.value.kind === Kind.LIST) return arg.value.values.length;
        if (arg.value.kind === Kind.VARIABLE) return (variables[arg.value.name.value] as unknown[]).length;
      }
      if (arg.name.value !== "first" && arg.name.value !== "last") continue;
      if (arg.value.kind === Kind.INT) return Number(arg.value.value);
      if (arg.value.kind === Kind.VARIABLE) return Number(variables[arg.value.name.value] ?? 100);
    }
    return undefined;
  };
  const walk = (set: SelectionSetNode | undefined, multiplier: number) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.INLINE_FRAGMENT) walk(selection.selectionSet, multiplier);
      if (selection.kind !== Kind.FIELD) continue;
      const first = size(selection);
      if (first === undefined) walk(selection.selectionSet, multiplier);
      else {
        total += multiplier * first;
        walk(selection.selectionSet, multiplier * first);
      }
    }
  };
  for (const definition of doc.definitions)
    if (definition.kind === Kind.OPERATION_DEFINITION) walk(definition.selectionSet, 1);
  return total;
}

/** GitHub's refusal of a query over the limit, or undefined when it is within it. */
export function nodeLimitProblem(query: string, variables: Record<string, unknown>): string | undefined {
  const nodes = nodeCount(query, variables);
  if (nodes <= NODE_LIMIT) return undefined;
  return `This query requests up to ${nodes.toLocaleString("en-US")} possible nodes which exceeds the maximum limit of ${NODE_LIMIT.toLocaleString("en-US")}.`;
}
