/**
 * The app as users run it: `node dist/app/server.js` in a child process, configured only through
 * its environment. Builds dist/ first when it is missing or older than the sources.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuilt as buildIfStale } from "./build.js";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SERVER = join(ROOT, "dist/app/server.js");

/** Builds dist/ unless dist/app/server.js is newer than every source file. */
export async function ensureBuilt(): Promise<void> {
  buildIfStale(SERVER);
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it returns something truthy; fails after `timeoutMs` with `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 25,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface AppProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The JSON log lines so far (LOG_FORMAT=json); other output is returned as level 0. */
  logs(): LogLine[];
  alive(): boolean;
  /** The exit code once it exited (-1 for a signal); undefined while it runs. */
  exitCode(): number | null | undefined;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node dist/app/server.js` with exactly `env` (plus PATH, and a throwaway POM_DATA_DIR
 * unless `env` names one) and waits for GET /healthz = 200.
 */
export async function startApp(name: string, env: Record<string, string>): Promise<AppProcess> {
  const port = await freePort();
  const dataDir = env.POM_DATA_DIR ? undefined : mkdtempSync(join(tmpdir(), "pom-app-data-"));
  const child = spawn(process.execPath, [SERVER], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      ...(dataDir ? { POM_DATA_DIR: dataDir } : {}),
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  let exitCode: number | null | undefined;
  // Should the test process end without afterAll (a crash, a kill), the app must not outlive it.
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      process.off("exit", orphanGuard);
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const app: AppProcess = {
    name,
    url,
    child,
    output: () => output,
    logs: () =>
      output
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => {
          try {
            return JSON.parse(line) as LogLine;
          } catch {
            return { level: 0, msg: line };
          }
        }),
    alive: () => exitCode === undefined,
    exitCode: () => exitCode,
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
        return res?.status === 200 ? "ready" : undefined;
      },
      20_000,
      50,
    );
    if (outcome === "exited") throw new Error(`${name} exited (${exitCode}) before it served GET /healthz`);
  } catch (error) {
    await app.stop(500);
    throw new Error(`${(error as Error).message}\n--- ${name} output ---\n${output}`);
  }
  return app;
}
