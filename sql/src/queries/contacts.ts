// Statements over contact_events (sql/migrations/0001_contact_events.sql).
import { z } from "zod";
import { sql } from "../escape";
import { defineQuery } from "../query";

export const CONTACT_EVENTS_TABLE = "contact_events";

/** One row of contact_events as inserted (JSONEachRow). Empty string stands for an absent field. */
export interface ContactEventRow {
  site: string;
  event_id: string;
  type: string;
  occurred_at: number; // epoch seconds
  occurred_ms: number;
  contact_id: string;
  queue: string;
  channel: string;
  direction: string;
  agent_id: string;
  customer_id: string;
  customer_tier: string;
  customer_phone: string;
  to_queue: string;
  to_agent_id: string;
  disposition: string;
  category: string;
  ingested_at: number; // epoch seconds
}

/** A visit left open this long is closed as orphaned and no longer waits (metrics.md). */
export const ORPHAN_AFTER_MS = 12 * 60 * 60 * 1000;

const UInt = z.coerce.number().int().nonnegative();

/**
 * Per queue of a site: visits waiting at `as_of_ms` and the earliest start among them.
 *
 * A contact waits when its latest contact.queued (at or before as_of, within the orphan horizon) is
 * not followed by an answered/abandoned/callback_requested event for the same queue at or after that
 * start. Earlier visits of the same contact ended by flow-out at the latest queued, so only the
 * latest can be open. Every aggregate here (max, argMax) ignores duplicate rows, so the figure is
 * right before ReplacingMergeTree has merged redelivered copies away.
 *
 * Per contact and queue first (latest start, latest end), then per contact the queue of the latest
 * start: "no end in that queue at or after the start" is then a comparison of two numbers. The
 * earlier form, an arrayExists lambda over the aliases of aggregates, was the only statement of
 * its kind, and the analyzer of ClickHouse 24+ resolves lambdas over aggregate aliases differently
 * from 18.16; plain aggregates read the same on both.
 *
 * Queues whose visits all ended still appear (waiting 0), so a quiet queue keeps its tile.
 */
export const liveWaitingByQueue = defineQuery({
  name: "live_waiting_by_queue",
  params: z.object({ site: z.string(), as_of_ms: z.number().int() }),
  row: z.object({ queue: z.string(), waiting: UInt, earliest_start_ms: z.coerce.number().int() }),
  build: (p) => sql`
    SELECT
      visit_queue AS queue,
      countIf(is_waiting) AS waiting,
      minIf(start_ms, is_waiting) AS earliest_start_ms
    FROM
    (
      SELECT
        contact_id,
        -- One argMax of the pair: two would each pick their own row when two queues share the
        -- latest start, pairing one queue with another's end.
        argMax((queue, q_end_ms), q_start_ms) AS latest,
        max(q_start_ms) AS start_ms,
        latest.1 AS visit_queue,
        latest.2 < start_ms AS is_waiting
      FROM
      (
        SELECT
          contact_id,
          queue,
          maxIf(occurred_ms, type = 'contact.queued') AS q_start_ms,
          maxIf(occurred_ms, type IN ('contact.answered', 'contact.abandoned', 'contact.callback_requested')) AS q_end_ms
        FROM contact_events
        WHERE site = ${p.site}
          AND occurred_at >= toDateTime(${Math.floor((p.as_of_ms - ORPHAN_AFTER_MS) / 1000)})
          AND occurred_ms > ${p.as_of_ms - ORPHAN_AFTER_MS}
          AND occurred_ms <= ${p.as_of_ms}
        GROUP BY contact_id, queue
        HAVING q_start_ms > 0
      )
      GROUP BY contact_id
    )
    WHERE visit_queue != ''
    GROUP BY visit_queue
    ORDER BY visit_queue`,
});
