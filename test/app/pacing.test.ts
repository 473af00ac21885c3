/**
 * The server's pacer settings: GitHub's limits by default, POM_CREATE_PER_MINUTE and
 * POM_CREATE_PER_HOUR when set (a malformed one stops start-up), and no pacer with the throttle
 * off (a local fake GitHub).
 */
import pino from "pino";
import { describe, expect, it } from "vitest";
import { paceLimits, serverPacer } from "../../app/pacing.js";
import { Pacer } from "../../github/transport/pacer.js";

const log = pino({ level: "silent" });

describe("the server's pacer", () => {
  it("keeps to GitHub's limits unless told otherwise", () => {
    expect(paceLimits({})).toEqual({ perMinute: 80, perHour: 500 });
    expect(paceLimits({ POM_CREATE_PER_MINUTE: "40", POM_CREATE_PER_HOUR: " 300 " })).toEqual({
      perMinute: 40,
      perHour: 300,
    });
  });

  it.each([["0"], ["80.5"], ["lots"], ["-1"]])("refuses %s as a limit", (value) => {
    expect(() => paceLimits({ POM_CREATE_PER_MINUTE: value })).toThrow(/POM_CREATE_PER_MINUTE/);
    expect(() => paceLimits({ POM_CREATE_PER_HOUR: value })).toThrow(/POM_CREATE_PER_HOUR/);
  });

  it("paces in this process without Redis, and not at all with the throttle off", () => {
    expect(serverPacer({}, log)).toBeInstanceOf(Pacer);
    expect(serverPacer({ POM_GITHUB_THROTTLE: "off" }, log)).toBeUndefined();
    expect(() => serverPacer({ POM_GITHUB_THROTTLE: "off", POM_CREATE_PER_HOUR: "x" }, log)).toThrow(
      /POM_CREATE_PER_HOUR/,
    );
  });
});
