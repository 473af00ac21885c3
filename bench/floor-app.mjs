/**
 * The floor of the API-cost comparison: a Probot app, served the way the real one is, that does the
 * least any governance app must do for an event: one write (a check run; an issue has no commit,
 * so it gets one label instead) and no reads at all.
 */
import { ProbotOctokit, run } from "probot";

const Octokit = ProbotOctokit.defaults((options) => ({
  ...options,
  throttle: { ...options.throttle, enabled: false },
}));

/** The commit the event names (a pull request's head, a push's `after`); a release names none, so any. */
function shaOf(payload) {
  const sha = payload.pull_request?.head?.sha ?? payload.after;
  return /^[0-9a-f]{40}$/.test(sha ?? "") ? sha : "0123456789abcdef0123456789abcdef01234567";
}

function floor(app, { addHandler }) {
  addHandler((req, res) => {
    if ((req.url ?? "").split("?")[0] !== "/healthz") return false;
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
    return true;
  });
  const checkRun = async (context) => {
    const started = process.hrtime.bigint();
    await context.octokit.rest.checks.create(
      context.repo({
        name: "POM governance",
        head_sha: shaOf(context.payload),
        status: "completed",
        conclusion: "success",
        output: { title: "POM governance", summary: "floor" },
      }),
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    context.log.info({ event: context.name, ms: Math.round(ms) }, "governed");
  };
  app.on(["pull_request", "release", "push"], checkRun);
  app.on("issues", async (context) => {
    const started = process.hrtime.bigint();
    await context.octokit.rest.issues.addLabels(context.issue({ labels: ["pom: needs outcome"] }));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    context.log.info({ event: context.name, ms: Math.round(ms) }, "governed");
  });
}

const server = await run(floor, { Octokit });
process.once("SIGTERM", () => {
  server
    .stop()
    .then(() => process.exit(0))
    .catch(() => process.exit(1));
});
