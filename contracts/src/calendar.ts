// The site's calendar (metrics.md "Windows and calendars"): interval boundaries are local wall-clock
// boundaries in the site's IANA time zone, so a day starts at local midnight and lasts 23, 24 or 25
// hours across daylight saving changes. Pure, on Intl's time-zone data; the SQL side uses
// ClickHouse's own (toStartOfHour(t, tz), toDate(t, tz)), and the tests check they agree.
import type { Grain } from "./reports";

interface Wall {
  y: number;
  mo: number; // 1–12
  d: number;
  h: number;
  mi: number;
  s: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** The local wall-clock time of an instant in `tz`. */
export function wallClock(tz: string, ms: number): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms)))
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  return {
    y: parts.year!,
    mo: parts.month!,
    d: parts.day!,
    h: parts.hour! % 24,
    mi: parts.minute!,
    s: parts.second!,
  };
}

// Offsets change only at transitions, and every transition of every zone falls on a quarter hour
// of UTC, so an offset can be cached per zone and quarter hour: replaying six months of calls asks
// for a few thousand quarters instead of formatting a date per call.
const QUARTER = 15 * 60_000;
const offsets = new Map<string, number>();

/** The zone's offset from UTC at an instant, in ms (+08:00 → 28,800,000). */
export function offsetMs(tz: string, ms: number): number {
  const quarter = Math.floor(ms / QUARTER) * QUARTER;
  const key = `${tz}\u0000${quarter}`;
  let off = offsets.get(key);
  if (off === undefined) {
    const w = wallClock(tz, quarter);
    off = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - quarter;
    if (offsets.size > 200_000) offsets.clear(); // bounded: a long-lived api asks for any range
    offsets.set(key, off);
  }
  return off;
}

/** Every instant that reads wall time `wall` (given as if UTC) or the first reading past it. */
function candidatesOf(tz: string, wall: number): number[] {
  // The offsets in force a day either side cover any one change; each gives a candidate instant.
  return [
    ...new Set(
      [offsetMs(tz, wall - 86_400_000), offsetMs(tz, wall), offsetMs(tz, wall + 86_400_000)].map(
        (off) => wall - off,
      ),
    ),
  ]
    .filter((c) => c + offsetMs(tz, c) >= wall)
    .sort((a, b) => a - b);
}

/**
 * The instant a local wall-clock time names. In an overlap (clocks go back) the earlier of the two,
 * as a calendar says "the day starts at the first 00:00"; in a gap (clocks jump forward) the
 * instant of the jump, the first whose wall time is past the one asked for.
 */
export function instantOf(tz: string, y: number, mo: number, d: number, h = 0, mi = 0): number {
  // Date.UTC normalises overflow (day 32 is the 1st of the next month); the result is the wall
  // time read as if it were UTC, to compare wall times as numbers.
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let c = candidatesOf(tz, wall)[0]!;
  // In a gap the candidate reads later than asked; the jump is at most a few quarters before it,
  // on a quarter hour of UTC like every transition.
  for (let i = 0; i < 16 && c + offsetMs(tz, c) > wall; i++) {
    const back = Math.ceil(c / QUARTER) * QUARTER - QUARTER;
    if (back + offsetMs(tz, back) < wall) break;
    c = back;
  }
  return c;
}

const MINUTE = 60_000;
const STEP_MS: Partial<Record<Grain, number>> = {
  "15m": 15 * MINUTE,
  "30m": 30 * MINUTE,
  "1h": 60 * MINUTE,
};

/** The start of the interval of `grain` that contains `ms`, in the site's calendar. */
export function intervalStart(tz: string, grain: Grain, ms: number): number {
  const w = wallClock(tz, ms);
  if (grain === "1d") return instantOf(tz, w.y, w.mo, w.d);
  if (grain === "1mo") return instantOf(tz, w.y, w.mo, 1);
  // Sub-day intervals are local wall-clock hours and their quarters and halves (a +05:45 zone's
  // hours start at :15 UTC). The latest instant at or before `ms` that reads the interval's first
  // wall minute: the second of two after clocks go back, the jump itself when they went forward
  // into the interval (a 30-minute change leaves a half-hour hour).
  const step = STEP_MS[grain]! / MINUTE;
  const wall = Date.UTC(w.y, w.mo - 1, w.d, w.h, Math.floor(w.mi / step) * step);
  const exact = candidatesOf(tz, wall).filter((c) => c <= ms && c + offsetMs(tz, c) === wall);
  return exact.length
    ? exact[exact.length - 1]!
    : instantOf(tz, w.y, w.mo, w.d, w.h, Math.floor(w.mi / step) * step);
}

/** The start of the next interval after the one starting at `start`. */
export function nextIntervalStart(tz: string, grain: Grain, start: number): number {
  const step = STEP_MS[grain];
  if (step) {
    // One step on lands in the next interval, or in the one after a shortened one: its start.
    const next = intervalStart(tz, grain, start + step);
    return next > start ? next : start + step;
  }
  const w = wallClock(tz, start);
  if (grain === "1d") return instantOf(tz, w.y, w.mo, w.d + 1);
  return instantOf(tz, w.mo === 12 ? w.y + 1 : w.y, w.mo === 12 ? 1 : w.mo + 1, 1);
}

/** Every interval start in [from, to), from aligned down to its interval. */
export function intervalStarts(
  tz: string,
  grain: Grain,
  fromMs: number,
  toMs: number,
  max = 100_000,
): number[] {
  const out: number[] = [];
  for (let t = intervalStart(tz, grain, fromMs); t < toMs; t = nextIntervalStart(tz, grain, t)) {
    out.push(t);
    if (out.length > max) throw new RangeError(`more than ${max} intervals`);
  }
  return out;
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, "0");

/** RFC 3339 in the site's local time with its offset: 2026-11-22T09:15:00+08:00. */
export function formatLocal(tz: string, ms: number): string {
  const w = wallClock(tz, ms);
  const off = Math.round(offsetMs(tz, ms) / 60_000);
  const sign = off < 0 ? "-" : "+";
  // Milliseconds only when there are any: interval bounds stay short, a visit's end stays exact.
  const frac = ((ms % 1000) + 1000) % 1000;
  const fraction = frac === 0 ? "" : `.${String(frac).padStart(3, "0")}`;
  const zone = `${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}${fraction}${zone}`;
}

/** A report bound: YYYY-MM-DD is the site's local midnight; anything else is an RFC 3339 instant. */
export function parseBound(
  tz: string,
  text: string,
  parseInstant: (s: string) => number | null,
): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return parseInstant(text);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // A real calendar date only: Date.UTC would roll 2026-02-30 over to 2 March.
  const check = new Date(Date.UTC(2000, mo - 1, d));
  check.setUTCFullYear(y);
  if (mo < 1 || mo > 12 || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return instantOf(tz, y, mo, d);
}
