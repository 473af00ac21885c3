/** GET /healthz: the process is up and serving. */
import type { IncomingMessage, ServerResponse } from "node:http";

export function healthHandler(): (req: IncomingMessage, res: ServerResponse) => boolean {
  const started = Date.now();
  return (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/healthz") return false;
    const body = JSON.stringify({ status: "ok", uptimeSeconds: Math.round((Date.now() - started) / 1000) });
    res.writeHead(req.method === "GET" || req.method === "HEAD" ? 200 : 405, {
      "content-type": "application/json",
    });
    res.end(req.method === "HEAD" ? undefined : body);
    return true;
  };
}
