// Hand-computed figures of metrics.md through the whole path: events produced to the real Kafka,
// ingested and derived into the real ClickHouse, read from GET /api/v1/reports/intervals. Every
// expected number below is worked out by hand in the comment next to it.
import { createApp } from "@floorwatch/api";
import type { ReportResponse, ReportRow } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { sql } from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  abandoned,
  agentState,
  answered,
  callbackRequested,
  firstResponse,
  produceAll,
  queued,
  survey,
  transferred,
  wrappedUp,
} from "../support/events";
import { asAdmin, TEST_ADMIN_TOKEN } from "../support/api";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { defineQueues, defineSite } from "../support/sites";

/** An instant of Asia/Shanghai wall time (UTC+8, no daylight saving). */
const sh = (d: string, t: string) => Date.parse(`${d}T${t}+08:00`);

describe("interval reports computed exactly as metrics.md defines them", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let app: ReturnType<typeof createApp>;
  const site = "fixtures";
  const dst = "fixtures-ny";

  const report = async (query: string): Promise<ReportResponse> => {
    const res = await app.request(`/api/v1/reports/intervals?${query}`, asAdmin);
    const body = await res.json();
    if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(body)}`);
    return body as ReportResponse;
  };
  const row = (r: ReportResponse, queue: string, start: string): ReportRow => {
    const found = r.rows.find((x) => x.queue === queue && x.interval_start === start);
    if (!found)
      throw new Error(
        `no row ${queue} ${start} in ${r.rows.map((x) => `${x.queue}@${x.interval_start}`).join(", ")}`,
      );
    return found;
  };

  beforeAll(async () => {
    h = await createHarness("reports");
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    app = createApp({ ch: h.ch, log: h.log, adminToken: TEST_ADMIN_TOKEN });
    const d = "2026-11-02";
    const dup = (e: ReturnType<typeof queued>) => [e, e];
    await produceAll(
      h.kafka,
      h.config.topics,
      [
        // 09:00 hour, queue cards (voice: T = 20 s, S = 5 s)
        queued({ site, at: sh(d, "09:00:00"), contact: "c1", queue: "cards" }),
        answered({ site, at: sh(d, "09:00:20"), contact: "c1", queue: "cards", agent: "a1" }), // 20 s: exactly T, within
        queued({ site, at: sh(d, "09:01:00"), contact: "c2", queue: "cards" }),
        answered({ site, at: sh(d, "09:01:21"), contact: "c2", queue: "cards", agent: "a2" }), // 21 s: not within
        queued({ site, at: sh(d, "09:02:00"), contact: "c3", queue: "cards" }),
        abandoned({ site, at: sh(d, "09:02:05"), contact: "c3", queue: "cards" }), // 5 s: exactly S, not short
        queued({ site, at: sh(d, "09:03:00"), contact: "c4", queue: "cards" }),
        abandoned({ site, at: sh(d, "09:03:04.999"), contact: "c4", queue: "cards" }), // 4.999 s: short
        queued({ site, at: sh(d, "09:04:00"), contact: "c5", queue: "cards" }),
        callbackRequested({ site, at: sh(d, "09:04:30"), contact: "c5", queue: "cards" }), // callback, 30 s
        queued({ site, at: sh(d, "09:05:00"), contact: "c6", queue: "cards" }),
        queued({ site, at: sh(d, "09:05:40"), contact: "c6", queue: "loans" }), // cards: flowed out after 40 s
        answered({ site, at: sh(d, "09:06:00"), contact: "c6", queue: "loans", agent: "a3" }), // loans: 20 s
        ...dup(
          queued({ site, at: sh(d, "09:10:00"), contact: "c7", queue: "cards", event_id: "c7-q" }),
        ),
        ...dup(
          answered({
            site,
            at: sh(d, "09:10:10"),
            contact: "c7",
            queue: "cards",
            event_id: "c7-a",
          }),
        ), // copies: 10 s once
        answered({ site, at: sh(d, "09:20:15"), contact: "c8", queue: "cards" }), // out of order: the answer first…
        queued({ site, at: sh(d, "09:20:00"), contact: "c8", queue: "cards" }), // …then its queued: 15 s
        // Handling: c1 answered 09:00:20, wrapped 09:05:20 → 300 s resolved; c2 21 → 09:06:21, 300 s unresolved.
        wrappedUp({
          site,
          at: sh(d, "09:05:20"),
          contact: "c1",
          queue: "cards",
          agent: "a1",
          disposition: "resolved",
        }),
        transferred({
          site,
          at: sh(d, "09:03:00"),
          contact: "c2",
          queue: "cards",
          agent: "a2",
          toQueue: "loans",
        }),
        transferred({
          site,
          at: sh(d, "09:03:01"),
          contact: "c2",
          queue: "cards",
          agent: "a2",
          toQueue: "loans",
        }), // same answer: one transfer
        wrappedUp({
          site,
          at: sh(d, "09:06:21"),
          contact: "c2",
          queue: "cards",
          agent: "a2",
          disposition: "unresolved",
        }),
        // Surveys on cards: csat 5, 2, 4 → good 2/3, low 1; nps 10, 6, 8 → (1 − 1)/3 = 0; resolved true, false → 1/2.
        survey({
          site,
          at: sh(d, "09:30:00"),
          contact: "c1",
          queue: "cards",
          csat: 5,
          nps: 10,
          resolved: true,
        }),
        survey({
          site,
          at: sh(d, "09:31:00"),
          contact: "c2",
          queue: "cards",
          csat: 2,
          nps: 6,
          resolved: false,
        }),
        survey({ site, at: sh(d, "09:32:00"), contact: "c3", queue: "cards", csat: 4, nps: 8 }),
        // Agents. a1 serves cards: available 09:00:00, on contact 09:00:20, wrap-up 09:04:00, available
        // 09:05:20, logged out 09:10:00 → available 20 + 280 = 300 s, on contact 220 s, wrap-up 80 s.
        agentState({
          site,
          at: sh(d, "09:00:00"),
          agent: "a1",
          state: "available",
          queues: ["cards"],
        }),
        agentState({ site, at: sh(d, "09:00:20"), agent: "a1", state: "on_contact" }),
        agentState({ site, at: sh(d, "09:04:00"), agent: "a1", state: "wrap_up" }),
        agentState({ site, at: sh(d, "09:05:20"), agent: "a1", state: "available" }),
        agentState({ site, at: sh(d, "09:10:00"), agent: "a1", state: "logged_out" }),
        // a2's queues change mid-hour: available for cards 09:00–09:30, for loans 09:30–10:00.
        agentState({
          site,
          at: sh(d, "09:00:00"),
          agent: "a2",
          state: "available",
          queues: ["cards"],
        }),
        agentState({
          site,
          at: sh(d, "09:30:00"),
          agent: "a2",
          state: "available",
          queues: ["loans"],
        }),
        agentState({ site, at: sh(d, "10:00:00"), agent: "a2", state: "logged_out" }),
        // Across local midnight: queued 23:59:50 on the 2nd, answered 00:00:15 on the 3rd → counts on the 3rd, 25 s.
        queued({ site, at: sh(d, "23:59:50"), contact: "c9", queue: "cards" }),
        answered({ site, at: sh("2026-11-03", "00:00:15"), contact: "c9", queue: "cards" }),
        // Orphaned: queued 10:00:00, the answer 12 h 0 min 1 s later is too late → orphaned at 22:00:00.
        queued({ site, at: sh(d, "10:00:00"), contact: "c10", queue: "cards" }),
        answered({ site, at: sh(d, "22:00:01"), contact: "c10", queue: "cards" }),
        // Chat: the first reply counts once, 70 s after queued (09:00:00 → 09:01:10); a second reply does not.
        queued({ site, at: sh(d, "09:00:00"), contact: "w1", queue: "webchat", channel: "chat" }),
        answered({ site, at: sh(d, "09:00:30"), contact: "w1", queue: "webchat" }), // 30 s ≤ T = 60 s (chat)
        firstResponse({ site, at: sh(d, "09:01:10"), contact: "w1", queue: "webchat" }),
        firstResponse({ site, at: sh(d, "09:02:00"), contact: "w1", queue: "webchat" }),
        // Across a month boundary: queued 2026-10-31 23:59:50, answered 2026-11-01 00:00:05 → November.
        queued({ site, at: sh("2026-10-31", "23:59:50"), contact: "c12", queue: "cards" }),
        answered({ site, at: sh("2026-11-01", "00:00:05"), contact: "c12", queue: "cards" }),
      ].flat(),
    );
    // A site in a zone with daylight saving: America/New_York falls back on 2026-11-01 (25-hour day).
    await defineSite(h.ch, dst, "America/New_York");
    await produceAll(h.kafka, h.config.topics, [
      queued({
        site: dst,
        at: Date.parse("2026-11-01T23:30:00-05:00"),
        contact: "n1",
        queue: "cards",
      }),
      answered({
        site: dst,
        at: Date.parse("2026-11-01T23:30:10-05:00"),
        contact: "n1",
        queue: "cards",
      }),
      queued({
        site: dst,
        at: Date.parse("2026-11-02T00:10:00-05:00"),
        contact: "n2",
        queue: "cards",
      }),
      answered({
        site: dst,
        at: Date.parse("2026-11-02T00:10:10-05:00"),
        contact: "n2",
        queue: "cards",
      }),
    ]);
    // Everything produced committed before any report is read: a report publishes the figures of
    // closed intervals, and publishing half-ingested ones would make every later read "restated".
    await waitForIngested(h);
    // Visits: c1–c8 (c6 twice), c9, c12, w1 → 12 offered, c10 orphaned; 2 handled; 3 surveys; both agents.
    {
      const rs = await h.ch.query({
        query:
          sql`SELECT sum(offered) AS o, sum(orphaned) AS x, sum(handled) AS hd, sum(csat_n) AS s, sum(available_ms) AS av FROM queue_quarter WHERE site = ${site}`
            .text,
        format: "JSONEachRow",
      });
      const [t] = await rs.json<{ o: string; x: string; hd: string; s: string; av: string }>();
      expect([t?.o, t?.x, t?.hd, t?.s, t?.av].map(Number)).toEqual([
        12,
        1,
        2,
        3,
        300_000 + 3_600_000,
      ]);
    }
    // And the daylight saving site's two visits.
    const rs = await h.ch.query({
      query: sql`SELECT sum(offered) AS o FROM queue_quarter WHERE site = ${dst}`.text,
      format: "JSONEachRow",
    });
    expect(Number((await rs.json<{ o: string }>())[0]?.o)).toBe(2);
  });

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
  });

  it("counts every visit of an hour by its outcome, with thresholds exactly at T and S", async () => {
    const r = await report(
      `site=${site}&from=2026-11-02T09:00:00%2B08:00&to=2026-11-02T10:00:00%2B08:00&interval=1h`,
    );
    expect(r.tz).toBe("Asia/Shanghai");
    const cards = row(r, "cards", "2026-11-02T09:00:00+08:00");
    expect(cards).toMatchObject({
      interval_end: "2026-11-02T10:00:00+08:00",
      channel: "voice",
      offered: 8, // c1 c2 c3 c4 c5 c6 c7 c8
      answered: 4, // c1 c2 c7 c8
      abandoned: 2, // c3 c4
      short_abandoned: 1, // c4 (4.999 s < 5 s); c3 waited exactly 5 s
      answered_within_sl: 3, // c1 (20 s ≤ 20), c7 (10), c8 (15); not c2 (21)
      service_level: 0.6, // 3 / (4 + 2 − 1)
      abandon_rate: 0.2, // (2 − 1) / 5
      asa_s: 16.5, // (20 + 21 + 10 + 15) / 4
      max_wait_s: 40, // c6 flowed out after 40 s
      callbacks: 1,
      flowed_out: 1,
      handled: 2,
      aht_s: 300, // (300 + 300) / 2
      resolution_rate: 0.5,
      transfer_rate: 0.25, // one contact transferred / 4 answered
      csat: 2 / 3,
      nps: 0,
      fcr_survey: 0.5,
      low_csat: 1,
      csat_responses: 3,
      orphaned: 0,
      closed: true,
      restated: false,
    });
    // a1: busy 220 + 80 = 300 s, available 300 s; a2: available 1,800 s for cards → 300 / 2,400.
    expect(cards.occupancy).toBeCloseTo(0.125, 12);
    expect(cards.definition).toEqual({
      set: "floorwatch-metrics-v1",
      versions: [
        {
          version: 1,
          valid_from: "1970-01-01T00:00:00.000Z",
          sl_threshold_s: 20,
          short_abandon_s: 5,
          sl_target: 0.8,
        },
      ],
    });
    // webchat: the chat channel's defaults (T = 60 s), and the first response only.
    const chat = row(r, "webchat", "2026-11-02T09:00:00+08:00");
    expect(chat).toMatchObject({
      channel: "chat",
      offered: 1,
      answered_within_sl: 1,
      service_level: 1,
      first_response_s: 70,
    });
    expect(chat.definition.versions[0]).toMatchObject({ sl_threshold_s: 60, short_abandon_s: 5 });
    // loans: c6's second visit, 20 s ≤ 20 → 1 / 1; a2 available 1,800 s, never busy.
    expect(row(r, "loans", "2026-11-02T09:00:00+08:00")).toMatchObject({
      offered: 1,
      answered: 1,
      service_level: 1,
      asa_s: 20,
      occupancy: 0,
    });
  });

  it("fills every interval of the local calendar, with nulls where a ratio is undefined", async () => {
    const r = await report(`site=${site}&from=2026-11-02&to=2026-11-03&interval=15m&queue=cards`);
    expect(r.rows).toHaveLength(96);
    expect(r.rows[0]!.interval_start).toBe("2026-11-02T00:00:00+08:00");
    expect(r.rows.at(-1)!.interval_end).toBe("2026-11-03T00:00:00+08:00");
    const quiet = row(r, "cards", "2026-11-02T03:00:00+08:00");
    expect(quiet).toMatchObject({
      offered: 0,
      service_level: null,
      asa_s: null,
      max_wait_s: null,
      csat: null,
      occupancy: null,
    });
    // 09:00–09:15: c1 c2 c3 c4 c5 c6 c7 (c8 ends 09:20:15, in the next quarter).
    expect(row(r, "cards", "2026-11-02T09:00:00+08:00").offered).toBe(7);
    expect(row(r, "cards", "2026-11-02T09:15:00+08:00").offered).toBe(1);
  });

  it("counts a visit on the local day it ended, and an orphan only as data quality", async () => {
    const r = await report(`site=${site}&from=2026-11-02&to=2026-11-04&interval=1d&queue=cards`);
    const day2 = row(r, "cards", "2026-11-02T00:00:00+08:00");
    expect(day2).toMatchObject({ offered: 8, orphaned: 1 }); // c9 waits past midnight; c10 is orphaned
    const day3 = row(r, "cards", "2026-11-03T00:00:00+08:00");
    expect(day3).toMatchObject({ offered: 1, answered: 1, asa_s: 25, answered_within_sl: 0 }); // c9: 25 s > 20 s
  });

  it("puts a visit that ends after local midnight on the last day of a month into the next month", async () => {
    const day = await report(`site=${site}&from=2026-11-01&to=2026-11-02&interval=1d&queue=cards`);
    expect(day.rows[0]).toMatchObject({ offered: 1, asa_s: 15 }); // c12: 23:59:50 → 00:00:05
    const r = await report(`site=${site}&from=2026-10-01&to=2026-12-01&interval=1mo&queue=cards`);
    expect(r.rows.map((x) => x.interval_start)).toEqual([
      "2026-10-01T00:00:00+08:00",
      "2026-11-01T00:00:00+08:00",
    ]);
    // c12 was queued in October but ended on 1 November, local time (still 31 October in UTC).
    expect(row(r, "cards", "2026-10-01T00:00:00+08:00").offered).toBe(0);
    expect(row(r, "cards", "2026-11-01T00:00:00+08:00")).toMatchObject({ offered: 10 }); // c12, 8 on the 2nd, c9 on the 3rd
  });

  it("aligns days to the site's own midnight across a daylight saving change", async () => {
    const r = await report(`site=${dst}&from=2026-11-01&to=2026-11-03&interval=1d`);
    expect(r.tz).toBe("America/New_York");
    // The 1st of November lasts 25 hours: 00:00−04:00 to 00:00−05:00.
    const first = row(r, "cards", "2026-11-01T00:00:00-04:00");
    expect(first.interval_end).toBe("2026-11-02T00:00:00-05:00");
    expect(first.offered).toBe(1); // n1 ended 23:30:10 local on the 1st
    expect(row(r, "cards", "2026-11-02T00:00:00-05:00").offered).toBe(1); // n2
  });

  it("applies the definition version in force: a stricter T from a stated instant changes only what follows", async () => {
    // Version 2 of cards from 2026-11-03 00:00 local: T = 30 s. c9 (25 s, on the 3rd) is now within.
    await defineQueues(h.ch, site, [
      {
        queue: "cards",
        version: 2,
        valid_from_ms: sh("2026-11-03", "00:00:00"),
        sl_threshold_s: 30,
        sl_target: 0.85,
        name_zh: "信用卡",
        name_en: "Cards",
        created_ms: Date.now(),
      },
    ]);
    const r = await report(`site=${site}&from=2026-11-02&to=2026-11-04&interval=1d&queue=cards`);
    const day2 = row(r, "cards", "2026-11-02T00:00:00+08:00");
    const day3 = row(r, "cards", "2026-11-03T00:00:00+08:00");
    expect(day2.answered_within_sl).toBe(3);
    expect(day2.definition.versions.map((v) => v.version)).toEqual([1]);
    expect(day3.answered_within_sl).toBe(1);
    expect(day3.service_level).toBe(1);
    expect(day3.definition.versions).toEqual([
      {
        version: 2,
        valid_from: "2026-11-02T16:00:00.000Z",
        sl_threshold_s: 30,
        short_abandon_s: 5,
        sl_target: 0.85,
      },
    ]);
  });

  it("marks a closed interval restated when a late event changes what was first published", async () => {
    const query = `site=${site}&from=2026-11-02T09:00:00%2B08:00&to=2026-11-02T11:00:00%2B08:00&interval=1h&queue=cards`;
    const before = await report(query);
    expect(row(before, "cards", "2026-11-02T09:00:00+08:00").restated).toBe(false);
    await produceAll(h.kafka, h.config.topics, [
      queued({ site, at: sh("2026-11-02", "09:40:00"), contact: "late", queue: "cards" }),
      abandoned({ site, at: sh("2026-11-02", "09:40:30"), contact: "late", queue: "cards" }),
    ]);
    await waitForIngested(h);
    const after = await report(query);
    expect(row(after, "cards", "2026-11-02T09:00:00+08:00")).toMatchObject({
      offered: 9,
      restated: true,
      abandoned: 3,
      max_wait_s: 40,
    });
    expect(row(after, "cards", "2026-11-02T10:00:00+08:00").restated).toBe(false);
  });

  it("answers 400 naming the problem for a bad interval, bad bounds or a range too fine to list", async () => {
    const bad = async (q: string) => {
      const res = await app.request(`/api/v1/reports/intervals?${q}`, asAdmin);
      expect(res.status, q).toBe(400);
      return (await res.json()) as { error: { code: string; message: string } };
    };
    expect(
      (await bad(`site=${site}&from=2026-11-02&to=2026-11-03&interval=5m`)).error.message,
    ).toContain("interval");
    expect(
      (await bad(`site=${site}&from=yesterday&to=2026-11-03&interval=1h`)).error.message,
    ).toContain("from");
    expect(
      (await bad(`site=${site}&from=2026-11-03&to=2026-11-02&interval=1h`)).error.message,
    ).toContain("before");
    expect(
      (await bad(`site=${site}&from=2020-01-01&to=2026-11-02&interval=15m`)).error.message,
    ).toContain("coarser");
    expect(
      (await bad(`site=Bad%20Site&from=2026-11-02&to=2026-11-03&interval=1h`)).error.message,
    ).toContain("site");
  });
});
