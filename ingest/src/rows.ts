import {
  parseRfc3339Ms,
  type AgentStateChanged,
  type ContactEvent,
  type Event,
  type SurveyCompleted,
} from "@floorwatch/contracts";
import {
  AGENT_EVENTS_TABLE,
  CONTACT_EVENTS_TABLE,
  SURVEY_EVENTS_TABLE,
  type AgentEventRow,
  type ContactEventRow,
  type SurveyEventRow,
} from "@floorwatch/sql";

/** Maps a validated contact.* event to its contact_events row; absent optional fields become ''. */
export function contactRow(e: ContactEvent, ingestedAtMs: number): ContactEventRow {
  const ms = parseRfc3339Ms(e.occurred_at) ?? 0;
  const row: ContactEventRow = {
    site: e.site,
    event_id: e.event_id,
    type: e.type,
    occurred_at: Math.floor(ms / 1000),
    occurred_ms: ms,
    contact_id: e.contact_id,
    queue: e.queue,
    channel: "",
    direction: "",
    agent_id: "",
    customer_id: "",
    customer_tier: "",
    customer_phone: "",
    to_queue: "",
    to_agent_id: "",
    disposition: "",
    category: "",
    ingested_at: Math.floor(ingestedAtMs / 1000),
  };
  switch (e.type) {
    case "contact.queued":
      row.channel = e.channel;
      row.direction = e.direction ?? "inbound";
      row.customer_id = e.customer?.id ?? "";
      row.customer_tier = e.customer?.tier ?? "";
      row.customer_phone = e.customer?.phone ?? "";
      break;
    case "contact.answered":
    case "contact.first_response":
    case "contact.ended":
      row.agent_id = e.agent_id;
      break;
    case "contact.transferred":
      row.agent_id = e.agent_id;
      row.to_queue = e.to_queue ?? "";
      row.to_agent_id = e.to_agent_id ?? "";
      break;
    case "contact.wrapped_up":
      row.agent_id = e.agent_id;
      row.disposition = e.disposition;
      row.category = e.category ?? "";
      break;
    case "contact.abandoned":
    case "contact.callback_requested":
      break;
  }
  return row;
}

function times(occurredAt: string, ingestedAtMs: number) {
  const ms = parseRfc3339Ms(occurredAt) ?? 0; // the schema already proved it parses
  return {
    occurred_at: Math.floor(ms / 1000),
    occurred_ms: ms,
    ingested_at: Math.floor(ingestedAtMs / 1000),
  };
}

export function agentRow(e: AgentStateChanged, ingestedAtMs: number): AgentEventRow {
  const t = times(e.occurred_at, ingestedAtMs);
  return {
    site: e.site,
    event_id: e.event_id,
    occurred_at: t.occurred_at,
    occurred_ms: t.occurred_ms,
    agent_id: e.agent_id,
    state: e.state,
    reason: e.reason ?? "",
    queues: e.queues ?? [],
    queues_set: e.queues === undefined ? 0 : 1,
    team: e.team ?? "",
    name: e.name ?? "",
    ingested_at: t.ingested_at,
  };
}

export function surveyRow(e: SurveyCompleted, ingestedAtMs: number): SurveyEventRow {
  const t = times(e.occurred_at, ingestedAtMs);
  return {
    site: e.site,
    event_id: e.event_id,
    occurred_at: t.occurred_at,
    occurred_ms: t.occurred_ms,
    survey_id: e.survey_id,
    contact_id: e.contact_id,
    channel: e.channel,
    queue: e.queue,
    agent_id: e.agent_id ?? "",
    csat: e.csat ?? null,
    nps: e.nps ?? null,
    resolved: e.resolved === undefined ? null : e.resolved ? 1 : 0,
    comment: e.comment ?? "",
    ingested_at: t.ingested_at,
  };
}

export type TableRow =
  | { table: typeof CONTACT_EVENTS_TABLE; row: ContactEventRow }
  | { table: typeof AGENT_EVENTS_TABLE; row: AgentEventRow }
  | { table: typeof SURVEY_EVENTS_TABLE; row: SurveyEventRow };

/** The table and row a validated event is stored as. */
export function rowFor(e: Event, ingestedAtMs: number): TableRow {
  if (e.type === "agent.state_changed")
    return { table: AGENT_EVENTS_TABLE, row: agentRow(e, ingestedAtMs) };
  if (e.type === "survey.completed")
    return { table: SURVEY_EVENTS_TABLE, row: surveyRow(e, ingestedAtMs) };
  return { table: CONTACT_EVENTS_TABLE, row: contactRow(e, ingestedAtMs) };
}
