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
