/**
 * The censoring of credentials in query strings, as the logger applies it to each serialized line:
 * which parameter names count as credentials, and that everything else in the line is kept.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { looksSecret, redactUrlSecrets } from "../../app/log-redaction.js";

describe("looksSecret", () => {
  it.each([
    "token",
    "TOKEN",
    "access_token",
    "refresh_token",
    "accessToken",
    "client_secret",
    "password",
    "passwd",
    "key",
    "api_key",
    "apiKey",
    "x-api-key",
    "code",
    "sig",
    "signature",
    "X-Amz-Signature",
    "%74oken",
    "token[]",
  ])("takes %s for a credential", (name) => {
    expect(looksSecret(name)).toBe(true);
  });

  it.each(["page", "per_page", "ref", "state", "monkey", "barcode", "sort", "q", "design", "%E0%A4%A"])(
    "leaves %s alone",
    (name) => {
      expect(looksSecret(name)).toBe(false);
    },
  );
});

describe("redactUrlSecrets", () => {
  it("censors the values of credentials in a URL field and in a message, keeping their names", () => {
    const line = JSON.stringify({
      req: { url: "/pom?token=abc&page=2" },
      msg: "GET /api/github/webhooks?page=2&access_token=abc 404 - 1ms",
    });
    const out = redactUrlSecrets(line);
    expect(out).not.toContain("abc");
    expect(JSON.parse(out)).toEqual({
      req: { url: "/pom?token=[REDACTED]&page=2" },
      msg: "GET /api/github/webhooks?page=2&access_token=[REDACTED] 404 - 1ms",
    });
  });

  it("censors an escaped quote inside a value as part of it, and stops at the fragment", () => {
    const line = JSON.stringify({ msg: 'see http://x.test/a?key=ab"cd\\ef#frag and more' });
    const out = redactUrlSecrets(line);
    expect(out).not.toMatch(/ab|cd|ef/);
    expect(JSON.parse(out).msg).toBe("see http://x.test/a?key=[REDACTED]#frag and more");
  });

  it("leaves lines without credentials exactly as they were", () => {
    const line = JSON.stringify({ msg: "GET /pom?page=2&sort=name 200", a: "x=1&y=2", empty: "/?token=" });
    expect(redactUrlSecrets(line)).toBe(line);
  });

  it("is applied by a pino logger's streamWrite hook to its children's lines too", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ hooks: { streamWrite: redactUrlSecrets } }, sink);
    log.child({ name: "http" }).info({ req: { url: "/x?secret=s3" } }, "GET /x?secret=s3 200");
    expect(lines.join("")).not.toContain("s3");
  });
});
