// Follow-ups a supervisor works today: the overdue ones (a low score nobody called back within
// 24 h) and the open ones falling due today on the site's clock, the overdue first, each list by
// when it fell or falls due.
import type { Followup } from "@floorwatch/contracts";
import { localDate } from "../format";

export type FollowupKind = "overdue" | "due_today";

export interface FollowupRow extends Followup {
  kind: FollowupKind;
}

/** How far back overdue follow-ups are listed: a month of unanswered low scores. */
export const OVERDUE_DAYS = 30;

export function followupRows(
  open: readonly Followup[],
  overdue: readonly Followup[],
  tz: string,
  nowMs: number,
): FollowupRow[] {
  const today = localDate(nowMs, tz);
  const byDue = (a: Followup, b: Followup) =>
    Date.parse(a.due_at) - Date.parse(b.due_at) || a.survey_id.localeCompare(b.survey_id);
  const due = open
    .filter((f) => f.status === "open" && localDate(Date.parse(f.due_at), tz) === today)
    .sort(byDue)
    .map((f): FollowupRow => ({ ...f, kind: "due_today" }));
  const late = overdue
    .filter((f) => f.status === "overdue")
    .sort(byDue)
    .map((f): FollowupRow => ({ ...f, kind: "overdue" }));
  return [...late, ...due];
}
