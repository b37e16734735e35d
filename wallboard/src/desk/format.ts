// How the desk screens write times, durations and figures: in the site's time zone (a supervisor
// in Beijing reading a Chengdu centre's breach sees Chengdu's clock, as the centre's targets are
// kept), durations as h:mm:ss, shares to a tenth of a percent on their safe side like the TV's (a
// 79.96 % service level is never shown as 80.0 %, a 10.04 % abandon rate never as 10.0 %).
import { figureFormat, formatFigure, NO_VALUE, sharePercent } from "../figures";
import { formatMinSec } from "../format";

/** `2026-10-31 14:05:09` on the site's clock (ISO-like, sortable, the same in both languages). */
export function formatDateTime(iso: string | null | undefined, tz: string): string {
  if (!iso) return NO_VALUE;
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return NO_VALUE;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** The local date (YYYY-MM-DD) of an instant on the site's clock. */
export const localDate = (ms: number, tz: string) =>
  formatDateTime(new Date(ms).toISOString(), tz).slice(0, 10);

/** Seconds as m:ss under an hour, h:mm:ss from an hour. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return NO_VALUE;
  const s = Math.max(0, Math.floor(seconds));
  if (s < 3600) return formatMinSec(s);
  const h = Math.floor(s / 3600);
  return `${h}:${formatMinSec(s - h * 3600).padStart(5, "0")}`;
}

/** A figure's value for a desk table: shares to 0.1 % (sharePercent), durations h:mm:ss, counts whole. */
export function formatDeskFigure(figure: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  switch (figureFormat(figure)) {
    case "ratio":
      return `${sharePercent(figure, value, 10).toFixed(1)}%`;
    case "duration":
      return formatDuration(value);
    case "hours":
      return formatDuration(value * 3600);
    default:
      return formatFigure(figure, value);
  }
}
