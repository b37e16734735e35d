import { describe, expect, it } from "vitest";
import { quartersOf } from "./rollup-repair";
import { isZero, repairInsert } from "./queries/rollup";

const at = (iso: string) => Date.parse(iso);

describe("quartersOf", () => {
  it("puts a fact in the quarter hour of its anchor", () => {
    expect(quartersOf({ anchor_ms: at("2026-11-02T01:14:59.999Z") })).toEqual([
      at("2026-11-02T01:00:00Z") / 1000,
    ]);
    expect(quartersOf({ anchor_ms: at("2026-11-02T01:15:00Z") })).toEqual([
      at("2026-11-02T01:15:00Z") / 1000,
    ]);
  });

  it("spreads a closed interval over every quarter hour it overlaps, its end excluded", () => {
    expect(
      quartersOf({ from_ms: at("2026-11-02T01:10:00Z"), to_ms: at("2026-11-02T01:45:00Z") }),
    ).toEqual(["01:00", "01:15", "01:30"].map((t) => at(`2026-11-02T${t}:00Z`) / 1000));
    expect(
      quartersOf({ from_ms: at("2026-11-02T01:10:00Z"), to_ms: at("2026-11-02T01:45:00.001Z") }),
    ).toHaveLength(4);
  });

  it("gives an open interval (to_ms 0) no quarter: the rollup holds closed intervals only", () => {
    expect(quartersOf({ from_ms: at("2026-11-02T01:10:00Z"), to_ms: 0 })).toEqual([]);
  });
});

describe("repair rows", () => {
  const cell = { site: "s'; DROP TABLE x; --", queue: "q", quarter_s: 1_793_581_200, version: 1 };

  it("are zero only when every sum and histogram entry is", () => {
    expect(isZero({ sums: [0, 0], answered_hist: [[], []], abandoned_hist: [[3], [0]] })).toBe(
      true,
    );
    expect(isZero({ sums: [0, -1], answered_hist: [[], []], abandoned_hist: [[], []] })).toBe(
      false,
    );
    expect(isZero({ sums: [0, 0], answered_hist: [[20], [1]], abandoned_hist: [[], []] })).toBe(
      false,
    );
  });

  it("go into SQL through the escaping helper, negative values included", () => {
    const text = repairInsert(
      [{ ...cell, sums: [-2, 5], answered_hist: [[20], [-1]], abandoned_hist: [[], []] }],
      1,
    ).text;
    expect(text).toContain("'s\\'; DROP TABLE x; --'");
    expect(text).toContain("[(-2)]");
    expect(text).toContain("[[(-1)]]");
  });
});
