// The site's calendar (metrics.md "Windows and calendars"): interval boundaries are local wall-clock
// boundaries in the site's IANA time zone, so a day starts at local midnight and lasts 23, 24 or 25
// hours across daylight saving changes. Pure, on Intl's time-zone data; the SQL side uses
// ClickHouse's own (toStartOfHour(t, tz), toDate(t, tz)), and the tests check they agree.
import type { Grain } from "@floorwatch/contracts";

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
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    formatters.set(tz, f);
  }
  return f;
}

/** The local wall-clock time of an instant in `tz`. */
export function wallClock(tz: string, ms: number): Wall {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour! % 24, mi: parts.minute!, s: parts.second! };
}

/** The zone's offset from UTC at an instant, in ms (+08:00 → 28,800,000). */
export function offsetMs(tz: string, ms: number): number {
  const w = wallClock(tz, ms);
  const asUtc = Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

/**
 * The instant a local wall-clock time names. In a gap (clocks jump forward) the first instant
 * after it; in an overlap (clocks go back) the earlier one, as a calendar would say "the day
 * starts at the first 00:00".
 */
export function instantOf(tz: string, y: number, mo: number, d: number, h = 0, mi = 0): number {
  // Date.UTC normalises overflow (day 32 is the 1st of the next month); the result is the wall
  // time read as if it were UTC, to compare wall times as numbers.
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const wallOf = (ms: number) => {
    const w = wallClock(tz, ms);
    return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s);
  };
  // The offsets in force a day either side cover any one change; each gives a candidate instant.
  const candidates = [offsetMs(tz, wall - 86_400_000), offsetMs(tz, wall), offsetMs(tz, wall + 86_400_000)].map((off) => wall - off);
  // The earliest instant whose wall time is at or past the one asked for: the wall time itself,
  // the earlier of two in an overlap, or the instant the clock jumped in a gap.
  return Math.min(...candidates.filter((c) => wallOf(c) >= wall));
}

const STEP_MS: Partial<Record<Grain, number>> = { "15m": 15 * 60_000, "30m": 30 * 60_000, "1h": 60 * 60_000 };

/** The start of the interval of `grain` that contains `ms`, in the site's calendar. */
export function intervalStart(tz: string, grain: Grain, ms: number): number {
  const w = wallClock(tz, ms);
  if (grain === "1d") return instantOf(tz, w.y, w.mo, w.d);
  if (grain === "1mo") return instantOf(tz, w.y, w.mo, 1);
  const step = STEP_MS[grain]!;
  // Sub-day intervals are aligned to local wall-clock minutes (a +05:45 zone's hour starts at :15 UTC).
  const intoHour = (w.mi * 60 + w.s) * 1000 + (((ms % 1000) + 1000) % 1000);
  const hourStart = ms - intoHour;
  return hourStart + Math.floor(intoHour / step) * step;
}

/** The start of the next interval after the one starting at `start`. */
export function nextIntervalStart(tz: string, grain: Grain, start: number): number {
  const step = STEP_MS[grain];
  if (step) return start + step;
  const w = wallClock(tz, start);
  if (grain === "1d") return instantOf(tz, w.y, w.mo, w.d + 1);
  return instantOf(tz, w.mo === 12 ? w.y + 1 : w.y, w.mo === 12 ? 1 : w.mo + 1, 1);
}

/** Every interval start in [from, to), from aligned down to its interval. */
export function intervalStarts(tz: string, grain: Grain, fromMs: number, toMs: number, max = 100_000): number[] {
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
  return `${w.y}-${pad(w.mo)}-${pad(w.d)}T${pad(w.h)}:${pad(w.mi)}:${pad(w.s)}${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** A report bound: YYYY-MM-DD is the site's local midnight; anything else is an RFC 3339 instant. */
export function parseBound(tz: string, text: string, parseInstant: (s: string) => number | null): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m) return instantOf(tz, Number(m[1]), Number(m[2]), Number(m[3]));
  return parseInstant(text);
}
