import { z } from "zod";

/** Printable: no control characters (C0, DEL, C1) and no unpaired surrogates. */
const PRINTABLE = /^[^\p{Cc}\p{Cs}]+$/u;

/** Ids of events.md (`contact_id`, `agent_id`, `queue`, `survey_id`): 1–128 printable characters. */
export const Id = z.string().min(1).max(128).regex(PRINTABLE, "must be printable characters only");
export type Id = z.infer<typeof Id>;

export const SiteId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, "must match [a-z0-9][a-z0-9_-]{0,63}");
export type SiteId = z.infer<typeof SiteId>;

// RFC 3339 date-time: full date, 'T', full time with seconds, optional fraction, 'Z' or ±hh:mm.
// RFC 3339 §5.6 allows lower-case 't' and 'z'. The calendar check below rejects 2026-02-30.
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** A UTC date for any year: Date.UTC reads years 0–99 as 1900–1999. */
function utc(year: number, monthIndex: number, day: number, h = 0, mi = 0, s = 0, ms = 0): Date {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  d.setUTCHours(h, mi, s, ms);
  return d;
}

/** Epoch milliseconds of an RFC 3339 timestamp, or null when it is not one (or not a real date). */
export function parseRfc3339Ms(text: string): number | null {
  const m = RFC3339.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone, zh, zm] = m;
  const year = Number(y),
    month = Number(mo),
    day = Number(d);
  const hour = Number(h),
    minute = Number(mi),
    second = Number(s);
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 60) return null;
  const daysInMonth = utc(year, month, 0).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  if (zh !== undefined && (Number(zh) > 23 || Number(zm) > 59)) return null;
  // Leap seconds (":60") are folded onto the next second, as Date.parse would do.
  // Any number of fraction digits; the first three are the milliseconds, read as digits (not as
  // a float times 1000, which turns .29 into 289.99…).
  const ms = frac ? Number(`${frac.slice(1)}00`.slice(0, 3)) : 0;
  let t = utc(year, month - 1, day, hour, minute, second, ms).getTime();
  if (zone && zone !== "Z" && zone !== "z") {
    const sign = zone.startsWith("-") ? -1 : 1;
    t -= sign * (Number(zh) * 60 + Number(zm)) * 60_000;
  }
  return t;
}

/**
 * The instants ClickHouse's DateTime holds (UInt32 seconds): 1970-01-01T00:00:00Z up to
 * 2106-02-07T06:28:15.999Z. Outside them it wraps around silently (2106-02-07T06:28:16Z is 1970
 * again), so a bound there would give a wrong answer, not an error: every date is refused first.
 */
export const DATETIME_MIN_MS = 0;
export const DATETIME_MAX_MS = 4_294_967_295_999;
export const DATETIME_RANGE_MESSAGE =
  "must be between 1970-01-01T00:00:00Z and 2106-02-07T06:28:15Z (the range stored times can hold)";

export const inDateTimeRange = (ms: number) => ms >= DATETIME_MIN_MS && ms <= DATETIME_MAX_MS;

export const Rfc3339 = z
  .string()
  .regex(
    RFC3339,
    "must be an RFC 3339 date-time with Z or an offset, e.g. 2026-11-22T09:15:30.250+08:00",
  )
  .refine((s) => parseRfc3339Ms(s) !== null, "must be a real calendar date and time")
  .refine((s) => {
    const ms = parseRfc3339Ms(s);
    return ms === null || inDateTimeRange(ms);
  }, DATETIME_RANGE_MESSAGE)
  .meta({
    format: "date-time",
    description: `RFC 3339 with Z or an offset, optional fraction; ${DATETIME_RANGE_MESSAGE}.`,
  });
