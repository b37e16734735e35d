// From summed counts to the figures of metrics.md. Pure. The sums come from the per-minute rollups
// (reports, day-to-date) or straight from the facts (sliding live windows); the thresholds T and S
// of the definition version in force are applied here, to the wait histograms, so the rollups need
// no parameter and any version can be applied to any period.
import type { QueueFigures, QueueParams } from "@floorwatch/contracts";
import { FIGURE_SUM_COLUMNS, type FigureSumColumn } from "@floorwatch/sql";

/** sumMap result: whole seconds of wait → number of visits. */
export type Histogram = readonly [readonly number[], readonly number[]];

/**
 * The sums of one queue and period: every rollup column a figure reads as it is (named once, in
 * sql/src/rollup-columns.ts), and what needs more than a sum.
 */
export interface Sums extends Record<FigureSumColumn, number> {
  /** Answered visits by ceil(wait in s). */
  answered_hist: Histogram;
  /** Abandoned visits by floor(wait in s). */
  abandoned_hist: Histogram;
  /** The visits' own judgements (the rollup's), when every visit here was judged by the version
   * these sums are for; null: judge from the histograms. */
  judged: { answered_within_sl: number; short_abandoned: number } | null;
  /** Longest wait among visits that ended, ms; null when none did. */
  max_wait_ms: number | null;
}

export const EMPTY_HIST: Histogram = [[], []];

export function emptySums(): Sums {
  const zeros = Object.fromEntries(FIGURE_SUM_COLUMNS.map((c) => [c, 0])) as Record<
    FigureSumColumn,
    number
  >;
  return {
    ...zeros,
    answered_hist: EMPTY_HIST,
    abandoned_hist: EMPTY_HIST,
    judged: null,
    max_wait_ms: null,
  };
}

function mergeHist(a: Histogram, b: Histogram): Histogram {
  const m = new Map<number, number>();
  for (const [keys, counts] of [a, b])
    keys.forEach((k, i) => {
      m.set(k, (m.get(k) ?? 0) + (counts[i] ?? 0));
    });
  const keys = [...m.keys()].sort((x, y) => x - y);
  return [keys, keys.map((k) => m.get(k)!)];
}

/** The sums of two disjoint periods (or two definition segments) together. */
export function addSums(a: Sums, b: Sums): Sums {
  const out = { ...a };
  for (const k of Object.keys(a) as (keyof Sums)[]) {
    const x = a[k];
    const y = b[k];
    if (typeof x === "number" && typeof y === "number") (out[k] as number) = x + y;
  }
  out.answered_hist = mergeHist(a.answered_hist, b.answered_hist);
  out.abandoned_hist = mergeHist(a.abandoned_hist, b.abandoned_hist);
  // Thresholds are counted per segment (each by its own version) before sums are added up.
  out.judged = null;
  out.max_wait_ms =
    a.max_wait_ms === null
      ? b.max_wait_ms
      : b.max_wait_ms === null
        ? a.max_wait_ms
        : Math.max(a.max_wait_ms, b.max_wait_ms);
  return out;
}

/** Visits counted in a histogram whose key satisfies `pred`. */
function countWhere(h: Histogram, pred: (seconds: number) => boolean): number {
  let n = 0;
  h[0].forEach((k, i) => {
    if (pred(k)) n += h[1][i] ?? 0;
  });
  return n;
}

/** Threshold counts of one definition segment: answered within T, abandoned short of S. */
export function thresholdCounts(
  s: Sums,
  p: QueueParams,
): { answered_within_sl: number; short_abandoned: number } {
  if (s.judged) return s.judged;
  return {
    // Keys are ceil(wait): wait ≤ T exactly when ceil(wait) ≤ T, for whole-second T.
    answered_within_sl: countWhere(s.answered_hist, (k) => k <= p.sl_threshold_s),
    // Keys are floor(wait): wait < S exactly when floor(wait) < S, for whole-second S.
    short_abandoned: countWhere(s.abandoned_hist, (k) => k < p.short_abandon_s),
  };
}

const div = (a: number, b: number) => (b > 0 ? a / b : null);
const clamp01 = (x: number | null) => (x === null ? null : Math.min(1, Math.max(0, x)));

/**
 * Every figure of one queue over one period. `segments` are the period's sums per definition
 * version in force (usually one); each is judged by its own thresholds, then they add up.
 */
export function figures(segments: readonly { sums: Sums; params: QueueParams }[]): QueueFigures {
  let s = emptySums();
  let within = 0;
  let short = 0;
  for (const seg of segments) {
    s = addSums(s, seg.sums);
    const t = thresholdCounts(seg.sums, seg.params);
    within += t.answered_within_sl;
    short += t.short_abandoned;
  }
  // Callbacks and flow-outs are in neither part of the service level (metrics.md).
  const denominator = s.answered + s.abandoned - short;
  const busy = s.on_contact_ms + s.wrap_up_ms;
  return {
    offered: s.offered,
    answered: s.answered,
    abandoned: s.abandoned,
    short_abandoned: short,
    answered_within_sl: within,
    service_level: clamp01(div(within, denominator)),
    abandon_rate: clamp01(div(s.abandoned - short, denominator)),
    asa_s: s.answered > 0 ? s.answered_wait_ms / s.answered / 1000 : null,
    max_wait_s: s.offered > 0 && s.max_wait_ms !== null ? s.max_wait_ms / 1000 : null,
    callbacks: s.callbacks,
    flowed_out: s.flowed_out,
    handled: s.handled,
    aht_s: s.handled_timed > 0 ? s.handle_ms / s.handled_timed / 1000 : null,
    resolution_rate: clamp01(div(s.handled_resolved, s.handled)),
    transfer_rate: div(s.transfers, s.answered),
    first_response_s: s.first_responses > 0 ? s.first_response_ms / s.first_responses / 1000 : null,
    csat: clamp01(div(s.csat_good, s.csat_n)),
    nps: s.nps_n > 0 ? (s.nps_promoters - s.nps_detractors) / s.nps_n : null,
    fcr_survey: clamp01(div(s.fcr_yes, s.fcr_n)),
    low_csat: s.csat_low,
    csat_responses: s.csat_n,
    nps_responses: s.nps_n,
    fcr_responses: s.fcr_n,
    occupancy: clamp01(div(busy, busy + s.available_ms)),
    orphaned: s.orphaned,
  };
}
