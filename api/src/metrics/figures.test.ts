// The figures of metrics.md from summed counts. Every expected value is worked out by hand from the
// definitions (the arithmetic is in the comment next to it); vendors disagree on these formulas, so
// a test that recomputed them with the code's own helpers would let a wrong variant through.
import type { QueueParams } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { addSums, emptySums, figures, thresholdCounts, type Sums } from "./figures";

/** metrics.md voice defaults: T = 20 s, S = 5 s. */
const VOICE: QueueParams = { sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 };
/** metrics.md chat defaults: T = 60 s, S = 5 s. */
const CHAT: QueueParams = { sl_threshold_s: 60, short_abandon_s: 5, sl_target: 0.8 };

/** A period's sums: zero everywhere except what the test names. */
const sums = (over: Partial<Sums>): Sums => ({ ...emptySums(), ...over });

/** The figures of a single definition segment. */
const one = (s: Partial<Sums>, params: QueueParams = VOICE) => figures([{ sums: sums(s), params }]);

describe("thresholdCounts with the rollup's own judgements", () => {
  it("takes the visits' judgements as they are and ignores the histograms and the thresholds", () => {
    // Judged by the version in force when they ended: 7 within T, 2 short; the histograms (which
    // would say 1 and 0 under T = 20 s, S = 5 s) are not read.
    const s = sums({
      judged: { answered_within_sl: 7, short_abandoned: 2 },
      answered_hist: [[30], [1]],
      abandoned_hist: [[9], [1]],
    });
    expect(thresholdCounts(s, VOICE)).toEqual({ answered_within_sl: 7, short_abandoned: 2 });
  });
});

describe("emptySums", () => {
  it("starts every count at zero, both histograms empty, nothing judged and the longest wait unknown", () => {
    expect(emptySums()).toEqual({
      offered: 0,
      answered: 0,
      abandoned: 0,
      callbacks: 0,
      flowed_out: 0,
      orphaned: 0,
      answered_wait_ms: 0,
      answered_hist: [[], []],
      abandoned_hist: [[], []],
      judged: null,
      max_wait_ms: null,
      handled: 0,
      handled_timed: 0,
      handle_ms: 0,
      handled_resolved: 0,
      transfers: 0,
      first_responses: 0,
      first_response_ms: 0,
      csat_n: 0,
      csat_good: 0,
      csat_low: 0,
      nps_n: 0,
      nps_promoters: 0,
      nps_detractors: 0,
      fcr_n: 0,
      fcr_yes: 0,
      available_ms: 0,
      on_contact_ms: 0,
      wrap_up_ms: 0,
    });
  });
});

describe("thresholdCounts", () => {
  it("counts an answered key equal to T as within the service level", () => {
    // Keys are ceil(wait): key 20 holds 19 s < wait ≤ 20 s, all within T = 20; key 21 holds
    // 20 s < wait ≤ 21 s, all past it. Within = 1 (key 19) + 2 (key 20) = 3.
    const s = sums({
      answered_hist: [
        [19, 20, 21],
        [1, 2, 4],
      ],
    });
    expect(thresholdCounts(s, VOICE).answered_within_sl).toBe(3);
  });

  it("counts abandoned key S − 1 as short and key S as not", () => {
    // Keys are floor(wait): key 4 holds 4 s ≤ wait < 5 s, short of S = 5; key 5 holds 5 s ≤ wait
    // < 6 s, not short. Short = 1 (key 0) + 2 (key 4) = 3.
    const s = sums({
      abandoned_hist: [
        [0, 4, 5, 6],
        [1, 2, 4, 8],
      ],
    });
    expect(thresholdCounts(s, VOICE).short_abandoned).toBe(3);
  });

  it("counts no short abandons when S is 0", () => {
    // wait < 0 s never happens; key 0 (0 s ≤ wait < 1 s) is not short.
    const s = sums({
      abandoned_hist: [
        [0, 3],
        [2, 1],
      ],
    });
    expect(thresholdCounts(s, { ...VOICE, short_abandon_s: 0 }).short_abandoned).toBe(0);
  });

  it("counts nothing in empty histograms", () => {
    expect(thresholdCounts(emptySums(), VOICE)).toEqual({
      answered_within_sl: 0,
      short_abandoned: 0,
    });
  });
});

describe("figures: queue", () => {
  // 19 visits ended: 10 answered, 4 abandoned, 3 callbacks, 2 flow-outs.
  // Answered by ceil(wait): 4 at 5 s, 3 at 20 s, 2 at 21 s, 1 at 40 s → within T = 20: 4 + 3 = 7.
  // Abandoned by floor(wait): 2 s, 4 s, 5 s, 30 s → short of S = 5: 2 (2 s and 4 s).
  // Denominator = answered + abandoned − short = 10 + 4 − 2 = 12.
  const period: Partial<Sums> = {
    offered: 19,
    answered: 10,
    abandoned: 4,
    callbacks: 3,
    flowed_out: 2,
    answered_hist: [
      [5, 20, 21, 40],
      [4, 3, 2, 1],
    ],
    abandoned_hist: [
      [2, 4, 5, 30],
      [1, 1, 1, 1],
    ],
  };

  it("computes service level as within / (answered + abandoned − short abandoned)", () => {
    const f = one(period);
    expect(f.answered_within_sl).toBe(7);
    expect(f.short_abandoned).toBe(2);
    // 7 / 12 = 0.58333…
    expect(f.service_level).toBeCloseTo(0.583333, 6);
  });

  it("leaves callbacks and flow-outs out of both parts of the service level", () => {
    // Same answered and abandoned visits, no callbacks or flow-outs: still 7 / 12. (A variant that
    // counted them in the denominator would give 7 / 17 = 0.41.)
    const f = one({ ...period, offered: 14, callbacks: 0, flowed_out: 0 });
    expect(f.service_level).toBeCloseTo(0.583333, 6);
  });

  it("computes abandon rate as (abandoned − short abandoned) over the same denominator", () => {
    // (4 − 2) / 12 = 0.16666…
    expect(one(period).abandon_rate).toBeCloseTo(0.166667, 6);
  });

  it("passes the counts through", () => {
    const f = one(period);
    expect([f.offered, f.answered, f.abandoned, f.callbacks, f.flowed_out]).toEqual([
      19, 10, 4, 3, 2,
    ]);
  });

  it("gives a null service level and abandon rate when every visit was a short abandon", () => {
    // Denominator = 0 + 2 − 2 = 0.
    const f = one({
      offered: 2,
      abandoned: 2,
      abandoned_hist: [
        [1, 3],
        [1, 1],
      ],
    });
    expect(f.short_abandoned).toBe(2);
    expect(f.service_level).toBeNull();
    expect(f.abandon_rate).toBeNull();
  });

  it("gives a null service level when only callbacks and flow-outs ended", () => {
    const f = one({ offered: 3, callbacks: 2, flowed_out: 1 });
    expect(f.service_level).toBeNull();
    expect(f.abandon_rate).toBeNull();
  });

  it("computes ASA as the mean answered wait in seconds", () => {
    // 50,000 ms over 4 answered = 12,500 ms = 12.5 s.
    expect(one({ offered: 4, answered: 4, answered_wait_ms: 50_000 }).asa_s).toBe(12.5);
  });

  it("gives a null ASA when nothing was answered", () => {
    expect(one({ offered: 1, abandoned: 1 }).asa_s).toBeNull();
  });

  it("gives the longest wait in seconds", () => {
    // 95,500 ms = 95.5 s.
    expect(one({ offered: 3, answered: 3, max_wait_ms: 95_500 }).max_wait_s).toBe(95.5);
  });

  it("gives a null longest wait when nothing ended", () => {
    expect(one({}).max_wait_s).toBeNull();
  });

  it("gives zero counts and null ratios for a period without segments", () => {
    const f = figures([]);
    expect(f.offered).toBe(0);
    expect(f.service_level).toBeNull();
    expect(f.abandon_rate).toBeNull();
    expect(f.asa_s).toBeNull();
    expect(f.max_wait_s).toBeNull();
    expect(f.aht_s).toBeNull();
    expect(f.csat).toBeNull();
    expect(f.nps).toBeNull();
    expect(f.occupancy).toBeNull();
  });
});

describe("figures: two definition segments", () => {
  // The threshold changed mid-period: the first part ran under voice (T 20, S 5), the second under
  // T 60, S 10. Each part is judged by its own thresholds, then the parts add up.
  const first: Partial<Sums> = {
    offered: 5,
    answered: 3,
    abandoned: 2,
    answered_hist: [
      [15, 20, 30],
      [1, 1, 1],
    ], // within 20: 15, 20 → 2
    abandoned_hist: [
      [4, 6],
      [1, 1],
    ], // short of 5: 4 → 1
    max_wait_ms: 30_000,
  };
  const second: Partial<Sums> = {
    offered: 5,
    answered: 3,
    abandoned: 2,
    answered_hist: [
      [15, 30, 61],
      [1, 1, 1],
    ], // within 60: 15, 30 → 2
    abandoned_hist: [
      [4, 6],
      [1, 1],
    ], // short of 10: 4, 6 → 2
    max_wait_ms: 61_000,
  };

  it("judges each segment by its own T and S, then sums", () => {
    const f = figures([
      { sums: sums(first), params: VOICE },
      { sums: sums(second), params: { sl_threshold_s: 60, short_abandon_s: 10, sl_target: 0.8 } },
    ]);
    // Within 2 + 2 = 4 (merged and judged by T 20 alone: 3; by T 60 alone: 5).
    expect(f.answered_within_sl).toBe(4);
    // Short 1 + 2 = 3.
    expect(f.short_abandoned).toBe(3);
    expect([f.offered, f.answered, f.abandoned]).toEqual([10, 6, 4]);
    // 4 / (6 + 4 − 3) = 4 / 7 = 0.571428…
    expect(f.service_level).toBeCloseTo(0.571429, 6);
    // (4 − 3) / 7 = 0.142857…
    expect(f.abandon_rate).toBeCloseTo(0.142857, 6);
    // The larger of 30 s and 61 s.
    expect(f.max_wait_s).toBe(61);
  });
});

describe("figures: handling", () => {
  it("averages handle time over handled contacts with a known answer only", () => {
    // 5 handled, 4 of them with an answer time; 600,000 ms / 4 = 150 s (not / 5 = 120 s).
    const f = one({ handled: 5, handled_timed: 4, handle_ms: 600_000 });
    expect(f.handled).toBe(5);
    expect(f.aht_s).toBe(150);
  });

  it("gives a null AHT when no handled contact has a known answer", () => {
    expect(one({ handled: 2, handled_timed: 0 }).aht_s).toBeNull();
  });

  it("computes resolution rate as resolved / handled", () => {
    // 4 / 5 = 0.8.
    expect(one({ handled: 5, handled_timed: 5, handled_resolved: 4 }).resolution_rate).toBeCloseTo(
      0.8,
      10,
    );
    expect(one({}).resolution_rate).toBeNull();
  });

  it("lets transfer rate exceed 1", () => {
    // 6 transfers / 4 answered = 1.5: one contact can be transferred more than once.
    expect(one({ offered: 4, answered: 4, transfers: 6 }).transfer_rate).toBe(1.5);
  });

  it("gives a null transfer rate when nothing was answered", () => {
    expect(one({ transfers: 2 }).transfer_rate).toBeNull();
  });

  it("computes first response as the mean time to first response in seconds", () => {
    // 45,000 ms over 3 first responses = 15 s.
    expect(one({ first_responses: 3, first_response_ms: 45_000 }, CHAT).first_response_s).toBe(15);
    expect(one({}, CHAT).first_response_s).toBeNull();
  });
});

describe("figures: surveys", () => {
  it("computes CSAT as responses of 4 or 5 over responses with a CSAT", () => {
    // 6 / 8 = 0.75.
    expect(one({ csat_n: 8, csat_good: 6 }).csat).toBe(0.75);
  });

  it("computes NPS as (promoters − detractors) / n, a fraction from −1 to 1", () => {
    // (6 − 3) / 10 = 0.3, i.e. an NPS of 30.
    expect(one({ nps_n: 10, nps_promoters: 6, nps_detractors: 3 }).nps).toBeCloseTo(0.3, 10);
    // (1 − 5) / 8 = −0.5: negative scores are not clamped to 0.
    expect(one({ nps_n: 8, nps_promoters: 1, nps_detractors: 5 }).nps).toBe(-0.5);
    // All detractors: (0 − 4) / 4 = −1.
    expect(one({ nps_n: 4, nps_detractors: 4 }).nps).toBe(-1);
  });

  it("computes survey FCR as resolved: true over responses with resolved", () => {
    // 3 / 4 = 0.75.
    expect(one({ fcr_n: 4, fcr_yes: 3 }).fcr_survey).toBe(0.75);
  });

  it("passes the low-CSAT count through", () => {
    expect(one({ csat_n: 8, csat_good: 6, csat_low: 2 }).low_csat).toBe(2);
  });

  it("gives null survey ratios when there were no responses", () => {
    const f = one({});
    expect(f.csat).toBeNull();
    expect(f.nps).toBeNull();
    expect(f.fcr_survey).toBeNull();
    expect(f.low_csat).toBe(0);
  });
});

describe("figures: agents and data quality", () => {
  it("computes occupancy as (on contact + wrap-up) / (available + on contact + wrap-up)", () => {
    // (30 min + 10 min) / (20 + 30 + 10 min) = 40 / 60 = 0.6666…
    const f = one({ available_ms: 1_200_000, on_contact_ms: 1_800_000, wrap_up_ms: 600_000 });
    expect(f.occupancy).toBeCloseTo(0.666667, 6);
  });

  it("gives full occupancy when nobody was available", () => {
    // 10 min / (0 + 10 min + 0) = 1.
    expect(one({ on_contact_ms: 600_000 }).occupancy).toBe(1);
  });

  it("gives a null occupancy when no agent time was recorded", () => {
    expect(one({}).occupancy).toBeNull();
  });

  it("passes orphaned visits through without counting them anywhere else", () => {
    const f = one({ orphaned: 3 });
    expect(f.orphaned).toBe(3);
    expect([f.offered, f.answered, f.abandoned, f.callbacks, f.flowed_out]).toEqual([
      0, 0, 0, 0, 0,
    ]);
    expect(f.service_level).toBeNull();
    expect(f.max_wait_s).toBeNull();
  });
});

describe("addSums", () => {
  const a = sums({
    offered: 3,
    answered: 2,
    abandoned: 1,
    answered_wait_ms: 10_000,
    answered_hist: [
      [3, 20],
      [1, 1],
    ],
    abandoned_hist: [[4], [1]],
    max_wait_ms: 30_000,
    handled: 2,
    csat_n: 1,
    available_ms: 60_000,
  });
  const b = sums({
    offered: 7,
    answered: 6,
    callbacks: 1,
    answered_wait_ms: 40_000,
    answered_hist: [
      [1, 20, 45],
      [2, 3, 1],
    ],
    max_wait_ms: 90_000,
    handled: 5,
    csat_n: 4,
    on_contact_ms: 120_000,
  });

  it("adds the counts field by field", () => {
    const s = addSums(a, b);
    expect(s.offered).toBe(10);
    expect(s.answered).toBe(8);
    expect(s.abandoned).toBe(1);
    expect(s.callbacks).toBe(1);
    expect(s.answered_wait_ms).toBe(50_000);
    expect(s.handled).toBe(7);
    expect(s.csat_n).toBe(5);
    expect(s.available_ms).toBe(60_000);
    expect(s.on_contact_ms).toBe(120_000);
  });

  it("merges histograms key by key in ascending key order", () => {
    const s = addSums(a, b);
    // Keys 1, 3, 20, 45; key 20 holds 1 + 3.
    expect(s.answered_hist).toEqual([
      [1, 3, 20, 45],
      [2, 1, 4, 1],
    ]);
    // b has no abandoned visits: a's histogram unchanged.
    expect(s.abandoned_hist).toEqual([[4], [1]]);
  });

  it("takes the larger longest wait, not their sum", () => {
    expect(addSums(a, b).max_wait_ms).toBe(90_000);
    expect(addSums(b, a).max_wait_ms).toBe(90_000);
  });

  it("treats a null longest wait as no wait at all", () => {
    expect(addSums(sums({ max_wait_ms: null }), sums({ max_wait_ms: 12_000 })).max_wait_ms).toBe(
      12_000,
    );
    expect(addSums(sums({ max_wait_ms: 5_000 }), sums({ max_wait_ms: null })).max_wait_ms).toBe(
      5_000,
    );
    expect(addSums(emptySums(), emptySums()).max_wait_ms).toBeNull();
    // A real wait of 0 ms is kept, not mistaken for "none".
    expect(addSums(sums({ max_wait_ms: 0 }), emptySums()).max_wait_ms).toBe(0);
  });

  it("leaves its inputs unchanged", () => {
    addSums(a, b);
    expect(a.offered).toBe(3);
    expect(a.answered_hist).toEqual([
      [3, 20],
      [1, 1],
    ]);
    expect(b.max_wait_ms).toBe(90_000);
  });
});
