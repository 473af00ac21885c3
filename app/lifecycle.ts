/**
 * What must be closed when the process stops (SIGTERM): the sweep's worker and queue, Redis
 * connections. Entry points register closers; `shutdown` runs them, the last registered first,
 * each to completion, and reports what failed instead of stopping at it.
 */
const closers: { name: string; close: () => Promise<void> }[] = [];

export function onShutdown(name: string, close: () => Promise<void>): void {
  closers.push({ name, close });
}

/** Runs every closer once; returns the names of those that failed, with why. */
export async function shutdown(): Promise<string[]> {
  const failed: string[] = [];
  for (const { name, close } of closers.splice(0).reverse()) {
    try {
      await close();
    } catch (error) {
      failed.push(`${name}: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  return failed;
}

/** How long the whole shutdown may take before the process exits anyway. */
function shutdownDeadline(env: NodeJS.ProcessEnv): number {
  const configured = Number(env.POM_SHUTDOWN_TIMEOUT_MS);
  return (Number.isFinite(configured) && configured >= 0 ? configured : 25_000) + 5_000;
}

/**
 * On `signal` (containers send SIGTERM; Probot itself stops on SIGINT only): stop taking requests,
 * run the closers (the sweep finishes or leaves the jobs in hand, Redis is closed), exit 0, or 1
 * when a closer failed. A shutdown that hangs is cut short after its deadline.
 */
export function stopOnSignal(
  signal: NodeJS.Signals,
  server: { stop(): Promise<unknown> },
  log: { warn(fields: object, message: string): void; info(fields: object, message: string): void },
): void {
  process.once(signal, () => {
    const deadline = setTimeout(() => {
      log.warn({ signal }, "shutdown took too long; exiting");
      process.exit(1);
    }, shutdownDeadline(process.env));
    deadline.unref();
    server
      .stop()
      .then(() => shutdown())
      .then((failed) => {
        for (const problem of failed) log.warn({ problem }, "shutdown: a closer failed");
        log.info({ signal }, "stopped");
        process.exit(failed.length === 0 ? 0 : 1);
      })
      .catch(() => process.exit(1));
  });
}
