// One survey fact per survey_id: a survey tool that re-sends a response (a new event_id, the same
// survey_id) corrects it rather than adding a second response. The latest by occurred_at wins,
// ties broken by event_id so every process agrees. Pure.
import type { SurveyFact } from "./facts";

/** The columns of a survey_events row the derivation reads. */
export interface SurveyEventInput {
  event_id: string;
  occurred_ms: number;
  survey_id: string;
  contact_id: string;
  channel: string;
  queue: string;
  agent_id: string;
  csat: number | null;
  nps: number | null;
  resolved: number | null;
}

export function deriveSurveyFact(
  site: string,
  events: readonly SurveyEventInput[],
): SurveyFact | null {
  let latest: SurveyEventInput | null = null;
  for (const e of events) {
    if (
      !latest ||
      e.occurred_ms > latest.occurred_ms ||
      (e.occurred_ms === latest.occurred_ms && e.event_id > latest.event_id)
    )
      latest = e;
  }
  if (!latest) return null;
  return {
    site,
    anchor_ms: latest.occurred_ms,
    survey_id: latest.survey_id,
    contact_id: latest.contact_id,
    queue: latest.queue,
    channel: latest.channel,
    agent_id: latest.agent_id,
    csat: latest.csat ?? -1,
    nps: latest.nps ?? -1,
    resolved: latest.resolved ?? -1,
    event_id: latest.event_id,
  };
}
