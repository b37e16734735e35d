// Display formats of the wallboard. Pure, so the numbers a test reads are the numbers a TV shows.

/**
 * Seconds as m:ss, minutes unbounded (75 min → "75:00"). Fractions are floored so the figure never
 * runs ahead of the threshold colour: 179.9 s is still "2:59" and still below the 3-minute mark.
 */
export function formatMinSec(seconds: number): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** A wall-clock time as HH:MM:SS (24 h) in the given locale and, when given, time zone. */
export function formatClock(epochMs: number, locale: string, timeZone?: string): string {
  return new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
    ...(timeZone ? { timeZone } : {}),
  }).format(epochMs);
}

/** A queue id as a readable title: `credit_card` → "credit card". The id itself stays the test hook. */
export function queueTitle(queue: string): string {
  return queue.replace(/[_-]+/g, " ").trim() || queue;
}
