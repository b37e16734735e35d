// The firing alerts banner as text: what fired (in the screen's language), where, the value against
// its threshold formatted like the figure on the tile, and since when. Pure, tested without a DOM.
import type { Severity, TvAlert, TvTile } from "@floorwatch/contracts";
import { formatFigure } from "./figures";
import { formatClock } from "./format";
import type { Lang } from "./i18n";
import { ruleName } from "./names";
import { tileName } from "./tv";

export interface AlertLine {
  id: string;
  severity: TvAlert["severity"];
  rule: string;
  /** The tile's name in the screen's language, null for a site-wide alert. */
  where: string | null;
  value: string;
  comparator: string;
  threshold: string;
  /** Since when, on the site's clock (HH:MM:SS). */
  since: string;
}

/** The figure an alert's value reads as on a tile: `15m` + `service_level` → `15m.service_level`. */
export const alertFigure = (a: Pick<TvAlert, "figure" | "window">) =>
  a.window && a.window !== "now" && !a.figure.includes(".") ? `${a.window}.${a.figure}` : a.figure;

const COMPARATORS: Record<string, string> = { ">": ">", ">=": "≥", "<": "<", "<=": "≤" };

/** The word of a severity in every dictionary that says one (the TV's, the supervisor's, QA's). */
export const SEVERITY_KEY = {
  critical: "sevCritical",
  warning: "sevWarning",
  info: "sevInfo",
} as const satisfies Record<Severity, string>;

/** A rule's comparator as read beside its threshold (`>=` → `≥`); one unknown here as sent. The
 * TV's banner, the supervisor's alerts and QA's breaches all say a condition with it. */
export const comparatorSign = (comparator: string): string => COMPARATORS[comparator] ?? comparator;

export function alertLine(
  a: TvAlert,
  tiles: readonly Pick<TvTile, "key" | "name_zh" | "name_en">[],
  lang: Lang,
  tz: string | undefined,
): AlertLine {
  const figure = alertFigure(a);
  const tile = a.tile ? tiles.find((t) => t.key === a.tile) : undefined;
  const fired = Date.parse(a.fired_at);
  return {
    id: a.id,
    severity: a.severity,
    rule: ruleName(a, lang),
    where: a.tile ? tileName(tile ?? { key: a.tile, name_zh: "", name_en: "" }, lang) : null,
    value: formatFigure(figure, a.value),
    comparator: comparatorSign(a.comparator),
    threshold: formatFigure(figure, a.threshold),
    since: Number.isFinite(fired) ? formatClock(fired, lang, tz) : "",
  };
}

/**
 * Which alert the banner's big line shows at `nowMs` when several fire: each for `everyMs`, in
 * the frame's order (critical first). From the wall clock, like the pages: no timer state.
 */
export function alertIndexAt(count: number, nowMs: number, everyMs = 6_000): number {
  if (count <= 1) return 0;
  return Math.floor(Math.max(0, nowMs) / everyMs) % count;
}
