import { Role } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { common, ROLE_WORD } from "./i18n";

describe("role words", () => {
  it("says every role in both languages, no two roles alike", () => {
    for (const lang of ["en", "zh-CN"] as const) {
      const said = Role.options.map((r) => common[lang][ROLE_WORD[r]]);
      expect(said.every((w) => w.length > 0)).toBe(true);
      expect(new Set(said).size).toBe(Role.options.length);
    }
    expect(common["zh-CN"][ROLE_WORD.qa]).toBe("质检员");
  });
});
