import { describe, expect, it } from "vitest";
import { emptySums, figures } from "./figures";
import { digestOf, digestOfV1, digestOfV2, restatedSince } from "./report";

const params = { sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 };
const some = () =>
  figures([
    {
      sums: {
        ...emptySums(),
        offered: 3,
        answered: 2,
        answered_wait_ms: 25_000,
        max_wait_ms: 20_000,
        judged: { answered_within_sl: 1, short_abandoned: 0 },
      },
      params,
    },
  ]);

describe("report digests", () => {
  it("tell a restated interval from an unchanged one", () => {
    const first = digestOf(some(), [1]);
    expect(first).toMatch(/^3:[0-9a-z]+$/);
    expect(restatedSince(first, some(), [1])).toBe(false);
    expect(restatedSince(first, { ...some(), abandoned: 1 }, [1])).toBe(true);
    expect(restatedSince(first, some(), [2])).toBe(true);
  });

  it("tell null (undefined figure) from 0", () => {
    const f = some();
    expect(digestOf({ ...f, csat: null }, [1])).not.toBe(digestOf({ ...f, csat: 0 }, [1]));
  });

  it("still read digests first published by the earlier (textual) fingerprint", () => {
    const v1 = digestOfV1(some(), [1]);
    expect(v1).not.toMatch(/^2:/);
    expect(restatedSince(v1, some(), [1])).toBe(false);
    expect(restatedSince(v1, { ...some(), answered: 3 }, [1])).toBe(true);
  });

  it('still read "2:" digests, taken before the response counts were figures', () => {
    const v2 = digestOfV2(some(), [1]);
    expect(v2).toMatch(/^2:/);
    expect(restatedSince(v2, some(), [1])).toBe(false);
    // The volumes alone are not in a "2:" digest; a figure that was is.
    expect(restatedSince(v2, { ...some(), csat_responses: 4 }, [1])).toBe(false);
    expect(restatedSince(v2, { ...some(), offered: 4 }, [1])).toBe(true);
    expect(restatedSince(digestOf(some(), [1]), { ...some(), csat_responses: 4 }, [1])).toBe(true);
  });
});
