import { describe, expect, it } from "vitest";
import { visibleRange } from "./window";

describe("rows a windowed table renders", () => {
  it("renders the rows in view and a screenful either side", () => {
    // 20 rows per 640 px screen; scrolled to row 100.
    expect(visibleRange(1550, 3200, 640, 32)).toEqual({ start: 80, end: 140 });
  });

  it("starts at the first row at the top and stops at the last at the bottom", () => {
    expect(visibleRange(1550, 0, 640, 32)).toEqual({ start: 0, end: 40 });
    expect(visibleRange(1550, 1550 * 32 - 640, 640, 32)).toEqual({ start: 1510, end: 1550 });
    expect(visibleRange(10, 0, 640, 32)).toEqual({ start: 0, end: 10 });
  });

  it("stays within the rows when the list shrank under a scrolled table", () => {
    expect(visibleRange(5, 10_000, 640, 32)).toEqual({ start: 0, end: 5 });
    expect(visibleRange(0, 0, 640, 32)).toEqual({ start: 0, end: 0 });
  });
});
