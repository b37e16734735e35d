// The alert backtest against a real month: March 1999 of the Anonymous Bank (38,000 calls, its
// busiest month for long waits) replayed through the real Kafka and the ingest, then two rules
// backtested over the whole month at 60 s steps and their firings compared with firings computed
// here from the raw file alone: the records parsed by metrics.md's mapping, who waits and the
// sliding 60-minute service level counted per step, and `for`, hysteresis and keep_firing_for
// applied by a few lines of this file. Nothing of the engine is shared with the check: not
// lifecycle.ts, not its parser, not the ingest's (parseBankFile, queueStart), not the calendar.
// The engine's window figures are also compared with computeLive's at sample instants (the live
// snapshot it claims to reproduce), and its time for 30 days at 5 s steps is logged.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ThresholdRuleDraft, type ThresholdRuleDraft as Rule } from "@floorwatch/contracts";
import {
  ANONYMOUS_BANK_SITE as SITE,
  ensureBankSite,
  replayBank,
  startIngest,
  type RunningIngest,
} from "@floorwatch/ingest";
import { sql } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BacktestFirings,
  backtest,
  evidenceAt,
  figureAt,
} from "../../api/src/alerts/backtest";
import { loadSiteConfig, type SiteConfig } from "../../api/src/metrics/config";
import { computeLive } from "../../api/src/metrics/live";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";

const FILE = join(import.meta.dirname, "../../../shared/data/anonymous-bank/1999-03.txt");
const TZ = "Asia/Jerusalem";
const QUEUE = "PS"; // the busiest queue: 24,324 of March's calls
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ORPHAN_MS = 12 * HOUR;
const T_MS = 20_000; // voice service-level threshold (metrics.md)
const S_MS = 5_000; // short-abandon threshold

// ---------------------------------------------------------------------------------------------
// The raw records, by metrics.md "Reference data", parsed here

/** Epoch ms of a UTC reading of the Jerusalem wall clock at `ms`. */
const wallFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: TZ,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});
function wallAsUtc(ms: number): number {
  const p: Record<string, number> = {};
  for (const x of wallFormat.formatToParts(new Date(ms))) p[x.type] = Number(x.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}
/** The instant the Jerusalem clock read `wall` (a wall time written as if UTC). */
function jerusalem(wall: number): number {
  const guess = wall - (wallAsUtc(wall) - wall);
  return wall - (wallAsUtc(guess) - guess);
}
const seconds = (hms: string) => {
  const [h, m, s] = hms.split(":").map(Number);
  return h! * 3600 + m! * 60 + s!;
};

interface Visit {
  start: number;
  /** When it stopped waiting: answered, abandoned, or closed as orphaned 12 h after its start. */
  end: number;
  outcome: "answered" | "abandoned" | "orphaned";
  wait: number;
}

/** The visits of one queue in the file, by metrics.md's mapping. */
function visitsOf(queue: string): { visits: Visit[]; all: number } {
  const visits: Visit[] = [];
  let all = 0;
  const lines = readFileSync(FILE, "utf8").split(/\r?\n/).slice(1);
  for (const line of lines) {
    if (!line) continue;
    const f = line.split("\t").map((x) => x.trim());
    const [type, date, vruEntry, vruExit, qStart, qTime, outcome] = [
      f[4]!,
      f[5]!,
      f[6]!,
      f[7]!,
      f[9]!,
      Number(f[11]),
      f[12]!,
    ];
    if (outcome === "PHANTOM" || (outcome === "HANG" && qStart === "0:00:00")) continue;
    if (outcome !== "AGENT" && outcome !== "HANG") continue;
    all++;
    if (type !== queue) continue;
    const tod = seconds(qStart === "0:00:00" ? vruExit : qStart);
    // More than an hour before the VRU entry: the call crossed midnight.
    const day = tod < seconds(vruEntry) - 3600 ? 1 : 0;
    const y = 1900 + Number(date.slice(0, 2));
    const wall = Date.UTC(y, Number(date.slice(2, 4)) - 1, Number(date.slice(4, 6)) + day);
    const start = jerusalem(wall + tod * 1000);
    const wait = qTime * 1000;
    visits.push(
      wait > ORPHAN_MS
        ? { start, end: start + ORPHAN_MS, outcome: "orphaned", wait: ORPHAN_MS }
        : {
            start,
            end: start + wait,
            outcome: outcome === "AGENT" ? "answered" : "abandoned",
            wait,
          },
    );
  }
  return { visits, all };
}

// ---------------------------------------------------------------------------------------------
// The figures at each step, and the firings, computed here

/** longest_waiting_s at each step: now − the earliest start among visits with start ≤ t < end. */
function longestWaits(visits: Visit[], steps: number[]): (number | null)[] {
  const byStart = [...visits].sort((a, b) => a.start - b.start);
  let lo = 0;
  return steps.map((t) => {
    // A visit waits at most 12 h: those that started earlier are over.
    while (lo < byStart.length && byStart[lo]!.start <= t - ORPHAN_MS) lo++;
    for (let i = lo; i < byStart.length && byStart[i]!.start <= t; i++)
      if (byStart[i]!.end > t) return (t - byStart[i]!.start) / 1000;
    return 0;
  });
}

/** service_level over [t − 60 min, t] at each step, and the offered calls it rests on. */
function hourlyServiceLevels(visits: Visit[], steps: number[]) {
  const ended = visits.filter((v) => v.outcome !== "orphaned").sort((a, b) => a.end - b.end);
  let first = 0;
  let next = 0;
  return steps.map((t) => {
    while (first < ended.length && ended[first]!.end < t - HOUR) first++;
    while (next < ended.length && ended[next]!.end <= t) next++;
    let answered = 0;
    let within = 0;
    let abandoned = 0;
    let short = 0;
    for (let i = first; i < next; i++) {
      const v = ended[i]!;
      if (v.outcome === "answered") {
        answered++;
        if (v.wait <= T_MS) within++;
      } else {
        abandoned++;
        if (v.wait < S_MS) short++;
      }
    }
    const denominator = answered + abandoned - short;
    return { value: denominator ? within / denominator : null, volume: next - first };
  });
}

interface Firing {
  pending: number;
  fired: number;
  resolved: number | null;
  peak: number;
  peak_at: number;
}

/** for, a recovery threshold and keep_firing_for over observations, as the alert rules say. */
function firingsOf(
  obs: { t: number; value: number | null; volume?: number }[],
  r: {
    above: boolean;
    threshold: number;
    recovery: number;
    forMs: number;
    keepMs: number;
    minVolume?: number;
  },
): Firing[] {
  const beyond = (v: number, x: number) => (r.above ? v > x : v < x);
  const out: Firing[] = [];
  let phase: "quiet" | "pending" | "firing" = "quiet";
  let f: Firing = { pending: 0, fired: 0, resolved: null, peak: 0, peak_at: 0 };
  let recoveredSince: number | null = null;
  for (const { t, value, volume } of obs) {
    const usable = value !== null && (r.minVolume === undefined || (volume ?? 0) >= r.minVolume);
    if (phase === "firing") {
      if (usable && beyond(value, r.recovery)) {
        recoveredSince = null;
        if (beyond(value, f.peak)) f = { ...f, peak: value, peak_at: t };
      } else if (t - (recoveredSince ??= t) >= r.keepMs) {
        out.push({ ...f, resolved: t });
        phase = "quiet";
      }
    } else if (!usable || !beyond(value, r.threshold)) phase = "quiet";
    else {
      if (phase === "quiet") f = { pending: t, fired: 0, resolved: null, peak: value, peak_at: t };
      else if (beyond(value, f.peak)) f = { ...f, peak: value, peak_at: t };
      phase = "pending";
      if (t - f.pending >= r.forMs) {
        phase = "firing";
        f.fired = t;
        recoveredSince = null;
      }
    }
  }
  if (phase === "firing") out.push(f);
  return out;
}

const engineFirings = (r: BacktestFirings): Firing[] =>
  r.firings.map((x) => ({
    pending: x.pending_since_ms,
    fired: x.fired_ms,
    resolved: x.resolved_ms,
    peak: x.peak,
    peak_at: x.peak_ms,
  }));

// ---------------------------------------------------------------------------------------------

const rule = (r: Partial<Rule>): Rule =>
  ThresholdRuleDraft.parse({
    kind: "threshold",
    name: "backtest",
    scope: { kind: "queue", queue: QUEUE },
    ...r,
  });

const longestWait = rule({
  figure: "longest_waiting_s",
  window: "now",
  comparator: ">",
  threshold: 300,
  recovery_threshold: 240,
  for_s: 60,
  keep_firing_for_s: 60,
});
const hourlySl = rule({
  figure: "service_level",
  window: "60m",
  comparator: "<",
  threshold: 0.8,
  min_volume: 20,
  for_s: 60,
  keep_firing_for_s: 60,
});

// March in Jerusalem (no clock change in it: 1999's summer time began on 2 April).
const FROM = Date.parse("1999-03-01T00:00:00+02:00");
const TO = Date.parse("1999-04-01T00:00:00+02:00");

describe("backtests over a real month, against firings computed from the raw records", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let config: SiteConfig;
  const { visits, all } = visitsOf(QUEUE);
  const steps = Array.from({ length: (TO - FROM) / MINUTE }, (_, k) => FROM + k * MINUTE);

  beforeAll(async () => {
    h = await createHarness("backtest");
    await ensureBankSite(h.clickhouse);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    await replayBank(h.kafka, {
      files: [FILE],
      topic: h.config.topics.calls,
      partitions: h.config.kafka.partitions,
      speed: null,
    });
    await waitForIngested(h, undefined, { timeoutMs: 540_000, intervalMs: 2_000 });
    // Every visit of the file is a fact (the offsets prove it was derived; this, that nothing is missing).
    const rs = await h.ch.query({
      query: sql`SELECT sum(offered) + sum(orphaned) AS v FROM queue_quarter WHERE site = ${SITE}`
        .text,
      format: "JSONEachRow",
    });
    const [t] = await rs.json<{ v: string }>();
    expect(Number(t?.v)).toBe(all);
    config = await loadSiteConfig(h.ch, SITE);
  }, 900_000);

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
  });

  it("judges the queue by the voice defaults the check assumes (T 20 s, S 5 s, target 80 %)", () => {
    expect(config.tz).toBe(TZ);
    const ps = config.queues.find((q) => q.queue === QUEUE)!;
    expect(ps.versions.map((v) => [v.sl_threshold_s, v.short_abandon_s, v.sl_target])).toEqual([
      [20, 5, 0.8],
    ]);
  });

  it("fires a longest-wait rule exactly when the raw records say someone waited over 5 minutes", async () => {
    const r = await backtest(h.ch, config, longestWait, {
      from_ms: FROM,
      to_ms: TO,
      step_ms: MINUTE,
    });
    expect(r.steps).toBe(steps.length);
    const values = longestWaits(visits, steps);
    const expected = firingsOf(
      steps.map((t, i) => ({ t, value: values[i]! })),
      { above: true, threshold: 300, recovery: 240, forMs: MINUTE, keepMs: MINUTE },
    );
    console.log(
      `longest wait > 300 s on ${QUEUE}, March 1999 at 60 s: ${expected.length} firings, backtest ${Math.round(r.elapsed_ms)} ms`,
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(engineFirings(r)).toEqual(expected);
    expect(new Set(r.firings.map((f) => f.scope.key))).toEqual(new Set([`queue:${QUEUE}`]));
  });

  it("fires an hourly service-level rule exactly when the raw records' sliding hour falls under 80 % on 20 calls or more", async () => {
    const r = await backtest(h.ch, config, hourlySl, { from_ms: FROM, to_ms: TO, step_ms: MINUTE });
    const sl = hourlyServiceLevels(visits, steps);
    const expected = firingsOf(
      steps.map((t, i) => ({ t, ...sl[i]! })),
      { above: false, threshold: 0.8, recovery: 0.8, forMs: MINUTE, keepMs: MINUTE, minVolume: 20 },
    );
    console.log(
      `hourly service level < 80 % on ${QUEUE}, March 1999 at 60 s: ${expected.length} firings, backtest ${Math.round(r.elapsed_ms)} ms`,
    );
    expect(expected.length).toBeGreaterThan(20);
    expect(engineFirings(r)).toEqual(expected);
  });

  it("shows at a firing's peak exactly the visits behind the figure", async () => {
    const lw = await backtest(h.ch, config, longestWait, {
      from_ms: FROM,
      to_ms: TO,
      step_ms: MINUTE,
    });
    const first = lw.firings[0]!;
    const waiting = await evidenceAt(h.ch, config, longestWait, `queue:${QUEUE}`, first.peak_ms);
    expect(waiting.value).toBe(first.peak);
    expect(Math.max(...waiting.visits.map((v) => v.wait_s))).toBe(first.peak);
    const expectedWaiting = visits.filter((v) => v.start <= first.peak_ms && first.peak_ms < v.end);
    const ascending = (xs: number[]) => xs.sort((a, b) => a - b);
    expect(ascending(waiting.visits.map((v) => v.started_at_ms))).toEqual(
      ascending(expectedWaiting.map((v) => v.start)),
    );

    const sl = await backtest(h.ch, config, hourlySl, {
      from_ms: FROM,
      to_ms: TO,
      step_ms: MINUTE,
    });
    const worst = sl.firings[0]!;
    const e = await evidenceAt(h.ch, config, hourlySl, `queue:${QUEUE}`, worst.peak_ms);
    const within = e.visits.filter((v) => v.outcome === "answered" && v.wait_s <= 20).length;
    expect(e.value).toBe(worst.peak);
    expect(within / e.visits.length).toBe(worst.peak);
    expect(e.from_ms).toBe(worst.peak_ms - HOUR);
  });

  it("reads each window figure as computeLive shows it at the same instant, edges included", async () => {
    const ps = visits.filter((v) => v.outcome !== "orphaned").sort((a, b) => a.end - b.end);
    const busy = ps[Math.floor(ps.length / 2)]!.end; // a visit's end mid-month
    const instants = [
      busy, // the visit has just ended
      busy + 15 * MINUTE, // at the far edge of the 15-minute window
      busy + HOUR, // and of the 60-minute one
      busy + HOUR + 1,
      Date.parse("1999-03-08T00:00:00+02:00"), // local midnight: "today" is empty
      Date.parse("1999-03-08T00:00:00+02:00") + 90 * MINUTE + 7_321,
      Date.parse("1999-03-16T10:17:13+02:00"),
      Date.parse("1999-03-24T15:44:02+02:00"),
    ];
    const figures = ["offered", "service_level", "abandon_rate", "asa_s", "max_wait_s", "aht_s"];
    for (const at of instants) {
      const snap = await computeLive(h.ch, config, at);
      const live = snap.queues.find((q) => q.queue === QUEUE)!;
      for (const window of ["15m", "60m", "today"] as const)
        for (const figure of figures) {
          const r = rule({ figure, window, comparator: ">", threshold: 0 });
          expect(
            await figureAt(h.ch, config, r, `queue:${QUEUE}`, at),
            `${figure} ${window} at ${at}`,
          ).toBe(live.windows[window][figure as "offered"]);
        }
    }
  });

  it("replays 30 days at the evaluator's 5 s steps (timed, logged)", async () => {
    const month = { from_ms: FROM, to_ms: FROM + 30 * 24 * HOUR, step_ms: 5_000 };
    for (const r of [longestWait, hourlySl]) {
      const out = await backtest(h.ch, config, r, month);
      expect(out.steps).toBe(518_400);
      console.log(
        `30 days at 5 s on ${QUEUE} (${r.figure}, ${r.window}): ${out.steps} steps, ${out.firings.length} firings, ${out.facts.contacts + out.facts.open} facts, ${Math.round(out.elapsed_ms)} ms`,
      );
    }
  });
});
