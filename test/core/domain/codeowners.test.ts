/** The CODEOWNERS size limit that every fact source shares: GitHub ignores a file over 3 MB. */
import { describe, expect, it } from "vitest";
import {
  codeownersFile,
  isCodeownersTooLarge,
  MAX_CODEOWNERS_BYTES,
} from "../../../core/domain/codeowners.js";

describe("codeownersFile", () => {
  it("keeps the text of a file within the limit", () => {
    expect(codeownersFile("CODEOWNERS", "* @acme/payments\n")).toEqual({
      path: "CODEOWNERS",
      text: "* @acme/payments\n",
    });
  });

  it("keeps a file of exactly 3 MB, and drops the text of one a byte larger, keeping its size", () => {
    const line = "* @acme/payments\n";
    const exact = line
      .repeat(Math.floor(MAX_CODEOWNERS_BYTES / line.length))
      .padEnd(MAX_CODEOWNERS_BYTES, "#");
    expect(codeownersFile("CODEOWNERS", exact).text).toBe(exact);
    expect(codeownersFile("CODEOWNERS", `${exact}#`)).toEqual({
      path: "CODEOWNERS",
      text: "",
      tooLargeBytes: MAX_CODEOWNERS_BYTES + 1,
    });
  });

  it("counts bytes, not characters: a text of fewer characters than the limit can be too large", () => {
    const wide = "é".repeat(MAX_CODEOWNERS_BYTES / 2 + 1);
    expect(codeownersFile("docs/CODEOWNERS", wide).tooLargeBytes).toBe(MAX_CODEOWNERS_BYTES + 2);
  });

  it("takes 3 MB as 3 × 1024 × 1024 bytes", () => {
    expect(isCodeownersTooLarge(3 * 1024 * 1024)).toBe(false);
    expect(isCodeownersTooLarge(3 * 1024 * 1024 + 1)).toBe(true);
  });
});
