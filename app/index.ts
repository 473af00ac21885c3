/**
 * The Probot app: wiring only. Handlers map webhooks to the shared flows in github/; the sweep
 * runs on a schedule; /healthz answers load balancers; oversized deliveries are refused unread.
 */
import type { ApplicationFunctionOptions, Probot } from "probot";
import { FileCache } from "../github/file-cache.js";
import { deliveryLimit } from "./delivery-limit.js";
import { registerHandlers, type Shared } from "./handlers.js";
import { healthHandler } from "./health.js";
import { scheduleSweeps } from "./sweep.js";
import { webhookSecretProblem } from "./webhook-secret.js";

export default function pomGovernance(app: Probot, options: Partial<ApplicationFunctionOptions> = {}): void {
  const shared: Shared = { cache: new FileCache(), details: new Map() };
  registerHandlers(app, shared);
  // Without an HTTP server (Probot used as a library, e.g. `probot.receive` in tests), Probot's
  // addHandler throws: there is then no health route to serve and no process to sweep from.
  let serving = false;
  try {
    options.addHandler?.(healthHandler());
    // Refuses deliveries over GitHub's 25 MB cap before their body is read (see delivery-limit.ts).
    options.addHandler?.(deliveryLimit());
    serving = options.addHandler !== undefined;
  } catch {
    serving = false;
  }
  if (!serving) return;
  // A server must not take deliveries it cannot authenticate: stop start-up (see webhook-secret.ts).
  const problem = webhookSecretProblem(process.env);
  if (problem) throw new Error(problem);
  scheduleSweeps(app, shared, process.env.POM_SWEEP_CRON);
}
