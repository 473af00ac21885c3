/**
 * The Probot app: wiring only. Handlers map webhooks to the shared flows in github/; the sweep
 * runs on a schedule; /healthz answers load balancers.
 */
import type { ApplicationFunctionOptions, Probot } from "probot";
import { FileCache } from "../github/file-cache.js";
import { registerHandlers, type Shared } from "./handlers.js";
import { healthHandler } from "./health.js";
import { scheduleSweeps } from "./sweep.js";

export default function pomGovernance(app: Probot, options: Partial<ApplicationFunctionOptions> = {}): void {
  const shared: Shared = { cache: new FileCache(), details: new Map() };
  registerHandlers(app, shared);
  // Without an HTTP server (Probot used as a library, e.g. `probot.receive` in tests), Probot's
  // addHandler throws: there is then no health route to serve and no process to sweep from.
  let serving = false;
  try {
    options.addHandler?.(healthHandler());
    serving = options.addHandler !== undefined;
  } catch {
    serving = false;
  }
  if (serving) scheduleSweeps(app, shared, process.env.POM_SWEEP_CRON);
}
