import { ThresholdRuleDraft, type ThresholdRuleDraft as Rule } from "@floorwatch/contracts";
import type { BacktestContactRow, BacktestSurveyRow } from "@floorwatch/sql";
import { describe, expect, it } from "vitest";
import { ApiError } from "../errors";
import { defaultQueue, type QueueConfig, type SiteConfig } from "../metrics/config";
import { type BacktestFacts, evidenceFrom, replay } from "./backtest";

const S = 1_000;
const T0 = Date.parse("2026-03-02T00:00:00Z"); // a Monday, midnight UTC
const at = (s: number) => T0 + s * S;

const site = (...queues: QueueConfig[]): SiteConfig => ({ site: "s", tz: "UTC", queues });
const LOANS = defaultQueue("loans"); // voice: T 20 s, S 5 s, target 80 %
const CARDS = defaultQueue("cards");

const rule = (r: Partial<Rule>): Rule =>
  ThresholdRuleDraft.parse({
    kind: "threshold",
    name: "r",
    scope: { kind: "queue", queue: "loans" },
    comparator: ">",
    ...r,
  });

/** A rule without `for` or keep_firing_for: it fires and resolves at the step its comparison turns. */
const atOnce = (r: Partial<Rule>): Rule => rule({ for_s: 0, keep_firing_for_s: 0, ...r });

let ids = 0;
/** A visit of `queue` from `startS` to `endS` (seconds after T0). */
const visit = (
  startS: number,
  endS: number,
  outcome = "answered",
  queue = "loans",
): BacktestContactRow => ({
  kind: "visit",
  queue,
  contact_id: `c${++ids}`,
  start_ms: at(startS),
  anchor_ms: at(endS),
  outcome,
  duration_ms: (endS - startS) * S,
  n: 1,
});

const facts = (
  contacts: BacktestContactRow[],
  more: Partial<BacktestFacts> = {},
): BacktestFacts => ({
  contacts,
  open: [],
  surveys: [],
  ...more,
});

/** The firings in seconds after T0, for short assertions. */
function firings(
  config: SiteConfig,
  r: Rule,
  f: BacktestFacts,
  fromS: number,
  toS: number,
  extra = {},
) {
  return replay(config, r, f, {
    from_ms: at(fromS),
    to_ms: at(toS),
    step_ms: 5 * S,
    ...extra,
  }).firings.map((x) => ({
    scope: x.scope.key,
    pending: (x.pending_since_ms - T0) / S,
    fired: (x.fired_ms - T0) / S,
    resolved: x.resolved_ms === null ? null : (x.resolved_ms - T0) / S,
    peak: x.peak,
    peak_at: (x.peak_ms - T0) / S,
  }));
}

const longestWait = rule({
  figure: "longest_waiting_s",
  window: "now",
  threshold: 300,
  recovery_threshold: 240,
  for_s: 60,
  keep_firing_for_s: 60,
});

describe("a backtest of a longest-wait rule", () => {
  it("fires at the first step past start + 300 s once `for` has passed, and resolves keep_firing_for after the caller is answered", () => {
    // Queued at 10 s, answered at 710 s: over 300 s from the step at 315 s (310 s is exactly 300).
    const r = firings(site(LOANS), longestWait, facts([visit(10, 710)]), 0, 1200);
    expect(r).toEqual([
      { scope: "queue:loans", pending: 315, fired: 375, resolved: 770, peak: 695, peak_at: 705 },
    ]);
  });

  it("keeps firing while the next caller in line waits inside the recovery band", () => {
    // When the first is answered at 710 s the second has waited 250 s (over 240): still a breach;
    // it is answered at 800 s, and the alert resolves 60 s later.
    const r = firings(site(LOANS), longestWait, facts([visit(10, 710), visit(460, 800)]), 0, 1200);
    expect(r).toEqual([
      { scope: "queue:loans", pending: 315, fired: 375, resolved: 860, peak: 695, peak_at: 705 },
    ]);
  });

  it("counts a visit still open now as waiting until 12 h after its start, and reports it still firing at the end", () => {
    const open = { queue: "loans", contact_id: "c-open", start_ms: at(0) };
    const r = firings(site(LOANS), longestWait, facts([], { open: [open] }), 0, 1000);
    expect(r).toEqual([
      { scope: "queue:loans", pending: 305, fired: 365, resolved: null, peak: 995, peak_at: 995 },
    ]);
    // Twelve hours on, the live snapshot no longer reads it: the alert resolves.
    const later = firings(site(LOANS), longestWait, facts([], { open: [open] }), 43_000, 43_400);
    expect(later.map((x) => x.resolved)).toEqual([43_260]);
  });

  it("gives each queue its own alert, and a site-wide rule the longest wait of all queues", () => {
    const f = facts([visit(0, 400), visit(100, 700, "abandoned", "cards")]);
    const each = { ...longestWait, scope: { kind: "each_queue" as const, except: [] } };
    expect(firings(site(LOANS, CARDS), each, f, 0, 1000).map((x) => [x.scope, x.fired])).toEqual([
      ["queue:loans", 365],
      ["queue:cards", 465],
    ]);
    const whole = { ...longestWait, scope: { kind: "site" as const } };
    expect(firings(site(LOANS, CARDS), whole, f, 0, 1000)).toEqual([
      { scope: "site", pending: 305, fired: 365, resolved: 760, peak: 595, peak_at: 695 },
    ]);
  });
});

describe("a backtest of a service-level rule", () => {
  // Under 50 % over 15 minutes with at least 20 offered; recovered at 60 %.
  const sl = rule({
    figure: "service_level",
    window: "15m",
    comparator: "<",
    threshold: 0.5,
    recovery_threshold: 0.6,
    min_volume: 20,
    for_s: 60,
    keep_firing_for_s: 60,
  });
  // Twenty calls answered after 30 s (over T), ending at 60, 65 … 155 s; then 22 answered within
  // T at 300 s (22/42 = 52 %: inside the band) and 9 more at 400 s (31/51 = 61 %: recovered).
  const late = Array.from({ length: 20 }, (_, i) => visit(30 + 5 * i, 60 + 5 * i));
  const batch1 = Array.from({ length: 22 }, () => visit(290, 300));
  const batch2 = Array.from({ length: 9 }, () => visit(390, 400));
  const f = facts([...late, ...batch1, ...batch2]);

  it("holds off until the window holds min_volume contacts, then fires after `for`", () => {
    expect(firings(site(LOANS), sl, f, 0, 1200)).toEqual([
      { scope: "queue:loans", pending: 155, fired: 215, resolved: 460, peak: 0, peak_at: 155 },
    ]);
  });

  it("without the volume guard fires on the first late call", () => {
    const unguarded = { ...sl, min_volume: undefined };
    expect(firings(site(LOANS), unguarded, f, 0, 1200).map((x) => [x.pending, x.fired])).toEqual([
      [60, 120],
    ]);
  });

  it("stays firing inside the hysteresis band and resolves only past the recovery threshold", () => {
    // With the recovery threshold at the firing one, 52 % at 300 s already counts as recovered.
    const noBand = { ...sl, recovery_threshold: 0.5 };
    expect(firings(site(LOANS), noBand, f, 0, 1200).map((x) => x.resolved)).toEqual([360]);
  });

  it("counts a visit at both edges of a 15-minute window, as computeLive's [now − 15 min, now]", () => {
    // One visit ending at 100 s: in the window at every step from 100 s to 1000 s inclusive.
    const offered = atOnce({ figure: "offered", window: "15m", threshold: 0 });
    expect(firings(site(LOANS), offered, facts([visit(90, 100)]), 0, 1200)).toEqual([
      { scope: "queue:loans", pending: 100, fired: 100, resolved: 1005, peak: 1, peak_at: 100 },
    ]);
  });

  it("counts the day from the site's local midnight: a visit of 23:59 Shanghai leaves 'today' at 00:00", () => {
    const shanghai: SiteConfig = { ...site(LOANS), tz: "Asia/Shanghai" };
    const midnight = Date.parse("2026-03-02T00:00:00+08:00");
    const s = (ms: number) => (ms - T0) / S;
    const offered = atOnce({ figure: "offered", window: "today", threshold: 0 });
    const f2 = facts([visit(s(midnight) - 30, s(midnight) - 10)]);
    expect(
      firings(shanghai, offered, f2, s(midnight) - 60, s(midnight) + 60).map((x) => [
        x.fired,
        x.resolved,
      ]),
    ).toEqual([[s(midnight) - 10, s(midnight)]]);
  });

  it("judges each visit by the version in force at its end, and reads sl_target of the version in force", () => {
    // Version 2 from 900 s: T 60 s, target 40 %. A 40 s answer is late at 600 s (T 20 s) and on
    // time at 1000 s (T 60 s): 1 of 2 within T, and 50 % is over the new target.
    const q: QueueConfig = {
      ...LOANS,
      versions: [
        ...LOANS.versions,
        {
          version: 2,
          valid_from_ms: at(900),
          sl_threshold_s: 60,
          short_abandon_s: 5,
          sl_target: 0.4,
        },
      ],
    };
    const target = atOnce({
      figure: "service_level",
      window: "60m",
      comparator: "<",
      threshold: "sl_target",
    });
    expect(firings(site(q), target, facts([visit(560, 600), visit(960, 1000)]), 0, 1200)).toEqual([
      { scope: "queue:loans", pending: 600, fired: 600, resolved: 1000, peak: 0, peak_at: 600 },
    ]);
  });
});

describe("a backtest's other figures", () => {
  it("counts breaching_soon by T of the version in force: a caller 10 s short of T counts", () => {
    const soon = atOnce({
      figure: "breaching_soon",
      window: "now",
      comparator: ">=",
      threshold: 1,
    });
    // Queued at 0: t + 10 s − 0 > 20 s from the step at 15 s; answered at 100 s.
    expect(firings(site(LOANS), soon, facts([visit(0, 100)]), 0, 300)).toEqual([
      { scope: "queue:loans", pending: 15, fired: 15, resolved: 100, peak: 1, peak_at: 15 },
    ]);
  });

  it("reads survey responses for csat and guards it by the responses", () => {
    const survey = (s: number, csat: number): BacktestSurveyRow => ({
      queue: "loans",
      survey_id: `s${++ids}`,
      contact_id: "c",
      anchor_ms: at(s),
      csat,
      nps: -1,
      resolved: -1,
      n: 1,
    });
    const csat = atOnce({
      figure: "csat",
      window: "60m",
      comparator: "<",
      threshold: 0.85,
      min_volume: 3,
    });
    const surveys = [survey(10, 2), survey(20, 5), survey(30, 5), survey(40, 5)];
    // 1 of 2 (thin), 2 of 3 good at 30 s (67 %: fires), 3 of 4 at 40 s (75 %: still under).
    expect(firings(site(LOANS), csat, facts([], { surveys }), 0, 100)).toEqual([
      { scope: "queue:loans", pending: 30, fired: 30, resolved: null, peak: 2 / 3, peak_at: 30 },
    ]);
  });

  it("is held off outside business hours, and a firing alert resolves once the site closes", () => {
    // Open Mondays 00:00–00:10 (the range starts on a Monday at midnight UTC).
    const hours = [{ valid_from_ms: 0, weekly: [{ day: 1, open: "00:00", close: "00:10" }] }];
    const muted = { ...longestWait, mute_outside_hours: true };
    const f = facts([visit(0, 1000)]);
    expect(firings(site(LOANS), muted, f, 0, 1200, { hours })).toEqual([
      { scope: "queue:loans", pending: 305, fired: 365, resolved: 660, peak: 595, peak_at: 595 },
    ]);
  });

  it("refuses figures it cannot replay, naming them", () => {
    const occupancy = rule({ figure: "occupancy", window: "15m", threshold: 0.9 });
    expect(() => replay(site(LOANS), occupancy, facts([]), { from_ms: T0, to_ms: at(60) })).toThrow(
      ApiError,
    );
    expect(() =>
      replay(
        site(LOANS),
        rule({ figure: "agents.available", window: "now", threshold: 1 }),
        facts([]),
        {
          from_ms: T0,
          to_ms: at(60),
        },
      ),
    ).toThrow(/"agents.available" cannot be backtested/);
  });
});

describe("a backtest's scopes and evidence", () => {
  const offeredUnder = (scope: Rule["scope"]) =>
    atOnce({
      figure: "offered",
      window: "15m",
      comparator: "<",
      threshold: 1,
      scope,
    });

  it("never fires on a scope the live snapshot lacks, while the site as a whole always has figures", () => {
    const empty = site();
    expect(
      firings(empty, offeredUnder({ kind: "queue", queue: "loans" }), facts([]), 0, 60),
    ).toEqual([]);
    expect(
      firings(empty, offeredUnder({ kind: "channel", channel: "chat" }), facts([]), 0, 60),
    ).toEqual([]);
    // The live snapshot's totals exist with no queue at all: nothing offered, under 1.
    expect(
      firings(empty, offeredUnder({ kind: "site" }), facts([]), 0, 60).map((x) => x.fired),
    ).toEqual([0]);
  });

  it("lists for breaching_soon only the waiting visits it counted, with their wait so far", () => {
    const soon = rule({ figure: "breaching_soon", window: "now", comparator: ">=", threshold: 1 });
    // At 100 s: queued at 60 s (40 s: counted), at 95 s (5 s + 10 s lookahead: not), and one
    // answered at 90 s (no longer waiting).
    const f = facts([visit(60, 200), visit(95, 300), visit(10, 90)]);
    const e = evidenceFrom(site(LOANS), soon, "queue:loans", f, at(100));
    expect(e.value).toBe(1);
    expect(e.visits.map((v) => [v.started_at_ms, v.wait_s])).toEqual([[at(60), 40]]);
    const waiting = evidenceFrom(
      site(LOANS),
      { ...soon, figure: "waiting" },
      "queue:loans",
      f,
      at(100),
    );
    expect(waiting.visits.map((v) => v.wait_s)).toEqual([40, 5]);
  });

  it("lists for a service level its denominator: answered and abandoned but short abandons, in the window", () => {
    const sl = rule({ figure: "service_level", window: "15m", comparator: "<", threshold: 0.8 });
    const f = facts([
      visit(0, 10), // answered within T
      visit(0, 30), // answered late
      visit(100, 103, "abandoned"), // short: in neither part
      visit(100, 130, "abandoned"),
      visit(100, 140, "callback"), // in neither part
      visit(0, 1100), // after the instant
    ]);
    const e = evidenceFrom(site(LOANS), sl, "queue:loans", f, at(900));
    expect(e.value).toBe(1 / 3);
    expect(e.from_ms).toBe(at(0));
    expect(e.visits.map((v) => [v.outcome, v.wait_s])).toEqual([
      ["answered", 10],
      ["answered", 30],
      ["abandoned", 30],
    ]);
  });
});
