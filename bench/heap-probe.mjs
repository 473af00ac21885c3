/**
 * Preload for the webhook benchmark's server (`node --expose-gc --import=<this file> …`): on
 * SIGUSR2 it collects garbage fully and logs the heap, so the benchmark can tell memory the
 * process keeps (a leak) from garbage V8 has not collected yet (which RSS also counts). The app's
 * code is not touched.
 */
process.on("SIGUSR2", () => {
  globalThis.gc?.();
  globalThis.gc?.();
  const m = process.memoryUsage();
  const line = { level: 30, msg: "pom-bench heap", heapUsed: m.heapUsed, external: m.external, rss: m.rss };
  process.stdout.write(`${JSON.stringify(line)}\n`);
});
