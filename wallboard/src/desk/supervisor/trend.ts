// The supervisor's trend of one queue: the service level per interval over a range, against the
// target in force in each interval (GET /reports/intervals rows carry their definition), as uPlot
// data. Three ranges: today by quarter hour, the last 7 days by hour, the last 30 days by day.
import type { Grain, ReportRow } from "@floorwatch/contracts";
import type uPlot from "uplot";
import { localDate } from "../format";

export type TrendRange = "15m" | "1h" | "1d";
export const TREND_RANGES: readonly TrendRange[] = ["15m", "1h", "1d"];

const DAY = 86_400_000;

/** The report's query for a range ending now: from a local midnight of the site to now. */
export function trendQuery(
  range: TrendRange,
  tz: string,
  nowMs: number,
): { from: string; to: string; interval: Grain } {
  const days = range === "15m" ? 0 : range === "1h" ? 6 : 29;
  return {
    from: localDate(nowMs - days * DAY, tz),
    to: new Date(nowMs).toISOString(),
    interval: range,
  };
}

/** [starts (epoch s), service level %, target %]; null where nothing was answered or abandoned. */
export function trendData(rows: readonly ReportRow[], queue: string): uPlot.AlignedData {
  const mine = rows
    .filter((r) => r.queue === queue)
    .map((r) => ({ at: Date.parse(r.interval_start) / 1000, r }))
    .sort((a, b) => a.at - b.at);
  const pct = (v: number | null | undefined) => (typeof v === "number" ? v * 100 : null);
  return [
    mine.map((m) => m.at),
    mine.map((m) => pct(m.r.service_level)),
    mine.map((m) => pct(m.r.definition.versions.at(-1)?.sl_target)),
  ];
}
