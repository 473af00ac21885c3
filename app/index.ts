/**
 * The Probot app: wiring only. Handlers map webhooks to the shared flows in github/; the sweep
 * runs on a schedule (in this process, or as jobs shared by replicas through Redis) and keeps the
 * organization reports; failed deliveries are redelivered on a schedule of their own; /healthz
 * answers load balancers; /pom serves the dashboard when POM_DASHBOARD_TOKEN is set; deliveries
 * reach the handlers only whole and verified (oversized ones are refused unread).
 */
import type { ApplicationFunctionOptions, Probot } from "probot";
import { dashboardHandler, dashboardTokenProblem } from "./dashboard.js";
import { deliveryIntake } from "./delivery-intake.js";
import { registerHandlers } from "./handlers.js";
import { healthHandler } from "./health.js";
import { onShutdown } from "./lifecycle.js";
import { scheduleRedelivery } from "./redelivery.js";
import { createShared, startSweeps } from "./state.js";
import { sweepInstallationNow } from "./sweep.js";
import { sweepRoutes } from "./sweep-routes.js";
import { webhookSecretProblem } from "./webhook-secret.js";

export default async function pomGovernance(
  app: Probot,
  options: Partial<ApplicationFunctionOptions> = {},
): Promise<void> {
  const shared = createShared(app, process.env);
  registerHandlers(app, shared);
  // Without an HTTP server (Probot used as a library, e.g. `probot.receive` in tests), Probot's
  // addHandler throws: there is then no health route to serve and no process to sweep from.
  let serving = false;
  try {
    options.addHandler?.(healthHandler());
    // Reads and verifies each delivery before Probot's webhook middleware sees it (see delivery-intake.ts).
    options.addHandler?.(deliveryIntake(app));
    serving = options.addHandler !== undefined;
  } catch {
    serving = false;
  }
  if (!serving) return;
  // A server must not take deliveries it cannot authenticate: stop start-up (see webhook-secret.ts).
  const problem = webhookSecretProblem(process.env) ?? dashboardTokenProblem(process.env.POM_DASHBOARD_TOKEN);
  if (problem) throw new Error(problem);
  const sweep = await startSweeps(app, shared, process.env);
  // A changed org policy sweeps the installation again: a run of the shared queue with replicas,
  // else this process sweeps the one installation, in the background (the push is answered now).
  shared.resweep = async (installationId) => {
    const started = sweep
      ? sweep.runNow(`policy-${installationId}-${Date.now()}`)
      : sweepInstallationNow(app, shared, installationId);
    started.catch((error: unknown) =>
      app.log.warn({ err: error }, "the sweep after a policy change did not start"),
    );
  };
  const stopRedelivery = scheduleRedelivery(app, shared, process.env.POM_REDELIVERY_CRON);
  onShutdown("redelivery schedule", async () => stopRedelivery());
  const control = sweepRoutes(process.env.POM_DASHBOARD_TOKEN, sweep);
  if (control) options.addHandler?.(control);
  const dashboard = dashboardHandler(shared.store, process.env.POM_DASHBOARD_TOKEN);
  if (dashboard) {
    options.addHandler?.(dashboard);
    app.log.info({ path: "/pom", store: shared.store.where }, "dashboard served");
  }
}
