// An agent's state intervals from its agent.state_changed events (metrics.md "Agent metrics"):
// the latest event by occurred_at wins, each event starts an interval that the next one ends, and
// a missing `queues` keeps the agent's previous queues. Pure.
import { orderEvents } from "./contacts";
import type { AgentInterval } from "./facts";

/** The columns of an agent_events row the derivation reads. */
export interface AgentEventInput {
  event_id: string;
  occurred_ms: number;
  agent_id: string;
  state: string;
  reason: string;
  queues: string[];
  queues_set: number;
  team: string;
  name: string;
}

/**
 * `events` in any order, copies allowed. `prior` carries what was in force before the first of
 * them (queues, team, name from older events the caller did not load). Two events of the same
 * instant: the one with the greater event_id is the latest, so every process agrees; the interval
 * of the other is empty and left out.
 */
export function deriveAgentIntervals(
  site: string,
  agentId: string,
  events: readonly AgentEventInput[],
  prior: { queues: string[]; team: string; name: string } = { queues: [], team: "", name: "" },
): AgentInterval[] {
  const ordered = orderEvents(events);
  const out: AgentInterval[] = [];
  let queues = prior.queues;
  let team = prior.team;
  let name = prior.name;
  ordered.forEach((e, i) => {
    if (e.queues_set) queues = e.queues;
    if (e.team) team = e.team;
    if (e.name) name = e.name;
    const next = ordered[i + 1];
    if (next && next.occurred_ms === e.occurred_ms) return;
    out.push({
      site,
      agent_id: agentId,
      from_ms: e.occurred_ms,
      to_ms: next ? next.occurred_ms : 0,
      state: e.state,
      reason: e.reason,
      queues: [...queues],
      team,
      name,
      event_id: e.event_id,
    });
  });
  return out;
}
