// The TV's trends (issue #12) through the whole path: events produced to the real Kafka, ingested
// into the real ClickHouse, read by computeTrends. Each queue tile's series must be the figures
// GET /api/v1/reports/intervals shows for the same queue and intervals, and a group tile's the
// figures of its queues' contacts taken together (worked out by hand next to each number).
import { createApp } from "@floorwatch/api";
import type { ReportResponse } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSiteConfig } from "../../api/src/metrics/config";
import { computeTrends, type Trends } from "../../api/src/live/trends";
import { asAdmin, TEST_ADMIN_TOKEN } from "../support/api";
import { abandoned, answered, produceAll, queued, survey, wrappedUp } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";

/** An instant of Asia/Shanghai wall time (UTC+8, no daylight saving; the default zone). */
const sh = (d: string, t: string) => Date.parse(`${d}T${t}+08:00`);
const D = "2026-11-02";
/** The screen's now: 11:07 on the 2nd, inside the day's 45th quarter hour. */
const NOW = sh(D, "11:07:00");

describe("the TV's trends equal the interval reports' figures", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let app: ReturnType<typeof createApp>;
  let trends: Trends;
  const site = "trends";
  const tiles = ["queue:cards", "queue:loans", "queue:webchat", "channel:voice", "site"];

  const report = async (query: string): Promise<ReportResponse> => {
    const res = await app.request(`/api/v1/reports/intervals?${query}`, asAdmin);
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
    return body as ReportResponse;
  };

  beforeAll(async () => {
    h = await createHarness("trends");
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    app = createApp({ ch: h.ch, log: h.log, adminToken: TEST_ADMIN_TOKEN, now: () => NOW });
    let n = 0;
    /** A visit of `queue` queued at `t` that ends `waitS` later, answered or abandoned. */
    const visit = (
      queue: string,
      t: number,
      waitS: number,
      end: "answered" | "abandoned" = "answered",
      channel: "voice" | "chat" = "voice",
    ) => {
      const contact = `c${++n}`;
      const ended = end === "answered" ? answered : abandoned;
      return [
        queued({ site, at: t, contact, queue, channel }),
        ended({ site, at: t + waitS * 1000, contact, queue }),
      ];
    };
    await produceAll(h.kafka, h.config.topics, [
      // 09:00 quarter. cards (voice, T 20 s, S 5 s): 10 s within, 30 s not, abandoned at 10 s
      // (not short) → SL 1/3, longest 30 s. loans: four answered within 20 s → SL 4/4.
      ...visit("cards", sh(D, "09:01:00"), 10),
      ...visit("cards", sh(D, "09:02:00"), 30),
      ...visit("cards", sh(D, "09:03:00"), 10, "abandoned"),
      ...visit("loans", sh(D, "09:01:00"), 5),
      ...visit("loans", sh(D, "09:02:00"), 6),
      ...visit("loans", sh(D, "09:03:00"), 7),
      ...visit("loans", sh(D, "09:04:00"), 8),
      // webchat (chat, T 60 s): answered after 45 s is within its own threshold, not a voice one's.
      ...visit("webchat", sh(D, "09:05:00"), 45, "answered", "chat"),
      // 10:45 quarter: a short abandon (3 s) on cards alone → offered 1, SL null (no denominator).
      ...visit("cards", sh(D, "10:50:00"), 3, "abandoned"),
      // The current, partial quarter (11:00–11:07): one answered after 25 s on loans.
      ...visit("loans", sh(D, "11:01:00"), 25),
      // Yesterday and earlier: surveys and handlings for the day series.
      survey({ site, at: sh("2026-11-01", "10:00:00"), contact: "s1", queue: "cards", csat: 5 }),
      survey({ site, at: sh("2026-11-01", "10:01:00"), contact: "s2", queue: "cards", csat: 3 }),
      survey({ site, at: sh("2026-11-01", "10:02:00"), contact: "s3", queue: "loans", csat: 4 }),
      survey({ site, at: sh("2026-10-20", "12:00:00"), contact: "s4", queue: "loans", csat: 1 }),
      ...[
        ["h1", "cards", "resolved"],
        ["h2", "cards", "resolved"],
        ["h3", "loans", "unresolved"],
      ].flatMap(([contact, queue, disposition]) => [
        queued({ site, at: sh("2026-10-25", "08:00:00"), contact: contact!, queue: queue! }),
        answered({ site, at: sh("2026-10-25", "08:00:10"), contact: contact!, queue: queue! }),
        wrappedUp({
          site,
          at: sh("2026-10-25", "08:05:00"),
          contact: contact!,
          queue: queue!,
          disposition: disposition as "resolved" | "unresolved",
        }),
      ]),
      // 15 days ago: outside the 14 days.
      survey({ site, at: sh("2026-10-18", "12:00:00"), contact: "s5", queue: "cards", csat: 5 }),
    ]);
    await waitForIngested(h);
    trends = await computeTrends(h.ch, await loadSiteConfig(h.ch, site), tiles, NOW);
  }, 120_000);

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
  });

  it("covers the site's day so far in quarter hours and the last 14 days, starts in epoch seconds", () => {
    expect(trends.site).toBe(site);
    expect(trends.tz).toBe("Asia/Shanghai");
    expect(trends.as_of).toBe(new Date(NOW).toISOString());
    // Midnight to the 11:00 quarter holding now: 45 quarters.
    expect(trends.today.starts).toHaveLength(45);
    expect(trends.today.starts[0]).toBe(sh(D, "00:00:00") / 1000);
    expect(trends.today.starts.at(-1)).toBe(sh(D, "11:00:00") / 1000);
    expect(trends.days.starts).toHaveLength(14);
    expect(trends.days.starts[0]).toBe(sh("2026-10-20", "00:00:00") / 1000);
    expect(trends.days.starts.at(-1)).toBe(sh(D, "00:00:00") / 1000);
    expect(Object.keys(trends.today.tiles).sort()).toEqual([...tiles].sort());
    expect(Object.keys(trends.days.tiles).sort()).toEqual([...tiles].sort());
  });

  it("gives each queue tile the report's figures for the same queue and intervals", async () => {
    const enc = encodeURIComponent;
    const from = enc(`${D}T00:00:00+08:00`);
    const to = enc(new Date(NOW).toISOString());
    const dayFrom = enc("2026-10-20T00:00:00+08:00");
    for (const queue of ["cards", "loans", "webchat"]) {
      const quarters = await report(
        `site=${site}&from=${from}&to=${to}&interval=15m&queue=${queue}`,
      );
      const starts = quarters.rows.map((r) => Date.parse(r.interval_start) / 1000);
      expect(starts).toEqual(trends.today.starts);
      const t = trends.today.tiles[`queue:${queue}`]!;
      expect(t.offered).toEqual(quarters.rows.map((r) => r.offered));
      expect(t.service_level).toEqual(quarters.rows.map((r) => r.service_level));
      expect(t.max_wait_s).toEqual(quarters.rows.map((r) => r.max_wait_s));

      const days = await report(`site=${site}&from=${dayFrom}&to=${to}&interval=1d&queue=${queue}`);
      expect(days.rows.map((r) => Date.parse(r.interval_start) / 1000)).toEqual(trends.days.starts);
      const d = trends.days.tiles[`queue:${queue}`]!;
      expect(d.csat).toEqual(days.rows.map((r) => r.csat));
      expect(d.resolution_rate).toEqual(days.rows.map((r) => r.resolution_rate));
    }
    // Not vacuous: the figures worked out by hand are there.
    const cards = trends.today.tiles["queue:cards"]!;
    const q0900 = trends.today.starts.indexOf(sh(D, "09:00:00") / 1000);
    const q1045 = trends.today.starts.indexOf(sh(D, "10:45:00") / 1000);
    expect([cards.offered[q0900], cards.service_level[q0900], cards.max_wait_s[q0900]]).toEqual([
      3,
      1 / 3,
      30,
    ]);
    expect([cards.offered[q1045], cards.service_level[q1045], cards.max_wait_s[q1045]]).toEqual([
      1,
      null,
      3,
    ]);
    const loans = trends.today.tiles["queue:loans"]!;
    expect([loans.offered.at(-1), loans.service_level.at(-1), loans.max_wait_s.at(-1)]).toEqual([
      1, 0, 25,
    ]);
  });

  it("sums a group tile's queues before taking a ratio, each visit judged by its own queue", () => {
    const q0900 = trends.today.starts.indexOf(sh(D, "09:00:00") / 1000);
    const voice = trends.today.tiles["channel:voice"]!;
    // cards 1 of 3 + loans 4 of 4 → 5 of 7 (the mean of the two ratios would be 2/3).
    expect(voice.offered[q0900]).toBe(7);
    expect(voice.service_level[q0900]).toBeCloseTo(5 / 7, 12);
    expect(voice.max_wait_s[q0900]).toBe(30);
    // The site adds webchat's 45 s answer, within chat's 60 s: 6 of 8. Judged by a voice
    // threshold it would be 5 of 8.
    const all = trends.today.tiles.site!;
    expect(all.offered[q0900]).toBe(8);
    expect(all.service_level[q0900]).toBeCloseTo(6 / 8, 12);
    expect(all.max_wait_s[q0900]).toBe(45);
    // Quarters with nothing: 0 offered, no ratio, no wait.
    const q0800 = trends.today.starts.indexOf(sh(D, "08:00:00") / 1000);
    expect([all.offered[q0800], all.service_level[q0800], all.max_wait_s[q0800]]).toEqual([
      0,
      null,
      null,
    ]);

    const day = (d: string) => trends.days.starts.indexOf(sh(d, "00:00:00") / 1000);
    const voiceDays = trends.days.tiles["channel:voice"]!;
    // 1 Nov: cards csat 5 and 3, loans 4 → 2 of 3 good (the mean of 1/2 and 1/1 would be 3/4).
    expect(voiceDays.csat[day("2026-11-01")]).toBeCloseTo(2 / 3, 12);
    // 25 Oct: cards 2 resolved of 2, loans 0 of 1 → 2 of 3 (the mean would be 1/2).
    expect(voiceDays.resolution_rate[day("2026-10-25")]).toBeCloseTo(2 / 3, 12);
    // 20 Oct, the first of the 14 days: loans' csat 1 → 0 of 1.
    expect(voiceDays.csat[day("2026-10-20")]).toBe(0);
    expect(voiceDays.csat[day(D)]).toBeNull();
    expect(trends.days.tiles["queue:webchat"]!.csat.every((v) => v === null)).toBe(true);
  });
});
