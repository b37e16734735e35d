// Statements over survey_events (sql/migrations/0002_agent_and_survey_events.sql).
export const SURVEY_EVENTS_TABLE = "survey_events";

export interface SurveyEventRow {
  site: string;
  event_id: string;
  occurred_at: number; // epoch seconds
  occurred_ms: number;
  survey_id: string;
  contact_id: string;
  channel: string;
  queue: string;
  agent_id: string;
  csat: number | null;
  nps: number | null;
  resolved: 0 | 1 | null;
  comment: string;
  ingested_at: number;
}
