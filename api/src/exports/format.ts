// How values are written into a pack's CSV files: the same text for the same value on every run and
// every machine (no locale, no Intl number formatting), exact where the value is a count.
import { formatLocal, wallClock } from "@floorwatch/contracts";
import type { Cell } from "./types";

/** A fraction (service level, rates, CSAT, NPS as −1…1) to 6 decimal places; null stays empty. */
export function fraction(x: number | null | undefined): Cell {
  if (x === null || x === undefined) return null;
  return roundTo(x, 6);
}

/** Seconds to the millisecond; null stays empty. */
export function seconds(x: number | null | undefined): Cell {
  if (x === null || x === undefined) return null;
  return roundTo(x, 3);
}

/** Milliseconds as seconds to the millisecond (waits and durations kept in ms). */
export function msAsSeconds(ms: number | null | undefined): Cell {
  if (ms === null || ms === undefined) return null;
  return roundTo(ms / 1000, 3);
}

function roundTo(x: number, places: number): number {
  const f = 10 ** places;
  const r = Math.round(x * f) / f;
  return Object.is(r, -0) ? 0 : r;
}

/** An instant as the site's local RFC 3339 with its offset (2026-10-01T09:15:00+08:00); 0/null empty. */
export function localTime(tz: string, ms: number | null | undefined): Cell {
  if (ms === null || ms === undefined || ms <= 0) return null;
  return formatLocal(tz, ms);
}

/** The site's local date of an instant, YYYY-MM-DD. */
export function localDate(tz: string, ms: number): string {
  const w = wallClock(tz, ms);
  return `${w.y}-${String(w.mo).padStart(2, "0")}-${String(w.d).padStart(2, "0")}`;
}

/** true/false as the two words, so every spreadsheet and parser reads them alike. */
export function bool(b: boolean): Cell {
  return b ? "true" : "false";
}
