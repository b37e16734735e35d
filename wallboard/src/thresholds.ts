// How alarming a longest wait is. The defaults are the floor's promises: "answer within 3 minutes"
// (amber) and "nobody waits more than 5" (red).

export type WaitLevel = "ok" | "warn" | "alert";

export interface WaitThresholds {
  /** From this many seconds the longest wait is amber. */
  warnS: number;
  /** From this many seconds the longest wait is red. */
  alertS: number;
}

export const DEFAULT_WAIT_THRESHOLDS: WaitThresholds = { warnS: 180, alertS: 300 };

/** Compares whole seconds, as displayed, so "3:00" is never shown in the colour of "2:59". */
export function classifyWait(
  seconds: number,
  t: WaitThresholds = DEFAULT_WAIT_THRESHOLDS,
): WaitLevel {
  const s = Number.isFinite(seconds) ? Math.floor(seconds) : 0;
  if (s >= t.alertS) return "alert";
  if (s >= t.warnS) return "warn";
  return "ok";
}
