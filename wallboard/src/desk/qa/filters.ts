// The QA screen's filters as the address holds them (`/qa?site=…&from=…&to=…&queue=…`), so a
// filtered list is a link a colleague opens to the same list, and the API queries they make.
// Dates are days of the site's calendar, both ends included as a person reads "1 to 7 November";
// the API's `to` is the midnight after the last day. A link without dates means the last 7 days
// (today included) on the site's clock when it is opened. Pure: the screen and the tests share it.
import { type FollowupStatus, Id, type Severity } from "@floorwatch/contracts";
import { query } from "../api";
import { addDays, isDate } from "../dates";
import { localDate } from "../format";
import { one, type Search } from "../search";

export type QaView = "breaches" | "followups";
export type AckFilter = "yes" | "no";

export interface QaFilters {
  view: QaView;
  /** First and last day shown (YYYY-MM-DD, site calendar), both included. */
  from: string;
  to: string;
  queue: string | null;
  rule: string | null;
  severity: Severity | null;
  ack: AckFilter | null;
  /** The follow-ups' status; null: every status. */
  status: FollowupStatus | null;
}

/** Days shown when the address names none: a week, today included. */
export const DEFAULT_DAYS = 7;
/** The most rows one list asks for (the API's own maximum). */
export const LIST_LIMIT = 1000;

const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];
const STATUSES: readonly FollowupStatus[] = ["open", "met", "overdue", "untrackable"];
/** The filters of the address; what is missing or malformed falls back to its default. */
export function readFilters(search: Search, tz: string, nowMs: number): QaFilters {
  const today = localDate(nowMs, tz);
  const date = (v: string | undefined) => (isDate(v) ? v : undefined);
  const from = date(one(search.from));
  const to = date(one(search.to));
  // What the API would refuse (a 400 instead of a list) is no filter.
  const id = (v: string | undefined, max: number) =>
    v !== undefined && v.length <= max && Id.safeParse(v).success ? v : null;
  const severity = one(search.severity);
  const ack = one(search.ack);
  const status = one(search.status);
  const lastDay = to ?? (from && from > today ? from : today);
  return {
    view: one(search.view) === "followups" ? "followups" : "breaches",
    from: from ?? addDays(lastDay, -(DEFAULT_DAYS - 1)),
    to: lastDay,
    queue: id(one(search.queue), 128),
    rule: id(one(search.rule), 64),
    severity: SEVERITIES.includes(severity as Severity) ? (severity as Severity) : null,
    ack: ack === "yes" || ack === "no" ? ack : null,
    status: STATUSES.includes(status as FollowupStatus) ? (status as FollowupStatus) : null,
  };
}

/** Why the range cannot be asked for, or null. */
export const rangeProblem = (f: Pick<QaFilters, "from" | "to">): "order" | null =>
  f.from > f.to ? "order" : null;

/** GET /breaches of the filters (null when the range is not one). */
export function breachesPath(site: string, f: QaFilters): string | null {
  if (!site || rangeProblem(f)) return null;
  return `/breaches${query({
    site,
    from: f.from,
    to: addDays(f.to, 1),
    queue: f.queue,
    rule: f.rule,
    severity: f.severity,
    acknowledged: f.ack === null ? undefined : f.ack === "yes",
    limit: LIST_LIMIT,
  })}`;
}

/**
 * GET /followups of the filters: the surveys of the same days and queue, of one status when chosen
 * (by the API, before its limit; its counts are of every status over the range either way).
 */
export function followupsPath(site: string, f: QaFilters): string | null {
  if (!site || rangeProblem(f)) return null;
  return `/followups${query({
    site,
    from: f.from,
    to: addDays(f.to, 1),
    queue: f.queue,
    status: f.status,
    limit: LIST_LIMIT,
  })}`;
}

/** A change of filters: a value, or null to take the filter (back to its default) away. */
export type FilterChange = { [K in keyof QaFilters]?: QaFilters[K] | null };

/** What `setSearchParams` is given to show `change` (null or the default view removes the parameter). */
export function searchOf(change: FilterChange): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(change)) {
    if (k === "view") out.view = v === "followups" ? "followups" : null;
    else out[k] = v === null || v === undefined || v === "" ? null : String(v);
  }
  return out;
}

/** A file name for a list's CSV: what, which site, which days (`breaches_sh-01_2026-11-01_2026-11-07.csv`). */
export function csvFileName(kind: "breaches" | "followups", site: string, f: QaFilters): string {
  const safe = site.replace(/[^A-Za-z0-9_-]+/g, "-");
  return `${kind}_${safe}_${f.from}_${f.to}.csv`;
}
