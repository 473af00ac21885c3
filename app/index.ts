/**
 * The Probot app: wiring only. Handlers map webhooks to the shared flows in github/; the sweep
 * runs on a schedule and keeps the organization reports; /healthz answers load balancers; /pom
 * serves the dashboard when POM_DASHBOARD_TOKEN is set; oversized deliveries are refused unread.
 */
import type { ApplicationFunctionOptions, Probot } from "probot";
import { FileCache } from "../github/file-cache.js";
import { dashboardHandler, dashboardTokenProblem } from "./dashboard.js";
import { deliveryLimit } from "./delivery-limit.js";
import { registerHandlers, type Shared } from "./handlers.js";
import { healthHandler } from "./health.js";
import { DEFAULT_DATA_DIR, FileReportStore } from "./store/file-store.js";
import { scheduleSweeps } from "./sweep.js";
import { webhookSecretProblem } from "./webhook-secret.js";

export default function pomGovernance(app: Probot, options: Partial<ApplicationFunctionOptions> = {}): void {
  const store = new FileReportStore(process.env.POM_DATA_DIR || DEFAULT_DATA_DIR, (fields, message) =>
    app.log.warn(fields, message),
  );
  const shared: Shared = { cache: new FileCache(), details: new Map(), store };
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
  const problem = webhookSecretProblem(process.env) ?? dashboardTokenProblem(process.env.POM_DASHBOARD_TOKEN);
  if (problem) throw new Error(problem);
  const dashboard = dashboardHandler(store, process.env.POM_DASHBOARD_TOKEN);
  if (dashboard) {
    options.addHandler?.(dashboard);
    app.log.info({ path: "/pom", store: store.where }, "dashboard served");
  }
  scheduleSweeps(app, shared, process.env.POM_SWEEP_CRON);
}
