import { describe, expect, it } from "vitest";
import { gridShape } from "./layout";

describe("gridShape", () => {
  it("puts one queue in a single full-screen tile", () => {
    expect(gridShape(1, 1920, 960)).toEqual({ cols: 1, rows: 1 });
  });

  it("puts two queues side by side on a landscape TV", () => {
    expect(gridShape(2, 1920, 960)).toEqual({ cols: 2, rows: 1 });
  });

  it("arranges twelve queues in four columns of three rows on a 16:9 screen", () => {
    expect(gridShape(12, 1920, 960)).toEqual({ cols: 4, rows: 3 });
  });

  it("stacks queues on a portrait screen", () => {
    expect(gridShape(3, 1080, 1800)).toEqual({ cols: 1, rows: 3 });
  });

  it("always has room for every queue", () => {
    for (let n = 1; n <= 40; n++) {
      const g = gridShape(n, 1920, 960);
      expect(g.cols * g.rows).toBeGreaterThanOrEqual(n);
    }
  });

  it("falls back to one cell for no queues or no area", () => {
    expect(gridShape(0, 1920, 960)).toEqual({ cols: 1, rows: 1 });
    expect(gridShape(5, 0, 0)).toEqual({ cols: 1, rows: 1 });
  });
});
