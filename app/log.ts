/**
 * The server's logger: Probot's own (pino through @probot/pino, with the same LOG_* settings),
 * except that credentials in HTTP requests and answers are never written. Probot's HTTP logger
 * records every request's headers; the dashboard's requests carry its token (`Authorization`) or
 * its session cookie, and the sign-in answer sets that cookie. Credentials in query strings are
 * censored in every line as it is written (see log-redaction.ts).
 */
import { getTransformStream } from "@probot/pino";
import pino, { type Logger } from "pino";
import { redactUrlSecrets } from "./log-redaction.js";

/** Where pino-http puts what must not be logged. */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  'res.headers["set-cookie"]',
  'req.headers["x-hub-signature"]',
  'req.headers["x-hub-signature-256"]',
];

/** The logger for `env`, as Probot would make it, with REDACTED_PATHS and URL credentials censored. */
export async function createLog(env: NodeJS.ProcessEnv): Promise<Logger> {
  const production = env.NODE_ENV === "production";
  const logFormat = env.LOG_FORMAT
    ? env.LOG_FORMAT === "pretty"
      ? "pretty"
      : "json"
    : production
      ? "json"
      : "pretty";
  const transform = await getTransformStream({
    logFormat,
    logLevelInString: env.LOG_LEVEL_IN_STRING === "true",
    ...(env.SENTRY_DSN ? { sentryDsn: env.SENTRY_DSN } : {}),
  });
  transform.pipe(pino.destination(1) as unknown as NodeJS.WritableStream);
  return pino(
    {
      level: env.LOG_LEVEL || "info",
      name: "probot",
      messageKey: env.LOG_MESSAGE_KEY || "msg",
      redact: { paths: REDACTED_PATHS, censor: "[REDACTED]" },
      // Children (Probot's HTTP logger among them) inherit the hook: every line passes through it.
      hooks: { streamWrite: redactUrlSecrets },
    },
    transform,
  );
}
