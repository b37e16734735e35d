// Statements over agent_events (sql/migrations/0002_agent_and_survey_events.sql).
export const AGENT_EVENTS_TABLE = "agent_events";

export interface AgentEventRow {
  site: string;
  event_id: string;
  occurred_at: number; // epoch seconds
  occurred_ms: number;
  agent_id: string;
  state: string;
  reason: string;
  queues: string[];
  queues_set: 0 | 1;
  team: string;
  name: string;
  ingested_at: number;
}
