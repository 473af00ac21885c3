/**
 * The container of the app, checked without Docker: dockerfilelint (hadolint is no npm package)
 * finds nothing in the Dockerfile, and the rules it does not know are asserted here: two stages on
 * one pinned image, production dependencies only at run time, a non-root user, a health check on
 * the app's health route, no secret in an ENV or ARG, credentials kept out of the build context;
 * and the compose file runs replicas that share Redis with no credential written in it.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../testkit/build.js";

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** The Dockerfile's instructions, continuation lines joined, comments left out. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: Instruction | undefined;
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) return;
    const body = line.endsWith("\\") ? line.slice(0, -1).trim() : line;
    if (pending) pending.args = `${pending.args} ${body}`.trim();
    else {
      const [keyword = "", ...rest] = body.split(/\s+/);
      pending = { keyword: keyword.toUpperCase(), args: rest.join(" "), line: i + 1 };
    }
    if (!line.endsWith("\\")) {
      out.push(pending);
      pending = undefined;
    }
  });
  return out;
}

const dockerfile = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const all = instructions(dockerfile);
const froms = all.filter((i) => i.keyword === "FROM");
const runtime = all.slice(all.lastIndexOf(froms.at(-1) as Instruction));

/** Runs the installed dockerfilelint on `path` and returns its JSON report. */
function dockerfilelint(path: string): Promise<{ totalIssues: number; files: { issues: unknown[] }[] }> {
  const bin = join(ROOT, "node_modules", ".bin", "dockerfilelint");
  return new Promise((resolve, reject) => {
    // It exits with the number of issues; its JSON on stdout is the answer either way.
    execFile(bin, ["--json", path], { cwd: ROOT }, (error, stdout, stderr) => {
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`dockerfilelint printed no JSON (${String(error)}): ${stdout}${stderr}`));
      }
    });
  });
}

describe("the Dockerfile", () => {
  it("passes dockerfilelint", async () => {
    const report = await dockerfilelint(join(ROOT, "Dockerfile"));
    expect(report.files.flatMap((f) => f.issues)).toEqual([]);
    expect(report.totalIssues).toBe(0);
  });

  it("is linted for real: dockerfilelint finds the mistakes of a bad Dockerfile", async () => {
    const dir = mkdtempSync(join(tmpdir(), "pom-dockerfile-"));
    try {
      writeFileSync(join(dir, "Dockerfile"), "FROM node\nRUN sudo apt-get install curl\nEXPOSE http\n");
      expect((await dockerfilelint(join(dir, "Dockerfile"))).totalIssues).toBeGreaterThanOrEqual(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("builds in one stage and runs in another, both on the same image pinned to a Node.js release", () => {
    expect(froms.map((f) => f.args.split(/\s+as\s+/i)[1])).toEqual(["build", "runtime"]);
    const images = new Set(froms.map((f) => f.args.split(/\s+/)[0]));
    expect(images.size).toBe(1);
    const [image = ""] = images;
    expect(image).toMatch(/^node:\d+\.\d+\.\d+-[a-z]+-slim$/);
    // A Node.js major that CI tests and that package.json allows.
    const major = Number(/^node:(\d+)/.exec(image)?.[1]);
    const ci = readFileSync(join(ROOT, ".github/workflows/ci.yml"), "utf8");
    expect(ci).toMatch(new RegExp(`node: \\[[^\\]]*\\b${major}\\b`));
    expect(major).toBeGreaterThanOrEqual(20);
  });

  it("installs only the production dependencies of the lock file at run time, and the build's dist/", () => {
    const runs = runtime.filter((i) => i.keyword === "RUN").map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm (run build|install)\b|\bnpm ci\b(?!.*--omit=dev)/.test(r))).toBe(false);
    expect(runtime.some((i) => i.keyword === "COPY" && /--from=build\s+\S*dist\b/.test(i.args))).toBe(true);
  });

  it("runs as a user that is not root, set before the command", () => {
    const users = runtime.filter((i) => i.keyword === "USER");
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1) as Instruction;
    expect(user.args).not.toMatch(/^(root|0)(:|$)/);
    const cmd = runtime.findLast((i) => i.keyword === "CMD") as Instruction;
    expect(cmd.args).toBe('["node", "dist/app/server.js"]');
    expect(runtime.indexOf(user)).toBeLessThan(runtime.indexOf(cmd));
  });

  it("checks the health route the app serves, on the port it listens on", () => {
    const health = runtime.filter((i) => i.keyword === "HEALTHCHECK");
    expect(health).toHaveLength(1);
    const route = /"(\/[a-z]+)"/.exec(readFileSync(join(ROOT, "app/health.ts"), "utf8"))?.[1];
    expect(route).toBe("/healthz");
    expect(health[0]?.args).toContain(`${route}'`);
    expect(health[0]?.args).toContain("process.env.PORT || 3000");
    expect(runtime.some((i) => i.keyword === "ENV" && /\bPORT=3000\b/.test(i.args))).toBe(true);
  });

  it("bounds the heap as `npm start` does, so that memory plateaus (docs/performance.md)", () => {
    const start = (
      JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: { start: string } }
    ).scripts.start;
    const npmDefault = /\$\{NODE_OPTIONS:-(--max-old-space-size=\d+)\}/.exec(start)?.[1];
    expect(npmDefault, start).toBeDefined();
    const env = runtime
      .filter((i) => i.keyword === "ENV")
      .map((i) => i.args)
      .join(" ");
    expect(/\bNODE_OPTIONS=(\S+)/.exec(env)?.[1]).toBe(npmDefault);
  });

  it("bakes in no secret: no ENV or ARG names a key, secret, token or password", () => {
    const declared = all
      .filter((i) => i.keyword === "ENV" || i.keyword === "ARG")
      // `ENV NAME=value ...` and `ARG NAME=value`, or the older `ENV NAME value` and a bare `ARG NAME`.
      .flatMap((i) =>
        i.args.includes("=")
          ? [...i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=/g)].map((m) => m[1] ?? "")
          : [i.args.split(/\s+/)[0] ?? ""],
      );
    expect(declared.length).toBeGreaterThan(0);
    expect(declared.filter((name) => /KEY|SECRET|TOKEN|PASSWORD|APP_ID/i.test(name))).toEqual([]);
    const copied = all.filter((i) => i.keyword === "COPY" || i.keyword === "ADD").map((i) => i.args);
    expect(copied.filter((c) => /\.env\b|\.pem\b|\s\.\s/.test(c))).toEqual([]);
  });

  it("keeps credentials, local state and built trees out of the build context", () => {
    const ignored = readFileSync(join(ROOT, ".dockerignore"), "utf8").split("\n");
    for (const entry of [".env", "*.pem", ".pom-data/", ".git/", "node_modules/", "dist/"])
      expect(ignored).toContain(entry);
  });
});

describe("compose.yaml", () => {
  const compose = parse(readFileSync(join(ROOT, "compose.yaml"), "utf8")) as {
    services: Record<string, Record<string, unknown>>;
    secrets: Record<string, { file: string }>;
  };
  const app = compose.services.app ?? {};
  const environment = app.environment as Record<string, string>;

  it("runs replicas of the image that share the Redis service through REDIS_URL", () => {
    expect(app.build).toBe(".");
    expect((app.deploy as { replicas: number }).replicas).toBeGreaterThan(1);
    expect(environment.REDIS_URL).toMatch(/^redis:\/\/redis:6379\b/);
    expect(compose.services.redis?.image).toMatch(/^redis:\d+\.\d+\.\d+-alpine$/);
    expect(String(compose.services.redis?.command)).toContain("noeviction");
  });

  it("writes no credential: they come from .env and a secret file", () => {
    expect(
      Object.keys(environment).filter((k) => /SECRET|TOKEN|PASSWORD|^PRIVATE_KEY$|APP_ID/.test(k)),
    ).toEqual([]);
    expect(app.env_file).toBe(".env");
    expect(environment.PRIVATE_KEY_PATH).toBe("/run/secrets/github-app-private-key");
    expect(compose.secrets["github-app-private-key"]?.file).toBe("./private-key.pem");
    const ignored = readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n");
    expect(ignored).toEqual(expect.arrayContaining([".env", "*.pem"]));
  });

  it("gives a replica longer to stop than the app takes to finish its jobs", () => {
    const grace = Number(/^(\d+)s$/.exec(String(app.stop_grace_period))?.[1]);
    expect(grace).toBeGreaterThan(25);
  });
});
