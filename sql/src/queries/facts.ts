// Statements of the deriver (ingest/src/derive/deriver.ts) over the raw event tables and the fact
// tables of sql/migrations/0003_metrics.sql: load the stored events of the contacts, agents and
// surveys a flush touched, and the facts already derived from them (net of sign).
import { z } from "zod";
import { join, list, sql } from "../escape";
import { defineQuery } from "../query";

export const CONTACT_FACTS_TABLE = "contact_facts";
export const OPEN_VISITS_TABLE = "open_visits";
export const AGENT_CURRENT_TABLE = "agent_current";
export const AGENT_INTERVALS_TABLE = "agent_intervals";
export const SURVEY_FACTS_TABLE = "survey_facts";

const Int = z.coerce.number().int();
const Ids = z.array(z.string()).min(1).max(5_000);
const Window = { site: z.string(), ids: Ids, from_ms: z.number().int(), to_ms: z.number().int() };

/** Seconds for the partition and primary index, ms for the exact bound. */
const between = (col: "occurred" | "anchor" | "from", fromMs: number, toMs: number) => {
  const at = { occurred: sql`occurred_at`, anchor: sql`anchor_at`, from: sql`from_at` }[col];
  const ms = { occurred: sql`occurred_ms`, anchor: sql`anchor_ms`, from: sql`from_ms` }[col];
  return sql`${at} >= toDateTime(${Math.floor(fromMs / 1000)}) AND ${at} <= toDateTime(${Math.ceil(toMs / 1000)}) AND ${ms} >= ${fromMs} AND ${ms} <= ${toMs}`;
};

export const loadContactEvents = defineQuery({
  name: "derive_load_contact_events",
  params: z.object(Window),
  row: z.object({
    event_id: z.string(),
    type: z.string(),
    occurred_ms: Int,
    contact_id: z.string(),
    queue: z.string(),
    channel: z.string(),
    agent_id: z.string(),
    customer_tier: z.string(),
    disposition: z.string(),
    category: z.string(),
    to_queue: z.string(),
    to_agent_id: z.string(),
  }),
  build: (p) => sql`
    SELECT event_id, type, occurred_ms, contact_id, queue, channel, agent_id, customer_tier, disposition, category, to_queue, to_agent_id
    FROM contact_events
    WHERE site = ${p.site} AND contact_id IN (${list(p.ids)}) AND ${between("occurred", p.from_ms, p.to_ms)}`,
});

const contactFactColumns = sql`kind, anchor_ms, start_ms, contact_id, queue, channel, agent_id, outcome, duration_ms, detail, tier, start_event_id, end_event_id, sl_version, within_sl, short_abandon, fact_id`;

export const loadContactFacts = defineQuery({
  name: "derive_load_contact_facts",
  params: z.object(Window),
  row: z.object({
    kind: z.enum(["visit", "open", "handled", "transfer", "first_response"]),
    anchor_ms: Int,
    start_ms: Int,
    contact_id: z.string(),
    queue: z.string(),
    channel: z.string(),
    agent_id: z.string(),
    outcome: z.string(),
    duration_ms: Int,
    detail: z.string(),
    tier: z.string(),
    start_event_id: z.string(),
    end_event_id: z.string(),
    sl_version: Int,
    within_sl: Int,
    short_abandon: Int,
    fact_id: z.string(),
    net: Int,
  }),
  // Open visits live in their own table (read by the live snapshot); a contact's facts are both.
  build: (p) => sql`
    SELECT ${contactFactColumns}, sum(sign) AS net
    FROM
    (
      SELECT ${contactFactColumns}, sign FROM contact_facts
      WHERE site = ${p.site} AND contact_id IN (${list(p.ids)}) AND ${between("anchor", p.from_ms, p.to_ms)}
      UNION ALL
      SELECT ${contactFactColumns}, sign FROM open_visits
      WHERE site = ${p.site} AND contact_id IN (${list(p.ids)}) AND ${between("anchor", p.from_ms, p.to_ms)}
    )
    GROUP BY ${contactFactColumns}
    HAVING net != 0`,
});

const agentEventRow = z.object({
  event_id: z.string(),
  occurred_ms: Int,
  agent_id: z.string(),
  state: z.string(),
  reason: z.string(),
  queues: z.array(z.string()),
  queues_set: Int,
  team: z.string(),
  name: z.string(),
});

export const loadAgentEvents = defineQuery({
  name: "derive_load_agent_events",
  params: z.object(Window),
  row: agentEventRow,
  build: (p) => sql`
    SELECT event_id, occurred_ms, agent_id, state, reason, queues, queues_set, team, name
    FROM agent_events
    WHERE site = ${p.site} AND agent_id IN (${list(p.ids)}) AND ${between("occurred", p.from_ms, p.to_ms)}`,
});

/** How far past its read window the deriver looks for the event that ends an agent's last interval. */
export const AGENT_NEXT_HORIZON_MS = 31 * 24 * 3_600_000;

/**
 * Per agent, its earliest event(s) after `after_ms` (within AGENT_NEXT_HORIZON_MS): what ends the
 * last interval of a re-derivation window when the agent's next event lies beyond the window (a
 * copy of Friday's event re-read after Monday's: without it that interval would reopen). Copies
 * and same-instant events all come back; the derivation orders them.
 */
export const loadAgentNextEvents = defineQuery({
  name: "derive_load_agent_next_events",
  params: z.object({ site: z.string(), ids: Ids, after_ms: z.number().int() }),
  row: agentEventRow,
  build: (p) => {
    const horizon = sql`${between("occurred", p.after_ms + 1, p.after_ms + AGENT_NEXT_HORIZON_MS)}`;
    return sql`
    SELECT event_id, occurred_ms, agent_id, state, reason, queues, queues_set, team, name
    FROM agent_events
    WHERE site = ${p.site} AND agent_id IN (${list(p.ids)}) AND ${horizon}
      AND (agent_id, occurred_ms) IN (
        SELECT agent_id, min(occurred_ms) FROM agent_events
        WHERE site = ${p.site} AND agent_id IN (${list(p.ids)}) AND ${horizon}
        GROUP BY agent_id)`;
  },
});

const agentIntervalColumns = sql`agent_id, from_ms, to_ms, state, reason, queues, team, name, event_id, fact_id`;

const agentIntervalRow = z.object({
  agent_id: z.string(),
  from_ms: Int,
  to_ms: Int,
  state: z.string(),
  reason: z.string(),
  queues: z.array(z.string()),
  team: z.string(),
  name: z.string(),
  event_id: z.string(),
  fact_id: z.string(),
  net: Int,
});

export const loadAgentIntervals = defineQuery({
  name: "derive_load_agent_intervals",
  params: z.object(Window),
  row: agentIntervalRow,
  build: (p) => sql`
    SELECT ${agentIntervalColumns}, sum(sign) AS net
    FROM agent_intervals
    WHERE site = ${p.site} AND agent_id IN (${list(p.ids)}) AND ${between("from", p.from_ms, p.to_ms)}
    GROUP BY ${agentIntervalColumns}
    HAVING net != 0`,
});

/** Per agent, the start of its latest interval (agent_current: one row per agent after merges). */
export const loadAgentCurrentStarts = defineQuery({
  name: "derive_load_agent_current_starts",
  params: z.object({ site: z.string(), ids: Ids }),
  row: z.object({ agent_id: z.string(), from_ms: Int }),
  build: (p) => sql`
    SELECT agent_id, max(from_ms) AS from_ms
    FROM agent_current
    WHERE site = ${p.site} AND agent_id IN (${list(p.ids)})
    GROUP BY agent_id`,
});

/**
 * The stored intervals (net of sign) of `ids` that start at one of `starts`: a point read by the
 * table's sort key (site, from_at, agent_id), for intervals that began before a read window.
 */
export const loadAgentIntervalsAt = defineQuery({
  name: "derive_load_agent_intervals_at",
  params: z.object({
    site: z.string(),
    ids: Ids,
    starts: z.array(z.number().int()).min(1).max(5_000),
  }),
  row: agentIntervalRow,
  build: (p) => {
    const seconds = [...new Set(p.starts.map((ms) => Math.floor(ms / 1000)))];
    return sql`
    SELECT ${agentIntervalColumns}, sum(sign) AS net
    FROM agent_intervals
    WHERE site = ${p.site} AND agent_id IN (${list(p.ids)})
      AND from_at IN (${join(seconds.map((s) => sql`toDateTime(${s})`))})
      AND from_ms IN (${list(p.starts)})
    GROUP BY ${agentIntervalColumns}
    HAVING net != 0`;
  },
});

// null first: z.coerce.number() would read null as 0, turning "no answer" into a score of 0.
const Nullable = z.union([z.null(), Int]);

export const loadSurveyEvents = defineQuery({
  name: "derive_load_survey_events",
  params: z.object(Window),
  row: z.object({
    event_id: z.string(),
    occurred_ms: Int,
    survey_id: z.string(),
    contact_id: z.string(),
    channel: z.string(),
    queue: z.string(),
    agent_id: z.string(),
    csat: Nullable,
    nps: Nullable,
    resolved: Nullable,
  }),
  build: (p) => sql`
    SELECT event_id, occurred_ms, survey_id, contact_id, channel, queue, agent_id, csat, nps, resolved
    FROM survey_events
    WHERE site = ${p.site} AND survey_id IN (${list(p.ids)}) AND ${between("occurred", p.from_ms, p.to_ms)}`,
});

const surveyFactColumns = sql`anchor_ms, survey_id, contact_id, queue, channel, agent_id, csat, nps, resolved, event_id, fact_id`;

export const loadSurveyFacts = defineQuery({
  name: "derive_load_survey_facts",
  params: z.object(Window),
  row: z.object({
    anchor_ms: Int,
    survey_id: z.string(),
    contact_id: z.string(),
    queue: z.string(),
    channel: z.string(),
    agent_id: z.string(),
    csat: Int,
    nps: Int,
    resolved: Int,
    event_id: z.string(),
    fact_id: z.string(),
    net: Int,
  }),
  build: (p) => sql`
    SELECT ${surveyFactColumns}, sum(sign) AS net
    FROM survey_facts
    WHERE site = ${p.site} AND survey_id IN (${list(p.ids)}) AND ${between("anchor", p.from_ms, p.to_ms)}
    GROUP BY ${surveyFactColumns}
    HAVING net != 0`,
});
