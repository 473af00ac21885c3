/**
 * `pom init`: write a commented starter .github/pom.yml from what the repository shows (the team
 * CODEOWNERS names, the release habits its tags show), never replacing a manifest unless told to.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { catchAllRule } from "../../core/domain/codeowners.js";
import { inferReleaseHabits, type ReleaseHabits, tagPatternFor } from "../../core/domain/release-habits.js";
import { propertyValues, teamFromProperty } from "../../core/domain/team-property.js";
import type { ReleaseInfo } from "../../core/engine/facts.js";
import { fetchTeamProperty, type PropertyValue } from "../../github/read/custom-properties.js";
import { describeError } from "../../github/transport/client.js";
import type { Command } from "../command.js";
import { displayPath, findManifest } from "../files.js";
import { gitTopLevel } from "../git.js";
import { readTags } from "../git-history.js";
import { EXIT, type Io, UsageError } from "../io.js";
import { liveClient } from "../live.js";
import { readCodeowners } from "../local-facts.js";
import { manifestSchemaUrl } from "../package-files.js";
import { starterManifest } from "../starter-manifest.js";
import { proposeProducts, starterProductsManifest, teamAmong } from "../starter-products.js";

/** The team that CODEOWNERS makes owner of everything, when it names one. */
export function guessTeam(codeowners: string | undefined): string | undefined {
  return codeowners ? teamAmong(catchAllRule(codeowners)?.owners ?? []) : undefined;
}

function productName(dir: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
    if (typeof pkg.name === "string" && pkg.name.trim()) return pkg.name.replace(/^@[^/]+\//, "");
  } catch {
    // no package.json: fall back to the directory name
  }
  return basename(dir);
}

/** The tags reachable from HEAD; none outside git. */
function tagsOf(dir: string, now: Date): ReleaseInfo[] {
  try {
    return readTags(dir, now);
  } catch {
    // Not a git repository (or no git): a starter manifest without guesses is still useful.
    return [];
  }
}

/** What was guessed, for the lines printed after "wrote …". */
function guesses(habits: ReleaseHabits | undefined): string[] {
  if (!habits) return [];
  const cadence = habits.cadence ? `, cadence ${habits.cadence.text} (median gap rounded up)` : "";
  const others = habits.others.map((o) => tagPatternFor(o.prefix)).join(", ");
  const note = others ? `; other tags: ${others}` : "";
  return [
    `release: source tags, tag_pattern "${habits.tagPattern}"${cadence} from ${habits.matched} version tags${note}`,
  ];
}

/** Makes room for the new manifest at `path`: the old file (or link) goes, never what a link points to. */
function removeExisting(path: string, shown: string, io: Io): boolean {
  const stat = lstatSync(path);
  if (!stat.isFile() && !stat.isSymbolicLink()) {
    io.err(`pom init: ${shown} is not a regular file; not replacing it`);
    return false;
  }
  rmSync(path);
  return true;
}

/**
 * The team the custom property `team` of `slug` names, read live; undefined (with a note) when
 * it names none or cannot be read: a starter manifest is still written.
 */
async function propertyTeam(slug: string, io: Io): Promise<string | undefined> {
  const [owner = "", repo = "", ...rest] = slug.split("/");
  if (!owner || !repo || rest.length > 0) throw new UsageError(`--github takes OWNER/REPO; got "${slug}"`);
  const client = liveClient(io.env, "--github");
  let value: PropertyValue;
  try {
    value = await fetchTeamProperty(client, { owner, repo });
  } catch (error) {
    io.out(`note: could not read the custom properties of ${slug}: ${describeError(error)}`);
    return undefined;
  }
  const team = teamFromProperty(value, owner);
  if (!team) {
    const shown = propertyValues(value).join(", ");
    io.out(
      shown
        ? `note: the custom property team of ${slug} is "${shown}", which names no team (org/slug or slug)`
        : `note: ${slug} has no custom property team set`,
    );
  }
  return team;
}

export const initCommand: Command = {
  name: "init",
  usage: `
Usage: pom init [--repo DIR] [--github OWNER/REPO] [--force]

Writes a commented starter .github/pom.yml for the repository in DIR (default: the git work tree
of the current directory, or the directory itself outside git), filled in from what it shows:
  - the owning team, when the catch-all line of CODEOWNERS names a team, or, with --github, the
    team the organization's custom property "team" names for OWNER/REPO (read with the token
    in GITHUB_TOKEN or GH_TOKEN, at GITHUB_API_URL); where both name one, the property wins;
  - with version tags (v1.2.0, checkout-v1.4.0): source: tags, the tag_pattern of their most
    common prefix, and the cadence from the median gap between them, rounded up;
  - with several tag prefixes that name products (checkout-v1.4.0, search-v2.0.1): one product
    per prefix, its tag_pattern, its cadence, and the paths its releases changed (git log
    between its tags), each marked REVIEW.
Refuses to overwrite an existing .github/pom.yml or pom.yml, unless --force is given: then the
existing manifest is replaced where it is.

  --github OWNER/REPO  propose the team the custom property "team" of OWNER/REPO names
  --force              replace an existing manifest`,
  options: { repo: { type: "string" }, github: { type: "string" }, force: { type: "boolean" } },
  positionals: false,
  async run({ values }, io) {
    // The manifest belongs at the top of the work tree, wherever in it `pom init` runs.
    const repo = values.repo as string | undefined;
    const dir = repo !== undefined ? resolve(io.cwd, repo) : (gitTopLevel(io.cwd) ?? io.cwd);
    const existing = findManifest(dir);
    const force = values.force === true;
    if (existing && !force) {
      io.err(
        `pom init: ${displayPath(join(dir, existing), io.cwd)} already exists; not overwriting it (--force replaces it)`,
      );
      return EXIT.failed;
    }
    if (!existsSync(dir)) {
      io.err(`pom init: ${dir} does not exist`);
      return EXIT.usage;
    }
    const codeowners = readCodeowners(dir, io.cwd)?.text;
    const fromCodeowners = guessTeam(codeowners);
    const github = values.github as string | undefined;
    const fromProperty = github === undefined ? undefined : await propertyTeam(github, io);
    const team = fromProperty ?? fromCodeowners;
    const source = fromProperty ? `the custom property team of ${github}` : "CODEOWNERS";
    if (fromProperty && fromCodeowners && fromProperty.toLowerCase() !== fromCodeowners.toLowerCase())
      io.out(
        `note: CODEOWNERS names ${fromCodeowners}; make it name ${fromProperty} too (ownership.codeowners)`,
      );
    const tags = tagsOf(dir, new Date());
    const habits = inferReleaseHabits(tags);
    // Several tag prefixes, each with directories of its own: one product per prefix.
    const products = proposeProducts(dir, tags, codeowners);
    const target = join(dir, existing ?? join(".github", "pom.yml"));
    if (existing && !removeExisting(target, displayPath(target, io.cwd), io)) return EXIT.usage;
    mkdirSync(join(dir, ".github"), { recursive: true });
    const text =
      products.length > 0
        ? starterProductsManifest(products, manifestSchemaUrl())
        : starterManifest({ name: productName(dir), team, habits, schemaUrl: manifestSchemaUrl() });
    writeFileSync(target, text, { flag: "wx" });
    const by = products.length === 0 && team ? ` (team ${team} from ${source})` : "";
    io.out(`${existing ? "replaced" : "wrote"} ${displayPath(target, io.cwd)}${by}`);
    for (const p of products)
      io.out(`product ${p.name}: tag_pattern "${p.tagPattern}", paths ${p.paths.join(", ")} (review them)`);
    if (products.length === 0) for (const line of guesses(habits)) io.out(line);
    io.out("next: fill in the team's trio and outcomes, then run `pom validate` and `pom check`");
    return EXIT.ok;
  },
};
