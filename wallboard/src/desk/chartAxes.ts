// The desk charts' axes (the report's chart and the supervisor's trend). uPlot draws on a canvas,
// which cannot follow the rem the desk sizes its text by (Shell.tsx sets the root font from the
// viewport: 32 px on a 4K panel), so the axes' font, tick length and room are worked out here from
// the root size a chart is made with; uPlot's defaults drew 12 px labels beside 32 px text. Time
// ticks fall on interval starts of the site's calendar (uPlot's own fall on the browser's, and
// wrote "12am / 12pm" between days even in Chinese), at a step that leaves room for their labels,
// written 24 h and ISO-like so they read the same in both languages. Pure.
import { type Grain, instantOf, nextIntervalStart, wallClock } from "@floorwatch/contracts";
import type uPlot from "uplot";
import { AXIS, GRID } from "../components/chartColors";

/** An axis's measures for labels at the desk's text size (CSS px). */
export interface AxisStyle {
  /** The labels' font size. */
  px: number;
  /** The labels' canvas font. */
  font: string;
  /** Tick length. */
  ticks: number;
  /** Between a tick and its label. */
  gap: number;
}

/** Labels a little smaller than body text (like the legend's 0.85 rem), in the desk's font. */
export function axisStyle(rootPx: number, family: string): AxisStyle {
  const px = Math.max(10, Math.round(rootPx * 0.85));
  return { px, font: `${px}px ${family}`, ticks: Math.round(px / 2), gap: Math.round(px / 3) };
}

// A digit's advance in em in the desk's sans fonts (tabular figures), with a little to spare: the
// room is estimated, not measured, so that sizing stays pure and the same on every redraw.
const CHAR_EM = 0.58;
// uPlot's lineGap: the distance between the lines of a multi-line label, in font sizes.
const LINE_GAP = 1.5;

const lines = (label: unknown) => String(label ?? "").split("\n");
const labelWidth = (label: unknown, px: number) =>
  Math.max(...lines(label).map((l) => l.length)) * CHAR_EM * px;

/**
 * The room an axis needs for its labels (uPlot's `size`, CSS px): a bottom axis their lines, a side
 * axis its widest label. uPlot asks before it has any labels (`null`), then again until it settles.
 */
export function axisSize(
  style: AxisStyle,
  labels: readonly unknown[] | null | undefined,
  side: "x" | "y",
): number {
  const ls = labels ?? [];
  if (side === "x") {
    const n = Math.max(1, ...ls.map((l) => lines(l).length));
    return Math.ceil(style.ticks + style.gap + (n - 1) * LINE_GAP * style.px + 1.3 * style.px);
  }
  const widest = Math.max(3 * CHAR_EM * style.px, ...ls.map((l) => labelWidth(l, style.px)));
  return Math.ceil(style.ticks + style.gap + widest + 0.3 * style.px);
}

/** The least distance between two time labels (px): `YYYY-MM` for months, else `HH:MM`/`MM-DD`. */
export function tickSpace(style: AxisStyle, grain: Grain): number {
  return ((grain === "1mo" ? 7 : 5) * CHAR_EM + 0.8) * style.px;
}

const MINUTE_S = 60;
const DAY_S = 86_400;
const MONTH_S = 30.44 * DAY_S;
const GRAIN_MIN: Record<Grain, number> = { "15m": 15, "30m": 30, "1h": 60, "1d": 1440, "1mo": 0 };
/** Steps of a day's clock (minutes) that divide it, so ticks sit on round hours every day. */
const CLOCK_STEPS = [15, 30, 60, 120, 180, 360, 720];
const DAY_STEPS = [1, 2, 7, 14];
const MONTH_STEPS = [1, 2, 3, 6, 12];

/** The first of `steps` that `fits`, else the last doubled until it does. */
function pick(steps: readonly number[], fits: (step: number) => boolean): number {
  for (const s of steps) if (fits(s)) return s;
  let s = steps[steps.length - 1]!;
  while (!fits(s)) s *= 2;
  return s;
}

/**
 * Where a time axis puts its ticks (uPlot's `splits`, epoch s): on starts of the grain's intervals
 * in the site's calendar, every so many of them that `tickSpace` fits between two labels at
 * `pxPerSecond` — quarter hours, halves, round hours (2, 3, 6, 12), then local midnights (every 1,
 * 2, 7, 14 days), month starts for months. A clock time the clocks skip gets no tick.
 */
export function timeSplits(
  grain: Grain,
  tz: string,
  min: number,
  max: number,
  pxPerSecond: number,
  style: AxisStyle,
): number[] {
  if (!(max >= min) || !(pxPerSecond > 0) || !Number.isFinite(pxPerSecond)) return [];
  const room = tickSpace(style, grain) / pxPerSecond;
  const [minMs, maxMs] = [min * 1000, max * 1000];
  let ticks: number[];
  if (grain === "1mo")
    ticks = monthTicks(
      tz,
      minMs,
      maxMs,
      pick(MONTH_STEPS, (k) => k * MONTH_S >= room),
    );
  else {
    const clock = CLOCK_STEPS.find((m) => m >= GRAIN_MIN[grain] && m * MINUTE_S >= room);
    ticks =
      clock === undefined
        ? dayTicks(
            tz,
            minMs,
            maxMs,
            pick(DAY_STEPS, (k) => k * DAY_S >= room),
          )
        : clockTicks(tz, minMs, maxMs, clock);
  }
  return ticks.map((ms) => ms / 1000);
}

function clockTicks(tz: string, minMs: number, maxMs: number, step: number): number[] {
  const first = wallClock(tz, minMs);
  const out: number[] = [];
  for (let day = 0; instantOf(tz, first.y, first.mo, first.d + day) <= maxMs; day++) {
    for (let m = 0; m < 1440; m += step) {
      const [h, mi] = [Math.floor(m / 60), m % 60];
      const at = instantOf(tz, first.y, first.mo, first.d + day, h, mi);
      if (at > maxMs) break;
      const w = wallClock(tz, at);
      if (at >= minMs && w.h === h && w.mi === mi && out.at(-1) !== at) out.push(at);
    }
  }
  return out;
}

function dayTicks(tz: string, minMs: number, maxMs: number, step: number): number[] {
  const w = wallClock(tz, minMs);
  const out: number[] = [];
  let d = instantOf(tz, w.y, w.mo, w.d) < minMs ? 1 : 0;
  for (let at = instantOf(tz, w.y, w.mo, w.d + d); at <= maxMs; ) {
    out.push(at);
    d += step;
    at = instantOf(tz, w.y, w.mo, w.d + d);
  }
  return out;
}

function monthTicks(tz: string, minMs: number, maxMs: number, step: number): number[] {
  const w = wallClock(tz, minMs);
  let index = w.y * 12 + w.mo - 1 + (instantOf(tz, w.y, w.mo, 1) < minMs ? 1 : 0);
  // Aligned on the year: every 3 months starts in January, April, July and October.
  index = Math.ceil(index / step) * step;
  const out: number[] = [];
  for (; ; index += step) {
    const at = instantOf(tz, Math.floor(index / 12), (index % 12) + 1, 1);
    if (at > maxMs) return out;
    out.push(at);
  }
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/**
 * The ticks' labels on the site's clock: `YYYY-MM` for months, `MM-DD` for days (and for ticks a day
 * or more apart), else `HH:MM` (24 h) with `MM-DD` under the first and wherever the date changes.
 */
export function timeLabels(splits: readonly number[], grain: Grain, tz: string): string[] {
  const walls = splits.map((s) => wallClock(tz, s * 1000));
  if (grain === "1mo") return walls.map((w) => `${w.y}-${pad2(w.mo)}`);
  const date = (w: (typeof walls)[number]) => `${pad2(w.mo)}-${pad2(w.d)}`;
  // 23 h: a day the clocks go forward is a day apart too.
  const daily =
    grain === "1d" ||
    (splits.length > 1 && splits.every((s, i) => i === 0 || s - splits[i - 1]! >= 23 * 3600));
  if (daily) return walls.map(date);
  return walls.map((w, i) => {
    const time = `${pad2(w.h)}:${pad2(w.mi)}`;
    const prev = walls[i - 1];
    const newDay = !prev || prev.d !== w.d || prev.mo !== w.mo || prev.y !== w.y;
    return newDay ? `${time}\n${date(w)}` : time;
  });
}

/**
 * The x range (epoch s) from the first interval start `min` to the last `max`, with half an
 * interval either side: bars are drawn centred on their start, and without it the plot's edges cut
 * the first and last in half.
 */
export function paddedRange(grain: Grain, tz: string, min: number, max: number): [number, number] {
  const half = (start: number) => (nextIntervalStart(tz, grain, start * 1000) / 1000 - start) / 2;
  return [min - half(min), max + half(max)];
}

/** The desk's axis: its colours, and the font, ticks and room of `style`. */
export function deskAxis(style: AxisStyle, side: "x" | "y"): uPlot.Axis {
  return {
    stroke: AXIS,
    font: style.font,
    gap: style.gap,
    grid: { stroke: GRID, width: 1 },
    ticks: { stroke: GRID, size: style.ticks },
    size: (_u, values) => axisSize(style, values, side),
    // Side axes: labels at least two lines of text apart (uPlot's 30 px crowds 27 px labels).
    ...(side === "y" ? { space: Math.round(style.px * 2.2) } : {}),
  };
}

/** A time x axis whose ticks and labels follow `grain` (read on each redraw) on the site's clock. */
export function timeAxis(style: AxisStyle, tz: string, grain: () => Grain): uPlot.Axis {
  return {
    ...deskAxis(style, "x"),
    // uPlot found `incr` seconds to span `space` px: that gives the scale's px per second.
    splits: (_u, _i, min, max, incr, space) =>
      timeSplits(grain(), tz, min, max, incr > 0 ? space / incr : 0, style),
    values: (_u, splits) => timeLabels(splits, grain(), tz),
  };
}

/**
 * The plot's padding (top, right, bottom, left; null: uPlot's own): room at the top for half the
 * top label, and on the right, where no axis is, for half the last time label (uPlot leaves 25 px).
 */
export function plotPadding(style: AxisStyle, rightAxis: boolean): uPlot.Padding {
  return [
    Math.ceil(style.px * 0.7),
    rightAxis ? null : Math.ceil((5 * CHAR_EM * style.px) / 2 + style.gap),
    null,
    null,
  ];
}
