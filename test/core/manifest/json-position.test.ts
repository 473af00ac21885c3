import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "../../../core/manifest/json-position.js";

describe("jsonErrorOffset", () => {
  it.each([
    ['{"a": 1}', undefined],
    ['  [1, -2.5e3, "x\\u00e9", true, false, null, {}]  ', undefined],
    ['{"a": 1,}', 8],
    ['{\n  "findings": [\n}', 18],
    ['{"a" 1}', 5],
    ['{"a": tru}', 6 + 3],
    ['"\\x"', 2],
    ['"open', 5],
    ["[1] 2", 4],
    ["", 0],
    ["01", 1],
    ['{"a": "\n"}', 7],
  ])("%j → %s", (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    if (offset === undefined) expect(() => JSON.parse(text)).not.toThrow();
    else expect(() => JSON.parse(text)).toThrow();
  });
});
