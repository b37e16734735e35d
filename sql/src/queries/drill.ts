// Statements of the drill-down (GET /api/v1/contacts, /contacts/:id): the visits behind a figure,
// read from the same facts and judged by the same thresholds as the figure, and one contact's
// whole story from the raw events.
import { z } from "zod";
import { join, list, type SqlFragment, sql } from "../escape";
import { defineQuery } from "../query";

const Int = z.coerce.number().int();

/** The thresholds in force from an instant on (quarter-hour aligned, like the versions they come from). */
export const Threshold = z.object({
  from_ms: z.number().int(),
  sl_threshold_s: z.number(),
  short_abandon_s: z.number(),
});
export type Threshold = z.infer<typeof Threshold>;

/** T or S (seconds) in force at `anchor_at`: later thresholds first, the first one otherwise. */
function thresholdSql(
  thresholds: readonly Threshold[],
  pick: "sl_threshold_s" | "short_abandon_s",
): SqlFragment {
  const sorted = [...thresholds].sort((a, b) => b.from_ms - a.from_ms);
  const base = sorted.at(-1)!;
  if (sorted.length === 1) return sql`toFloat64(${base[pick]})`;
  const arms = sorted
    .slice(0, -1)
    .map(
      (t) =>
        sql`anchor_at >= toDateTime(${Math.floor(t.from_ms / 900_000) * 900}), toFloat64(${t[pick]})`,
    );
  return sql`multiIf(${join(arms)}, toFloat64(${base[pick]}))`;
}

export const VISIT_OUTCOMES = [
  "answered",
  "abandoned",
  "callback",
  "flowed_out",
  "orphaned",
] as const;

export const DrillVisitParams = z.object({
  site: z.string(),
  queue: z.string(),
  from_ms: z.number().int(),
  to_ms: z.number().int(),
  thresholds: z.array(Threshold).min(1),
  /** `offered`: every visit but orphaned ones (metrics.md), else one outcome. */
  outcome: z.enum(["offered", ...VISIT_OUTCOMES]).optional(),
  /** Answered within T (true) or after it (false), by the thresholds in force at the visit's end. */
  within_sl: z.boolean().optional(),
  /** Abandoned before S (true) or at/after it (false). */
  short_abandon: z.boolean().optional(),
  min_wait_ms: z.number().int().optional(),
  sort: z.enum(["newest", "longest_wait"]),
  /** Keyset cursor: the sort key of the last visit of the previous page. */
  after: z.object({ key: z.number().int(), fact_id: z.string() }).optional(),
  limit: z.number().int().min(1).max(1_001),
});
export type DrillVisitParams = z.infer<typeof DrillVisitParams>;

/** Visits of one queue that ended in [from, to), newest first or longest wait first, paged. */
export const drillVisits = defineQuery({
  name: "drill_visits",
  params: DrillVisitParams,
  row: z.object({
    contact_id: z.string(),
    fact_id: z.string(),
    end_event_id: z.string(),
    queue: z.string(),
    channel: z.string(),
    outcome: z.string(),
    start_ms: Int,
    end_ms: Int,
    wait_ms: Int,
    agent_id: z.string(),
    tier: z.string(),
    t_s: z.coerce.number(),
    s_s: z.coerce.number(),
  }),
  build: (p) => {
    const T = thresholdSql(p.thresholds, "sl_threshold_s");
    const S = thresholdSql(p.thresholds, "short_abandon_s");
    const key = p.sort === "newest" ? sql`anchor_ms` : sql`duration_ms`;
    const conditions: SqlFragment[] = [];
    if (p.outcome === "offered") conditions.push(sql`outcome != 'orphaned'`);
    else if (p.outcome) conditions.push(sql`outcome = ${p.outcome}`);
    if (p.within_sl !== undefined)
      conditions.push(
        p.within_sl
          ? sql`outcome = 'answered' AND duration_ms <= t_s * 1000`
          : sql`outcome = 'answered' AND duration_ms > t_s * 1000`,
      );
    if (p.short_abandon !== undefined)
      conditions.push(
        p.short_abandon
          ? sql`outcome = 'abandoned' AND duration_ms < s_s * 1000`
          : sql`outcome = 'abandoned' AND duration_ms >= s_s * 1000`,
      );
    if (p.min_wait_ms !== undefined) conditions.push(sql`duration_ms >= ${p.min_wait_ms}`);
    if (p.after)
      conditions.push(
        sql`(${key} < ${p.after.key} OR (${key} = ${p.after.key} AND fact_id < ${p.after.fact_id}))`,
      );
    return sql`
    SELECT contact_id, fact_id, end_event_id, queue, channel, outcome, start_ms, anchor_ms AS end_ms, duration_ms AS wait_ms, agent_id, tier, t_s, s_s
    FROM
    (
      SELECT contact_id, fact_id, end_event_id, queue, channel, outcome, start_ms, anchor_ms, duration_ms, agent_id, tier, anchor_at,
             ${T} AS t_s, ${S} AS s_s, sum(sign) AS n
      FROM contact_facts
      WHERE site = ${p.site} AND kind = 'visit' AND queue = ${p.queue}
        AND anchor_at >= toDateTime(${Math.floor(p.from_ms / 1000)}) AND anchor_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
        AND anchor_ms >= ${p.from_ms} AND anchor_ms < ${p.to_ms}
      GROUP BY contact_id, fact_id, end_event_id, queue, channel, outcome, start_ms, anchor_ms, duration_ms, agent_id, tier, anchor_at
      HAVING n > 0
    )
    ${
      conditions.length
        ? sql`WHERE ${join(
            conditions.map((c) => sql`(${c})`),
            " AND ",
          )}`
        : sql``
    }
    ORDER BY ${key} DESC, fact_id DESC
    LIMIT ${p.limit}`;
  },
});

/** The customer of each contact as its contact.queued events gave it (phone: personal data). */
export const drillCustomers = defineQuery({
  name: "drill_customers",
  params: z.object({
    site: z.string(),
    ids: z.array(z.string()).min(1).max(1_001),
    from_ms: z.number().int(),
    to_ms: z.number().int(),
  }),
  row: z.object({ contact_id: z.string(), c_id: z.string(), phone: z.string() }),
  // Aliases differ from the columns the aggregates read (18.16 resolves `any(x) AS x` to itself).
  build: (p) => sql`
    SELECT contact_id, any(customer_id) AS c_id, any(customer_phone) AS phone
    FROM contact_events
    WHERE site = ${p.site} AND contact_id IN (${list(p.ids)}) AND type = 'contact.queued'
      AND occurred_at >= toDateTime(${Math.max(0, Math.floor(p.from_ms / 1000))}) AND occurred_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
    GROUP BY contact_id`,
});

/** Who answered: the agent of each contact.answered event among `event_ids` (a visit's end event). */
export const drillAnswerers = defineQuery({
  name: "drill_answerers",
  params: z.object({
    site: z.string(),
    ids: z.array(z.string()).min(1).max(1_001),
    event_ids: z.array(z.string()).min(1).max(1_001),
    from_ms: z.number().int(),
    to_ms: z.number().int(),
  }),
  row: z.object({ event_id: z.string(), agent_id: z.string() }),
  build: (p) => sql`
    SELECT event_id, agent_id
    FROM contact_events
    WHERE site = ${p.site} AND contact_id IN (${list(p.ids)}) AND event_id IN (${list(p.event_ids)}) AND type = 'contact.answered'
      AND occurred_at >= toDateTime(${Math.max(0, Math.floor(p.from_ms / 1000))}) AND occurred_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
    LIMIT 1 BY event_id`,
});

const Window = {
  site: z.string(),
  contact_id: z.string(),
  from_ms: z.number().int(),
  to_ms: z.number().int(),
};

/** Every event of one contact in a window, each once (copies folded by event_id), in order. */
export const contactStory = defineQuery({
  name: "drill_contact_events",
  params: z.object(Window),
  row: z.object({
    event_id: z.string(),
    type: z.string(),
    occurred_ms: Int,
    queue: z.string(),
    channel: z.string(),
    direction: z.string(),
    agent_id: z.string(),
    customer_id: z.string(),
    customer_tier: z.string(),
    customer_phone: z.string(),
    to_queue: z.string(),
    to_agent_id: z.string(),
    disposition: z.string(),
    category: z.string(),
  }),
  // Copies of an event are identical: one row per event_id, through LIMIT BY (no aggregate, so
  // none of 18.16's alias-resolution traps).
  build: (p) => sql`
    SELECT event_id, type, occurred_ms, queue, channel, direction, agent_id, customer_id, customer_tier, customer_phone,
           to_queue, to_agent_id, disposition, category
    FROM contact_events
    WHERE site = ${p.site} AND contact_id = ${p.contact_id}
      AND occurred_at >= toDateTime(${Math.max(0, Math.floor(p.from_ms / 1000))}) AND occurred_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
    ORDER BY occurred_ms, event_id
    LIMIT 1 BY event_id`,
});

/** The contact's facts as derived now: visits, handling, transfers, first responses. */
export const contactFacts = defineQuery({
  name: "drill_contact_facts",
  params: z.object(Window),
  row: z.object({
    kind: z.string(),
    queue: z.string(),
    outcome: z.string(),
    start_ms: Int,
    anchor_ms: Int,
    duration_ms: Int,
    agent_id: z.string(),
    detail: z.string(),
  }),
  build: (p) => sql`
    SELECT kind, queue, outcome, start_ms, anchor_ms, duration_ms, agent_id, detail
    FROM
    (
      SELECT kind, queue, outcome, start_ms, anchor_ms, duration_ms, agent_id, detail, sum(sign) AS n
      FROM contact_facts
      WHERE site = ${p.site} AND contact_id = ${p.contact_id}
        AND anchor_at >= toDateTime(${Math.max(0, Math.floor(p.from_ms / 1000))}) AND anchor_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
      GROUP BY kind, queue, outcome, start_ms, anchor_ms, duration_ms, agent_id, detail, fact_id
      HAVING n > 0
    )
    ORDER BY anchor_ms, kind`,
});

/** Survey responses about the contact (comment: personal data), latest event per survey. */
export const contactSurveys = defineQuery({
  name: "drill_contact_surveys",
  params: z.object(Window),
  row: z.object({
    survey_id: z.string(),
    occurred_ms: Int,
    agent_id: z.string(),
    csat: Int.nullable(),
    nps: Int.nullable(),
    resolved: Int.nullable(),
    comment: z.string(),
  }),
  build: (p) => sql`
    SELECT survey_id, s_at AS occurred_ms, s_agent AS agent_id, s_csat AS csat, s_nps AS nps, s_resolved AS resolved, s_comment AS comment
    FROM
    (
      SELECT survey_id, max(occurred_ms) AS s_at, argMax(agent_id, occurred_ms) AS s_agent, argMax(csat, occurred_ms) AS s_csat,
             argMax(nps, occurred_ms) AS s_nps, argMax(resolved, occurred_ms) AS s_resolved, argMax(comment, occurred_ms) AS s_comment
      FROM survey_events
      WHERE site = ${p.site} AND contact_id = ${p.contact_id}
        AND occurred_at >= toDateTime(${Math.max(0, Math.floor(p.from_ms / 1000))}) AND occurred_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
      GROUP BY survey_id
    )
    ORDER BY occurred_ms`,
});

/** Per agent, contacts handled (wrapped up) in [from, to) and their handling time where known. */
export const agentHandled = defineQuery({
  name: "agent_handled",
  params: z.object({ site: z.string(), from_ms: z.number().int(), to_ms: z.number().int() }),
  row: z.object({ agent_id: z.string(), handled: Int, timed: Int, handle_ms: Int }),
  build: (p) => sql`
    SELECT agent_id, sum(n) AS handled, sumIf(n, duration_ms >= 0) AS timed, sumIf(n * duration_ms, duration_ms >= 0) AS handle_ms
    FROM
    (
      SELECT agent_id, duration_ms, sum(sign) AS n
      FROM contact_facts
      WHERE site = ${p.site} AND kind = 'handled'
        AND anchor_at >= toDateTime(${Math.max(0, Math.floor(p.from_ms / 1000))}) AND anchor_at <= toDateTime(${Math.ceil(p.to_ms / 1000)})
        AND anchor_ms >= ${p.from_ms} AND anchor_ms < ${p.to_ms}
      GROUP BY agent_id, duration_ms, contact_id, fact_id
      HAVING n > 0
    )
    GROUP BY agent_id`,
});
