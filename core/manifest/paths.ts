/**
 * Where the governance files live. A module of its own, without the parser, so that what only
 * needs the names (the action before it knows its mode, SARIF locations) does not load YAML.
 */

/** The paths where pom.yml is looked for, in order. */
export const MANIFEST_PATHS = [".github/pom.yml", "pom.yml"] as const;
/** Where the org policy lives in the organization's `.github` repository. */
export const POLICY_PATH = ".github/pom-policy.yml";
