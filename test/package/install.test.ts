/**
 * The package as a user gets it: `npm pack`, then the tarball installed offline into a temporary
 * prefix, then the installed `pom` (and its alias `pom-governance`) run from elsewhere on a fresh
 * git repository, and the installed app started. Everything the commands need at run time must
 * be in the tarball's files or its dependencies: nothing here can reach this checkout's sources
 * or node_modules.
 */
import { execFile } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, realpathSync, renameSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, waitFor } from "../../testkit/app-process.js";
import { ensureBuilt, ROOT } from "../cli/pom.js";
import { gitEnv, type TempRoot, tempRoot } from "../helpers/git-repo.js";
import { npm, npmCache, offlineNpmEnv, PACKAGE, writeInstallProject } from "./offline-install.js";

let tmp: TempRoot;
let npmEnv: NodeJS.ProcessEnv;
let project: string;
let packed: { filename: string; files: { path: string }[] };
/** The installed package, where the tarball went. */
let installed: string;

beforeAll(async () => {
  ensureBuilt();
  tmp = tempRoot("pom-package-");
  npmEnv = await offlineNpmEnv(await npmCache());
  const env = npmEnv;
  // --ignore-scripts: `prepare` would rebuild dist/ while other test files run it; ensureBuilt()
  // has just made it fresh, and `npm publish --dry-run` (which runs prepare) is checked by hand.
  const pack = await npm(["pack", "--ignore-scripts", "--json", "--pack-destination", tmp.path], ROOT, env);
  expect(pack.stderr.replace(/^npm notice.*\n/gm, "")).toBe("");
  const [first] = JSON.parse(pack.stdout) as (typeof packed)[];
  if (!first) throw new Error(`npm pack printed no tarball: ${pack.stdout}`);
  packed = first;
  project = tmp.dir("project");
  renameSync(join(tmp.path, packed.filename), join(project, packed.filename));
  writeInstallProject(project, packed.filename);
  const install = await npm(["ci", "--offline", "--ignore-scripts"], project, env);
  if (install.code !== 0)
    throw new Error(
      `the offline install failed (run npm ci first, to fill the npm cache):\n${install.stderr}`,
    );
  installed = realpathSync(join(project, "node_modules", PACKAGE.name));
}, 180_000);

afterAll(() => tmp?.cleanup());

/** Runs an installed command by its link in node_modules/.bin, as a shell on PATH would. */
function run(
  bin: string,
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = gitEnv({
    PATH: `${join(project, "node_modules", ".bin")}:${process.env.PATH ?? ""}`,
    NO_COLOR: "1",
  });
  return new Promise((resolve) => {
    execFile(bin, args, { cwd, env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ code: error ? (typeof code === "number" ? code : null) : 0, stdout, stderr });
    });
  });
}

describe("the packed package", () => {
  it("holds the commands, the compiled code, the schemas and app.yml, and no sources or tests", () => {
    const files = packed.files.map((f) => f.path);
    for (const needed of [
      "bin/pom.js",
      "dist/cli/index.js",
      "dist/app/server.js",
      "dist/core/manifest/validators.generated.js",
      "schemas/pom.schema.json",
      "schemas/pom-policy.schema.json",
      "app.yml",
      "README.md",
      "LICENSE",
      "package.json",
    ])
      expect(files).toContain(needed);
    const unexpected = files.filter((f) =>
      /^(test|testkit|bench|scripts|action\/dist)\/|\.ts$|^\.env/.test(f),
    );
    expect(unexpected).toEqual([]);
  });

  it("passes npm publish --dry-run with nothing in package.json for npm to correct", async () => {
    // A dry run asks the registry whether the version exists; the closed port refuses that at once
    // and npm carries on: nothing leaves the machine.
    const { code, stderr } = await npm(["publish", "--dry-run", "--ignore-scripts"], ROOT, npmEnv);
    expect(code).toBe(0);
    const warnings = stderr.split("\n").filter((l) => /^npm (warn|error)/.test(l) && !/logged in/.test(l));
    expect(warnings).toEqual([]);
  });

  it("installs offline and links pom and pom-governance, which print the installed version", async () => {
    expect(JSON.parse(readFileSync(join(installed, "package.json"), "utf8")).version).toBe(PACKAGE.version);
    const elsewhere = tmp.dir("elsewhere");
    for (const bin of ["pom", "pom-governance"]) {
      const link = join(project, "node_modules", ".bin", bin);
      expect(realpathSync(link)).toBe(join(installed, "bin", "pom.js"));
      const { code, stdout } = await run(link, ["--version"], elsewhere);
      expect(code).toBe(0);
      expect(stdout).toBe(`${PACKAGE.version}\n`);
    }
  });

  it("runs pom init, validate and check on another git repository", async () => {
    const repo = tmp.repo("someone-else");
    repo
      .write(".github/CODEOWNERS", "* @acme/payments\n")
      .commit("first", new Date(Date.now() - 20 * 86_400_000));
    repo.tag("v1.0.0");
    repo.write("README.md", "hello\n").commit("second", new Date(Date.now() - 6 * 86_400_000));
    repo.tag("v1.1.0");

    const init = await run("pom", ["init"], repo.dir);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    const manifest = readFileSync(join(repo.dir, ".github/pom.yml"), "utf8");
    expect(manifest).toContain('tag_pattern: "v*"');
    // The schema line leads into the installed copy, not into this checkout.
    const schema = /\$schema=(\S+)/.exec(manifest)?.[1] ?? "";
    expect(fileURLToPath(schema)).toBe(join(installed, "schemas", "pom.schema.json"));
    expect(existsSync(fileURLToPath(schema))).toBe(true);

    const validate = await run("pom-governance", ["validate"], repo.dir);
    expect(validate.stdout).toBe(".github/pom.yml: valid\n");
    const check = await run("pom", ["check", "--format", "json"], repo.dir);
    expect(check.stderr).toBe("");
    expect(check.code).toBe(0);
    const verdict = JSON.parse(check.stdout) as { findings: { rule: string; status: string }[] };
    const status = (rule: string) => verdict.findings.find((f) => f.rule === rule)?.status;
    expect(status("manifest.valid")).toBe("pass");
    expect(status("release.cadence")).toBe("pass");
    expect(status("ownership.codeowners")).toBe("pass");
  });

  it("starts the installed app, which answers GET /healthz", async () => {
    const port = await freePort();
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const child = execFile(process.execPath, [join(installed, "dist", "app", "server.js")], {
      cwd: tmp.dir("app"),
      env: {
        PATH: process.env.PATH ?? "",
        NODE_ENV: "production",
        APP_ID: "1",
        PRIVATE_KEY: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
        WEBHOOK_SECRET: "a-test-secret-that-is-long-enough",
        // Nothing listens there: the app must start without asking GitHub anything.
        GHE_HOST: `127.0.0.1:${await freePort()}`,
        GHE_PROTOCOL: "http",
        POM_SWEEP_CRON: "off",
        POM_DATA_DIR: tmp.dir("data"),
        PORT: String(port),
        HOST: "127.0.0.1",
      },
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      const body = await waitFor(
        "the installed app to answer GET /healthz",
        async () => {
          if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output}`);
          const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
          return res?.status === 200 ? ((await res.json()) as { status: string }) : undefined;
        },
        20_000,
      );
      expect(body.status).toBe("ok");
    } finally {
      child.kill("SIGKILL");
    }
  });
});
