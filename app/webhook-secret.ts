/**
 * The webhook secret must be set before the server takes deliveries. Without WEBHOOK_SECRET,
 * Probot verifies signatures against its well-known default ("development"), so anybody could sign
 * a delivery, for instance a pull request event that names an outcome, and have the app publish a
 * passing check run for any commit.
 */

/** Probot's fallback secret, which every reader of its source knows. */
const PROBOT_DEFAULT_SECRET = "development";

/**
 * Why the server must not start with `env`, or undefined. Only a configured app needs a secret:
 * without APP_ID and a private key, Probot serves its setup page, which registers the app and
 * writes the secret GitHub generated into .env.
 */
export function webhookSecretProblem(env: NodeJS.ProcessEnv): string | undefined {
  const configured = Boolean(env.APP_ID) && Boolean(env.PRIVATE_KEY || env.PRIVATE_KEY_PATH);
  if (!configured) return undefined;
  const secret = env.WEBHOOK_SECRET ?? "";
  if (secret.trim() === "") {
    return "WEBHOOK_SECRET is not set: without it anybody could send the app forged webhook deliveries. Set it to the app's webhook secret (see .env.example).";
  }
  if (secret === PROBOT_DEFAULT_SECRET) {
    return `WEBHOOK_SECRET is "${PROBOT_DEFAULT_SECRET}", Probot's public default: anybody could sign webhook deliveries with it. Set it to a long random secret, and the same in the app's settings.`;
  }
  return undefined;
}
