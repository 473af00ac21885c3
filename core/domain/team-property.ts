/**
 * The organization's custom property `team` on a repository, beside the manifest's `team.github`:
 * whether they agree, and which team a value names.
 *
 * A value agrees with `team.github` ("acme/payments") when, ignoring case and a leading "@", it is
 * "acme/payments" or the team's slug "payments"; a multi-select agrees when one of its values does.
 */

/** The name of the custom property compared with `team.github`. */
export const TEAM_PROPERTY = "team";

/** The values of a property (none for an unset one). */
export function propertyValues(value: string | readonly string[] | null): string[] {
  if (value === null) return [];
  return (typeof value === "string" ? [value] : [...value]).filter((v) => v.trim() !== "");
}

function normal(value: string): string {
  return value.trim().replace(/^@/, "").toLowerCase();
}

/** The forms a property value may take for `github` ("org/slug"): the whole name and the slug. */
function formsOf(github: string): string[] {
  const whole = normal(github);
  const slug = whole.split("/")[1];
  return slug ? [whole, slug] : [whole];
}

/**
 * Whether the property's value names the team `github` ("org/slug").
 *
 * @example agreesWithTeam("payments", "acme/payments") // true
 * @example agreesWithTeam("checkout", "acme/payments") // false
 */
export function agreesWithTeam(value: string | readonly string[] | null, github: string): boolean {
  const forms = formsOf(github);
  return propertyValues(value).some((v) => forms.includes(normal(v)));
}

/**
 * The team ("org/slug") a property value of a repository of `owner` names, when it can be one: a
 * slug is taken as a team of `owner`.
 *
 * @example teamFromProperty("payments", "acme") // "acme/payments"
 */
export function teamFromProperty(
  value: string | readonly string[] | null,
  owner: string,
): string | undefined {
  const [first] = propertyValues(value);
  if (!first) return undefined;
  const name = first.trim().replace(/^@/, "");
  const team = name.includes("/") ? name : `${owner}/${name}`;
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(team) ? team : undefined;
}
