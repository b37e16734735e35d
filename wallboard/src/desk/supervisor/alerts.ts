// The supervisor's alerts list as text: what fired (the rule in the language read), where (the
// queue's name, the channel, the site or the survey), the figure against its threshold formatted
// as the queue table formats it, and the order (firing before pending, the most severe first, then
// the oldest: what needs someone now at the top).
import { Alert } from "@floorwatch/contracts";
import type { Lang } from "../../i18n";
import { alertFigure, comparatorSign } from "../../banner";
import { figureLabel } from "../../figures";
import { formatDeskFigure } from "../format";

/** POST /alerts/:id/ack's answer. */
export const AckAnswer = Alert.pick({ id: true, site: true }).extend({
  acknowledged: Alert.shape.acknowledged.unwrap(),
});

const SEVERITY_RANK: Record<string, number> = { critical: 2, warning: 1, info: 0 };

export type Where =
  | { kind: "queue"; queue: string }
  | { kind: "channel"; channel: string }
  | { kind: "survey"; survey: string }
  | { kind: "site" };

/** What an alert is about, from its scope. */
export function whereOf(a: Pick<Alert, "scope">): Where {
  if (a.scope.survey_id) return { kind: "survey", survey: a.scope.survey_id };
  if (a.scope.queue) return { kind: "queue", queue: a.scope.queue };
  if (a.scope.channel) return { kind: "channel", channel: a.scope.channel };
  return { kind: "site" };
}

/** The figure's label over its window (`SL 15 min`), in the language read. */
export const alertFigureLabel = (a: Pick<Alert, "figure" | "window">, lang: Lang) =>
  figureLabel(alertFigure(a), lang);

/** `5:10 > 5:00`: the value at the last evaluation against the threshold as applied. */
export function valueText(
  a: Pick<Alert, "figure" | "window" | "value" | "comparator" | "threshold">,
) {
  const f = alertFigure(a);
  return `${formatDeskFigure(f, a.value)} ${comparatorSign(a.comparator)} ${formatDeskFigure(f, a.threshold)}`;
}

/** Sort key: larger is more urgent (firing, then severity, then the oldest). */
export function urgency(a: Pick<Alert, "state" | "severity" | "since" | "fired_at">): number {
  const at = Date.parse(a.fired_at ?? a.since);
  const age = Number.isFinite(at) ? 1e13 - at : 0;
  return (a.state === "firing" ? 2e14 : 0) + (SEVERITY_RANK[a.severity] ?? 0) * 5e13 + age;
}
