/**
 * A throwaway Redis for tests and the benchmark: Debian's `redis-server` on a free loopback port,
 * with no persistence and its data directory in the system's temporary directory.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

/** Whether Redis at `url` answers PING before `deadline` (epoch ms). */
export async function answers(url: string, deadline: number): Promise<boolean> {
  const { Redis } = await import("ioredis");
  while (Date.now() < deadline) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await client.connect();
      if ((await client.ping()) === "PONG") return true;
    } catch {
      // not up yet
    } finally {
      client.disconnect();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Why no redis-server can be started here, or undefined when one can. */
export function redisServerMissing(): string | undefined {
  return spawnSync("redis-server", ["--version"]).status === 0
    ? undefined
    : "redis-server is not installed (Debian's redis-server package)";
}

/** Starts a redis-server; throws when it does not answer within 10 s. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "pom-redis-"));
  const child: ChildProcess = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir],
    { stdio: "ignore" },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  if (!(await answers(url, Date.now() + 10_000))) {
    await stop();
    throw new Error("redis-server was started but did not answer");
  }
  return { url, stop };
}
