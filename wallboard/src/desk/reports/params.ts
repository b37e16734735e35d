// What a report shows, as it stands in the address (`/reports?site=&queue=&channel=&from=&to=
// &interval=&cols=`): parsed with defaults, and the range presets worked out on the site's calendar.
// `from` and `to` are local dates with `to` excluded, exactly as GET /reports/intervals reads them,
// so a shared link asks the API the very same question. Pure.
import { Channel, Grain } from "@floorwatch/contracts";
import { addDays, addMonths, isDate } from "../dates";
import { localDate } from "../format";
import { one, type Search } from "../search";
import { FORMULA_FIGURES, type FormulaFigure } from "./formulas";

export const GRAINS = Grain.options;
export const CHANNELS = Channel.options;
export type Preset = "today" | "yesterday" | "last7" | "thisMonth" | "lastMonth";
export const PRESETS: readonly Preset[] = ["today", "yesterday", "last7", "thisMonth", "lastMonth"];

export interface DateRange {
  /** First local date, YYYY-MM-DD. */
  from: string;
  /** The local date after the last one (excluded). */
  to: string;
}

export interface ReportParams extends DateRange {
  interval: Grain;
  /** "" for every queue. */
  queue: string;
  /** "" for every channel. */
  channel: string;
  /** The figure columns shown, in the table's order. */
  cols: FormulaFigure[];
}

/** Today on the site's clock. */
export const todayAt = (tz: string, nowMs: number) => localDate(nowMs, tz);

/** A preset's dates, `today` being the site's. Ranges that include today end with it. */
export function presetRange(preset: Preset, today: string): DateRange {
  const tomorrow = addDays(today, 1);
  const month = `${today.slice(0, 7)}-01`;
  switch (preset) {
    case "today":
      return { from: today, to: tomorrow };
    case "yesterday":
      return { from: addDays(today, -1), to: today };
    case "last7":
      return { from: addDays(today, -6), to: tomorrow };
    case "thisMonth":
      return { from: month, to: tomorrow };
    case "lastMonth":
      return { from: addMonths(month, -1), to: month };
  }
}

/** The preset a range is, or "custom". */
export function presetOf(range: DateRange, today: string): Preset | "custom" {
  return (
    PRESETS.find((p) => {
      const r = presetRange(p, today);
      return r.from === range.from && r.to === range.to;
    }) ?? "custom"
  );
}

/** Days in a range. */
export const daysIn = (r: DateRange) =>
  Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000);

/** How many intervals a range holds (a day of daylight-saving change aside). */
export function intervalCount(r: DateRange, interval: Grain): number {
  const days = daysIn(r);
  switch (interval) {
    case "15m":
      return days * 96;
    case "30m":
      return days * 48;
    case "1h":
      return days * 24;
    case "1d":
      return days;
    case "1mo": {
      const [fy, fm] = [Number(r.from.slice(0, 4)), Number(r.from.slice(5, 7))];
      const last = addDays(r.to, -1);
      return (Number(last.slice(0, 4)) - fy) * 12 + Number(last.slice(5, 7)) - fm + 1;
    }
  }
}

/** The interval a range reads best in when the address names none: hours for a day or two. */
export function defaultInterval(r: DateRange): Grain {
  const days = daysIn(r);
  return days <= 2 ? "1h" : days <= 92 ? "1d" : "1mo";
}

/** The figure columns a report shows unless the address chooses others. */
export const DEFAULT_COLS: FormulaFigure[] = [
  "offered",
  "answered",
  "abandoned",
  "service_level",
  "abandon_rate",
  "asa_s",
  "max_wait_s",
  "handled",
  "aht_s",
  "resolution_rate",
  "transfer_rate",
  "first_response_s",
  "csat",
  "nps",
  "fcr_survey",
  "occupancy",
];

/** Every figure column that can be chosen, in the table's order: every figure of a row. */
export const ALL_COLS: readonly FormulaFigure[] = FORMULA_FIGURES;

/**
 * The report the address asks for; anything missing or malformed replaced by its default (today,
 * the interval that suits the range, every queue, the default columns), so any link opens a report.
 */
export function parseParams(search: Search, today: string): ReportParams {
  const from = one(search.from);
  const to = one(search.to);
  const range =
    isDate(from) && isDate(to) && from < to ? { from, to } : presetRange("today", today);
  const interval = one(search.interval);
  const channel = one(search.channel) ?? "";
  const cols = (one(search.cols) ?? "")
    .split(",")
    .filter((c): c is FormulaFigure => (ALL_COLS as readonly string[]).includes(c));
  return {
    ...range,
    interval: GRAINS.includes(interval as Grain) ? (interval as Grain) : defaultInterval(range),
    queue: one(search.queue) ?? "",
    channel: (CHANNELS as readonly string[]).includes(channel) ? channel : "",
    cols: cols.length ? ALL_COLS.filter((c) => cols.includes(c)) : DEFAULT_COLS,
  };
}

/** The address's query for `p`: every choice, the columns only when they are not the default. */
export function paramsSearch(p: ReportParams): Record<string, string> {
  const defaultCols = p.cols.join(",") === DEFAULT_COLS.join(",");
  return {
    from: p.from,
    to: p.to,
    interval: p.interval,
    queue: p.queue,
    channel: p.channel,
    cols: defaultCols ? "" : p.cols.join(","),
  };
}
