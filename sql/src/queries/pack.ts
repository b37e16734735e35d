// Statements of the monthly compliance pack's large files (issue #15, docs/exports.md), read with
// streamQuery: a month is millions of rows, and the pack never holds them.
import { z } from "zod";
import { sql, type SqlFragment } from "../escape";
import { defineQuery } from "../query";
import { ORPHAN_AFTER_MS } from "./contacts";

/**
 * How far past the month's end a contact that began in it is followed, and how far before its
 * start a contact is looked for: the orphan horizon (a visit ends at most 12 h after it began) and a
 * day (a wrap-up closes an answer up to 12 h old; a survey comes after the contact). A contact that
 * began at 23:59 on the last day has its visits, handling and surveys of the next 36 h; events
 * later than that are not its pack's, and a contact whose events began more than 36 h before the
 * month is taken as beginning at its first event within that reach.
 */
export const PACK_HORIZON_MS = ORPHAN_AFTER_MS + 24 * 60 * 60 * 1000;

export const PackContactsParams = z.object({
  site: z.string(),
  /** The month: [from_ms, to_ms), local midnights of the site. */
  from_ms: z.number().int().nonnegative(),
  to_ms: z.number().int().positive(),
  /** The survey comment (personal data) is read only when true; '' otherwise. */
  comments: z.boolean(),
  /** An open visit older than the orphan horizon at this instant is listed as orphaned. */
  now_ms: z.number().int(),
});
export type PackContactsParams = z.infer<typeof PackContactsParams>;

const text = z.string();
const count = z.string().regex(/^\d+$/);
const ms = z.string().regex(/^-?\d+$/);

/**
 * One row of `packContacts`, as streamQuery gives it (every field its TabSeparated text), in this
 * order. Lists are `;`-separated and aligned (the nth queue, outcome, wait and agent are one
 * visit's); seconds are written as msAsSeconds writes them (ClickHouse prints ms / 1000 as
 * JavaScript does, shortest round trip); '' where a value is unknown or absent.
 */
export const PackContactRow = z.tuple([
  text, //  0 contact_id
  text, //  1 channel (first contact.queued)
  text, //  2 direction
  ms, //    3 first_ms: the contact's first event
  ms, //    4 ended_ms: its latest contact.ended, 0 when none
  text, //  5 customer_id (the first contact.queued that names a customer)
  text, //  6 customer_tier
  text, //  7 customer_phone, unmasked: the caller masks it
  count, // 8 visits
  text, //  9 visit_queues
  text, // 10 visit_outcomes
  text, // 11 visit_waits_s
  text, // 12 visit_agents: who answered each visit, '' for the others
  text, // 13 agent_id: who answered the first answered visit
  count, // 14 handled: wrap-ups
  text, // 15 handle_time_s: summed over wrap-ups with a known answer, '' when none
  text, // 16 disposition (latest wrap-up)
  text, // 17 category
  count, // 18 transfers
  count, // 19 surveys
  text, // 20 csat (latest response)
  text, // 21 nps
  text, // 22 resolved: true / false / ''
  text, // 23 comment ('' unless comments)
]);
export type PackContactRow = z.infer<typeof PackContactRow>;

/** An epoch-ms bound as the DateTime (seconds) the tables are partitioned and sorted by. */
const at = (ms: number) => sql`toDateTime(${Math.max(0, Math.floor(ms / 1000))})`;

function packContactsSelect(p: PackContactsParams): SqlFragment {
  const lookFrom = p.from_ms - PACK_HORIZON_MS;
  const lookTo = p.to_ms + PACK_HORIZON_MS;
  const orphanBefore = p.now_ms - ORPHAN_AFTER_MS;
  // Three aggregates per contact, joined on contact_id: its events (which decide whether it began
  // in the month), its facts netted per fact (sum(sign) > 0, as every fact reader nets), and its
  // survey responses, latest event first as the deriver takes it (time, then event_id). Aliases
  // never repeat a column an aggregate reads (sql/README.md, 18.16).
  return sql`
    SELECT
      contact_id,
      q_first.1, q_first.2, first_ms, ended_ms, q_customer.1, q_customer.2, q_customer.3,
      length(visits),
      arrayStringConcat(arrayMap(v -> v.4, visits), ';'),
      arrayStringConcat(arrayMap(v -> v.5, visits), ';'),
      arrayStringConcat(arrayMap(v -> if(v.6 < 0, '', toString(v.6 / 1000)), visits), ';'),
      arrayStringConcat(arrayMap(v -> if(v.5 = 'answered', answer_agents[indexOf(answer_ids, v.7)], ''), visits) AS v_agents, ';'),
      arrayFirst(a -> a != '', v_agents),
      handled_n,
      if(handle_timed = 0, '', toString(handle_ms / 1000)),
      wrap.1, wrap.2, transfers_n, surveys_n,
      if(surveys_n = 0 OR latest.1 < 0, '', toString(latest.1)),
      if(surveys_n = 0 OR latest.2 < 0, '', toString(latest.2)),
      if(surveys_n = 0, '', multiIf(latest.3 = 1, 'true', latest.3 = 0, 'false', '')),
      latest.4
    FROM
    (
      SELECT contact_id, first_ms, q_first, q_customer, ended_ms, answer_ids, answer_agents, visits, handled_n, handle_ms,
             handle_timed, wrap, transfers_n
      FROM
      (
        SELECT contact_id,
          min(occurred_ms) AS first_ms,
          argMinIf((channel, direction), (occurred_ms, event_id), type = 'contact.queued') AS q_first,
          argMinIf((customer_id, customer_tier, customer_phone), (occurred_ms, event_id),
            type = 'contact.queued' AND (customer_id != '' OR customer_tier != '' OR customer_phone != '')) AS q_customer,
          maxIf(occurred_ms, type = 'contact.ended') AS ended_ms,
          groupArrayIf(event_id, type = 'contact.answered') AS answer_ids,
          groupArrayIf(agent_id, type = 'contact.answered') AS answer_agents
        FROM contact_events
        WHERE site = ${p.site} AND occurred_at >= ${at(lookFrom)} AND occurred_at <= ${at(lookTo)}
          AND occurred_ms >= ${lookFrom} AND occurred_ms < ${lookTo}
        GROUP BY contact_id
        HAVING first_ms >= ${p.from_ms} AND first_ms < ${p.to_ms}
      )
      ANY LEFT JOIN
      (
        SELECT contact_id,
          arraySort(groupArrayIf((f_start, f_anchor, fact_id, f_queue, f_outcome, f_wait, f_end), f_kind = 'visit')) AS visits,
          countIf(f_kind = 'handled') AS handled_n,
          sumIf(f_wait, f_kind = 'handled' AND f_wait >= 0) AS handle_ms,
          countIf(f_kind = 'handled' AND f_wait >= 0) AS handle_timed,
          argMaxIf((f_outcome, f_detail), (f_anchor, fact_id), f_kind = 'handled') AS wrap,
          countIf(f_kind = 'transfer') AS transfers_n
        FROM
        (
          SELECT contact_id, fact_id, any(kind) AS f_kind, any(start_ms) AS f_start, any(anchor_ms) AS f_anchor,
                 any(queue) AS f_queue, any(outcome) AS f_outcome, any(duration_ms) AS f_wait, any(detail) AS f_detail,
                 any(end_event_id) AS f_end, sum(sign) AS n
          FROM contact_facts
          WHERE site = ${p.site} AND kind IN ('visit', 'handled', 'transfer')
            AND anchor_at >= ${at(p.from_ms)} AND anchor_at <= ${at(lookTo)}
            AND anchor_ms >= ${p.from_ms} AND anchor_ms < ${lookTo}
          GROUP BY contact_id, fact_id
          HAVING n > 0
          UNION ALL
          -- A visit with no end is in open_visits: past the orphan horizon it is orphaned at start + 12 h
          -- (metrics.md), as every reader takes it; younger, it is still open, its wait unknown.
          SELECT contact_id, fact_id, 'visit' AS f_kind, any(start_ms) AS f_start, any(anchor_ms) AS f_anchor,
                 any(queue) AS f_queue,
                 if(f_start <= ${orphanBefore}, 'orphaned', 'open') AS f_outcome,
                 if(f_start <= ${orphanBefore}, toInt64(${ORPHAN_AFTER_MS}), toInt64(-1)) AS f_wait,
                 '' AS f_detail, '' AS f_end, sum(sign) AS n
          FROM open_visits
          WHERE site = ${p.site} AND anchor_at >= ${at(p.from_ms)} AND anchor_at <= ${at(lookTo)}
            AND anchor_ms >= ${p.from_ms} AND anchor_ms < ${lookTo}
          GROUP BY contact_id, fact_id
          HAVING n > 0
        )
        GROUP BY contact_id
      ) USING contact_id
    )
    ANY LEFT JOIN
    (
      SELECT contact_id, uniqExact(survey_id) AS surveys_n,
        argMax((toInt16(ifNull(csat, -1)), toInt16(ifNull(nps, -1)), toInt16(ifNull(resolved, -1)),
          ${p.comments ? sql`comment` : sql`''`}), (occurred_ms, event_id)) AS latest
      FROM survey_events
      WHERE site = ${p.site} AND occurred_at >= ${at(p.from_ms)} AND occurred_at <= ${at(lookTo)}
        AND occurred_ms >= ${p.from_ms} AND occurred_ms < ${lookTo}
      GROUP BY contact_id
    ) USING contact_id
    -- Always true: it names the answers outside the lambda that reads them, as 18.16 drops a
    -- subquery's column that only a lambda reads ("Unknown identifier").
    WHERE length(answer_ids) = length(answer_agents)
    ORDER BY first_ms, contact_id`;
}

/**
 * One row per contact whose first event falls in the month, in order of that instant, then
 * contact_id: its customer, its visits (netted facts, in the order they began), handling,
 * transfers and latest survey response (PackContactRow). One statement: the server does the
 * grouping and joining (its memory is ample), the exporting process only streams the rows.
 */
export const packContacts = defineQuery({
  name: "pack_contacts",
  params: PackContactsParams,
  row: PackContactRow,
  build: packContactsSelect,
});

/**
 * The same statement with `FORMAT CSV`: what ClickHouse alone takes to produce the contact rows as
 * CSV, the ceiling bench:export sets the pack's contacts.csv against.
 */
export function packContactsCsv(params: z.input<typeof PackContactsParams>): string {
  return `${packContactsSelect(PackContactsParams.parse(params)).text}\nFORMAT CSV`;
}
