import { describe, expect, it } from "vitest";
import {
  axisSize,
  axisStyle,
  paddedRange,
  plotPadding,
  tickSpace,
  timeLabels,
  timeSplits,
} from "./chartAxes";

const at = (iso: string) => Date.parse(iso) / 1000;
const HOUR = 3600;
const DAY = 86_400;
const desk1080 = axisStyle(16, "sans-serif");
const desk4k = axisStyle(32, '"Noto Sans CJK SC", sans-serif');

describe("the desk charts' axis sizes", () => {
  it("follow the root font size: labels beside body text, not uPlot's fixed 12 px", () => {
    expect(desk1080).toMatchObject({ px: 14, font: "14px sans-serif" });
    expect(desk4k.px).toBe(27);
    expect(desk4k.font).toBe('27px "Noto Sans CJK SC", sans-serif');
    expect(desk4k.ticks).toBeGreaterThan(desk1080.ticks);
    expect(desk4k.gap).toBeGreaterThan(desk1080.gap);
  });

  it("leave room for every line of a bottom axis's labels and the widest label of a side axis", () => {
    const one = axisSize(desk4k, ["10-01", "10-02"], "x");
    const two = axisSize(desk4k, ["00:00\n11-01", "06:00"], "x");
    expect(two - one).toBeGreaterThanOrEqual(1.5 * desk4k.px - 1);
    expect(one).toBeGreaterThan(desk4k.ticks + desk4k.gap + desk4k.px);
    expect(axisSize(desk4k, null, "x")).toBe(one);
    expect(axisSize(desk4k, ["0%", "100%"], "y")).toBeGreaterThan(axisSize(desk4k, ["0%"], "y"));
    expect(axisSize(desk4k, ["0", "20"], "y")).toBeGreaterThan(
      2 * axisSize(desk1080, ["0", "20"], "y") - 10,
    );
    // No right axis on the trend: half the last time label must fit beside the plot.
    expect(plotPadding(desk4k, false)[1]).toBeGreaterThan(1.3 * desk4k.px);
    expect(plotPadding(desk4k, true)[1]).toBeNull();
  });
});

describe("the desk charts' time ticks", () => {
  it("put a month of days on the site's midnights, every day when they fit and every other when not", () => {
    // October 2026 by day in Shanghai, padded half a day either side: midnights at 16:00 UTC.
    const [min, max] = paddedRange(
      "1d",
      "Asia/Shanghai",
      at("2026-09-30T16:00:00Z"),
      at("2026-10-30T16:00:00Z"),
    );
    // A 4K report: about 3,540 px of plot.
    const wide = timeSplits("1d", "Asia/Shanghai", min, max, 3540 / (max - min), desk4k);
    expect(wide).toHaveLength(31);
    expect(wide[0]).toBe(at("2026-09-30T16:00:00Z"));
    expect(wide.every((s, i) => i === 0 || s - wide[i - 1]! === DAY)).toBe(true);
    const labels = timeLabels(wide, "1d", "Asia/Shanghai");
    expect(labels.slice(0, 2)).toEqual(["10-01", "10-02"]);
    expect(labels.at(-1)).toBe("10-31");
    // 1080p: 56 px a day still holds MM-DD at 14 px.
    expect(timeSplits("1d", "Asia/Shanghai", min, max, 1800 / (max - min), desk1080)).toHaveLength(
      31,
    );
    const narrow = timeSplits("1d", "Asia/Shanghai", min, max, 900 / (max - min), desk1080);
    expect(timeLabels(narrow, "1d", "Asia/Shanghai")).toEqual(
      Array.from({ length: 16 }, (_, i) => `10-${String(1 + 2 * i).padStart(2, "0")}`),
    );
  });

  it("keep labels at least their width apart", () => {
    const [min, max] = [at("2026-11-01T00:00:00Z"), at("2026-11-08T00:00:00Z")];
    for (const width of [600, 1200, 1800, 3600]) {
      const pps = width / (max - min);
      const splits = timeSplits("1h", "UTC", min, max, pps, desk1080);
      expect(splits.length).toBeGreaterThan(1);
      for (let i = 1; i < splits.length; i++)
        expect((splits[i]! - splits[i - 1]!) * pps).toBeGreaterThanOrEqual(
          tickSpace(desk1080, "1h") - 1e-9,
        );
    }
  });

  it("write hours 24 h on the site's clock with the date where the day changes, across a fall-back day", () => {
    // New York, 31 Oct to 2 Nov 2026 by hour; clocks go back at 02:00 on 1 Nov (a 25-hour day).
    const tz = "America/New_York";
    const [min, max] = [at("2026-10-31T04:00:00Z"), at("2026-11-02T05:00:00Z")];
    const splits = timeSplits("1h", tz, min, max, 0.003, desk1080);
    expect(timeLabels(splits, "1h", tz)).toEqual([
      "00:00\n10-31",
      "06:00",
      "12:00",
      "18:00",
      "00:00\n11-01",
      "06:00",
      "12:00",
      "18:00",
      "00:00\n11-02",
    ]);
    expect(splits[4]).toBe(at("2026-11-01T04:00:00Z"));
    expect(splits[5]! - splits[4]!).toBe(7 * HOUR);
  });

  it("give the hour the clocks skip no tick", () => {
    // New York, 8 Mar 2026: 02:00 EST is 03:00 EDT.
    const tz = "America/New_York";
    const splits = timeSplits(
      "1h",
      tz,
      at("2026-03-08T05:00:00Z"),
      at("2026-03-08T09:00:00Z"),
      0.02,
      desk1080,
    );
    expect(splits).toEqual([5, 6, 7, 8, 9].map((h) => at(`2026-03-08T0${h}:00:00Z`)));
    expect(timeLabels(splits, "1h", tz)).toEqual([
      "00:00\n03-08",
      "01:00",
      "03:00",
      "04:00",
      "05:00",
    ]);
  });

  it("tick quarter-hour reports on the site's round hours, never in AM/PM", () => {
    // Kolkata is +05:30: its hours start at half past in UTC (and in the browser's zone, maybe).
    const tz = "Asia/Kolkata";
    const splits = timeSplits(
      "15m",
      tz,
      at("2026-11-02T03:30:00Z"),
      at("2026-11-02T06:30:00Z"),
      0.02,
      desk1080,
    );
    const labels = timeLabels(splits, "15m", tz);
    expect(labels).toEqual(["09:00\n11-02", "10:00", "11:00", "12:00"]);
    expect(splits[0]).toBe(at("2026-11-02T03:30:00Z"));
    expect(labels.join(" ")).not.toMatch(/am|pm|上午|下午/i);
    // Close enough for every quarter hour.
    expect(
      timeSplits("15m", tz, at("2026-11-02T03:30:00Z"), at("2026-11-02T04:30:00Z"), 0.1, desk1080),
    ).toHaveLength(5);
  });

  it("write only dates when hourly ticks are a day or more apart", () => {
    const [min, max] = [at("2026-11-01T00:00:00Z"), at("2026-11-30T23:00:00Z")];
    const splits = timeSplits("1h", "UTC", min, max, 1800 / (max - min), desk1080);
    const labels = timeLabels(splits, "1h", "UTC");
    expect(labels[0]).toBe("11-01");
    expect(labels.every((l) => /^\d\d-\d\d$/.test(l))).toBe(true);
  });

  it("put months on the site's month starts as YYYY-MM, every quarter when months do not fit", () => {
    const tz = "Asia/Shanghai";
    const [min, max] = paddedRange(
      "1mo",
      tz,
      at("2025-12-31T16:00:00Z"),
      at("2026-11-30T16:00:00Z"),
    );
    const wide = timeSplits("1mo", tz, min, max, 1e-4, desk1080);
    expect(wide).toHaveLength(12);
    expect(wide[1]).toBe(at("2026-01-31T16:00:00Z"));
    expect(timeLabels(wide, "1mo", tz).slice(0, 2)).toEqual(["2026-01", "2026-02"]);
    const narrow = timeSplits("1mo", tz, min, max, 1e-5, desk1080);
    expect(timeLabels(narrow, "1mo", tz)).toEqual(["2026-01", "2026-04", "2026-07", "2026-10"]);
  });

  it("have none for an empty or unsized axis", () => {
    expect(timeSplits("1d", "UTC", 10, 5, 1, desk1080)).toEqual([]);
    expect(timeSplits("1d", "UTC", 0, DAY, 0, desk1080)).toEqual([]);
  });
});

describe("the report chart's x range", () => {
  it("reaches half an interval past the first and last starts, so no bar is cut at the edges", () => {
    const first = at("2026-10-01T00:00:00+08:00");
    const last = at("2026-10-31T00:00:00+08:00");
    expect(paddedRange("1d", "Asia/Shanghai", first, last)).toEqual([
      first - 12 * HOUR,
      last + 12 * HOUR,
    ]);
    expect(paddedRange("15m", "Asia/Shanghai", first, last)).toEqual([first - 450, last + 450]);
    // 1 Nov 2026 in New York has 25 hours; 8 Mar 23.
    const fallBack = at("2026-11-01T00:00:00-04:00");
    expect(paddedRange("1d", "America/New_York", fallBack, fallBack)).toEqual([
      fallBack - 12.5 * HOUR,
      fallBack + 12.5 * HOUR,
    ]);
    const springForward = at("2026-03-08T00:00:00-05:00");
    expect(paddedRange("1d", "America/New_York", springForward, springForward)[1]).toBe(
      springForward + 11.5 * HOUR,
    );
    // February by month: 14 days before it; March: 15.5 days after it.
    const feb = at("2026-02-01T00:00:00+08:00");
    const mar = at("2026-03-01T00:00:00+08:00");
    expect(paddedRange("1mo", "Asia/Shanghai", feb, mar)).toEqual([
      feb - 14 * DAY,
      mar + 15.5 * DAY,
    ]);
  });
});
