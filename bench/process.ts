/**
 * A server under measurement: a Node child process (the real app, `dist/app/server.js`, or the
 * floor app) configured by its environment, whose JSON logs are read as they arrive (only the
 * figures are kept, not the text: 10,000 deliveries write tens of megabytes), and whose memory
 * and CPU time are read from /proc.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, waitFor } from "../testkit/app-process.js";
import { ROOT } from "../testkit/build.js";

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  child: ChildProcess;
  /** `ms` of every "governed" log line so far, in arrival order. */
  governedMs: number[];
  /** Of each governed delivery's `ms`, what was not spent waiting on GitHub (`ms - githubMs`). */
  ownMs: number[];
  /** Error-level (>= 50) log lines so far (their messages, the first 20). */
  errors: string[];
  errorCount: number;
  /** The last log lines (raw), for a failure message. */
  tail(): string;
  /**
   * The heap in MiB after a full garbage collection (needs the server started with
   * `heapProbe: true`), or NaN when it does not answer within 5 s.
   */
  heapAfterGcMiB(): Promise<number>;
  alive(): boolean;
  stop(graceMs?: number): Promise<void>;
}

/** Resident set size of process `pid` in MiB (VmRSS of /proc/PID/status), or NaN. */
export function rssMiB(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) process `pid` has used so far, in ms, or NaN. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ: 100 on every Linux Node supports. */
const CLOCK_TICKS = 100;

interface LogLine {
  level?: number;
  msg?: string;
  ms?: unknown;
  githubMs?: unknown;
  heapUsed?: unknown;
}

/** The heap limit (MiB) `npm start` gives the app by default, read from package.json. */
export function startHeapMiB(): number {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } };
  const mib = Number(/--max-old-space-size=(\d+)/.exec(pkg.scripts.start)?.[1]);
  if (!Number.isSafeInteger(mib)) throw new Error("package.json: npm start sets no --max-old-space-size");
  return mib;
}

/** Answers SIGUSR2 with the heap after a full collection (bench/heap-probe.mjs). */
const HEAP_PROBE = join(ROOT, "bench", "heap-probe.mjs");

/**
 * Starts `node <script>` with exactly `env` (plus PATH, PORT, HOST) and waits for GET /healthz =
 * 200. BENCH_NODE_ARGS go before the script (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`, to see
 * where a server's time goes).
 */
export async function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  options: { heapProbe?: boolean } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const nodeArgs = [
    ...(options.heapProbe ? ["--expose-gc", `--import=${HEAP_PROBE}`] : []),
    // The app runs as `npm start` runs it: with its default heap limit (BENCH_NODE_ARGS may override).
    ...(name === "app" ? [`--max-old-space-size=${startHeapMiB()}`] : []),
    ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
  ];
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const governedMs: number[] = [];
  const ownMs: number[] = [];
  const heapWaiters: ((mib: number) => void)[] = [];
  const errors: string[] = [];
  const recent: string[] = [];
  let errorCount = 0;
  let pending = "";
  const onLine = (line: string) => {
    if (line.trim() === "") return;
    recent.push(line.slice(0, 600));
    if (recent.length > 40) recent.shift();
    let parsed: LogLine;
    try {
      parsed = JSON.parse(line) as LogLine;
    } catch {
      return;
    }
    if (parsed.msg === "governed" && typeof parsed.ms === "number") {
      governedMs.push(parsed.ms);
      if (typeof parsed.githubMs === "number") ownMs.push(Math.max(0, parsed.ms - parsed.githubMs));
    }
    if (parsed.msg === "pom-bench heap" && typeof parsed.heapUsed === "number") {
      for (const resolve of heapWaiters.splice(0)) resolve(parsed.heapUsed / 2 ** 20);
    }
    if ((parsed.level ?? 0) >= 50) {
      errorCount++;
      if (errors.length < 20) errors.push(line.slice(0, 600));
    }
  };
  const onData = (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) onLine(line);
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  let exitCode: number | null | undefined;
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      process.off("exit", orphanGuard);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    name,
    url,
    pid: child.pid ?? -1,
    child,
    governedMs,
    ownMs,
    errors,
    get errorCount() {
      return errorCount;
    },
    tail: () => recent.join("\n"),
    heapAfterGcMiB: () =>
      new Promise<number>((resolve) => {
        const timer = setTimeout(() => resolve(Number.NaN), 5_000);
        heapWaiters.push((mib) => {
          clearTimeout(timer);
          resolve(mib);
        });
        child.kill("SIGUSR2");
      }),
    alive: () => exitCode === undefined,
    stop: async (graceMs = 3_000) => {
      if (exitCode !== undefined) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    const outcome = await waitFor(
      `${name} to answer GET /healthz`,
      async () => {
        if (exitCode !== undefined) return "exited";
        const res = await fetch(`${url}/healthz`).catch(() => undefined);
        await res?.body?.cancel();
        return res?.status === 200 ? "ready" : undefined;
      },
      20_000,
      50,
    );
    if (outcome === "exited") throw new Error(`${name} exited (${exitCode}) before it served GET /healthz`);
  } catch (error) {
    await server.stop(500);
    throw new Error(`${(error as Error).message}\n--- ${name} output ---\n${server.tail()}`);
  }
  return server;
}
