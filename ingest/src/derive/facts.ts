// Facts: the things metrics.md counts, derived from stored events by pure functions (contacts.ts,
// agents.ts, surveys.ts) and written as sign rows (diff.ts). Every fact has an id that hashes all
// of its values, so a fact that a later event changes is a different fact: the old one is
// retracted (-1) and the new one added (+1), and an unchanged fact is never written twice.
import { createHash } from "node:crypto";

/** A visit still open this long is closed as orphaned at start + 12 h (metrics.md). */
export { ORPHAN_AFTER_MS } from "@floorwatch/sql";
/** An answer older than this before a wrap-up is not the one it closes (handling time bound). */
export const HANDLE_LOOKBACK_MS = 12 * 60 * 60 * 1000;

export type ContactFactKind = "visit" | "open" | "handled" | "transfer" | "first_response";
export type VisitOutcome = "answered" | "abandoned" | "callback" | "flowed_out" | "orphaned";

export interface ContactFact {
  site: string;
  kind: ContactFactKind;
  /** When the fact counts: a visit's end, a wrap-up, a transfer, a first response; an open visit's start. */
  anchor_ms: number;
  /** A visit's start; the answer a wrap-up closes; the queued a first response answers. */
  start_ms: number;
  contact_id: string;
  queue: string;
  channel: string;
  agent_id: string;
  /** Visit outcome, disposition (handled) or to_queue (transfer). */
  outcome: string;
  /** Wait (visit), handling time (handled, -1 when no answer is known), response time. */
  duration_ms: number;
  /** Category (handled), to_agent_id (transfer). */
  detail: string;
  /** The customer tier of the visit's contact.queued. */
  tier: string;
  start_event_id: string;
  end_event_id: string;
}

export interface AgentInterval {
  site: string;
  agent_id: string;
  from_ms: number;
  /** 0 while open (the agent's latest state). */
  to_ms: number;
  state: string;
  reason: string;
  queues: string[];
  team: string;
  name: string;
  event_id: string;
}

export interface SurveyFact {
  site: string;
  anchor_ms: number;
  survey_id: string;
  contact_id: string;
  queue: string;
  channel: string;
  agent_id: string;
  /** -1 when the response has no such answer. */
  csat: number;
  nps: number;
  resolved: number;
  event_id: string;
}

/** A stable id of a fact's values: the same values, the same id, in any process. */
export function factId(fact: object): string {
  const keys = Object.keys(fact).sort();
  const canonical = JSON.stringify(keys.map((k) => [k, (fact as Record<string, unknown>)[k]]));
  return createHash("sha1").update(canonical).digest("hex").slice(0, 24);
}
