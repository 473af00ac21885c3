/**
 * The house rules of the source tree, enforced: pure `core/` and `policies/`; only `github/` talks
 * to GitHub; only `app/` imports Probot and only `action/` the Actions toolkit; rooms import only
 * downwards; no import cycles, type-only imports included; no hand-written source file much over
 * 300 lines. A rule broken here names the file and the import (or the line) that breaks it.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(dirname(new URL(import.meta.url).pathname), "..");
const ROOMS = ["core", "policies", "github", "app", "action", "cli"] as const;
type Room = (typeof ROOMS)[number];
/** Generated files, exempt from the size limit. */
const GENERATED = /\.generated\.ts$/;
const MAX_LINES = 300;

interface Source {
  path: string;
  room: Room;
  text: string;
  /** Relative imports resolved to repository paths, and package imports as written. */
  imports: { spec: string; target: string | undefined; line: number }[];
}

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (name === "dist" || name === "node_modules") return [];
    return statSync(join(ROOT, path)).isDirectory() ? walk(path) : path.endsWith(".ts") ? [path] : [];
  });
}

const IMPORT =
  /(?:^|[\s;])(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|^\s*import\s+["']([^"']+)["']/gm;

function parse(path: string, room: Room): Source {
  const text = readFileSync(join(ROOT, path), "utf8");
  const imports: Source["imports"] = [];
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3] ?? "";
    const line = text.slice(0, match.index).split("\n").length;
    const target = spec.startsWith(".")
      ? normalize(join(dirname(path), spec)).replace(/\.js$/, ".ts")
      : undefined;
    imports.push({ spec, target, line });
  }
  return { path, room, text, imports };
}

const SOURCES: Source[] = ROOMS.flatMap((room) => walk(room).map((path) => parse(path, room)));
const roomOf = (path: string): string => path.split("/")[0] ?? "";

/** What each room may import from the others: the rooms below it. */
const MAY_IMPORT: Record<Room, readonly string[]> = {
  core: ["core", "schemas"],
  policies: ["core", "policies", "schemas"],
  github: ["core", "policies", "github", "schemas"],
  app: ["core", "policies", "github", "app", "schemas"],
  action: ["core", "policies", "github", "action", "schemas"],
  cli: ["core", "policies", "github", "cli", "schemas"],
};

/** Packages that mean I/O or a runtime: never in core/ or policies/. */
const IMPURE =
  /^(?:node:(?:fs|http|https|net|child_process|dgram|tls|os|worker_threads|readline)|fs|http|https|probot|@actions\/|@octokit\/|@probot\/|ioredis|bullmq|bottleneck|pino|croner)(?:\/|$)/;

describe("the source tree", () => {
  it("has rooms to judge (the parser finds the imports)", () => {
    expect(SOURCES.length).toBeGreaterThan(100);
    expect(SOURCES.find((s) => s.path === "github/flows/govern.ts")?.imports.length).toBeGreaterThan(3);
  });

  it("keeps core/ and policies/ pure: no I/O, no GitHub client, no runtime", () => {
    const broken = SOURCES.filter((s) => s.room === "core" || s.room === "policies").flatMap((s) =>
      s.imports.filter((i) => IMPURE.test(i.spec)).map((i) => `${s.path}:${i.line} imports ${i.spec}`),
    );
    expect(broken).toEqual([]);
  });

  it("lets only app/ import probot and only action/ import @actions/*", () => {
    const broken = SOURCES.flatMap((s) =>
      s.imports
        .filter(
          (i) =>
            (/^probot(\/|$)|^@probot\//.test(i.spec) && s.room !== "app") ||
            (/^@actions\//.test(i.spec) && s.room !== "action"),
        )
        .map((i) => `${s.path}:${i.line} imports ${i.spec}`),
    );
    expect(broken).toEqual([]);
  });

  it("has each room import only the rooms below it", () => {
    const broken = SOURCES.flatMap((s) =>
      s.imports
        .filter((i) => i.target !== undefined && !MAY_IMPORT[s.room].includes(roomOf(i.target)))
        .map((i) => `${s.path}:${i.line} imports ${i.target}`),
    );
    expect(broken).toEqual([]);
  });

  it("talks to GitHub from github/ only: no .request( or .graphql( call elsewhere", () => {
    const broken = SOURCES.filter((s) => s.room !== "github").flatMap((s) =>
      s.text
        .split("\n")
        .map((line, i) => ({ line, at: i + 1 }))
        .filter(({ line }) => /\.(?:request|graphql)\s*\(/.test(line) && !/^\s*(?:\*|\/\/)/.test(line))
        .map(({ at }) => `${s.path}:${at}`),
    );
    expect(broken).toEqual([]);
  });

  it("has no import cycle, type-only imports included", () => {
    const edges = new Map<string, string[]>();
    for (const s of SOURCES)
      edges.set(
        s.path,
        s.imports.flatMap((i) => (i.target && SOURCES.some((t) => t.path === i.target) ? [i.target] : [])),
      );
    const cycles: string[] = [];
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (node: string) => {
      state.set(node, "open");
      stack.push(node);
      for (const next of edges.get(node) ?? []) {
        if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].join(" -> "));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(node, "done");
    };
    for (const s of SOURCES) if (!state.has(s.path)) visit(s.path);
    expect(cycles).toEqual([]);
  });

  it(`has no hand-written source file over ${MAX_LINES} lines`, () => {
    const long = SOURCES.filter((s) => !GENERATED.test(s.path))
      .map((s) => ({ path: s.path, lines: s.text.split("\n").length - 1 }))
      .filter((f) => f.lines > MAX_LINES)
      .map((f) => `${f.path}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });

  it("has a test tree that mirrors the source rooms it tests", () => {
    // A unit test of github/<room>/x.ts lives in test/github/<room>/.
    const misplaced = walk("test/github")
      .filter((p) => p.endsWith(".test.ts"))
      .filter((p) => relative("test/github", dirname(p)).split("/").length !== 1);
    expect(misplaced).toEqual([]);
  });
});

describe("the benchmark's preloads", () => {
  it("import compiled modules that exist where the sources are (a moved module moves them too)", () => {
    const broken = readdirSync(join(ROOT, "bench"))
      .filter((name) => name.endsWith(".mjs"))
      .flatMap((name) =>
        [
          ...readFileSync(join(ROOT, "bench", name), "utf8").matchAll(
            /from\s+["'](\.\.\/dist\/[^"']+)\.js["']/g,
          ),
        ]
          // dist/x.js is compiled from x.ts.
          .map((m) => ({
            name,
            source: normalize(join("bench", (m[1] as string).replace("../dist/", "../"))),
          }))
          .filter(({ source }) => !statSafe(join(ROOT, `${source}.ts`)))
          .map(({ name, source }) => `bench/${name}: ${source}.ts`),
      );
    expect(broken).toEqual([]);
  });
});

function statSafe(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
