/**
 * GitHub's public GraphQL schema (from @octokit/graphql-schema), so that the fake refuses what
 * GitHub would refuse: unknown fields and arguments, wrong argument types, undeclared variables.
 * The fake's own executor then answers the parts of the schema the app uses.
 */
import { readFileSync } from "node:fs";
import { buildSchema, type GraphQLSchema, parse, validate } from "graphql";

let schema: GraphQLSchema | undefined;

function githubSchema(): GraphQLSchema {
  if (!schema) {
    // The package exports only its JavaScript entry, which parses the JSON form at import.
    const file = new URL("../../node_modules/@octokit/graphql-schema/schema.graphql", import.meta.url);
    // The published SDL repeats a few enterprise fields and deprecates some interface fields only
    // on their implementations, which strict validation refuses; GitHub serves it as it is.
    schema = buildSchema(readFileSync(file, "utf8"), { assumeValidSDL: true, assumeValid: true });
  }
  return schema;
}

/** The messages GitHub's schema gives for `query`; empty when the query is valid. */
export function schemaProblems(query: string): string[] {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query);
  } catch (error) {
    return [(error as Error).message];
  }
  return validate(githubSchema(), document).map((e) => e.message);
}
