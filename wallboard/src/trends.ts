// GET /api/v1/live/trends as uPlot data: per tile, the quarter hours of today (offered, service
// level with its target line, longest wait) and the last 14 days (CSAT, resolution). The server
// keeps the history, so a screen opened a minute ago already shows the day.
import { type TvTrend, TvTrends } from "@floorwatch/contracts";
import type uPlot from "uplot";
import { tvUrl } from "./live";

export interface FetchTrendsOptions {
  token?: string | null;
  layout?: string | null;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * GET /api/v1/live/trends once. Null on any failure: the charts keep what they drew (the trends
 * are history; the staleness banner is about the live figures, which have their own checks).
 */
export async function fetchTrends(
  site: string,
  opts: FetchTrendsOptions = {},
): Promise<TvTrends | null> {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  try {
    const res = await doFetch(tvUrl("live/trends", site, opts.layout), {
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
      cache: "no-store",
      headers: {
        accept: "application/json",
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
      },
    });
    if (!res.ok) return null;
    const parsed = TvTrends.safeParse(await res.json());
    return parsed.success && parsed.data.site === site ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A trend over quarter hours of today or days of the last 14. */
export const trendSpan = (trend: TvTrend): "today" | "days" =>
  trend === "csat" || trend === "resolution_rate" ? "days" : "today";

/** Whether the trend's values are shares of 0..1 (drawn as %). */
export const trendIsRatio = (trend: TvTrend) => trend !== "offered" && trend !== "max_wait_s";

const pct = (v: number | null | undefined) => (v === null || v === undefined ? null : v * 100);

/**
 * One tile's series of one trend as uPlot's aligned data: x in epoch seconds, y in the unit shown
 * (% for ratios); service level gets a second series, the target, drawn as a flat line. A tile the
 * trends do not know yet draws an empty chart (x from the starts, all null), never an error.
 */
export function trendData(
  trends: TvTrends | null,
  tileKey: string,
  trend: TvTrend,
  slTarget: number | null,
): uPlot.AlignedData {
  if (!trends) return trend === "service_level" ? [[], [], []] : [[], []];
  const span = trendSpan(trend);
  const starts = span === "today" ? trends.today.starts : trends.days.starts;
  const tile =
    span === "today"
      ? (trends.today.tiles[tileKey] as Record<string, (number | null)[]> | undefined)
      : (trends.days.tiles[tileKey] as Record<string, (number | null)[]> | undefined);
  const raw = tile?.[trend] ?? [];
  const ys = starts.map((_, i) => {
    const v = raw[i] ?? null;
    return trendIsRatio(trend) ? pct(v) : v;
  });
  if (trend !== "service_level") return [starts.slice(), ys];
  const target = slTarget === null ? null : slTarget * 100;
  return [starts.slice(), ys, starts.map(() => target)];
}

/** The quarter hour `nowMs` falls in: the trends are refetched when it changes. */
export const quarterHour = (nowMs: number) => Math.floor(nowMs / 900_000);

/** How many values a chart draws (its `data-points` hook: the canvas itself cannot be read). */
export function pointCount(data: uPlot.AlignedData): number {
  let n = 0;
  for (const v of data[1] ?? []) if (v !== null && v !== undefined) n++;
  return n;
}
