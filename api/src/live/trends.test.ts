// The pure parts of the TV's trends: which queues a tile stands for, the intervals of a screen's
// day and fortnight in the site's calendar, and a group's figures from its queues' rollup cells.
// Expected values are worked out by hand in the comments.
import { describe, expect, it } from "vitest";
import { defaultQueue, type QueueConfig, type SiteConfig } from "../metrics/config";
import { groupFigures, tileQueues, type TrendCell, trendStarts } from "./trends";

const queue = (id: string, channel: string, slThresholdS: number, v2ThresholdS?: number) => {
  const q = defaultQueue(id, channel);
  q.versions[0]!.sl_threshold_s = slThresholdS;
  if (v2ThresholdS !== undefined)
    q.versions.push({
      ...q.versions[0]!,
      version: 2,
      valid_from_ms: 0,
      sl_threshold_s: v2ThresholdS,
    });
  return q;
};

const config: SiteConfig = {
  site: "s",
  tz: "Asia/Shanghai",
  queues: [queue("cards", "voice", 20), queue("loans", "voice", 20), queue("web", "chat", 60)],
};

/** A rollup cell: zero everywhere but what the test names. */
function cell(q: string, bucketS: number, over: Partial<TrendCell>): TrendCell {
  const zero = {
    offered: 0,
    answered: 0,
    abandoned: 0,
    callbacks: 0,
    flowed_out: 0,
    orphaned: 0,
    answered_wait_ms: 0,
    max_wait_ms: 0,
    handled: 0,
    handled_timed: 0,
    handle_ms: 0,
    handled_resolved: 0,
    transfers: 0,
    first_responses: 0,
    first_response_ms: 0,
    answered_within_sl: 0,
    short_abandoned: 0,
    misjudged: 0,
    retracted: 0,
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
  };
  return { ...zero, queue: q, bucket: bucketS, version: 1, ...over };
}

const names = (qs: QueueConfig[]) => qs.map((q) => q.queue);

describe("tileQueues", () => {
  it("gives the site every queue, a channel its own queues, a queue itself", () => {
    expect(names(tileQueues(config, "site"))).toEqual(["cards", "loans", "web"]);
    expect(names(tileQueues(config, "channel:voice"))).toEqual(["cards", "loans"]);
    expect(names(tileQueues(config, "channel:chat"))).toEqual(["web"]);
    expect(tileQueues(config, "channel:email")).toEqual([]);
    expect(tileQueues(config, "queue:loans")).toEqual([config.queues[1]]);
  });

  it("judges a queue no definition names yet by the voice defaults, as the report does", () => {
    const [q] = tileQueues(config, "queue:new:one");
    expect(q?.queue).toBe("new:one");
    expect(q?.versions[0]?.sl_threshold_s).toBe(20);
  });
});

describe("trendStarts", () => {
  it("takes every quarter hour from local midnight to the one holding now, and 14 local days", () => {
    // 2026-11-02 11:07 in Shanghai (UTC+8): 00:00 … 11:00 is 11 × 4 + 1 = 45 quarters.
    const now = Date.parse("2026-11-02T11:07:00+08:00");
    const { quarters, days } = trendStarts("Asia/Shanghai", now);
    expect(quarters).toHaveLength(45);
    expect(quarters[0]).toBe(Date.parse("2026-11-02T00:00:00+08:00"));
    expect(quarters.at(-1)).toBe(Date.parse("2026-11-02T11:00:00+08:00"));
    expect(days).toHaveLength(14);
    expect(days[0]).toBe(Date.parse("2026-10-20T00:00:00+08:00"));
    expect(days.at(-1)).toBe(Date.parse("2026-11-02T00:00:00+08:00"));
  });

  it("holds the now's quarter when now is its first millisecond", () => {
    const now = Date.parse("2026-11-02T00:00:00+08:00");
    expect(trendStarts("Asia/Shanghai", now).quarters).toEqual([now]);
  });

  it("follows the site's calendar across a clock change: a 25-hour day, days of 23 and 24 hours", () => {
    // New York falls back on 2026-11-01: its day is 25 hours, 100 quarters up to 23:45 EST.
    const now = Date.parse("2026-11-01T23:50:00-05:00");
    const { quarters, days } = trendStarts("America/New_York", now);
    expect(quarters).toHaveLength(100);
    expect(quarters[0]).toBe(Date.parse("2026-11-01T00:00:00-04:00"));
    // 14 local midnights, the earlier ones in daylight time (-04:00).
    expect(days).toHaveLength(14);
    expect(days[0]).toBe(Date.parse("2026-10-19T00:00:00-04:00"));
    expect(days.at(-1)).toBe(Date.parse("2026-11-01T00:00:00-04:00"));
    // Spring forward (2026-03-08, 23 hours): the day after it starts at midnight EDT.
    const spring = trendStarts("America/New_York", Date.parse("2026-03-09T08:00:00-04:00"));
    expect(spring.days.slice(-2)).toEqual([
      Date.parse("2026-03-08T00:00:00-05:00"),
      Date.parse("2026-03-09T00:00:00-04:00"),
    ]);
  });
});

describe("groupFigures", () => {
  const t0 = Date.parse("2026-11-02T09:00:00+08:00");
  const t1 = t0 + 900_000;

  it("sums the members' counts before taking a ratio, never averaging the queues' ratios", () => {
    const cells = [
      // cards: 1 of 3 within, longest 30 s. loans: 4 of 4 within, longest 8 s.
      cell("cards", t0 / 1000, {
        offered: 3,
        answered: 2,
        abandoned: 1,
        answered_within_sl: 1,
        max_wait_ms: 30_000,
      }),
      cell("loans", t0 / 1000, {
        offered: 4,
        answered: 4,
        answered_within_sl: 4,
        max_wait_ms: 8_000,
      }),
      // Surveys: cards 1 good of 2, loans 1 of 1 → 2 of 3 together (the mean would be 3/4).
      cell("cards", t0 / 1000, { csat_n: 2, csat_good: 1 }),
      cell("loans", t0 / 1000, { csat_n: 1, csat_good: 1, handled: 2, handled_resolved: 1 }),
    ];
    const [f0, f1] = groupFigures(cells, tileQueues(config, "channel:voice"), [t0, t1]);
    // 1 + 4 within of 3 + 4 answered or abandoned: 5/7 (the mean of 1/3 and 1 would be 2/3).
    expect(f0?.offered).toBe(7);
    expect(f0?.service_level).toBeCloseTo(5 / 7, 12);
    expect(f0?.max_wait_s).toBe(30);
    expect(f0?.csat).toBeCloseTo(2 / 3, 12);
    expect(f0?.resolution_rate).toBe(0.5);
    // An interval without cells: nothing counted.
    expect([f1?.offered, f1?.service_level, f1?.max_wait_s, f1?.csat]).toEqual([
      0,
      null,
      null,
      null,
    ]);
  });

  it("judges each member's visits by its own queue's version, from the histograms when misjudged", () => {
    // A voice queue whose version 2 raised T to 40 s, and a chat queue (T 60 s); both cells were
    // judged by another version (misjudged), so the histograms decide: answered after 30 s and
    // 50 s in each. cards v2 (T 40): 1 within; web (T 60): 2 within → 3 of 4.
    const qs = [queue("cards", "voice", 20, 40), queue("web", "chat", 60)];
    const hist: TrendCell["answered_hist"] = [
      [30, 50],
      [1, 1],
    ];
    const cells = [
      cell("cards", t0 / 1000, {
        version: 2,
        offered: 2,
        answered: 2,
        misjudged: 2,
        answered_hist: hist,
        max_wait_ms: 50_000,
      }),
      cell("web", t0 / 1000, {
        offered: 2,
        answered: 2,
        misjudged: 2,
        answered_hist: hist,
        max_wait_ms: 50_000,
      }),
    ];
    const [f] = groupFigures(cells, qs, [t0]);
    expect(f?.service_level).toBe(3 / 4);
    // The same cells judged by version 1's 20 s would have nothing within on cards: 2 of 4.
    const v1 = [{ ...cells[0]!, version: 1 }, cells[1]!];
    expect(groupFigures(v1, qs, [t0])[0]?.service_level).toBe(2 / 4);
  });

  it("leaves out the cells of queues outside the group", () => {
    const cells = [
      cell("cards", t0 / 1000, {
        offered: 1,
        answered: 1,
        answered_within_sl: 1,
        max_wait_ms: 1_000,
      }),
      cell("web", t0 / 1000, { offered: 5, answered: 5, max_wait_ms: 90_000 }),
    ];
    const [f] = groupFigures(cells, tileQueues(config, "queue:cards"), [t0]);
    expect([f?.offered, f?.service_level, f?.max_wait_s]).toEqual([1, 1, 1]);
  });
});
