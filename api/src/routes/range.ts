// Request bounds shared by the routes: a local date or RFC 3339 range in the site's time zone,
// and the start of a new configuration version.
import { parseBound, parseRfc3339Ms, VERSION_ALIGN_MS } from "@floorwatch/contracts";
import { ApiError } from "../errors";

/** [from, to) in epoch ms: dates are the site's local midnights; from must come before to. */
export function parseRange(tz: string, from: string, to: string): { from: number; to: number } {
  const f = parseBound(tz, from, parseRfc3339Ms);
  const t = parseBound(tz, to, parseRfc3339Ms);
  if (f === null || t === null)
    throw new ApiError("bad_request", "from and to must be YYYY-MM-DD or RFC 3339 date-times");
  assertOrdered(f, t);
  return { from: f, to: t };
}

export function assertOrdered(from: number, to: number): void {
  if (from >= to)
    throw new ApiError("bad_request", "from must be before to", [
      { path: "to", message: "must be after from" },
    ]);
}

/**
 * When a new version starts: `validFrom` (a quarter hour, the rollup's resolution) or the next
 * quarter hour; after the start of `current` when one is given.
 */
export function versionStart(
  validFrom: string | undefined,
  nowMs: number,
  current?: { version: number; valid_from_ms: number },
): number {
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
  if (current && from <= current.valid_from_ms) {
    throw new ApiError(
      "bad_request",
      `valid_from must be after the start of the current version ${current.version}`,
      [{ path: "valid_from", message: "not after the latest version" }],
    );
  }
  return from;
}
