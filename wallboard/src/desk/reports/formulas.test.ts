import { ReportRow } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { FORMULA_FIGURES, formulaOf } from "./formulas";

const V1 = {
  version: 1,
  valid_from: "1970-01-01T00:00:00.000Z",
  sl_threshold_s: 20,
  short_abandon_s: 5,
  sl_target: 0.8,
};

const frame = (start: string, end: string, queue: string, channel = "voice") => ({
  interval_start: start,
  interval_end: end,
  queue,
  channel,
  definition: { set: "floorwatch-metrics-v1", versions: [V1] },
  closed: true,
  restated: false,
  drill: `/api/v1/contacts?site=fixtures&queue=${queue}&from=x&to=y`,
});

// Rows as GET /reports/intervals answered them in test/integration/reports.test.ts, whose comments
// work every figure out by hand: cards 09:00–10:00 (c1…c8), webchat, and a quiet quarter.
const cards = ReportRow.parse({
  ...frame("2026-11-02T09:00:00+08:00", "2026-11-02T10:00:00+08:00", "cards"),
  offered: 8,
  answered: 4,
  abandoned: 2,
  short_abandoned: 1,
  answered_within_sl: 3,
  service_level: 0.6,
  abandon_rate: 0.2,
  asa_s: 16.5,
  max_wait_s: 40,
  callbacks: 1,
  flowed_out: 1,
  handled: 2,
  aht_s: 300,
  resolution_rate: 0.5,
  transfer_rate: 0.25,
  first_response_s: null,
  csat: 2 / 3,
  nps: 0,
  fcr_survey: 0.5,
  low_csat: 1,
  csat_responses: 3,
  nps_responses: 3,
  fcr_responses: 2,
  occupancy: 0.125,
  orphaned: 0,
});

const webchat = ReportRow.parse({
  ...frame("2026-11-02T09:00:00+08:00", "2026-11-02T10:00:00+08:00", "webchat", "chat"),
  offered: 1,
  answered: 1,
  abandoned: 0,
  short_abandoned: 0,
  answered_within_sl: 1,
  service_level: 1,
  abandon_rate: 0,
  asa_s: 30,
  max_wait_s: 30,
  callbacks: 0,
  flowed_out: 0,
  handled: 0,
  aht_s: null,
  resolution_rate: null,
  transfer_rate: 0,
  first_response_s: 70,
  csat: null,
  nps: null,
  fcr_survey: null,
  low_csat: 0,
  csat_responses: 0,
  nps_responses: 0,
  fcr_responses: 0,
  occupancy: null,
  orphaned: 0,
});

const quiet = ReportRow.parse({
  ...frame("2026-11-02T03:00:00+08:00", "2026-11-02T03:15:00+08:00", "cards"),
  offered: 0,
  answered: 0,
  abandoned: 0,
  short_abandoned: 0,
  answered_within_sl: 0,
  service_level: null,
  abandon_rate: null,
  asa_s: null,
  max_wait_s: null,
  callbacks: 0,
  flowed_out: 0,
  handled: 0,
  aht_s: null,
  resolution_rate: null,
  transfer_rate: null,
  first_response_s: null,
  csat: null,
  nps: null,
  fcr_survey: null,
  low_csat: 0,
  csat_responses: 0,
  nps_responses: 0,
  fcr_responses: 0,
  occupancy: null,
  orphaned: 0,
});

describe("report figures taken apart as metrics.md defines them", () => {
  it("gives the service level answered within T over answered + abandoned − short abandoned", () => {
    const f = formulaOf(cards, "service_level");
    expect(f.numerator).toEqual({
      terms: [{ name: "answered_within_sl", sign: 1, value: 3 }],
      value: 3,
      derived: false,
    });
    // Callbacks (1) and the flow-out (1) are in neither part: 4 + 2 − 1, not offered − short.
    expect(f.denominator?.terms.map((t) => [t.name, t.sign, t.value])).toEqual([
      ["answered", 1, 4],
      ["abandoned", 1, 2],
      ["short_abandoned", -1, 1],
    ]);
    expect(f.denominator?.value).toBe(5);
    expect(f.recomputed).toBe(0.6);
    expect(f.params).toEqual(["T", "S", "target"]);
    expect(f.versions).toEqual([V1]);
  });

  it("gives the abandon rate the abandons after S over the same denominator", () => {
    const f = formulaOf(cards, "abandon_rate");
    expect(f.numerator?.value).toBe(1);
    expect(f.denominator?.value).toBe(5);
    expect(f.recomputed).toBe(0.2);
    expect(f.params).toEqual(["S"]);
  });

  it("makes offered the sum of the four outcomes an offered visit can have", () => {
    const f = formulaOf(cards, "offered");
    expect(f.numerator?.terms.map((t) => t.name)).toEqual([
      "answered",
      "abandoned",
      "callbacks",
      "flowed_out",
    ]);
    expect(f.recomputed).toBe(8);
  });

  it("recomputes every figure whose parts are columns to the row's own value, on each row", () => {
    for (const row of [cards, webchat, quiet])
      for (const figure of FORMULA_FIGURES) {
        const f = formulaOf(row, figure);
        if (f.recomputed === undefined) continue;
        if (row[figure] === null) expect(f.recomputed, `${row.queue} ${figure}`).toBeNull();
        else expect(f.recomputed, `${row.queue} ${figure}`).toBeCloseTo(row[figure], 12);
      }
    // The ones that are recomputed, not merely restated.
    const recomputed = FORMULA_FIGURES.filter((x) => formulaOf(cards, x).recomputed !== undefined);
    expect(recomputed).toEqual(["offered", "service_level", "abandon_rate"]);
  });

  it("derives the counts behind ratios the row carries only as figures, flagged and whole", () => {
    const expected: [string, string, number, number][] = [
      // figure, derived term, derived value, denominator
      ["resolution_rate", "term_handled_resolved", 1, 2], // c1 resolved of c1, c2
      ["transfer_rate", "term_transfers", 1, 4], // c2 of 4 answered
      ["csat", "term_csat_good", 2, 3], // 5 and 4 of 5, 2, 4
      ["nps", "term_nps_net", 0, 3], // one 10, one 6
      ["fcr_survey", "term_fcr_yes", 1, 2],
    ];
    for (const [figure, term, value, den] of expected) {
      const f = formulaOf(cards, figure as (typeof FORMULA_FIGURES)[number]);
      expect(f.numerator, figure).toEqual({
        terms: [{ name: term, sign: 1, value }],
        value,
        derived: true,
      });
      expect(f.denominator?.value, figure).toBe(den);
      expect(f.recomputed, figure).toBeUndefined();
      expect((f.numerator?.value ?? Number.NaN) / den).toBeCloseTo(cards[figure as "csat"]!, 12);
    }
  });

  it("gives ASA the total wait of the answered visits over their number", () => {
    const f = formulaOf(cards, "asa_s");
    expect(f.kind).toBe("mean");
    expect(f.numerator).toMatchObject({ value: 66, derived: true }); // 20 + 21 + 10 + 15
    expect(f.denominator).toMatchObject({ value: 4, derived: false });
  });

  it("names what a count, maximum or mean counts where the row has no numerator for it", () => {
    expect(formulaOf(cards, "answered_within_sl")).toMatchObject({
      kind: "count",
      counts: { name: "answered", value: 4 },
      params: ["T"],
    });
    expect(formulaOf(cards, "short_abandoned")).toMatchObject({
      counts: { name: "abandoned", value: 2 },
      params: ["S"],
    });
    expect(formulaOf(cards, "max_wait_s")).toMatchObject({
      kind: "max",
      counts: { name: "offered", value: 8 },
    });
    expect(formulaOf(cards, "aht_s")).toMatchObject({
      kind: "mean",
      counts: { name: "term_handled_contacts", value: 2 },
    });
    const occupancy = formulaOf(cards, "occupancy");
    expect(occupancy.numerator).toBeUndefined();
    expect(occupancy.counts).toBeUndefined();
    expect(formulaOf(webchat, "first_response_s")).toMatchObject({ value: 70, kind: "mean" });
  });

  it("has no value and no derived count where the denominator is 0", () => {
    const sl = formulaOf(quiet, "service_level");
    expect(sl.denominator?.value).toBe(0);
    expect(sl.recomputed).toBeNull();
    const csat = formulaOf(quiet, "csat");
    expect(csat.numerator).toMatchObject({ value: null, derived: true });
    expect(csat.value).toBeNull();
  });

  it("carries every definition version the interval was judged by", () => {
    const v2 = { ...V1, version: 2, valid_from: "2026-11-02T09:30:00.000Z", sl_threshold_s: 30 };
    const split = { ...cards, definition: { set: "floorwatch-metrics-v1", versions: [V1, v2] } };
    expect(formulaOf(split, "answered_within_sl").versions.map((v) => v.version)).toEqual([1, 2]);
  });
});
