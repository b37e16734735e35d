// The site calendar of metrics.md "Windows and calendars": report intervals are local wall-clock
// intervals in the site's IANA zone, so a day lasts 23, 24 or 25 hours and an hour can occur twice.
// A calendar that counts days as 24 h of UTC puts a DST day's calls into the wrong report row, and
// one that collapses the two 01:00 hours of a fall-back night merges two hours of traffic into one.
//
// Every expected value below is worked out by hand from the zone's rules (the comment next to it
// gives the local time and offset) and written as a UTC literal, never computed by the code under
// test. The transition instants were checked against Node 20's Intl (ICU 78.2, tzdata 2025c):
//   Asia/Jerusalem   1999-04-02T00:00Z  +02:00 → +03:00  (02:00 local jumps to 03:00)
//   Asia/Jerusalem   1999-09-02T23:00Z  +03:00 → +02:00  (02:00 local on 09-03 falls back to 01:00)
//   America/New_York 2026-03-08T07:00Z  −05:00 → −04:00  (02:00 local jumps to 03:00)
//   America/New_York 2026-11-01T06:00Z  −04:00 → −05:00  (02:00 local falls back to 01:00)
//   America/Santiago 2024-09-08T04:00Z  −04:00 → −03:00  (00:00 local jumps to 01:00: no midnight)
//   Asia/Shanghai +08:00 and Asia/Kathmandu +05:45 have no change in 2026.
// Intl agreed with the dates of the brief for Jerusalem 1999 (spring forward 04-02, fall back 09-03).
import { describe, expect, it, vi } from "vitest";
import {
  formatLocal,
  instantOf,
  intervalStart,
  intervalStarts,
  nextIntervalStart,
  offsetMs,
  parseBound,
  wallClock,
} from "./calendar";
import { parseRfc3339Ms } from "./primitives";

const SHANGHAI = "Asia/Shanghai";
const JERUSALEM = "Asia/Jerusalem";
const NEW_YORK = "America/New_York";
const SANTIAGO = "America/Santiago";
const KATHMANDU = "Asia/Kathmandu";

/** Epoch ms of a literal UTC timestamp (always written with Z, so no zone data is involved). */
const utc = (iso: string): number => Date.parse(iso);

describe("wallClock", () => {
  it("reads Shanghai's wall time eight hours ahead of UTC", () => {
    // 01:15:30Z + 8 h = 09:15:30 the same day.
    expect(wallClock(SHANGHAI, utc("2026-11-22T01:15:30Z"))).toEqual({
      y: 2026,
      mo: 11,
      d: 22,
      h: 9,
      mi: 15,
      s: 30,
    });
  });

  it("reads local midnight as hour 0 of the new day, across a year end", () => {
    // 2026-12-31T16:00Z + 8 h = 2027-01-01 00:00.
    expect(wallClock(SHANGHAI, utc("2026-12-31T16:00:00Z"))).toEqual({
      y: 2027,
      mo: 1,
      d: 1,
      h: 0,
      mi: 0,
      s: 0,
    });
  });

  it("reads the same wall time for both 01:30s of New York's fall-back night", () => {
    // 05:30Z − 4 h = 01:30 EDT; 06:30Z − 5 h = 01:30 EST.
    expect(wallClock(NEW_YORK, utc("2026-11-01T05:30:00Z"))).toEqual({
      y: 2026,
      mo: 11,
      d: 1,
      h: 1,
      mi: 30,
      s: 0,
    });
    expect(wallClock(NEW_YORK, utc("2026-11-01T06:30:00Z"))).toEqual({
      y: 2026,
      mo: 11,
      d: 1,
      h: 1,
      mi: 30,
      s: 0,
    });
  });
});

describe("offsetMs", () => {
  it("gives Shanghai +08:00 in winter and in summer alike", () => {
    // 8 × 3,600,000 = 28,800,000.
    expect(offsetMs(SHANGHAI, utc("2026-01-15T12:00:00Z"))).toBe(28_800_000);
    expect(offsetMs(SHANGHAI, utc("2026-07-15T12:00:00Z"))).toBe(28_800_000);
  });

  it("gives Kathmandu +05:45", () => {
    // 5 × 3,600,000 + 45 × 60,000 = 18,000,000 + 2,700,000.
    expect(offsetMs(KATHMANDU, utc("2026-11-22T04:00:00Z"))).toBe(20_700_000);
  });

  it("ignores the milliseconds of the instant", () => {
    // 01:15:17.400Z is still +08:00; a sub-second remainder must not leak into the offset.
    expect(offsetMs(SHANGHAI, utc("2026-11-22T01:15:17.400Z"))).toBe(28_800_000);
  });

  it("changes from −04:00 to −05:00 at 06:00Z on New York's fall-back day", () => {
    expect(offsetMs(NEW_YORK, utc("2026-11-01T05:59:59Z"))).toBe(-14_400_000);
    expect(offsetMs(NEW_YORK, utc("2026-11-01T06:00:00Z"))).toBe(-18_000_000);
  });

  it("changes from +02:00 to +03:00 at 00:00Z on Jerusalem's 1999 spring-forward day", () => {
    expect(offsetMs(JERUSALEM, utc("1999-04-01T23:59:59Z"))).toBe(7_200_000);
    expect(offsetMs(JERUSALEM, utc("1999-04-02T00:00:00Z"))).toBe(10_800_000);
  });
});

describe("instantOf", () => {
  it("names the instant of a Shanghai wall time", () => {
    // 2026-11-22 09:15 +08:00 = 01:15Z.
    expect(instantOf(SHANGHAI, 2026, 11, 22, 9, 15)).toBe(utc("2026-11-22T01:15:00Z"));
  });

  it("defaults to local midnight", () => {
    // 2026-11-22 00:00 +08:00 = 2026-11-21T16:00Z.
    expect(instantOf(SHANGHAI, 2026, 11, 22)).toBe(utc("2026-11-21T16:00:00Z"));
  });

  it("rolls an overflowing day into the next month and year", () => {
    // Day 32 of December 2026 is 2027-01-01; 00:00 +08:00 = 2026-12-31T16:00Z.
    expect(instantOf(SHANGHAI, 2026, 12, 32)).toBe(utc("2026-12-31T16:00:00Z"));
  });

  it("takes the earlier of the two 01:00s of New York's fall-back night", () => {
    // 01:00 EDT (−04:00) = 05:00Z comes before 01:00 EST (−05:00) = 06:00Z.
    expect(instantOf(NEW_YORK, 2026, 11, 1, 1)).toBe(utc("2026-11-01T05:00:00Z"));
  });

  it("takes the instant the clock jumped for a wall time at the start of a spring-forward gap", () => {
    // 02:00 does not exist on 2026-03-08 in New York; the clock reads 03:00 EDT at 07:00Z.
    expect(instantOf(NEW_YORK, 2026, 3, 8, 2)).toBe(utc("2026-03-08T07:00:00Z"));
    // Jerusalem 1999-04-02 02:00 does not exist; 03:00 +03:00 = 00:00Z.
    expect(instantOf(JERUSALEM, 1999, 4, 2, 2)).toBe(utc("1999-04-02T00:00:00Z"));
  });

  it("takes the earlier of the two 01:00s of Jerusalem's 1999 fall-back night", () => {
    // 1999-09-03 01:00 +03:00 = 1999-09-02T22:00Z (the second one, +02:00, is 23:00Z).
    expect(instantOf(JERUSALEM, 1999, 9, 3, 1)).toBe(utc("1999-09-02T22:00:00Z"));
  });

  it("starts Santiago's 2024-09-08 at 01:00 −03:00 because its midnight does not exist", () => {
    // At 00:00 −04:00 (04:00Z) the clock jumped to 01:00 −03:00, which is the same instant.
    expect(instantOf(SANTIAGO, 2024, 9, 8)).toBe(utc("2024-09-08T04:00:00Z"));
  });
});

describe("intervalStart", () => {
  // 2026-11-22 09:44:59.999 +08:00 = 01:44:59.999Z: the last millisecond of several intervals.
  const late = utc("2026-11-22T01:44:59.999Z");

  it("aligns a Shanghai instant down to its 15-minute, 30-minute and hour interval", () => {
    expect(intervalStart(SHANGHAI, "15m", late)).toBe(utc("2026-11-22T01:30:00Z")); // 09:30 +08:00
    expect(intervalStart(SHANGHAI, "30m", late)).toBe(utc("2026-11-22T01:30:00Z")); // 09:30 +08:00
    expect(intervalStart(SHANGHAI, "1h", late)).toBe(utc("2026-11-22T01:00:00Z")); // 09:00 +08:00
  });

  it("aligns a Shanghai instant down to its local day and month", () => {
    expect(intervalStart(SHANGHAI, "1d", late)).toBe(utc("2026-11-21T16:00:00Z")); // 2026-11-22 00:00 +08:00
    expect(intervalStart(SHANGHAI, "1mo", late)).toBe(utc("2026-10-31T16:00:00Z")); // 2026-11-01 00:00 +08:00
  });

  it("puts an instant before 08:00 Shanghai time in the local day, not the UTC day", () => {
    // 2026-11-22T23:30Z is 2026-11-23 07:30 +08:00, so its day starts 2026-11-22T16:00Z.
    expect(intervalStart(SHANGHAI, "1d", utc("2026-11-22T23:30:00Z"))).toBe(
      utc("2026-11-22T16:00:00Z"),
    );
  });

  it("returns an instant exactly on a boundary unchanged", () => {
    expect(intervalStart(SHANGHAI, "15m", utc("2026-11-22T01:45:00Z"))).toBe(
      utc("2026-11-22T01:45:00Z"),
    );
    expect(intervalStart(SHANGHAI, "30m", utc("2026-11-22T01:30:00Z"))).toBe(
      utc("2026-11-22T01:30:00Z"),
    );
    expect(intervalStart(SHANGHAI, "1h", utc("2026-11-22T01:00:00Z"))).toBe(
      utc("2026-11-22T01:00:00Z"),
    );
    expect(intervalStart(SHANGHAI, "1d", utc("2026-11-21T16:00:00Z"))).toBe(
      utc("2026-11-21T16:00:00Z"),
    );
    expect(intervalStart(SHANGHAI, "1mo", utc("2026-10-31T16:00:00Z"))).toBe(
      utc("2026-10-31T16:00:00Z"),
    );
    // The second 01:00 of New York's fall-back night is a boundary of its own.
    expect(intervalStart(NEW_YORK, "1h", utc("2026-11-01T06:00:00Z"))).toBe(
      utc("2026-11-01T06:00:00Z"),
    );
    // Santiago's 2024-09-08 starts at 01:00 −03:00.
    expect(intervalStart(SANTIAGO, "1d", utc("2024-09-08T04:00:00Z"))).toBe(
      utc("2024-09-08T04:00:00Z"),
    );
  });

  it("aligns Kathmandu's hours to :15 UTC and its half and quarter hours to local minutes", () => {
    // 04:14:59Z + 5:45 = 09:59:59 local.
    const t = utc("2026-11-22T04:14:59Z");
    expect(intervalStart(KATHMANDU, "1h", t)).toBe(utc("2026-11-22T03:15:00Z")); // 09:00 +05:45
    expect(intervalStart(KATHMANDU, "30m", t)).toBe(utc("2026-11-22T03:45:00Z")); // 09:30 +05:45
    expect(intervalStart(KATHMANDU, "15m", t)).toBe(utc("2026-11-22T04:00:00Z")); // 09:45 +05:45
    // One second later it is 10:00 local, which starts an hour.
    expect(intervalStart(KATHMANDU, "1h", utc("2026-11-22T04:15:00Z"))).toBe(
      utc("2026-11-22T04:15:00Z"),
    );
  });

  it("starts Kathmandu's day at 18:15Z of the day before", () => {
    // 2026-11-22 00:00 +05:45 = 2026-11-21T18:15Z; 12:00Z is 17:45 local the same day.
    expect(intervalStart(KATHMANDU, "1d", utc("2026-11-22T12:00:00Z"))).toBe(
      utc("2026-11-21T18:15:00Z"),
    );
  });

  it("keeps the two 01:00 hours of New York's fall-back night apart", () => {
    // 05:30Z is 01:30 EDT (hour from 05:00Z); 06:30Z is 01:30 EST (hour from 06:00Z).
    expect(intervalStart(NEW_YORK, "1h", utc("2026-11-01T05:30:00Z"))).toBe(
      utc("2026-11-01T05:00:00Z"),
    );
    expect(intervalStart(NEW_YORK, "1h", utc("2026-11-01T06:30:00Z"))).toBe(
      utc("2026-11-01T06:00:00Z"),
    );
    // Both are in the day that started at 00:00 EDT = 04:00Z.
    expect(intervalStart(NEW_YORK, "1d", utc("2026-11-01T06:30:00Z"))).toBe(
      utc("2026-11-01T04:00:00Z"),
    );
  });

  it("puts an instant of Santiago's 2024-09-08 in the day that starts at 01:00 −03:00", () => {
    // 15:00Z is 12:00 −03:00.
    expect(intervalStart(SANTIAGO, "1d", utc("2024-09-08T15:00:00Z"))).toBe(
      utc("2024-09-08T04:00:00Z"),
    );
  });

  it("puts an instant of Jerusalem's 1999-09-03 in the day that starts at midnight +03:00", () => {
    // 12:00Z is 14:00 +02:00; the day began at 00:00 +03:00 = 1999-09-02T21:00Z.
    expect(intervalStart(JERUSALEM, "1d", utc("1999-09-03T12:00:00Z"))).toBe(
      utc("1999-09-02T21:00:00Z"),
    );
  });

  it("puts 29 February in the month that starts on 1 February", () => {
    // 2028-02-29 12:00 +08:00 = 04:00Z; 2028-02-01 00:00 +08:00 = 2028-01-31T16:00Z.
    expect(intervalStart(SHANGHAI, "1mo", utc("2028-02-29T04:00:00Z"))).toBe(
      utc("2028-01-31T16:00:00Z"),
    );
  });
});

describe("nextIntervalStart", () => {
  it("adds 15 minutes, 30 minutes or an hour to a sub-day start", () => {
    const t = utc("2026-11-22T01:00:00Z");
    expect(nextIntervalStart(SHANGHAI, "15m", t)).toBe(utc("2026-11-22T01:15:00Z"));
    expect(nextIntervalStart(SHANGHAI, "30m", t)).toBe(utc("2026-11-22T01:30:00Z"));
    expect(nextIntervalStart(SHANGHAI, "1h", t)).toBe(utc("2026-11-22T02:00:00Z"));
  });

  it("steps from December to January of the next year", () => {
    // 2026-12-01 00:00 +08:00 = 2026-11-30T16:00Z → 2027-01-01 00:00 +08:00 = 2026-12-31T16:00Z.
    expect(nextIntervalStart(SHANGHAI, "1mo", utc("2026-11-30T16:00:00Z"))).toBe(
      utc("2026-12-31T16:00:00Z"),
    );
  });

  it("gives a leap February 29 days and a common one 28", () => {
    // 2028-02-01 00:00 +08:00 = 2028-01-31T16:00Z → 2028-03-01 00:00 +08:00 = 2028-02-29T16:00Z.
    expect(nextIntervalStart(SHANGHAI, "1mo", utc("2028-01-31T16:00:00Z"))).toBe(
      utc("2028-02-29T16:00:00Z"),
    );
    // 2027-02-01 00:00 +08:00 = 2027-01-31T16:00Z → 2027-03-01 00:00 +08:00 = 2027-02-28T16:00Z.
    expect(nextIntervalStart(SHANGHAI, "1mo", utc("2027-01-31T16:00:00Z"))).toBe(
      utc("2027-02-28T16:00:00Z"),
    );
  });

  it("gives New York's fall-back day 25 hours and its spring-forward day 23", () => {
    // 2026-11-01 00:00 EDT = 04:00Z → 2026-11-02 00:00 EST = 05:00Z: 25 h.
    expect(nextIntervalStart(NEW_YORK, "1d", utc("2026-11-01T04:00:00Z"))).toBe(
      utc("2026-11-02T05:00:00Z"),
    );
    // 2026-03-08 00:00 EST = 05:00Z → 2026-03-09 00:00 EDT = 04:00Z: 23 h.
    expect(nextIntervalStart(NEW_YORK, "1d", utc("2026-03-08T05:00:00Z"))).toBe(
      utc("2026-03-09T04:00:00Z"),
    );
  });

  it("gives Jerusalem's 1999-04-02 23 hours and 1999-09-03 25 hours", () => {
    // 1999-04-02 00:00 +02:00 = 1999-04-01T22:00Z → 1999-04-03 00:00 +03:00 = 1999-04-02T21:00Z: 23 h.
    expect(nextIntervalStart(JERUSALEM, "1d", utc("1999-04-01T22:00:00Z"))).toBe(
      utc("1999-04-02T21:00:00Z"),
    );
    // 1999-09-03 00:00 +03:00 = 1999-09-02T21:00Z → 1999-09-04 00:00 +02:00 = 1999-09-03T22:00Z: 25 h.
    expect(nextIntervalStart(JERUSALEM, "1d", utc("1999-09-02T21:00:00Z"))).toBe(
      utc("1999-09-03T22:00:00Z"),
    );
  });

  it("ends Santiago's 2024-09-07 where the next day begins at 01:00 −03:00", () => {
    // 2024-09-07 00:00 −04:00 = 04:00Z → 2024-09-08 01:00 −03:00 = 04:00Z: 24 h.
    expect(nextIntervalStart(SANTIAGO, "1d", utc("2024-09-07T04:00:00Z"))).toBe(
      utc("2024-09-08T04:00:00Z"),
    );
    // 2024-09-08 01:00 −03:00 = 04:00Z → 2024-09-09 00:00 −03:00 = 03:00Z: 23 h.
    expect(nextIntervalStart(SANTIAGO, "1d", utc("2024-09-08T04:00:00Z"))).toBe(
      utc("2024-09-09T03:00:00Z"),
    );
  });

  it("ends a month across a DST change at the next local midnight", () => {
    // Jerusalem 1999-09-01 00:00 +03:00 = 1999-08-31T21:00Z → 1999-10-01 00:00 +02:00 = 1999-09-30T22:00Z.
    expect(nextIntervalStart(JERUSALEM, "1mo", utc("1999-08-31T21:00:00Z"))).toBe(
      utc("1999-09-30T22:00:00Z"),
    );
  });
});

describe("intervalStarts", () => {
  const local = (tz: string, starts: number[]) => starts.map((t) => formatLocal(tz, t));

  it("lists Shanghai's days, from the first bound aligned down, with the last bound excluded", () => {
    // From 2026-11-22 10:00 +08:00 (02:00Z) to 2026-11-25 00:00 +08:00 (2026-11-24T16:00Z).
    expect(
      intervalStarts(SHANGHAI, "1d", utc("2026-11-22T02:00:00Z"), utc("2026-11-24T16:00:00Z")),
    ).toEqual([
      utc("2026-11-21T16:00:00Z"), // 2026-11-22 00:00 +08:00
      utc("2026-11-22T16:00:00Z"), // 2026-11-23
      utc("2026-11-23T16:00:00Z"), // 2026-11-24
    ]);
  });

  it("lists 24 hours in a Shanghai day", () => {
    const starts = intervalStarts(
      SHANGHAI,
      "1h",
      utc("2026-11-21T16:00:00Z"),
      utc("2026-11-22T16:00:00Z"),
    );
    expect(starts).toHaveLength(24);
    expect(starts[0]).toBe(utc("2026-11-21T16:00:00Z")); // 00:00 +08:00
    expect(starts[23]).toBe(utc("2026-11-22T15:00:00Z")); // 23:00 +08:00
  });

  it("lists Shanghai's 15-minute and 30-minute intervals of one hour", () => {
    // 09:00–10:00 +08:00 = 01:00Z–02:00Z.
    expect(
      local(
        SHANGHAI,
        intervalStarts(SHANGHAI, "15m", utc("2026-11-22T01:00:00Z"), utc("2026-11-22T02:00:00Z")),
      ),
    ).toEqual([
      "2026-11-22T09:00:00+08:00",
      "2026-11-22T09:15:00+08:00",
      "2026-11-22T09:30:00+08:00",
      "2026-11-22T09:45:00+08:00",
    ]);
    expect(
      local(
        SHANGHAI,
        intervalStarts(SHANGHAI, "30m", utc("2026-11-22T01:00:00Z"), utc("2026-11-22T02:00:00Z")),
      ),
    ).toEqual(["2026-11-22T09:00:00+08:00", "2026-11-22T09:30:00+08:00"]);
  });

  it("lists Shanghai's months across the turn of the year and a leap February", () => {
    // 2027-11-15 +08:00 … 2028-03-01 00:00 +08:00 (2028-02-29T16:00Z, excluded).
    expect(
      local(
        SHANGHAI,
        intervalStarts(SHANGHAI, "1mo", utc("2027-11-15T04:00:00Z"), utc("2028-02-29T16:00:00Z")),
      ),
    ).toEqual([
      "2027-11-01T00:00:00+08:00",
      "2027-12-01T00:00:00+08:00",
      "2028-01-01T00:00:00+08:00",
      "2028-02-01T00:00:00+08:00",
    ]);
  });

  it("lists nothing when both bounds are the same boundary", () => {
    expect(
      intervalStarts(SHANGHAI, "1h", utc("2026-11-22T01:00:00Z"), utc("2026-11-22T01:00:00Z")),
    ).toEqual([]);
  });

  it("lists both 01:00 hours of New York's 25-hour fall-back day as distinct instants", () => {
    // 2026-11-01 00:00 EDT = 04:00Z … 2026-11-02 00:00 EST = 05:00Z: 25 hours.
    const starts = intervalStarts(
      NEW_YORK,
      "1h",
      utc("2026-11-01T04:00:00Z"),
      utc("2026-11-02T05:00:00Z"),
    );
    expect(starts).toHaveLength(25);
    expect(starts[1]).toBe(utc("2026-11-01T05:00:00Z")); // 01:00 EDT
    expect(starts[2]).toBe(utc("2026-11-01T06:00:00Z")); // 01:00 EST
    expect(local(NEW_YORK, starts)).toEqual([
      "2026-11-01T00:00:00-04:00",
      "2026-11-01T01:00:00-04:00",
      "2026-11-01T01:00:00-05:00",
      "2026-11-01T02:00:00-05:00",
      "2026-11-01T03:00:00-05:00",
      "2026-11-01T04:00:00-05:00",
      "2026-11-01T05:00:00-05:00",
      "2026-11-01T06:00:00-05:00",
      "2026-11-01T07:00:00-05:00",
      "2026-11-01T08:00:00-05:00",
      "2026-11-01T09:00:00-05:00",
      "2026-11-01T10:00:00-05:00",
      "2026-11-01T11:00:00-05:00",
      "2026-11-01T12:00:00-05:00",
      "2026-11-01T13:00:00-05:00",
      "2026-11-01T14:00:00-05:00",
      "2026-11-01T15:00:00-05:00",
      "2026-11-01T16:00:00-05:00",
      "2026-11-01T17:00:00-05:00",
      "2026-11-01T18:00:00-05:00",
      "2026-11-01T19:00:00-05:00",
      "2026-11-01T20:00:00-05:00",
      "2026-11-01T21:00:00-05:00",
      "2026-11-01T22:00:00-05:00",
      "2026-11-01T23:00:00-05:00",
    ]);
  });

  it("lists 23 hours without 02:00 on New York's spring-forward day", () => {
    // 2026-03-08 00:00 EST = 05:00Z … 2026-03-09 00:00 EDT = 04:00Z: 23 hours.
    const starts = intervalStarts(
      NEW_YORK,
      "1h",
      utc("2026-03-08T05:00:00Z"),
      utc("2026-03-09T04:00:00Z"),
    );
    expect(local(NEW_YORK, starts)).toEqual([
      "2026-03-08T00:00:00-05:00",
      "2026-03-08T01:00:00-05:00",
      "2026-03-08T03:00:00-04:00",
      "2026-03-08T04:00:00-04:00",
      "2026-03-08T05:00:00-04:00",
      "2026-03-08T06:00:00-04:00",
      "2026-03-08T07:00:00-04:00",
      "2026-03-08T08:00:00-04:00",
      "2026-03-08T09:00:00-04:00",
      "2026-03-08T10:00:00-04:00",
      "2026-03-08T11:00:00-04:00",
      "2026-03-08T12:00:00-04:00",
      "2026-03-08T13:00:00-04:00",
      "2026-03-08T14:00:00-04:00",
      "2026-03-08T15:00:00-04:00",
      "2026-03-08T16:00:00-04:00",
      "2026-03-08T17:00:00-04:00",
      "2026-03-08T18:00:00-04:00",
      "2026-03-08T19:00:00-04:00",
      "2026-03-08T20:00:00-04:00",
      "2026-03-08T21:00:00-04:00",
      "2026-03-08T22:00:00-04:00",
      "2026-03-08T23:00:00-04:00",
    ]);
    // The 03:00 EDT hour starts one hour after 01:00 EST (06:00Z → 07:00Z).
    expect(starts[2]).toBe(utc("2026-03-08T07:00:00Z"));
  });

  it("lists New York's days around both changes with their own local midnights", () => {
    // 2026-10-31 00:00 EDT = 04:00Z; 11-01 00:00 EDT = 04:00Z; 11-02 and 11-03 00:00 EST = 05:00Z.
    expect(
      intervalStarts(NEW_YORK, "1d", utc("2026-10-31T04:00:00Z"), utc("2026-11-03T05:00:00Z")),
    ).toEqual([
      utc("2026-10-31T04:00:00Z"),
      utc("2026-11-01T04:00:00Z"),
      utc("2026-11-02T05:00:00Z"),
    ]);
    // 2026-03-07 00:00 EST = 05:00Z; 03-08 00:00 EST = 05:00Z; 03-09 00:00 EDT = 04:00Z.
    expect(
      intervalStarts(NEW_YORK, "1d", utc("2026-03-07T05:00:00Z"), utc("2026-03-10T04:00:00Z")),
    ).toEqual([
      utc("2026-03-07T05:00:00Z"),
      utc("2026-03-08T05:00:00Z"),
      utc("2026-03-09T04:00:00Z"),
    ]);
  });

  it("lists 23 hours without 02:00 on Jerusalem's 1999-04-02", () => {
    // 00:00 +02:00 = 1999-04-01T22:00Z … 1999-04-03 00:00 +03:00 = 1999-04-02T21:00Z.
    const starts = intervalStarts(
      JERUSALEM,
      "1h",
      utc("1999-04-01T22:00:00Z"),
      utc("1999-04-02T21:00:00Z"),
    );
    expect(starts).toHaveLength(23);
    expect(local(JERUSALEM, starts.slice(0, 4))).toEqual([
      "1999-04-02T00:00:00+02:00",
      "1999-04-02T01:00:00+02:00",
      "1999-04-02T03:00:00+03:00",
      "1999-04-02T04:00:00+03:00",
    ]);
    expect(formatLocal(JERUSALEM, starts[22]!)).toBe("1999-04-02T23:00:00+03:00");
  });

  it("lists 25 hours with two 01:00s on Jerusalem's 1999-09-03", () => {
    // 00:00 +03:00 = 1999-09-02T21:00Z … 1999-09-04 00:00 +02:00 = 1999-09-03T22:00Z.
    const starts = intervalStarts(
      JERUSALEM,
      "1h",
      utc("1999-09-02T21:00:00Z"),
      utc("1999-09-03T22:00:00Z"),
    );
    expect(starts).toHaveLength(25);
    expect(starts.slice(0, 4)).toEqual([
      utc("1999-09-02T21:00:00Z"), // 00:00 +03:00
      utc("1999-09-02T22:00:00Z"), // 01:00 +03:00
      utc("1999-09-02T23:00:00Z"), // 01:00 +02:00
      utc("1999-09-03T00:00:00Z"), // 02:00 +02:00
    ]);
    expect(local(JERUSALEM, starts.slice(0, 4))).toEqual([
      "1999-09-03T00:00:00+03:00",
      "1999-09-03T01:00:00+03:00",
      "1999-09-03T01:00:00+02:00",
      "1999-09-03T02:00:00+02:00",
    ]);
    expect(formatLocal(JERUSALEM, starts[24]!)).toBe("1999-09-03T23:00:00+02:00");
  });

  it("starts Santiago's 2024-09-08 at 01:00 −03:00 in daily and hourly reports", () => {
    // Days: 09-07 00:00 −04:00 = 04:00Z; 09-08 01:00 −03:00 = 04:00Z; 09-09 00:00 −03:00 = 03:00Z.
    expect(
      local(
        SANTIAGO,
        intervalStarts(SANTIAGO, "1d", utc("2024-09-07T04:00:00Z"), utc("2024-09-10T03:00:00Z")),
      ),
    ).toEqual([
      "2024-09-07T00:00:00-04:00",
      "2024-09-08T01:00:00-03:00",
      "2024-09-09T00:00:00-03:00",
    ]);
    // Hours of 09-08: 01:00 … 23:00 −03:00, 23 of them.
    const hours = intervalStarts(
      SANTIAGO,
      "1h",
      utc("2024-09-08T04:00:00Z"),
      utc("2024-09-09T03:00:00Z"),
    );
    expect(hours).toHaveLength(23);
    expect(formatLocal(SANTIAGO, hours[0]!)).toBe("2024-09-08T01:00:00-03:00");
    expect(formatLocal(SANTIAGO, hours[22]!)).toBe("2024-09-08T23:00:00-03:00");
    // The hour before the jump is 23:00 −04:00 of 09-07 (03:00Z), directly followed by 01:00 −03:00.
    expect(
      local(
        SANTIAGO,
        intervalStarts(SANTIAGO, "1h", utc("2024-09-08T03:00:00Z"), utc("2024-09-08T05:00:00Z")),
      ),
    ).toEqual(["2024-09-07T23:00:00-04:00", "2024-09-08T01:00:00-03:00"]);
  });

  it("lists Kathmandu's hours at :15 UTC and its half hours at :15 and :45 UTC", () => {
    // From 03:00Z = 08:45 local, aligned down to 08:00 local = 02:15Z; to 05:30Z = 11:15 local.
    expect(
      intervalStarts(KATHMANDU, "1h", utc("2026-11-22T03:00:00Z"), utc("2026-11-22T05:30:00Z")),
    ).toEqual([
      utc("2026-11-22T02:15:00Z"), // 08:00 +05:45
      utc("2026-11-22T03:15:00Z"), // 09:00
      utc("2026-11-22T04:15:00Z"), // 10:00
      utc("2026-11-22T05:15:00Z"), // 11:00
    ]);
    // From 03:00Z = 08:45 local, aligned down to 08:30 local = 02:45Z; to 04:30Z.
    expect(
      intervalStarts(KATHMANDU, "30m", utc("2026-11-22T03:00:00Z"), utc("2026-11-22T04:30:00Z")),
    ).toEqual([
      utc("2026-11-22T02:45:00Z"), // 08:30 +05:45
      utc("2026-11-22T03:15:00Z"), // 09:00
      utc("2026-11-22T03:45:00Z"), // 09:30
      utc("2026-11-22T04:15:00Z"), // 10:00
    ]);
    // Local quarter hours fall on UTC quarter hours (45 is a multiple of 15).
    expect(
      local(
        KATHMANDU,
        intervalStarts(KATHMANDU, "15m", utc("2026-11-22T03:10:00Z"), utc("2026-11-22T03:45:00Z")),
      ),
    ).toEqual([
      "2026-11-22T08:45:00+05:45",
      "2026-11-22T09:00:00+05:45",
      "2026-11-22T09:15:00+05:45",
    ]);
  });

  it("allows exactly `max` intervals and throws a RangeError past it", () => {
    // 09:00–12:00 +08:00 is three hours.
    const from = utc("2026-11-22T01:00:00Z");
    const to = utc("2026-11-22T04:00:00Z");
    expect(intervalStarts(SHANGHAI, "1h", from, to, 3)).toHaveLength(3);
    expect(() => intervalStarts(SHANGHAI, "1h", from, to, 2)).toThrow(RangeError);
  });

  it("refuses more than 100,000 intervals by default", () => {
    // 15-minute intervals over 2026–2028 (365 + 365 + 366 days × 96) = 105,216 > 100,000.
    expect(() =>
      intervalStarts(SHANGHAI, "15m", utc("2025-12-31T16:00:00Z"), utc("2028-12-31T16:00:00Z")),
    ).toThrow(RangeError);
  });
});

describe("formatLocal", () => {
  it("writes RFC 3339 with the site's offset, as in the events.md example", () => {
    expect(formatLocal(SHANGHAI, utc("2026-11-22T01:15:00Z"))).toBe("2026-11-22T09:15:00+08:00");
  });

  it("pads month, day, hour, minute and second to two digits", () => {
    // 2027-01-04T19:04:05Z + 8 h = 2027-01-05 03:04:05.
    expect(formatLocal(SHANGHAI, utc("2027-01-04T19:04:05Z"))).toBe("2027-01-05T03:04:05+08:00");
  });

  it("writes milliseconds only when there are any (interval bounds stay short, a visit's end exact)", () => {
    expect(formatLocal(SHANGHAI, utc("2026-11-22T01:15:17Z"))).toBe("2026-11-22T09:15:17+08:00");
    expect(formatLocal(SHANGHAI, utc("2026-11-22T01:15:17.400Z"))).toBe(
      "2026-11-22T09:15:17.400+08:00",
    );
    expect(formatLocal(KATHMANDU, utc("1999-12-31T23:59:59.999Z"))).toBe(
      "2000-01-01T05:44:59.999+05:45",
    );
  });

  it("writes negative, fractional-hour and zero offsets", () => {
    expect(formatLocal(NEW_YORK, utc("2026-11-01T06:00:00Z"))).toBe("2026-11-01T01:00:00-05:00");
    expect(formatLocal(SANTIAGO, utc("2024-09-08T04:00:00Z"))).toBe("2024-09-08T01:00:00-03:00");
    expect(formatLocal(KATHMANDU, utc("2026-11-22T04:15:00Z"))).toBe("2026-11-22T10:00:00+05:45");
    expect(formatLocal("UTC", utc("2026-11-22T04:15:00Z"))).toBe("2026-11-22T04:15:00+00:00");
  });
});

describe("parseBound", () => {
  const neverCalled = () => {
    throw new Error("a YYYY-MM-DD bound must not reach the instant parser");
  };

  it("reads YYYY-MM-DD as the site's local midnight", () => {
    // 2026-11-22 00:00 +08:00 = 2026-11-21T16:00Z.
    expect(parseBound(SHANGHAI, "2026-11-22", neverCalled)).toBe(utc("2026-11-21T16:00:00Z"));
    // 1999-04-02 00:00 +02:00 = 1999-04-01T22:00Z (the jump is at 02:00, later that night).
    expect(parseBound(JERUSALEM, "1999-04-02", neverCalled)).toBe(utc("1999-04-01T22:00:00Z"));
    // 2026-11-01 00:00 EDT = 04:00Z.
    expect(parseBound(NEW_YORK, "2026-11-01", neverCalled)).toBe(utc("2026-11-01T04:00:00Z"));
  });

  it("reads a YYYY-MM-DD whose midnight does not exist as the start of that day", () => {
    // Santiago 2024-09-08 starts at 01:00 −03:00 = 04:00Z.
    expect(parseBound(SANTIAGO, "2024-09-08", neverCalled)).toBe(utc("2024-09-08T04:00:00Z"));
  });

  it("hands anything else to the given instant parser and returns its answer", () => {
    const parse = vi.fn((_: string) => 42);
    expect(parseBound(SHANGHAI, "2026-11-22T09:15:00+08:00", parse)).toBe(42);
    expect(parse).toHaveBeenCalledWith("2026-11-22T09:15:00+08:00");
  });

  it("reads an RFC 3339 instant by its own offset, not the site's", () => {
    // 09:15 +08:00 = 01:15Z, whatever the site's zone.
    expect(parseBound(NEW_YORK, "2026-11-22T09:15:00+08:00", parseRfc3339Ms)).toBe(
      utc("2026-11-22T01:15:00Z"),
    );
  });

  it("returns null for text that is neither a date nor an instant", () => {
    expect(parseBound(SHANGHAI, "yesterday", parseRfc3339Ms)).toBeNull();
    expect(parseBound(SHANGHAI, "2026-11-2", parseRfc3339Ms)).toBeNull();
    expect(parseBound(SHANGHAI, "2026-11-22T", parseRfc3339Ms)).toBeNull();
    expect(parseBound(SHANGHAI, "", parseRfc3339Ms)).toBeNull();
  });
});

describe("the edges the first version of the calendar got wrong", () => {
  it("refuses a YYYY-MM-DD bound that is not a real date instead of rolling it over", () => {
    expect(parseBound(SHANGHAI, "2026-02-30", parseRfc3339Ms)).toBeNull();
    expect(parseBound(SHANGHAI, "2026-13-45", parseRfc3339Ms)).toBeNull();
    expect(parseBound(SHANGHAI, "2026-00-00", parseRfc3339Ms)).toBeNull();
    expect(parseBound(SHANGHAI, "2025-02-29", parseRfc3339Ms)).toBeNull();
    // 2024-02-29 exists: midnight +08:00 is 2024-02-28T16:00Z.
    expect(parseBound(SHANGHAI, "2024-02-29", parseRfc3339Ms)).toBe(Date.UTC(2024, 1, 28, 16));
  });

  it("follows local hours across a 30-minute clock change (Lord Howe: 02:00 +10:30 jumps to 02:30 +11:00)", () => {
    const tz = "Australia/Lord_Howe";
    // 2026-10-04 local: the jump is at 2026-10-03T15:30Z. Hours: 01:00 +10:30 = 14:30Z; "02" runs
    // 02:30–03:00 +11:00 = 15:30Z–16:00Z (half an hour); 03:00 +11:00 = 16:00Z; 04:00 +11:00 = 17:00Z.
    const starts = intervalStarts(
      tz,
      "1h",
      Date.UTC(2026, 9, 3, 14, 30),
      Date.UTC(2026, 9, 3, 17, 30),
    );
    expect(starts).toEqual([
      Date.UTC(2026, 9, 3, 14, 30),
      Date.UTC(2026, 9, 3, 15, 30),
      Date.UTC(2026, 9, 3, 16),
      Date.UTC(2026, 9, 3, 17),
    ]);
    // The start of the interval holding the jump instant is the jump, and asking again agrees.
    expect(intervalStart(tz, "1h", Date.UTC(2026, 9, 3, 15, 30))).toBe(
      Date.UTC(2026, 9, 3, 15, 30),
    );
    expect(intervalStart(tz, "1h", Date.UTC(2026, 9, 3, 15, 0))).toBe(Date.UTC(2026, 9, 3, 14, 30));
    expect(intervalStart(tz, "1h", Date.UTC(2026, 9, 3, 16, 30))).toBe(Date.UTC(2026, 9, 3, 16));
  });

  it("names the instant of the jump for a wall time inside a spring-forward gap", () => {
    // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00Z; 02:30 does not exist.
    expect(instantOf("America/New_York", 2026, 3, 8, 2, 30)).toBe(Date.UTC(2026, 2, 8, 7));
  });

  it("keeps the two 01:00 hours of a fall-back night apart", () => {
    // New York 2026-11-01: 01:00 EDT = 05:00Z, then 01:00 EST = 06:00Z.
    expect(intervalStart("America/New_York", "1h", Date.UTC(2026, 10, 1, 6, 30))).toBe(
      Date.UTC(2026, 10, 1, 6),
    );
    expect(intervalStart("America/New_York", "1h", Date.UTC(2026, 10, 1, 5, 30))).toBe(
      Date.UTC(2026, 10, 1, 5),
    );
  });
});
