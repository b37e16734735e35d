// What a report table's cells say and where they lead. Pure: the browser test formats the API's
// figures with the same functions and compares them with the screen's text.
import type { Grain, ReportResponse, ReportRow } from "@floorwatch/contracts";
import { figureLabel } from "../../figures";
import type { Lang } from "../../i18n";
import { formatDateTime } from "../format";

/** A report row's identity on screen (`data-key`): queue and interval start as the API gave it. */
export const rowKey = (r: Pick<ReportRow, "queue" | "interval_start">) =>
  `${r.queue}|${r.interval_start}`;

/** An interval's start on the site's clock, as precise as the interval: a month, a day or a time. */
export function intervalLabel(start: string, interval: Grain, tz: string): string {
  const text = formatDateTime(start, tz);
  if (interval === "1mo") return text.slice(0, 7);
  if (interval === "1d") return text.slice(0, 10);
  return text.slice(0, 16);
}

/**
 * The contacts behind a figure's cell: the key of the response's `drill_filters` it opens. Ratios
 * open their numerator (the popover opens each part); figures of handling and surveys have no drill
 * (GET /contacts lists queue visits only).
 */
export const CELL_DRILL: Readonly<Record<string, string>> = {
  offered: "offered",
  answered: "answered",
  abandoned: "abandoned",
  short_abandoned: "short_abandoned",
  answered_within_sl: "answered_within_sl",
  service_level: "answered_within_sl",
  abandon_rate: "abandoned_after_short",
  asa_s: "answered",
  max_wait_s: "max_wait_s",
  callbacks: "callbacks",
  flowed_out: "flowed_out",
  orphaned: "orphaned",
};

/** The GET /api/v1/contacts path of exactly what `filter` of a row counted; null without one. */
export function drillPath(
  row: Pick<ReportRow, "drill">,
  filters: ReportResponse["drill_filters"],
  filter: string | undefined,
): string | null {
  const extra = filter === undefined ? undefined : filters[filter];
  return extra === undefined ? null : `${row.drill}&${extra}`;
}

/** Report labels where the TV's tile words are too short for a column header or missing. */
const REPORT_LABELS: Record<string, { en: string; zh: string }> = {
  service_level: { en: "Service level", zh: "服务水平" },
  transfer_rate: { en: "Transfer rate", zh: "转接率" },
  csat_responses: { en: "CSAT responses", zh: "满意度回复数" },
  nps_responses: { en: "NPS responses", zh: "净推荐值回复数" },
  fcr_responses: { en: "FCR responses", zh: "首次解决回复数" },
};

/** A figure's name in the report, in the screen's language. */
export function reportLabel(figure: string, lang: Lang): string {
  const own = REPORT_LABELS[figure];
  if (own) return lang === "zh-CN" ? own.zh : own.en;
  return figureLabel(figure, lang);
}
