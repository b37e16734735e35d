// The history a TV draws from its first paint (GET /api/v1/live/trends, issue #12): per tile, the
// quarter hours of the site's day so far (offered, service level, longest wait) and the last 14
// days (CSAT, resolution). Each value is the figure GET /api/v1/reports/intervals shows for the
// same queue and interval (15m and 1d grains): read from the same rollup cells (rollupCellSums)
// and turned into figures by the same figures(). A group tile (a channel, the site) sums the cells
// of its queues, each judged by its own queue's definition, as the live snapshot's totals do: a
// mean of the queues' ratios would weigh a queue of 3 calls like one of 300.
//
// Two reads per grain at most, whatever the number of tiles: one rollup read over the union of the
// tiles' queues (plus, rarely, the histograms of cells another version judged, and the exact
// longest wait of cells that saw a retraction).
import {
  intervalStart,
  intervalStarts,
  nextIntervalStart,
  type QueueFigures,
  type TileKey,
  type TvTrends,
} from "@floorwatch/contracts";
import type { ClickHouseClient, SumsRow } from "@floorwatch/sql";
import {
  defaultQueue,
  segmentsOf,
  versionOf,
  type QueueConfig,
  type SiteConfig,
} from "../metrics/config";
import { figures, type Sums } from "../metrics/figures";
import { rollupCellSums, toSums } from "../metrics/report";

/** Days of the day trends, today included (issue #12). */
export const TREND_DAYS = 14;

/** What computeTrends returns: the route adds the layout the trends were cut for. */
export type Trends = Omit<TvTrends, "layout_id">;

/** The figures of the quarter-hour charts and of the day charts. */
const TODAY_FIGURES = ["offered", "service_level", "max_wait_s"] as const;
const DAY_FIGURES = ["csat", "resolution_rate"] as const;

/** A rollup cell: sums of one queue, interval (epoch s) and definition version. */
export type TrendCell = SumsRow & Partial<Pick<Sums, "answered_hist" | "abandoned_hist">>;

/**
 * The queues a tile stands for: its queue (a queue no definition names yet is judged by its
 * channel's defaults, as the report judges it), the channel's queues, or every queue of the site.
 */
export function tileQueues(config: SiteConfig, tile: TileKey): QueueConfig[] {
  if (tile === "site") return config.queues;
  if (tile.startsWith("channel:")) {
    const channel = tile.slice("channel:".length);
    return config.queues.filter((q) => q.channel === channel);
  }
  const id = tile.slice("queue:".length);
  return [config.queues.find((q) => q.queue === id) ?? defaultQueue(id)];
}

/**
 * The interval starts (epoch ms) of the trends at `nowMs`: every quarter hour of the site's local
 * day up to the one holding now, and the local days from 13 days before today to today (a day of
 * a clock change is 23 or 25 hours: days are stepped back by the calendar, not by 24 hours).
 */
export function trendStarts(tz: string, nowMs: number): { quarters: number[]; days: number[] } {
  const today = intervalStart(tz, "1d", nowMs);
  let first = today;
  for (let i = 1; i < TREND_DAYS; i++) first = intervalStart(tz, "1d", first - 1);
  return {
    quarters: intervalStarts(tz, "15m", today, nowMs + 1),
    days: intervalStarts(tz, "1d", first, nowMs + 1),
  };
}

/**
 * Per start, the figures of a group of queues: every member's cells of that interval, each judged
 * by its own queue's version, summed before any ratio is taken. Pure.
 */
export function groupFigures(
  cells: readonly TrendCell[],
  members: readonly QueueConfig[],
  startsMs: readonly number[],
): QueueFigures[] {
  const byCell = new Map<string, TrendCell[]>();
  for (const c of cells) {
    const k = `${c.queue}\u0000${c.bucket * 1000}`;
    const list = byCell.get(k);
    if (list) list.push(c);
    else byCell.set(k, [c]);
  }
  return startsMs.map((s) =>
    figures(
      members.flatMap((q) =>
        (byCell.get(`${q.queue}\u0000${s}`) ?? []).map((c) => ({
          sums: toSums(c),
          params: versionOf(q, c.version),
        })),
      ),
    ),
  );
}

/** One series per figure name, from the figures of each interval. */
function seriesOf<K extends keyof QueueFigures>(
  names: readonly K[],
  perInterval: readonly QueueFigures[],
): Record<K, (number | null)[]> {
  const out = {} as Record<K, (number | null)[]>;
  for (const n of names) out[n] = perInterval.map((f) => f[n] as number | null);
  return out;
}

export async function computeTrends(
  ch: ClickHouseClient,
  config: SiteConfig,
  tiles: readonly TileKey[],
  nowMs: number,
): Promise<Trends> {
  const { site, tz } = config;
  const { quarters, days } = trendStarts(tz, nowMs);
  const unique = [...new Set(tiles)];
  const members = new Map(unique.map((t) => [t, tileQueues(config, t)]));
  // Each queue once, though several tiles show it (a queue and its channel).
  const queues = [
    ...new Map([...members.values()].flat().map((q) => [q.queue, q] as const)).values(),
  ];
  const names = queues.map((q) => q.queue);
  const segments = segmentsOf(queues);
  const read = (grain: "15m" | "1d", starts: number[], end: number) =>
    names.length && starts.length
      ? rollupCellSums(ch, {
          site,
          tz,
          grain,
          from_ms: starts[0]!,
          to_ms: end,
          queues: names,
          segments,
        })
      : Promise.resolve([] as TrendCell[]);
  // Like the report, the ranges reach the end of the interval holding now.
  const [quarterCells, dayCells] = await Promise.all([
    read("15m", quarters, intervalEnd(tz, "15m", quarters)),
    read("1d", days, intervalEnd(tz, "1d", days)),
  ]);

  const today: Trends["today"]["tiles"] = {};
  const lastDays: Trends["days"]["tiles"] = {};
  for (const [tile, qs] of members) {
    today[tile] = seriesOf(TODAY_FIGURES, groupFigures(quarterCells, qs, quarters));
    lastDays[tile] = seriesOf(DAY_FIGURES, groupFigures(dayCells, qs, days));
  }
  const seconds = (ms: number[]) => ms.map((m) => Math.floor(m / 1000));
  return {
    site,
    tz,
    as_of: new Date(nowMs).toISOString(),
    today: { starts: seconds(quarters), tiles: today },
    days: { starts: seconds(days), tiles: lastDays },
  };
}

/** The end of the last interval of `starts` (0 when there is none: nothing is read then). */
function intervalEnd(tz: string, grain: "15m" | "1d", starts: readonly number[]): number {
  const last = starts.at(-1);
  return last === undefined ? 0 : nextIntervalStart(tz, grain, last);
}
