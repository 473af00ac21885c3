/**
 * A first sweep of 300 repositories that each need a tracking issue, against the loopback fake
 * GitHub, with an Octokit built as the server builds it and its pacer on a virtual clock: all 300
 * are opened, none twice, those failing at error level before those failing at warning level,
 * and never more than 80 in a rolling minute or 500 in a rolling hour.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRACKING_LABEL } from "../../../github/publish/tracking-issue.js";
import { MINUTE_MS } from "../../../github/transport/pace-window.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { type PacedSweep, pacedSweep } from "../../../testkit/paced-sweep.js";
import { orgName, repoName, scaleSeed } from "../../../testkit/scale-seed.js";
import { busiest } from "../../../testkit/virtual-clock.js";
import { appKeys } from "../../helpers/app-keys.js";

const REPOS = 300;
const ORG = orgName(0);
/** Every third repository fails release.cadence at error level, the others at warning level. */
const failsAtError = (i: number) => i % 3 === 0;
const CREATE_ISSUE = "POST /repos/{owner}/{repo}/issues";

let fake: FakeGitHub;
let swept: PacedSweep;

beforeAll(async () => {
  const { privateKey, publicKey } = appKeys();
  const now = new Date();
  fake = await startFakeGitHub(
    scaleSeed(1, REPOS, now.getTime(), publicKey, {
      late: () => true,
      cadence: (i) => (failsAtError(i) ? undefined : "warn"),
    }),
  );
  swept = await pacedSweep(fake, privateKey, { id: 1, account: ORG }, { now });
}, 120_000);

afterAll(async () => {
  await fake?.close();
});

/** The repository name of an issue creation, as the fake recorded it or the pacer let it through. */
const repoOf = (path: string) => /\/repos\/[^/]+\/([^/]+)\/issues$/.exec(path.split("?")[0] ?? "")?.[1];

describe("a paced first sweep of 300 repositories", () => {
  it("sends GitHub nothing it would reject, and judges every repository", () => {
    expect(fake.problems).toEqual([]);
    expect(swept.tally).toMatchObject({ repositories: REPOS, governed: REPOS, failed: 0 });
    expect(swept.tally.tracking).toEqual({ opened: REPOS });
  });

  it("opens every tracking issue once", () => {
    for (let i = 0; i < REPOS; i++) {
      const issues = fake.state.repo(`${ORG}/${repoName(i)}`).issues;
      expect(issues.filter((issue) => issue.labels.includes(TRACKING_LABEL)).length, repoName(i)).toBe(1);
    }
    const created = fake.requests.filter((r) => r.operation === CREATE_ISSUE).map((r) => repoOf(r.path));
    expect(created).toHaveLength(REPOS);
    expect(new Set(created).size).toBe(REPOS);
  });

  it("opens those failing at error level first", () => {
    const created = fake.requests.filter((r) => r.operation === CREATE_ISSUE).map((r) => repoOf(r.path));
    const errors = Array.from({ length: REPOS }, (_, i) => i)
      .filter(failsAtError)
      .map(repoName);
    expect(new Set(created.slice(0, errors.length))).toEqual(new Set(errors));
    // The pacer let them through in that order, at their ranks.
    const admitted = swept.admitted.map((a) => repoOf(a.what ?? ""));
    expect(new Set(admitted.slice(0, errors.length))).toEqual(new Set(errors));
    expect(swept.admitted.slice(0, errors.length).every((a) => a.priority.rank === 0)).toBe(true);
    expect(swept.admitted.slice(errors.length).every((a) => a.priority.rank === 1)).toBe(true);
  });

  it("never creates more than 80 in a rolling minute or 500 in a rolling hour", () => {
    expect(swept.admitted).toHaveLength(REPOS);
    expect(busiest(swept.admitted, { perMinute: 80, perHour: 500 })).toEqual({
      perMinute: 80,
      perHour: REPOS,
      within: true,
    });
    // 80 a minute: the 300th goes in the fourth minute, and nothing waited longer than it had to.
    expect(swept.admitted.at(-1)?.at).toBe(3 * MINUTE_MS);
  });
});
