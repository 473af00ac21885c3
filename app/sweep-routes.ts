/**
 * The sweep queue for operators, when replicas share it through Redis, behind the dashboard token:
 * `GET /pom/sweep.json` says what it is doing (counts, the next run, the last reports, failed jobs
 * with their reasons); `POST /pom/sweep/run` asks for a run now (Bearer token only: a browser's
 * cookie cannot start one).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { DASHBOARD_PATH, send } from "./dashboard.js";
import { bearerOf, dashboardAuth } from "./dashboard-auth.js";

export interface SweepControl {
  status(): Promise<object>;
  runNow(runId: string): Promise<void>;
}

const json = (req: IncomingMessage, res: ServerResponse, status: number, body: object) =>
  send(req, res, status, "application/json; charset=utf-8", `${JSON.stringify(body)}\n`);

/** The handler, or undefined without a token (nothing served) or without a shared queue. */
export function sweepRoutes(
  token: string | undefined,
  sweep: SweepControl | undefined,
): ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | undefined {
  if (!token?.trim() || !sweep) return undefined;
  const auth = dashboardAuth(token);
  return async (req, res) => {
    const path = (req.url ?? "").split("?")[0]?.replace(/\/+$/, "");
    if (path === `${DASHBOARD_PATH}/sweep.json`) {
      if (req.method !== "GET" && req.method !== "HEAD") return json(req, res, 405, { error: "use GET" });
      if (!auth.allows(req)) return json(req, res, 401, { error: "the dashboard token is needed" });
      return json(req, res, 200, await sweep.status());
    }
    if (path === `${DASHBOARD_PATH}/sweep/run`) {
      if (req.method !== "POST") return json(req, res, 405, { error: "use POST" });
      const bearer = bearerOf(req);
      if (bearer === undefined || !auth.isToken(bearer))
        return json(req, res, 401, { error: "Authorization: Bearer <dashboard token> is needed" });
      const runId = `manual${Date.now()}`;
      try {
        await sweep.runNow(runId);
      } catch (error) {
        const going = (error as { going?: unknown }).going;
        if (typeof going === "string")
          return json(req, res, 409, { error: `run ${going} is still going`, going });
        throw error;
      }
      return json(req, res, 202, { runId });
    }
    return false;
  };
}
