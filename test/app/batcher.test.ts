/**
 * Repository jobs judged together: one installation's jobs go as one batch when it is full or
 * when its first job has waited long enough; installations never share a batch; each job gets its
 * own result or its own error.
 */
import { describe, expect, it } from "vitest";
import {
  Batcher,
  type BatchInstallation,
  type BatchOutcome,
  type BatchRepo,
} from "../../app/queue/batcher.js";

const acme = { id: 1, account: "acme", runId: "run1" };
const beta = { id: 2, account: "beta", runId: "run1" };
const repo = (owner: string, name: string): BatchRepo => ({ owner, name, nodeId: `R_${name}` });

function recorder(fail: (r: BatchRepo) => unknown = () => undefined) {
  const batches: { installation: number; repos: string[] }[] = [];
  const judge = async (installation: BatchInstallation, repos: BatchRepo[]) => {
    batches.push({ installation: installation.id, repos: repos.map((r) => r.name) });
    const out: BatchOutcome<string> = new Map();
    for (const r of repos) {
      const error = fail(r);
      out.set(`${r.owner}/${r.name}`.toLowerCase(), error ? { error } : { result: `judged ${r.name}` });
    }
    return out;
  };
  return { batches, judge };
}

describe("Batcher", () => {
  it("sends a batch as soon as it is full, without waiting", async () => {
    const { batches, judge } = recorder();
    const batcher = new Batcher(judge, { size: 3, waitMs: 60_000 });
    const results = await Promise.all(["a", "b", "c"].map((n) => batcher.add(acme, repo("acme", n))));
    expect(results).toEqual(["judged a", "judged b", "judged c"]);
    expect(batches).toEqual([{ installation: 1, repos: ["a", "b", "c"] }]);
  });

  it("sends a batch that is not full once its first job has waited, one per installation", async () => {
    const { batches, judge } = recorder();
    const batcher = new Batcher(judge, { size: 50, waitMs: 20 });
    const all = Promise.all([
      batcher.add(acme, repo("acme", "a")),
      batcher.add(beta, repo("beta", "x")),
      batcher.add(acme, repo("acme", "b")),
    ]);
    expect(batcher.waiting).toBe(3);
    expect(await all).toEqual(["judged a", "judged x", "judged b"]);
    expect(batches.sort((p, q) => p.installation - q.installation)).toEqual([
      { installation: 1, repos: ["a", "b"] },
      { installation: 2, repos: ["x"] },
    ]);
    expect(batcher.waiting).toBe(0);
  });

  it("never mixes two runs' jobs in one batch", async () => {
    const { batches, judge } = recorder();
    const batcher = new Batcher(judge, { size: 50, waitMs: 10 });
    await Promise.all([
      batcher.add(acme, repo("acme", "a")),
      batcher.add({ ...acme, runId: "run2" }, repo("acme", "a")),
    ]);
    expect(batches).toEqual([
      { installation: 1, repos: ["a"] },
      { installation: 1, repos: ["a"] },
    ]);
  });

  it("fails only the jobs whose repositories failed, and all of a batch that failed as a whole", async () => {
    const { judge } = recorder((r) => (r.name === "b" ? new Error("b is broken") : undefined));
    const batcher = new Batcher(judge, { size: 2, waitMs: 10 });
    const [a, b] = await Promise.allSettled([
      batcher.add(acme, repo("acme", "a")),
      batcher.add(acme, repo("acme", "b")),
    ]);
    expect(a).toEqual({ status: "fulfilled", value: "judged a" });
    expect(b).toMatchObject({ status: "rejected", reason: new Error("b is broken") });

    const down = new Batcher<string>(async () => Promise.reject(new Error("GitHub answered 502")), {
      size: 2,
      waitMs: 10,
    });
    const both = await Promise.allSettled([
      down.add(acme, repo("acme", "a")),
      down.add(acme, repo("acme", "b")),
    ]);
    expect(both.map((s) => s.status)).toEqual(["rejected", "rejected"]);
  });

  it("fails a job its batch said nothing about", async () => {
    const batcher = new Batcher<string>(async () => new Map(), { size: 1, waitMs: 10 });
    await expect(batcher.add(acme, repo("acme", "a"))).rejects.toThrow(
      "the batch returned nothing for acme/a",
    );
  });
});
