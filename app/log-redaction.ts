/**
 * Credentials in query strings are censored in every log line. Probot's HTTP logger writes each
 * request's URL twice (the `req.url` field and the message, `GET /pom?token=… 401`), and error
 * messages can quote URLs too; a query string is the one place a client may put a secret that the
 * header redaction (log.ts) cannot see. Paths of fields cannot reach inside a message, so the
 * censoring works on the serialized line: every `?name=value` or `&name=value` whose name looks like
 * a credential keeps its name (the log still shows that one was sent) and loses its value.
 */

/** Names that are credentials wherever they appear: whole, or as the end of a longer name. */
const SECRET_ENDING = /(?:token|secret|passw(?:or)?d|signature|credentials?|apikey)$/i;
/** Short words that are credentials only as a whole name or a separate last part (`api_key`, `apiKey`). */
const SECRET_WORD = /(?:^|[-_.])(?:key|code|sig|auth|jwt)$/i;
const SECRET_WORD_CAMEL = /[a-z0-9](?:Key|Code|Sig|Auth|Jwt)$/;

/**
 * Whether a query parameter called `name` (raw or percent-encoded) carries a credential.
 *
 * @example looksSecret("access_token") // true; looksSecret("page") // false
 */
export function looksSecret(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name.replace(/\+/g, " "));
  } catch {
    // A malformed escape: judge the name as written.
  }
  const bare = decoded.replace(/\[\]$/, "").trim();
  return SECRET_ENDING.test(bare) || SECRET_WORD.test(bare) || SECRET_WORD_CAMEL.test(bare);
}

/**
 * A query parameter inside serialized JSON: the value stops at the next parameter, fragment, blank
 * or the end of the JSON string; JSON escapes (`\"`) are part of it, so an escaped quote cannot end
 * the censoring early.
 */
const PARAMETER = /([?&])([^=&#?\s"\\]{1,200})=((?:\\.|[^&#\s"\\])*)/g;

/**
 * `line` with the value of every credential-named query parameter replaced by `[REDACTED]`.
 *
 * @example redactUrlSecrets('"url":"/pom?token=abc&page=2"') // '"url":"/pom?token=[REDACTED]&page=2"'
 */
export function redactUrlSecrets(line: string): string {
  if (!line.includes("=")) return line;
  return line.replace(PARAMETER, (whole, separator: string, name: string, value: string) =>
    value !== "" && looksSecret(name) ? `${separator}${name}=[REDACTED]` : whole,
  );
}
