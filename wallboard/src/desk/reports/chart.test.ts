import { describe, expect, it } from "vitest";
import { chartData } from "./chart";

const version = (sl_target: number) => ({
  version: 1,
  valid_from: "1970-01-01T00:00:00.000Z",
  sl_threshold_s: 20,
  short_abandon_s: 5,
  sl_target,
});

const row = (
  start: string,
  f: { offered: number; answered: number; abandoned: number; short: number; within: number },
  target = 0.8,
) => ({
  interval_start: start,
  offered: f.offered,
  answered: f.answered,
  abandoned: f.abandoned,
  short_abandoned: f.short,
  answered_within_sl: f.within,
  definition: { set: "floorwatch-metrics-v1", versions: [version(target)] },
});

describe("report chart data", () => {
  it("sums the queues of an interval and recomputes the service level from the sums", () => {
    const { data, mixedTargets } = chartData([
      row("2026-11-02T10:00:00+08:00", {
        offered: 2,
        answered: 2,
        abandoned: 0,
        short: 0,
        within: 0,
      }),
      row("2026-11-02T09:00:00+08:00", {
        offered: 8,
        answered: 4,
        abandoned: 2,
        short: 1,
        within: 3,
      }),
      row("2026-11-02T09:00:00+08:00", {
        offered: 100,
        answered: 95,
        abandoned: 5,
        short: 0,
        within: 90,
      }),
    ]);
    expect(data[0]).toEqual([
      Date.parse("2026-11-02T01:00:00Z") / 1000,
      Date.parse("2026-11-02T02:00:00Z") / 1000,
    ]);
    expect(data[1]).toEqual([108, 2]);
    // (3 + 90) / (5 + 100), not the mean of 60 % and 90 %.
    expect(data[2]?.[0]).toBeCloseTo((93 / 105) * 100, 10);
    expect(data[2]?.[1]).toBe(0);
    expect(data[3]).toEqual([80, 80]);
    expect(mixedTargets).toBe(false);
  });

  it("leaves the service level out where nothing was answered or abandoned", () => {
    const { data } = chartData([
      row("2026-11-02T09:00:00+08:00", {
        offered: 1,
        answered: 0,
        abandoned: 0,
        short: 0,
        within: 0,
      }),
    ]);
    expect(data[2]).toEqual([null]);
  });

  it("draws no target where the queues of an interval have different ones", () => {
    const { data, mixedTargets } = chartData([
      row(
        "2026-11-02T09:00:00+08:00",
        { offered: 1, answered: 1, abandoned: 0, short: 0, within: 1 },
        0.8,
      ),
      row(
        "2026-11-02T09:00:00+08:00",
        { offered: 1, answered: 1, abandoned: 0, short: 0, within: 1 },
        0.9,
      ),
    ]);
    expect(data[3]).toEqual([null]);
    expect(mixedTargets).toBe(true);
  });
});
