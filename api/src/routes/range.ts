// Request bounds shared by the routes: a local date or RFC 3339 range in the site's time zone,
// and the start of a new configuration version.
import {
  DATETIME_RANGE_MESSAGE,
  inDateTimeRange,
  parseBound,
  parseRfc3339Ms,
  VERSION_ALIGN_MS,
} from "@floorwatch/contracts";
import { ApiError } from "../errors";

/** [from, to) in epoch ms: dates are the site's local midnights; from must come before to. */
export function parseRange(tz: string, from: string, to: string): { from: number; to: number } {
  const f = parseBound(tz, from, parseRfc3339Ms);
  const t = parseBound(tz, to, parseRfc3339Ms);
  if (f === null || t === null)
    throw new ApiError("bad_request", "from and to must be YYYY-MM-DD or RFC 3339 date-times");
  assertInRange("from", f);
  assertInRange("to", t);
  assertOrdered(f, t);
  return { from: f, to: t };
}

/**
 * A date parameter must be an instant ClickHouse's DateTime holds: outside it, stored times wrap
 * around and a query answers wrongly instead of failing. The schemas refuse what is outside by
 * itself; this catches a local date whose midnight in the site's zone falls outside.
 */
export function assertInRange(parameter: string, ms: number): void {
  if (!inDateTimeRange(ms))
    throw new ApiError("bad_request", `${parameter} ${DATETIME_RANGE_MESSAGE}`, [
      { path: parameter, message: DATETIME_RANGE_MESSAGE },
    ]);
}

export function assertOrdered(from: number, to: number): void {
  if (from >= to)
    throw new ApiError("bad_request", "from must be before to", [
      { path: "to", message: "must be after from" },
    ]);
}

/** How far ahead of the server's clock a client's "now" may be when it names the next quarter hour. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * When a new configuration version starts and which number it takes.
 *
 * It starts at `validFrom` (a quarter hour, the rollup's resolution) or by default at the next
 * quarter hour, and at most at the first quarter hour after 5 minutes from now: versions are
 * ordered by their start (the version in force at an instant is the last one started, in every
 * figure and in the rollup's split by version), so one set far ahead would keep every change
 * before it from being made. It may be in the past (reports then judge again), but after the
 * start of the version in force now. A version that has not started yet and would start at or
 * after the new one is replaced by it (takes its number), which keeps the order.
 */
export function versionStart(
  validFrom: string | undefined,
  nowMs: number,
  /** The versions so far, oldest first. */
  versions: readonly { version: number; valid_from_ms: number }[],
): { from: number; version: number } {
  const from =
    validFrom === undefined
      ? Math.ceil(nowMs / VERSION_ALIGN_MS) * VERSION_ALIGN_MS
      : parseRfc3339Ms(validFrom)!;
  if (from % VERSION_ALIGN_MS !== 0)
    throw new ApiError(
      "bad_request",
      "valid_from must be on a quarter hour (hh:00, :15, :30 or :45, seconds 0)",
      [{ path: "valid_from", message: "not a quarter hour" }],
    );
  const latest = Math.ceil((nowMs + CLOCK_SKEW_MS) / VERSION_ALIGN_MS) * VERSION_ALIGN_MS;
  if (from > latest)
    throw new ApiError(
      "bad_request",
      `valid_from may be at most ${new Date(latest).toISOString()} (the first quarter hour 5 minutes from now); make a later change when it is due`,
      [{ path: "valid_from", message: "too far ahead" }],
    );
  const inForce = versions.filter((v) => v.valid_from_ms <= nowMs).at(-1);
  if (inForce && from <= inForce.valid_from_ms)
    throw new ApiError(
      "bad_request",
      `valid_from must be after the start of version ${inForce.version}, the one in force`,
      [{ path: "valid_from", message: "not after the version in force" }],
    );
  const replaced = versions.find((v) => v.valid_from_ms > nowMs && v.valid_from_ms >= from);
  return { from, version: replaced?.version ?? (versions.at(-1)?.version ?? 0) + 1 };
}
