import { describe, expect, it } from "vitest";
import { driftAt, rootFontPx } from "./screen";

describe("rootFontPx", () => {
  it("doubles from 1080p to 4K, so the header is as readable on both", () => {
    expect(rootFontPx(1920, 1080, 5)).toBe(18);
    expect(rootFontPx(3840, 2160, 5)).toBe(36);
  });

  it("grows with the reading distance, within bounds", () => {
    expect(rootFontPx(1920, 1080, 10)).toBeGreaterThan(rootFontPx(1920, 1080, 5));
    expect(rootFontPx(1920, 1080, 30)).toBe(rootFontPx(1920, 1080, 20));
    expect(rootFontPx(1920, 1080, 1)).toBeLessThan(18);
  });
});

describe("driftAt", () => {
  it("stays within a few pixels", () => {
    for (let t = 0; t < 3_600_000; t += 7_000) {
      const d = driftAt(t);
      expect(Math.abs(d.x)).toBeLessThanOrEqual(4);
      expect(Math.abs(d.y)).toBeLessThanOrEqual(4);
    }
  });

  it("moves by less than a tenth of a pixel per second: never a visible jump", () => {
    for (let t = 0; t < 3_600_000; t += 13_000) {
      const a = driftAt(t);
      const b = driftAt(t + 1000);
      expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeLessThan(0.1);
    }
  });

  it("does move over minutes", () => {
    const a = driftAt(0);
    const b = driftAt(3 * 60_000);
    expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeGreaterThan(1);
  });
});
