import type { ReportRow } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { pointCount } from "../../trends";
import { trendData, trendQuery } from "./trend";

const row = (queue: string, start: string, sl: number | null, target: number): ReportRow =>
  ({
    queue,
    interval_start: start,
    service_level: sl,
    definition: {
      set: "x",
      versions: [
        { version: 1, valid_from: "", sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.5 },
        { version: 2, valid_from: "", sl_threshold_s: 20, short_abandon_s: 5, sl_target: target },
      ],
    },
  }) as ReportRow;

describe("the supervisor's trend", () => {
  // 2026-11-28 01:30 in Shanghai: still the 27th in UTC.
  const now = Date.parse("2026-11-27T17:30:00Z");

  it("asks today by quarter hour, 7 days by hour and 30 days by day, from the site's midnights", () => {
    expect(trendQuery("15m", "Asia/Shanghai", now)).toEqual({
      from: "2026-11-28",
      to: "2026-11-27T17:30:00.000Z",
      interval: "15m",
    });
    expect(trendQuery("1h", "Asia/Shanghai", now).from).toBe("2026-11-22");
    expect(trendQuery("1d", "Asia/Shanghai", now)).toMatchObject({
      from: "2026-10-30",
      interval: "1d",
    });
  });

  it("draws the queue's service level in time order against the target in force in each interval", () => {
    const data = trendData(
      [
        row("cards", "2026-11-28T00:15:00+08:00", 0.9, 0.8),
        row("loans", "2026-11-28T00:00:00+08:00", 0.1, 0.8),
        row("cards", "2026-11-28T00:00:00+08:00", null, 0.75),
      ],
      "cards",
    );
    const t0 = Date.parse("2026-11-27T16:00:00Z") / 1000;
    expect(data).toEqual([
      [t0, t0 + 900],
      [null, 90],
      [75, 80],
    ]);
    expect(pointCount(data)).toBe(1);
  });
});
