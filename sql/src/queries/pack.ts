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
  z.literal("."), // 24 end mark: a row cut short by an error ClickHouse appended midway lacks it
]);
export type PackContactRow = z.infer<typeof PackContactRow>;

/** An epoch-ms bound as the DateTime (seconds) the tables are partitioned and sorted by. */
const at = (ms: number) => sql`toDateTime(${Math.max(0, Math.floor(ms / 1000))})`;

/** Facts of `table` in the window whose rows net to 0 or less (retracted): few, unless unmerged. */
function retracted(table: SqlFragment, window: SqlFragment): SqlFragment {
  return sql`
        SELECT fact_id FROM ${table}
        WHERE ${window} AND fact_id IN (SELECT fact_id FROM ${table} WHERE ${window} AND sign < 0)
        GROUP BY fact_id
        HAVING sum(sign) <= 0`;
}

function packContactsSelect(p: PackContactsParams): SqlFragment {
  const lookFrom = p.from_ms - PACK_HORIZON_MS;
  const lookTo = p.to_ms + PACK_HORIZON_MS;
  const orphanBefore = p.now_ms - ORPHAN_AFTER_MS;
  const factWindow = sql`site = ${p.site} AND anchor_at >= ${at(p.from_ms)} AND anchor_at <= ${at(lookTo)}
          AND anchor_ms >= ${p.from_ms} AND anchor_ms < ${lookTo}`;
  // Ties of one contact's events at one millisecond are broken by a hash of their id, so the pick
  // (first contact.queued, latest wrap-up) is the same on every run and every thread layout.
  const key = (ms: SqlFragment, id: SqlFragment) =>
    sql`${ms} * 1000000 + toInt64(cityHash64(${id}) % 1000000)`;
  // One GROUP BY contact_id over the rows of three tables (a UNION ALL: one hash table, where
  // joining three aggregates built three and probed two, ~20 % more CPU on 18.16). Each source's
  // columns share the slots s1…s7, n1…n3 by position; `src` tells them apart. Only
  // type-specialised aggregates (argMin of a string by an Int64, groupArray of one column): the
  // generic ones over tuples cost 18.16 twice the time. Facts are netted as every fact reader nets
  // them (a fact counts while its rows sum to more than 0): counts and sums add the signs; a list
  // takes the +1 rows of facts not retracted, each fact once (arrayEnumerateUniq).
  return sql`
    SELECT
      contact_id, q_channel, q_direction, first_ms, ended_ms, c_id, c_tier, c_phone,
      length(o_queues),
      arrayStringConcat(o_queues, ';'),
      arrayStringConcat(o_outcomes, ';'),
      arrayStringConcat(arrayMap(w -> if(w < 0, '', toString(w / 1000)), o_waits), ';'),
      arrayStringConcat(o_agents, ';'),
      arrayFirst(a -> a != '', o_agents),
      handled_n,
      if(handle_timed = 0, '', toString(handle_ms / 1000)),
      w_disposition, w_category, transfers_n,
      length(arrayDistinct(arrayMap(r -> r.3, surveys))) AS surveys_n,
      if(surveys_n = 0 OR (arrayReverseSort(surveys)[1] AS latest).4 < 0, '', toString(latest.4)),
      if(surveys_n = 0 OR latest.5 < 0, '', toString(latest.5)),
      if(surveys_n = 0, '', multiIf(latest.6 = 1, 'true', latest.6 = 0, 'false', '')),
      latest.7,
      '.'
    FROM
    (
      SELECT contact_id, first_ms, q_channel, q_direction, c_id, c_tier, c_phone, ended_ms, handled_n, handle_ms,
        handle_timed, w_disposition, w_category, transfers_n, surveys,
        -- The visits in the order they began, each fact once; who answered each (its end event).
        arraySort(i -> (v_starts[i], v_ends[i], v_ids[i]),
          arrayFilter((i, u) -> u = 1, arrayEnumerate(v_ids), arrayEnumerateUniq(v_ids))) AS v_order,
        arrayMap(i -> v_queues[i], v_order) AS o_queues,
        arrayMap(i -> v_outcomes[i], v_order) AS o_outcomes,
        arrayMap(i -> v_waits[i], v_order) AS o_waits,
        arrayMap(i -> if(v_outcomes[i] = 'answered', answer_agents[indexOf(answer_ids, v_end_ids[i])], ''), v_order) AS o_agents
      FROM
      (
        SELECT contact_id,
          minIf(ms, src = 0) AS first_ms,
          argMinIf(s1, k, src = 0 AND kind = 'contact.queued') AS q_channel,
          argMinIf(s2, k, src = 0 AND kind = 'contact.queued') AS q_direction,
          argMinIf(s3, k, src = 0 AND kind = 'contact.queued' AND (s3 != '' OR s4 != '' OR s5 != '')) AS c_id,
          argMinIf(s4, k, src = 0 AND kind = 'contact.queued' AND (s3 != '' OR s4 != '' OR s5 != '')) AS c_tier,
          argMinIf(s5, k, src = 0 AND kind = 'contact.queued' AND (s3 != '' OR s4 != '' OR s5 != '')) AS c_phone,
          maxIf(ms, src = 0 AND kind = 'contact.ended') AS ended_ms,
          groupArrayIf(s7, src = 0 AND kind = 'contact.answered') AS answer_ids,
          groupArrayIf(s6, src = 0 AND kind = 'contact.answered') AS answer_agents,
          groupArrayIf(s7, src = 1 AND kind = 'visit' AND sign > 0) AS v_ids,
          groupArrayIf(n1, src = 1 AND kind = 'visit' AND sign > 0) AS v_starts,
          groupArrayIf(ms, src = 1 AND kind = 'visit' AND sign > 0) AS v_ends,
          groupArrayIf(s1, src = 1 AND kind = 'visit' AND sign > 0) AS v_queues,
          groupArrayIf(s2, src = 1 AND kind = 'visit' AND sign > 0) AS v_outcomes,
          groupArrayIf(n2, src = 1 AND kind = 'visit' AND sign > 0) AS v_waits,
          groupArrayIf(s4, src = 1 AND kind = 'visit' AND sign > 0) AS v_end_ids,
          sumIf(sign, src = 1 AND kind = 'handled') AS handled_n,
          sumIf(sign * n2, src = 1 AND kind = 'handled' AND n2 >= 0) AS handle_ms,
          sumIf(sign, src = 1 AND kind = 'handled' AND n2 >= 0) AS handle_timed,
          argMaxIf(s2, k, src = 1 AND kind = 'handled' AND sign > 0) AS w_disposition,
          argMaxIf(s3, k, src = 1 AND kind = 'handled' AND sign > 0) AS w_category,
          sumIf(sign, src = 1 AND kind = 'transfer') AS transfers_n,
          -- Responses, latest by time then event_id as the deriver takes a survey's latest.
          groupArrayIf((ms, s7, s1, n1, n2, n3, s2), src = 2) AS surveys
        FROM
        (
          SELECT 0 AS src, contact_id, type AS kind, occurred_ms AS ms, ${key(sql`occurred_ms`, sql`event_id`)} AS k,
                 channel AS s1, direction AS s2, customer_id AS s3, customer_tier AS s4, customer_phone AS s5,
                 agent_id AS s6, event_id AS s7, toInt64(0) AS n1, toInt64(0) AS n2, toInt64(0) AS n3, toInt8(1) AS sign
          FROM contact_events
          WHERE site = ${p.site} AND occurred_at >= ${at(lookFrom)} AND occurred_at <= ${at(lookTo)}
            AND occurred_ms >= ${lookFrom} AND occurred_ms < ${lookTo}
          UNION ALL
          SELECT 1 AS src, contact_id, kind, anchor_ms AS ms, ${key(sql`anchor_ms`, sql`fact_id`)} AS k,
                 queue AS s1, outcome AS s2, detail AS s3, end_event_id AS s4, '' AS s5, agent_id AS s6, fact_id AS s7,
                 start_ms AS n1, duration_ms AS n2, toInt64(0) AS n3, sign
          FROM contact_facts
          WHERE ${factWindow} AND kind IN ('visit', 'handled', 'transfer')
            AND fact_id NOT IN (${retracted(sql`contact_facts`, factWindow)})
          UNION ALL
          -- A visit with no end is in open_visits: past the orphan horizon it is orphaned at start + 12 h
          -- (metrics.md), as every reader takes it; younger, it is still open, its wait unknown.
          SELECT 1 AS src, contact_id, 'visit' AS kind, anchor_ms AS ms, ${key(sql`anchor_ms`, sql`fact_id`)} AS k,
                 queue AS s1, if(start_ms <= ${orphanBefore}, 'orphaned', 'open') AS s2, '' AS s3, '' AS s4, '' AS s5,
                 '' AS s6, fact_id AS s7, start_ms AS n1,
                 if(start_ms <= ${orphanBefore}, toInt64(${ORPHAN_AFTER_MS}), toInt64(-1)) AS n2, toInt64(0) AS n3, sign
          FROM open_visits
          WHERE ${factWindow} AND fact_id NOT IN (${retracted(sql`open_visits`, factWindow)})
          UNION ALL
          SELECT 2 AS src, contact_id, '' AS kind, occurred_ms AS ms, toInt64(0) AS k,
                 survey_id AS s1, ${p.comments ? sql`comment` : sql`''`} AS s2, '' AS s3, '' AS s4, '' AS s5, agent_id AS s6,
                 event_id AS s7, toInt64(ifNull(csat, -1)) AS n1, toInt64(ifNull(nps, -1)) AS n2,
                 toInt64(ifNull(resolved, -1)) AS n3, toInt8(1) AS sign
          FROM survey_events
          WHERE site = ${p.site} AND occurred_at >= ${at(p.from_ms)} AND occurred_at <= ${at(lookTo)}
            AND occurred_ms >= ${p.from_ms} AND occurred_ms < ${lookTo}
        )
        GROUP BY contact_id
        HAVING first_ms >= ${p.from_ms} AND first_ms < ${p.to_ms}
      )
      -- Always true (the lists of one source are filled under one condition). It names outside a
      -- lambda every column a lambda above reads: 18.16 drops a subquery's column that only a
      -- lambda reads ("Unknown identifier").
      WHERE length(v_ids) = length(v_starts) AND length(v_ids) = length(v_ends) AND length(v_ids) = length(v_queues)
        AND length(v_ids) = length(v_outcomes) AND length(v_ids) = length(v_waits) AND length(v_ids) = length(v_end_ids)
        AND length(answer_ids) = length(answer_agents)
    )
    ORDER BY first_ms, contact_id`;
}

/**
 * One row per contact whose first event falls in the month, in order of that instant, then
 * contact_id: its customer, its visits (netted facts, in the order they began), handling,
 * transfers and latest survey response (PackContactRow). One statement: the server does the
 * grouping (its memory is ample), the exporting process only streams the rows.
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
