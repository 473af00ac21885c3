/**
 * The app's delivery log: which GUIDs failed in passing (every attempt a 5xx or no answer), and
 * reading the log newest first, page by page, only as far back as asked, against the loopback fake.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type DeliveryAttempt,
  failedDeliveries,
  nextCursor,
  readDeliveries,
} from "../../../github/read/deliveries.js";
import { type FakeGitHub, startFakeGitHub } from "../../../testkit/fake-github/server.js";
import { appClient } from "../../helpers/fake-client.js";

const NOW = Date.parse("2026-06-15T12:00:00Z");
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
let nextId = 1;
const attempt = (
  guid: string,
  statusCode: number,
  minutesAgo: number,
  redelivery = false,
): DeliveryAttempt => ({
  id: nextId++,
  guid,
  deliveredAt: at(minutesAgo),
  redelivery,
  statusCode,
  event: "pull_request",
  action: "opened",
});

describe("failedDeliveries", () => {
  const notBefore = new Date(NOW - 3 * 24 * 60 * 60_000);

  it("takes a GUID whose every attempt got a 5xx or no answer, and names its newest attempt", () => {
    const first = attempt("a", 502, 30);
    const again = attempt("a", 0, 20, true);
    const found = failedDeliveries([again, first, attempt("b", 503, 10), attempt("c", 0, 5)], notBefore);
    expect(found.map((f) => f.guid)).toEqual(["a", "b", "c"]);
    expect(found[0]).toMatchObject({ newest: again, firstAt: first.deliveredAt, attempts: 2 });
  });

  it("leaves out a GUID that succeeded once, one refused with a 4xx, and one with a 3xx", () => {
    const found = failedDeliveries(
      [
        attempt("healed", 500, 30),
        attempt("healed", 200, 20, true),
        attempt("late", 202, 15),
        attempt("refused", 400, 12),
        attempt("refused-then-5xx", 400, 11),
        attempt("refused-then-5xx", 502, 10, true),
        attempt("moved", 301, 9),
      ],
      notBefore,
    );
    expect(found).toEqual([]);
  });

  it("leaves out a GUID whose newest attempt is older than GitHub's window", () => {
    const found = failedDeliveries([attempt("old", 502, 3 * 24 * 60 + 1), attempt("new", 502, 1)], notBefore);
    expect(found.map((f) => f.guid)).toEqual(["new"]);
  });
});

describe("nextCursor", () => {
  it("reads the cursor of the next page, whatever else the Link header holds", () => {
    const link =
      '<https://api.github.com/app/hook/deliveries?per_page=100&cursor=v1_77>; rel="next", <https://api.github.com/app/hook/deliveries?per_page=100>; rel="first"';
    expect(nextCursor(link)).toBe("v1_77");
    expect(
      nextCursor('<https://api.github.com/app/hook/deliveries?per_page=100>; rel="prev"'),
    ).toBeUndefined();
    expect(nextCursor(undefined)).toBeUndefined();
  });
});

describe("readDeliveries against the fake GitHub", () => {
  let fake: FakeGitHub;
  beforeAll(async () => {
    fake = await startFakeGitHub({ apps: [{ id: 1 }, { id: 2 }] });
    const payload = { action: "opened", installation: { id: 1 }, repository: { id: 5 } };
    // 250 attempts for app 1, one a minute, the newest a minute ago; two for app 2.
    for (let i = 250; i >= 1; i--)
      fake.state.deliveries.record({
        event: "pull_request",
        payload,
        statusCode: 200,
        deliveredAt: new Date(Date.now() - i * 60_000).toISOString(),
      });
    for (const appId of [2, 2])
      fake.state.deliveries.record({ event: "push", payload, statusCode: 502, appId });
  });
  afterAll(() => fake?.close());

  it("reads every page, newest first, 100 a page, with the app's JWT", async () => {
    fake.reset();
    const { attempts, pages } = await readDeliveries(appClient(fake), new Date(Date.now() - 3 * 86_400_000));
    expect(pages).toBe(3);
    expect(attempts).toHaveLength(250);
    const times = attempts.map((a) => Date.parse(a.deliveredAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(fake.requests.map((r) => r.path.replace(/cursor=v1_\d+/, "cursor=…"))).toEqual([
      "/api/v3/app/hook/deliveries?per_page=100",
      "/api/v3/app/hook/deliveries?per_page=100&cursor=…",
      "/api/v3/app/hook/deliveries?per_page=100&cursor=…",
    ]);
    expect(fake.problems).toEqual([]);
  });

  it("stops at the page that reaches back past `since`", async () => {
    fake.reset();
    const { attempts, pages } = await readDeliveries(appClient(fake), new Date(Date.now() - 30.5 * 60_000));
    expect(pages).toBe(1);
    expect(attempts).toHaveLength(100);
    const again = await readDeliveries(appClient(fake), new Date(Date.now() - 150.5 * 60_000));
    expect(again.pages).toBe(2);
  });

  it("sees only its own app's deliveries", async () => {
    const { attempts } = await readDeliveries(appClient(fake, 2), new Date(0));
    expect(attempts.map((a) => [a.event, a.statusCode])).toEqual([
      ["push", 502],
      ["push", 502],
    ]);
  });
});
