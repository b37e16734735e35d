// The monthly compliance pack of a site whose zone changes its clocks (issue #15, "a month across a
// daylight-saving change in a zone with one"): Europe/Berlin, where 2026-03-29 has 23 hours
// (02:00 CET → 03:00 CEST, at 01:00 UTC) and 2026-10-25 has 25 (03:00 CEST → 02:00 CET, at
// 01:00 UTC, so 02:00–03:00 happens twice). Events go through the real Kafka and ingest into the
// real ClickHouse; generatePack writes each month's zip. Every expected value is worked out by hand
// from the two transition instants in the comments, never from the code's own calendar.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePack } from "@floorwatch/api";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { abandoned, answered, produceAll, queued, wrappedUp } from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { defineQueues, defineSite } from "../support/sites";
import { entryOf, manifestOf, readZip, tableOf, type ZipEntry } from "../support/unzip";

const site = "dst";
const queue = "cards";
/** Berlin winter time (UTC+1) and summer time (UTC+2), written as the wall clock shows them. */
const cet = (d: string, t: string) => Date.parse(`${d}T${t}+01:00`);
const cest = (d: string, t: string) => Date.parse(`${d}T${t}+02:00`);
const MIN = 60_000;
const HALF_HOUR = 30 * MIN;
/** The packs' clock: after both months, so every interval is closed. */
const NOW = Date.parse("2026-11-20T12:00:00Z");

/** The two changes of 2026, as UTC instants (EU rule: the last Sunday, 01:00 UTC). */
const SPRING = Date.parse("2026-03-29T01:00:00Z");
const AUTUMN = Date.parse("2026-10-25T01:00:00Z");

/** Berlin's offset at an instant, from the two changes alone (every instant of 2026 tested). */
const offsetAt = (ms: number) => (ms >= SPRING && ms < AUTUMN ? "+02:00" : "+01:00");
/** An instant as Berlin local RFC 3339, built from offsetAt: the tests' own formatter. */
const berlin = (ms: number) => {
  const off = offsetAt(ms);
  const wall = new Date(ms + (off === "+02:00" ? 2 : 1) * 3_600_000).toISOString().slice(0, 19);
  return `${wall}${off}`;
};

const daysOf = (month: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`);

describe("monthly pack across daylight-saving changes (Europe/Berlin)", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let dir: string;

  const pack = async (month: string) => {
    const zipPath = join(dir, `${month}.zip`);
    await generatePack(
      h.ch,
      { site, month, lang: "en", personalData: false, nowMs: NOW },
      { zipPath },
    );
    return readZip(await readFile(zipPath));
  };

  beforeAll(async () => {
    h = await createHarness("exports_dst");
    dir = await mkdtemp(join(tmpdir(), "fw-dst-"));
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    await defineSite(h.ch, site, "Europe/Berlin", "Berlin");
    await defineQueues(h.ch, site, [{ queue, name_zh: "信用卡", name_en: "Cards" }]);
    const c = (contact: string) => ({ site, contact, queue });
    const produced = await produceAll(h.kafka, h.config.topics, [
      // ---- March ----
      // m0: 00:10 CET on the 1st = 2026-02-28T23:10Z: the month's first day, not February's last.
      queued({ ...c("m0"), at: cet("2026-03-01", "00:10:00") }),
      answered({ ...c("m0"), at: cet("2026-03-01", "00:10:05") }),
      // s1: answered 01:50:20 CET after 20 s; wrapped up 03:05:20 CEST = 01:05:20Z, 15 min after
      // the answer (00:50:20Z): handle time 900 s, not the wall clock's 75 min.
      queued({ ...c("s1"), at: cet("2026-03-29", "01:50:00"), phone: "13800000001" }),
      answered({ ...c("s1"), at: cet("2026-03-29", "01:50:20") }),
      wrappedUp({ ...c("s1"), at: cest("2026-03-29", "03:05:20") }),
      // s2: queued 01:55 CET (00:55Z), answered 03:05 CEST (01:05Z): a wait of 600 s across the gap.
      queued({ ...c("s2"), at: cet("2026-03-29", "01:55:00") }),
      answered({ ...c("s2"), at: cest("2026-03-29", "03:05:00") }),
      // s3: 03:10 CEST (01:10Z), abandoned after 40 s.
      queued({ ...c("s3"), at: cest("2026-03-29", "03:10:00") }),
      abandoned({ ...c("s3"), at: cest("2026-03-29", "03:10:40") }),
      // s4: 23:50 CEST on the 29th (21:50Z): still the 29th.
      queued({ ...c("s4"), at: cest("2026-03-29", "23:50:00") }),
      answered({ ...c("s4"), at: cest("2026-03-29", "23:50:10") }),
      // s5: 00:10 CEST on the 30th = 2026-03-29T22:10Z (23:10 at a winter offset): the 30th.
      queued({ ...c("s5"), at: cest("2026-03-30", "00:10:00") }),
      answered({ ...c("s5"), at: cest("2026-03-30", "00:10:10") }),
      // s6: 23:40 CEST on the 31st (21:40Z): March's last day.
      queued({ ...c("s6"), at: cest("2026-03-31", "23:40:00") }),
      answered({ ...c("s6"), at: cest("2026-03-31", "23:40:10") }),
      // s7: 00:20 CEST on April 1st = 2026-03-31T22:20Z: April, in no March file.
      queued({ ...c("s7"), at: cest("2026-04-01", "00:20:00") }),
      answered({ ...c("s7"), at: cest("2026-04-01", "00:20:10") }),
      // ---- October ----
      // a9: 23:50 CEST on September 30th (21:50Z): September.
      queued({ ...c("a9"), at: cest("2026-09-30", "23:50:00") }),
      answered({ ...c("a9"), at: cest("2026-09-30", "23:50:05") }),
      // a0: 00:10 CEST on the 1st = 2026-09-30T22:10Z: October's first day.
      queued({ ...c("a0"), at: cest("2026-10-01", "00:10:00") }),
      answered({ ...c("a0"), at: cest("2026-10-01", "00:10:05") }),
      // a1: 02:20 CEST (00:20Z), answered after 30 s, wrapped up 02:10:30 CET (01:10:30Z):
      // handle time 50 min = 3000 s although the wall clock went back 10 minutes.
      queued({ ...c("a1"), at: cest("2026-10-25", "02:20:00"), phone: "13800000002" }),
      answered({ ...c("a1"), at: cest("2026-10-25", "02:20:30") }),
      wrappedUp({ ...c("a1"), at: cet("2026-10-25", "02:10:30") }),
      // a2: 02:20 CET (01:20Z): the same wall time as a1, an hour later; abandoned after 50 s.
      queued({ ...c("a2"), at: cet("2026-10-25", "02:20:00"), phone: "13800000003" }),
      abandoned({ ...c("a2"), at: cet("2026-10-25", "02:20:50") }),
      // a3: queued 02:50 CEST (00:50Z), answered 02:10 CET (01:10Z): a wait of 1200 s.
      queued({ ...c("a3"), at: cest("2026-10-25", "02:50:00") }),
      answered({ ...c("a3"), at: cet("2026-10-25", "02:10:00") }),
      // a4: 23:40 CET on the 25th (22:40Z; 00:40 on the 26th at a summer offset): the 25th.
      queued({ ...c("a4"), at: cet("2026-10-25", "23:40:00") }),
      answered({ ...c("a4"), at: cet("2026-10-25", "23:40:10") }),
      // a5: 23:30 CET on the 31st (22:30Z; 00:30 on November 1st at a summer offset): October.
      queued({ ...c("a5"), at: cet("2026-10-31", "23:30:00") }),
      answered({ ...c("a5"), at: cet("2026-10-31", "23:30:10") }),
      // a6: 00:10 CET on November 1st (23:10Z on the 31st): November.
      queued({ ...c("a6"), at: cet("2026-11-01", "00:10:00") }),
      answered({ ...c("a6"), at: cet("2026-11-01", "00:10:05") }),
    ]);
    await waitForIngested(h, produced);
  });

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  describe("March 2026: clocks forward on the 29th", () => {
    let zip: ZipEntry[];
    beforeAll(async () => {
      zip = await pack("2026-03");
    });

    it("bounds the month at local midnights of different offsets", () => {
      const m = manifestOf(zip);
      expect(m).toMatchObject({
        site,
        month: "2026-03",
        tz: "Europe/Berlin",
        // March 1st in winter time, April 1st in summer time.
        from: "2026-03-01T00:00:00+01:00",
        to: "2026-04-01T00:00:00+02:00",
      });
    });

    it("has one daily row per local day, the 23-hour day holding exactly its calls", () => {
      const daily = tableOf(zip, "daily_queue_summary.csv").rows;
      expect(daily.map((r) => r.date)).toEqual(daysOf("2026-03", 31));
      expect(daily.every((r) => r.queue === queue)).toBe(true);
      const offered = daily.filter((r) => r.offered !== "0").map((r) => [r.date, r.offered]);
      // m0 on the 1st; s1–s4 on the 29th; s5 on the 30th; s6 on the 31st; nothing else.
      expect(offered).toEqual([
        ["2026-03-01", "1"],
        ["2026-03-29", "4"],
        ["2026-03-30", "1"],
        ["2026-03-31", "1"],
      ]);
      const day = daily.find((r) => r.date === "2026-03-29")!;
      expect(day).toMatchObject({
        offered: "4",
        answered: "3",
        abandoned: "1",
        short_abandoned: "0",
        // s1 (20 s) and s4 (10 s) within T = 20; s2 waited 600 s.
        answered_within_sl: "2",
        // (20 + 600 + 10) / 3 = 210.
        asa_s: "210",
        max_wait_s: "600",
        handled: "1",
        aht_s: "900",
      });
    });

    it("has 46 half hours on the 29th and 48 on every other day, each with its offset", () => {
      const rows = tableOf(zip, "interval_queue_summary.csv").rows;
      // 31 × 48 − 2: the hour 02:00–03:00 of the 29th does not exist.
      expect(rows).toHaveLength(1486);
      const perDay = new Map<string, number>();
      for (const r of rows) perDay.set(r.date!, (perDay.get(r.date!) ?? 0) + 1);
      for (const d of daysOf("2026-03", 31))
        expect(perDay.get(d), d).toBe(d === "2026-03-29" ? 46 : 48);
      // Every half hour from 2026-02-28T23:00Z (March 1st, 00:00 CET), each formatted by the
      // test's own rule: the whole month, offsets switching at 01:00Z on the 29th.
      const first = Date.parse("2026-02-28T23:00:00Z");
      const expected = rows.map((_, i) => berlin(first + i * HALF_HOUR));
      expect(rows.map((r) => r.interval_start)).toEqual(expected);
      expect(rows.map((r) => r.interval_end)).toEqual(
        rows.map((_, i) => berlin(first + (i + 1) * HALF_HOUR)),
      );
      expect(rows.at(-1)!.interval_end).toBe("2026-04-01T00:00:00+02:00");
      const day29 = rows.filter((r) => r.date === "2026-03-29").map((r) => r.interval_start!);
      expect(day29.slice(2, 6)).toEqual([
        "2026-03-29T01:00:00+01:00",
        "2026-03-29T01:30:00+01:00",
        "2026-03-29T03:00:00+02:00",
        "2026-03-29T03:30:00+02:00",
      ]);
      expect(day29.some((s) => s.includes("T02:"))).toBe(false);
    });

    it("counts each call in the half hour its visit ended, on the right side of the gap", () => {
      const rows = tableOf(zip, "interval_queue_summary.csv").rows;
      const busy = rows
        .filter((r) => r.offered !== "0" || r.handled !== "0")
        .map((r) => [r.interval_start, r.offered, r.answered, r.abandoned, r.handled]);
      expect(busy).toEqual([
        ["2026-03-01T00:00:00+01:00", "1", "1", "0", "0"], // m0
        ["2026-03-29T01:30:00+01:00", "1", "1", "0", "0"], // s1 answered 01:50:20 CET
        // s2 answered 03:05 CEST, s3 abandoned 03:10:40 CEST, s1 wrapped up 03:05:20 CEST.
        ["2026-03-29T03:00:00+02:00", "2", "1", "1", "1"],
        ["2026-03-29T23:30:00+02:00", "1", "1", "0", "0"], // s4
        ["2026-03-30T00:00:00+02:00", "1", "1", "0", "0"], // s5
        ["2026-03-31T23:30:00+02:00", "1", "1", "0", "0"], // s6
      ]);
      const gap = rows.find((r) => r.interval_start === "2026-03-29T03:00:00+02:00")!;
      expect([gap.asa_s, gap.max_wait_s, gap.aht_s]).toEqual(["600", "600", "900"]);
    });

    it("writes each contact's first_at with the offset of its instant", () => {
      const contacts = tableOf(zip, "contacts.csv").rows;
      expect(contacts.map((r) => [r.contact_id, r.first_at])).toEqual([
        ["m0", "2026-03-01T00:10:00+01:00"],
        ["s1", "2026-03-29T01:50:00+01:00"],
        ["s2", "2026-03-29T01:55:00+01:00"],
        ["s3", "2026-03-29T03:10:00+02:00"],
        ["s4", "2026-03-29T23:50:00+02:00"],
        ["s5", "2026-03-30T00:10:00+02:00"],
        ["s6", "2026-03-31T23:40:00+02:00"],
      ]);
      const by = (id: string) => contacts.find((r) => r.contact_id === id)!;
      expect(by("s2").visit_waits_s).toBe("600");
      expect(by("s1").handle_time_s).toBe("900");
      expect(by("s1").customer_phone).toBe("138****0001");
    });

    it("renders the summary page of the month", () => {
      const html = entryOf(zip, "summary.html").data.toString("utf8");
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain("2026-03");
      expect(html).toContain("2026年3月");
    });
  });

  describe("October 2026: clocks back on the 25th", () => {
    let zip: ZipEntry[];
    beforeAll(async () => {
      zip = await pack("2026-10");
    });

    it("bounds the month at local midnights of different offsets", () => {
      const m = manifestOf(zip);
      expect(m).toMatchObject({
        month: "2026-10",
        tz: "Europe/Berlin",
        from: "2026-10-01T00:00:00+02:00",
        to: "2026-11-01T00:00:00+01:00",
      });
    });

    it("has one daily row per local day, the 25-hour day holding exactly its calls", () => {
      const daily = tableOf(zip, "daily_queue_summary.csv").rows;
      expect(daily.map((r) => r.date)).toEqual(daysOf("2026-10", 31));
      const offered = daily.filter((r) => r.offered !== "0").map((r) => [r.date, r.offered]);
      // a0 on the 1st; a1–a4 on the 25th; a5 on the 31st; a9 (September) and a6 (November) not.
      expect(offered).toEqual([
        ["2026-10-01", "1"],
        ["2026-10-25", "4"],
        ["2026-10-31", "1"],
      ]);
      expect(daily.find((r) => r.date === "2026-10-25")).toMatchObject({
        offered: "4",
        answered: "3",
        abandoned: "1",
        // a1 (30 s) and a3 (1200 s) over T = 20, a4 (10 s) within.
        answered_within_sl: "1",
        // (30 + 1200 + 10) / 3 = 413.333…
        asa_s: "413.333",
        max_wait_s: "1200",
        handled: "1",
        aht_s: "3000",
      });
    });

    it("has 50 half hours on the 25th, the repeated hour's twice with two offsets", () => {
      const rows = tableOf(zip, "interval_queue_summary.csv").rows;
      // 31 × 48 + 2: 02:00–03:00 of the 25th happens twice.
      expect(rows).toHaveLength(1490);
      const perDay = new Map<string, number>();
      for (const r of rows) perDay.set(r.date!, (perDay.get(r.date!) ?? 0) + 1);
      for (const d of daysOf("2026-10", 31))
        expect(perDay.get(d), d).toBe(d === "2026-10-25" ? 50 : 48);
      // From 2026-09-30T22:00Z (October 1st, 00:00 CEST); offsets switch at 01:00Z on the 25th.
      const first = Date.parse("2026-09-30T22:00:00Z");
      expect(rows.map((r) => r.interval_start)).toEqual(
        rows.map((_, i) => berlin(first + i * HALF_HOUR)),
      );
      expect(rows.at(-1)!.interval_end).toBe("2026-11-01T00:00:00+01:00");
      const day25 = rows.filter((r) => r.date === "2026-10-25").map((r) => r.interval_start!);
      expect(day25.slice(3, 9)).toEqual([
        "2026-10-25T01:30:00+02:00",
        "2026-10-25T02:00:00+02:00",
        "2026-10-25T02:30:00+02:00",
        "2026-10-25T02:00:00+01:00",
        "2026-10-25T02:30:00+01:00",
        "2026-10-25T03:00:00+01:00",
      ]);
      expect(day25.filter((s) => s.slice(11, 16) === "02:00")).toEqual([
        "2026-10-25T02:00:00+02:00",
        "2026-10-25T02:00:00+01:00",
      ]);
    });

    it("tells the two 02:20s apart: each call in its own half hour", () => {
      const rows = tableOf(zip, "interval_queue_summary.csv").rows;
      const busy = rows
        .filter((r) => r.offered !== "0" || r.handled !== "0")
        .map((r) => [r.interval_start, r.offered, r.answered, r.abandoned, r.handled]);
      expect(busy).toEqual([
        ["2026-10-01T00:00:00+02:00", "1", "1", "0", "0"], // a0
        ["2026-10-25T02:00:00+02:00", "1", "1", "0", "0"], // a1 answered 02:20:30 CEST
        // a2 abandoned 02:20:50 CET, a3 answered 02:10 CET, a1 wrapped up 02:10:30 CET.
        ["2026-10-25T02:00:00+01:00", "2", "1", "1", "1"],
        ["2026-10-25T23:30:00+01:00", "1", "1", "0", "0"], // a4
        ["2026-10-31T23:30:00+01:00", "1", "1", "0", "0"], // a5
      ]);
      const second = rows.find((r) => r.interval_start === "2026-10-25T02:00:00+01:00")!;
      expect([second.asa_s, second.max_wait_s, second.aht_s]).toEqual(["1200", "1200", "3000"]);
      const firstPass = rows.find((r) => r.interval_start === "2026-10-25T02:00:00+02:00")!;
      expect([firstPass.asa_s, firstPass.max_wait_s]).toEqual(["30", "30"]);
    });

    it("writes each contact's first_at with the offset of its instant, in instant order", () => {
      const contacts = tableOf(zip, "contacts.csv").rows;
      // a1 (00:20Z), a3 (00:50Z), a2 (01:20Z): by instant, not by wall time.
      expect(contacts.map((r) => [r.contact_id, r.first_at])).toEqual([
        ["a0", "2026-10-01T00:10:00+02:00"],
        ["a1", "2026-10-25T02:20:00+02:00"],
        ["a3", "2026-10-25T02:50:00+02:00"],
        ["a2", "2026-10-25T02:20:00+01:00"],
        ["a4", "2026-10-25T23:40:00+01:00"],
        ["a5", "2026-10-31T23:30:00+01:00"],
      ]);
      const by = (id: string) => contacts.find((r) => r.contact_id === id)!;
      expect(by("a3").visit_waits_s).toBe("1200");
      expect(by("a1").handle_time_s).toBe("3000");
      expect(by("a2")).toMatchObject({ visit_outcomes: "abandoned", visit_waits_s: "50" });
    });

    it("renders the summary page of the month", () => {
      const html = entryOf(zip, "summary.html").data.toString("utf8");
      expect(html).toContain("2026-10");
      expect(html).toContain("2026年10月");
    });
  });

  it("formats instants by the test's rule as the zone database does (checks the test itself)", () => {
    // The expected strings above come from offsetAt; Intl's zone data must agree on both sides of
    // both changes, or the test would be checking the code against a wrong rule.
    const fmt = new Intl.DateTimeFormat("en", { timeZone: "Europe/Berlin", timeZoneName: "short" });
    for (const ms of [SPRING - 1, SPRING, AUTUMN - 1, AUTUMN])
      expect(
        fmt.format(ms).endsWith(offsetAt(ms) === "+02:00" ? "GMT+2" : "GMT+1"),
        String(ms),
      ).toBe(true);
    expect(berlin(cest("2026-10-25", "02:20:00"))).toBe("2026-10-25T02:20:00+02:00");
    expect(berlin(cet("2026-10-25", "02:20:00"))).toBe("2026-10-25T02:20:00+01:00");
  });
});
