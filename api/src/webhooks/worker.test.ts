import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { backoffMs } from "./worker";

/** The wait's upper bound after the `n`th failure: base·2^(n−1), never past the cap. */
const ceilingOf = (n: number, base: number, max: number) => Math.min(max, base * 2 ** (n - 1));

// The ranges WEBHOOK_RETRY_BASE_MS and WEBHOOK_RETRY_MAX_MS take in practice (env.ts: at least 10 ms;
// a cap beyond a day would outlast the 24 h of retries).
const base = fc.integer({ min: 10, max: 600_000 });
const max = fc.integer({ min: 10, max: 86_400_000 });

describe("the wait before retrying a failed delivery", () => {
  it("is drawn from the upper half of base·2^(n−1), capped (full jitter over that half)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), base, max, (n, b, m) => {
        const ceiling = ceilingOf(n, b, m);
        const wait = backoffMs(n, b, m);
        // The lower bound is floored: an odd ceiling's half is not a whole millisecond.
        expect(wait).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(wait).toBeLessThanOrEqual(ceiling);
        expect(Number.isInteger(wait)).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it("doubles from the base: the first retry waits at most the base, the second at most twice it", () => {
    for (let i = 0; i < 200; i++) {
      const first = backoffMs(1, 5_000, 3_600_000);
      expect(first).toBeGreaterThanOrEqual(2_500);
      expect(first).toBeLessThanOrEqual(5_000);
      const second = backoffMs(2, 5_000, 3_600_000);
      expect(second).toBeGreaterThanOrEqual(5_000);
      expect(second).toBeLessThanOrEqual(10_000);
    }
  });

  it("stays at the cap however many attempts failed, without overflowing to Infinity or NaN", () => {
    for (const n of [20, 64, 1_000, 1_000_000]) {
      for (let i = 0; i < 50; i++) {
        const wait = backoffMs(n, 5_000, 3_600_000);
        expect(Number.isFinite(wait)).toBe(true);
        expect(wait).toBeGreaterThanOrEqual(1_800_000);
        expect(wait).toBeLessThanOrEqual(3_600_000);
      }
    }
  });

  it("is jittered: receivers that failed together are not all retried at the same instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000 }), base, max, (n, b, m) => {
        const draws = new Set(Array.from({ length: 50 }, () => backoffMs(n, b, m)));
        // The smallest half-range here is 5 ms wide: 50 draws all equal would be 5^-49.
        expect(draws.size).toBeGreaterThan(1);
      }),
      { numRuns: 200 },
    );
  });
});
