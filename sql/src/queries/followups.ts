// Statements of the low-score follow-ups (metrics.md "Low-score follow-ups", api/src/alerts/
// followups.ts): the events of the surveys with a low csat, the customer of each surveyed contact,
// and the contacts of those customers. Three statements per call whatever the number of surveys;
// each takes only scalars, the sets between them travel as IN-subqueries, so a week of a busy
// site's low scores never makes a statement longer than max_query_size (256 KiB).
//
// Every statement returns raw events, one row per event_id (copies of a redelivered event are
// identical and folded with LIMIT 1 BY, as contactStory does): which event of a survey wins, which
// row names a contact's customer and which moment meets a follow-up are decided in
// api/src/alerts/followups.ts, where they are unit-tested. No aggregate, hence no alias that 18.16
// could resolve in place of a column.
import { z } from "zod";
import { ident, type SqlFragment, sql } from "../escape";
import { defineQuery } from "../query";

const Int = z.coerce.number().int();

const seconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));
const secondsUp = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/** Which surveys: those with a low-csat event in [from, to), of one queue when named. */
const LowSurveys = {
  site: z.string(),
  from_ms: z.number().int(),
  to_ms: z.number().int(),
  queue: z.string().optional(),
};

/**
 * `column` of the survey events with csat ≤ 2 that occurred in [from, to). A superset of the surveys
 * whose latest event is low and in the range (that event is among these rows), which is all the
 * statements below need: the exact choice is made on their rows.
 */
function lowSurveyEvents(
  p: { site: string; from_ms: number; to_ms: number; queue?: string },
  column: "survey_id" | "contact_id",
): SqlFragment {
  return sql`
    SELECT ${ident(column)}
    FROM survey_events
    WHERE site = ${p.site}
      AND occurred_at >= toDateTime(${seconds(p.from_ms)}) AND occurred_at <= toDateTime(${secondsUp(p.to_ms)})
      AND occurred_ms >= ${p.from_ms} AND occurred_ms < ${p.to_ms}
      AND csat <= 2
      ${p.queue === undefined ? sql`` : sql`AND queue = ${p.queue}`}`;
}

export const FollowupSurveyEvent = z.object({
  survey_id: z.string(),
  event_id: z.string(),
  occurred_ms: Int,
  contact_id: z.string(),
  channel: z.string(),
  queue: z.string(),
  agent_id: z.string(),
  csat: Int.nullable(),
});
export type FollowupSurveyEvent = z.infer<typeof FollowupSurveyEvent>;

/**
 * Every event in [from, until] of each survey with a low-csat event in [from, to). A survey tool
 * that re-sends a response corrects it (ingest/src/derive/surveys.ts): a correction after `to`
 * (up to `until`) must be seen, or a score raised to 5 the next morning would still be listed.
 * Events before `from` cannot be the latest of a survey that has one in the range.
 */
export const followupSurveyEvents = defineQuery({
  name: "followups_survey_events",
  params: z.object({ ...LowSurveys, until_ms: z.number().int() }),
  row: FollowupSurveyEvent,
  build: (p) => sql`
    SELECT survey_id, event_id, occurred_ms, contact_id, channel, queue, agent_id, csat
    FROM survey_events
    WHERE site = ${p.site}
      AND occurred_at >= toDateTime(${seconds(p.from_ms)}) AND occurred_at <= toDateTime(${secondsUp(p.until_ms)})
      AND survey_id IN (${lowSurveyEvents(p, "survey_id")})
    ORDER BY occurred_ms, event_id
    LIMIT 1 BY event_id`,
});

/** Where contact events are read: the surveyed contacts' and their customers' later contacts. */
const ContactWindow = {
  contacts_from_ms: z.number().int(),
  contacts_to_ms: z.number().int(),
};

const contactWindow = (p: { contacts_from_ms: number; contacts_to_ms: number }) =>
  sql`occurred_at >= toDateTime(${seconds(p.contacts_from_ms)}) AND occurred_at <= toDateTime(${secondsUp(p.contacts_to_ms)})`;

export const FollowupQueuedRow = z.object({
  contact_id: z.string(),
  event_id: z.string(),
  occurred_ms: Int,
  customer_id: z.string(),
  customer_tier: z.string(),
  customer_phone: z.string(),
});
export type FollowupQueuedRow = z.infer<typeof FollowupQueuedRow>;

/** The contact.queued rows (customer id, tier, phone: personal data) of the surveyed contacts. */
export const followupSurveyedContacts = defineQuery({
  name: "followups_surveyed_contacts",
  params: z.object({ ...LowSurveys, ...ContactWindow }),
  row: FollowupQueuedRow,
  build: (p) => sql`
    SELECT contact_id, event_id, occurred_ms, customer_id, customer_tier, customer_phone
    FROM contact_events
    WHERE site = ${p.site} AND type = 'contact.queued' AND ${contactWindow(p)}
      AND contact_id IN (${lowSurveyEvents(p, "contact_id")})
    ORDER BY occurred_ms, event_id
    LIMIT 1 BY event_id`,
});

export const FollowupContactEvent = z.object({
  contact_id: z.string(),
  event_id: z.string(),
  type: z.string(),
  occurred_ms: Int,
  direction: z.string(),
  customer_id: z.string(),
});
export type FollowupContactEvent = z.infer<typeof FollowupContactEvent>;

/**
 * The contact.queued and contact.answered events of every contact of the surveyed customers (the
 * surveyed contacts included: the caller tells them apart). A contact belongs to a customer
 * through its contact.queued rows; contact.answered carries no customer, hence the contact ids.
 */
export const followupCustomerContacts = defineQuery({
  name: "followups_customer_contacts",
  params: z.object({ ...LowSurveys, ...ContactWindow }),
  row: FollowupContactEvent,
  build: (p) => sql`
    SELECT contact_id, event_id, type, occurred_ms, direction, customer_id
    FROM contact_events
    WHERE site = ${p.site} AND type IN ('contact.queued', 'contact.answered') AND ${contactWindow(p)}
      AND contact_id IN (
        SELECT contact_id
        FROM contact_events
        WHERE site = ${p.site} AND type = 'contact.queued' AND ${contactWindow(p)}
          AND customer_id != ''
          AND customer_id IN (
            SELECT customer_id
            FROM contact_events
            WHERE site = ${p.site} AND type = 'contact.queued' AND ${contactWindow(p)}
              AND customer_id != ''
              AND contact_id IN (${lowSurveyEvents(p, "contact_id")})
          )
      )
    ORDER BY occurred_ms, event_id
    LIMIT 1 BY event_id`,
});
