// Low-score follow-ups (metrics.md "Low-score follow-ups", issue #11): each survey with csat ≤ 2
// opens a follow-up due 24 h after the survey. The first later contact of the same customer that
// is outbound, or that is answered, by the due time meets it; unmet, it is open until the due time
// and overdue after; without a customer id on the surveyed contact it is untrackable.
//
// Computed from the stored events on every call, never kept in a table: a late event (an outbound
// call recorded hours after it happened) turns an overdue follow-up into a met one at the next
// read, which is the restatement metrics.md asks for; a stored status would stay overdue.
//
// `computeFollowups` reads (three statements, whatever the number of surveys: the alert evaluator
// calls it every tick); `followupItems` decides, pure and unit-tested.
import type { FollowupStatus } from "@floorwatch/contracts";
import { DATETIME_MAX_MS } from "@floorwatch/contracts";
import {
  type ClickHouseClient,
  type FollowupContactEvent,
  type FollowupQueuedRow,
  type FollowupSurveyEvent,
  followupCustomerContacts,
  followupSurveyedContacts,
  followupSurveyEvents,
  runQuery,
} from "@floorwatch/sql";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A follow-up is due this long after the survey's occurred_at (metrics.md). */
export const FOLLOWUP_DUE_MS = DAY;

/**
 * How long before its survey a surveyed contact may have been queued and still be found (its
 * customer is on its contact.queued rows). Surveys go out as a contact ends, and a visit is closed
 * as orphaned 12 h after it started; 3 days leave room for a survey sent days later (email). A
 * contact not found reads as untrackable, never as met. Not longer: the evaluator reads this much
 * more contact events than its range every time it checks follow-ups.
 */
export const SURVEY_AFTER_CONTACT_MS = 3 * DAY;

/** How long after the range a correction of a survey in it (a re-sent response) is looked for. */
export const SURVEY_CORRECTION_MS = DAY;

export type FollowupHow = "outbound" | "answered";

export interface FollowupItem {
  survey_id: string;
  queue: string;
  channel: string;
  agent_id: string;
  csat: number;
  /** The surveyed contact. */
  contact_id: string;
  surveyed_ms: number;
  due_ms: number;
  status: FollowupStatus;
  customer_id: string | null;
  customer_tier: string | null;
  /** Raw: personal data, masked by whoever shows it. */
  customer_phone: string | null;
  met_by: { contact_id: string; at_ms: number; how: FollowupHow } | null;
}

export interface FollowupRange {
  /** Surveys whose (latest) event occurred in [from, to). */
  from_ms: number;
  to_ms: number;
  /** What counts as passed: a follow-up unmet at its due time is overdue once now is after it. */
  now_ms: number;
  /** Only the surveys of this queue (the queue of their latest event). */
  queue?: string;
  /**
   * Until when a correction (a re-sent response) is looked for: by default a day after `to`.
   * A longer range read in parts (the monthly pack's) gives every part its whole range's, so
   * that a survey corrected in a later part is judged by its latest event in exactly one part.
   */
  corrections_until_ms?: number;
}

export interface FollowupRows {
  surveys: readonly FollowupSurveyEvent[];
  /** The contact.queued rows of the surveyed contacts. */
  surveyed: readonly FollowupQueuedRow[];
  /** contact.queued and contact.answered of the customers' contacts. */
  contacts: readonly FollowupContactEvent[];
}

/** Event order of the survey derivation (ingest/src/derive/surveys.ts): occurred_ms, then event_id. */
const later = (
  a: { occurred_ms: number; event_id: string },
  b: { occurred_ms: number; event_id: string },
) => a.occurred_ms > b.occurred_ms || (a.occurred_ms === b.occurred_ms && a.event_id > b.event_id);

const earliestFirst = <T extends { occurred_ms: number; event_id: string }>(rows: readonly T[]) =>
  [...rows].sort((a, b) => (later(a, b) ? 1 : later(b, a) ? -1 : 0));

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const firstNonEmpty = (values: readonly string[]) => values.find((v) => v !== "") ?? null;

interface Meeting {
  contact_id: string;
  at_ms: number;
  how: FollowupHow;
}

/**
 * Each contact of a customer as the moment it could meet a follow-up, earliest first: an outbound
 * contact (any of its contact.queued rows says so; a transfer's re-queue may omit the direction)
 * at its first contact.queued, any other at its first contact.answered, none if never answered.
 */
function meetingsByCustomer(contacts: readonly FollowupContactEvent[]): Map<string, Meeting[]> {
  const out = new Map<string, Meeting[]>();
  for (const [contactId, events] of groupBy(earliestFirst(contacts), (e) => e.contact_id)) {
    const queued = events.filter((e) => e.type === "contact.queued");
    const customer = firstNonEmpty(queued.map((e) => e.customer_id));
    if (customer === null) continue;
    const outbound = queued.some((e) => e.direction === "outbound");
    const at = outbound
      ? queued[0]?.occurred_ms
      : events.find((e) => e.type === "contact.answered")?.occurred_ms;
    if (at === undefined) continue;
    const list = out.get(customer) ?? [];
    list.push({ contact_id: contactId, at_ms: at, how: outbound ? "outbound" : "answered" });
    out.set(customer, list);
  }
  for (const list of out.values())
    list.sort((a, b) => a.at_ms - b.at_ms || (a.contact_id < b.contact_id ? -1 : 1));
  return out;
}

/** The follow-ups of the surveys in the range, most urgent (earliest due) first. Pure. */
export function followupItems(rows: FollowupRows, range: FollowupRange): FollowupItem[] {
  const customers = new Map(
    [...groupBy(earliestFirst(rows.surveyed), (r) => r.contact_id)].map(([id, queued]) => [
      id,
      {
        id: firstNonEmpty(queued.map((r) => r.customer_id)),
        tier: firstNonEmpty(queued.map((r) => r.customer_tier)),
        phone: firstNonEmpty(queued.map((r) => r.customer_phone)),
      },
    ]),
  );
  const meetings = meetingsByCustomer(rows.contacts);
  const items: FollowupItem[] = [];
  for (const events of groupBy(rows.surveys, (e) => e.survey_id).values()) {
    // The latest event of a survey is the response (a re-sent one corrects it), as in survey_facts.
    const s = events.reduce((a, b) => (later(b, a) ? b : a));
    if (s.csat === null || s.csat > 2) continue;
    if (s.occurred_ms < range.from_ms || s.occurred_ms >= range.to_ms) continue;
    if (range.queue !== undefined && s.queue !== range.queue) continue;
    const due = s.occurred_ms + FOLLOWUP_DUE_MS;
    const customer = customers.get(s.contact_id);
    const customerId = customer?.id ?? null;
    const met =
      customerId === null
        ? undefined
        : meetings
            .get(customerId)
            ?.find(
              (m) => m.contact_id !== s.contact_id && m.at_ms > s.occurred_ms && m.at_ms <= due,
            );
    const status: FollowupStatus =
      customerId === null ? "untrackable" : met ? "met" : range.now_ms > due ? "overdue" : "open";
    items.push({
      survey_id: s.survey_id,
      queue: s.queue,
      channel: s.channel,
      agent_id: s.agent_id,
      csat: s.csat,
      contact_id: s.contact_id,
      surveyed_ms: s.occurred_ms,
      due_ms: due,
      status,
      customer_id: customerId,
      customer_tier: customer?.tier ?? null,
      customer_phone: customer?.phone ?? null,
      met_by: met ? { ...met } : null,
    });
  }
  return items.sort(
    (a, b) =>
      a.due_ms - b.due_ms || (a.survey_id < b.survey_id ? -1 : a.survey_id > b.survey_id ? 1 : 0),
  );
}

/**
 * The follow-ups of a site's surveys in [from, to), as the stored events give them now. Three
 * statements run together, whatever the number of surveys.
 */
export async function computeFollowups(
  ch: ClickHouseClient,
  site: string,
  range: FollowupRange,
): Promise<FollowupItem[]> {
  const surveys = { site, from_ms: range.from_ms, to_ms: range.to_ms, queue: range.queue };
  // Kept inside what DateTime holds: bounds near 1970 or 2106 must not wrap around.
  const contacts = {
    ...surveys,
    contacts_from_ms: Math.max(0, range.from_ms - SURVEY_AFTER_CONTACT_MS),
    contacts_to_ms: Math.min(DATETIME_MAX_MS, range.to_ms + FOLLOWUP_DUE_MS),
  };
  const [surveyRows, surveyed, customerContacts] = await Promise.all([
    runQuery(ch, followupSurveyEvents, {
      ...surveys,
      until_ms: Math.min(
        DATETIME_MAX_MS,
        range.corrections_until_ms ?? range.to_ms + SURVEY_CORRECTION_MS,
      ),
    }),
    runQuery(ch, followupSurveyedContacts, contacts),
    runQuery(ch, followupCustomerContacts, contacts),
  ]);
  return followupItems({ surveys: surveyRows, surveyed, contacts: customerContacts }, range);
}
