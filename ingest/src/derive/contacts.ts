// The contact facts of one contact, from its stored events, exactly as metrics.md defines them.
// Pure: the same events (in any order, with any copies) give the same facts.
import { HANDLE_LOOKBACK_MS, ORPHAN_AFTER_MS, type ContactFact, type VisitOutcome } from "./facts";

/** The columns of a contact_events row the derivation reads. */
export interface ContactEventInput {
  event_id: string;
  type: string;
  occurred_ms: number;
  contact_id: string;
  queue: string;
  channel: string;
  agent_id: string;
  customer_tier: string;
  disposition: string;
  category: string;
  to_queue: string;
  to_agent_id: string;
}

// Events of one instant are taken in lifecycle order: a contact queued and answered in the same
// millisecond waited 0 s, it was not answered before it queued.
const RANK: Record<string, number> = {
  "contact.queued": 0,
  "contact.answered": 1,
  "contact.abandoned": 1,
  "contact.callback_requested": 1,
  "contact.first_response": 2,
  "contact.transferred": 3,
  "contact.ended": 4,
  "contact.wrapped_up": 5,
};

const END_OUTCOME: Record<string, VisitOutcome> = {
  "contact.answered": "answered",
  "contact.abandoned": "abandoned",
  "contact.callback_requested": "callback",
};

/** Copies removed (same event_id), then by time, lifecycle order, event_id. */
export function orderEvents<E extends { event_id: string; occurred_ms: number; type?: string }>(
  events: readonly E[],
): E[] {
  const unique = new Map<string, E>();
  for (const e of events) if (!unique.has(e.event_id)) unique.set(e.event_id, e);
  return [...unique.values()].sort(
    (a, b) =>
      a.occurred_ms - b.occurred_ms ||
      (RANK[a.type ?? ""] ?? 9) - (RANK[b.type ?? ""] ?? 9) ||
      (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0),
  );
}

interface OpenVisit {
  queue: string;
  start_ms: number;
  event_id: string;
  channel: string;
  tier: string;
}

/**
 * Every fact of one contact of `site` from its events (any order, copies allowed).
 *
 * Visits (metrics.md "Queue visits"): a contact.queued starts one; it ends at the first answered /
 * abandoned / callback_requested for that queue, or at a contact.queued into another queue
 * (flowed_out). A contact waits in one queue at a time, so at most one visit is open. A queued
 * into the queue the contact already waits in is the same wait (a re-announcement), not a new
 * visit. An end event for a queue the contact is not waiting in ends nothing. A visit with no end
 * within 12 h is orphaned at start + 12 h; one with no end at all stays `open` (readers treat an
 * open visit older than 12 h as orphaned).
 */
export function deriveContactFacts(
  site: string,
  contactId: string,
  events: readonly ContactEventInput[],
): ContactFact[] {
  const ordered = orderEvents(events);
  const facts: ContactFact[] = [];
  const channel = ordered.find((e) => e.type === "contact.queued")?.channel ?? "";
  const base = { site, contact_id: contactId, channel };

  let open: OpenVisit | null = null;
  const closeVisit = (v: OpenVisit, outcome: VisitOutcome, endMs: number, endEventId: string) => {
    facts.push({
      ...base,
      channel: v.channel,
      kind: "visit",
      anchor_ms: endMs,
      start_ms: v.start_ms,
      queue: v.queue,
      agent_id: "",
      outcome,
      duration_ms: endMs - v.start_ms,
      detail: "",
      tier: v.tier,
      start_event_id: v.event_id,
      end_event_id: endEventId,
    });
  };

  // For handling facts: answers seen so far; for first responses: the latest queued per queue.
  const answers: { ms: number; queue: string; agent: string; event_id: string }[] = [];
  const lastQueued = new Map<string, { ms: number; event_id: string; responded: boolean }>();
  const transferredAfter = new Set<string>(); // `${queue}\0${answer event id}` already transferred

  for (const e of ordered) {
    if (open && e.occurred_ms > open.start_ms + ORPHAN_AFTER_MS) {
      closeVisit(open, "orphaned", open.start_ms + ORPHAN_AFTER_MS, "");
      open = null;
    }
    switch (e.type) {
      case "contact.queued": {
        if (open && open.queue === e.queue) break;
        if (open) closeVisit(open, "flowed_out", e.occurred_ms, e.event_id);
        open = {
          queue: e.queue,
          start_ms: e.occurred_ms,
          event_id: e.event_id,
          channel: e.channel,
          tier: e.customer_tier,
        };
        lastQueued.set(e.queue, { ms: e.occurred_ms, event_id: e.event_id, responded: false });
        break;
      }
      case "contact.answered":
      case "contact.abandoned":
      case "contact.callback_requested": {
        if (e.type === "contact.answered")
          answers.push({
            ms: e.occurred_ms,
            queue: e.queue,
            agent: e.agent_id,
            event_id: e.event_id,
          });
        if (open && open.queue === e.queue) {
          closeVisit(open, END_OUTCOME[e.type]!, e.occurred_ms, e.event_id);
          open = null;
        }
        break;
      }
      case "contact.first_response": {
        const q = lastQueued.get(e.queue);
        if (!q || q.responded || e.occurred_ms - q.ms > ORPHAN_AFTER_MS) break;
        q.responded = true;
        facts.push({
          ...base,
          kind: "first_response",
          anchor_ms: e.occurred_ms,
          start_ms: q.ms,
          queue: e.queue,
          agent_id: e.agent_id,
          outcome: "",
          duration_ms: e.occurred_ms - q.ms,
          detail: "",
          tier: "",
          start_event_id: q.event_id,
          end_event_id: e.event_id,
        });
        break;
      }
      case "contact.transferred": {
        // "contacts with contact.transferred": one per answer that was passed on, however many
        // transfer events the agent's desktop sent for it.
        const answer = latestAnswer(answers, e.occurred_ms, e.queue, e.agent_id);
        const key = `${e.queue}\u0000${answer?.event_id ?? e.event_id}`;
        if (transferredAfter.has(key)) break;
        transferredAfter.add(key);
        facts.push({
          ...base,
          kind: "transfer",
          anchor_ms: e.occurred_ms,
          start_ms: answer?.ms ?? e.occurred_ms,
          queue: e.queue,
          agent_id: e.agent_id,
          outcome: e.to_queue,
          duration_ms: -1,
          detail: e.to_agent_id,
          tier: "",
          start_event_id: answer?.event_id ?? "",
          end_event_id: e.event_id,
        });
        break;
      }
      case "contact.wrapped_up": {
        const answer = latestAnswer(answers, e.occurred_ms, e.queue, e.agent_id);
        facts.push({
          ...base,
          kind: "handled",
          anchor_ms: e.occurred_ms,
          start_ms: answer?.ms ?? e.occurred_ms,
          queue: e.queue,
          agent_id: e.agent_id,
          outcome: e.disposition,
          duration_ms: answer ? e.occurred_ms - answer.ms : -1,
          detail: e.category,
          tier: "",
          start_event_id: answer?.event_id ?? "",
          end_event_id: e.event_id,
        });
        break;
      }
      default:
        break; // contact.ended: talk is over; no figure of metrics.md counts it on its own
    }
  }
  if (open) {
    facts.push({
      ...base,
      channel: open.channel,
      kind: "open",
      anchor_ms: open.start_ms,
      start_ms: open.start_ms,
      queue: open.queue,
      agent_id: "",
      outcome: "",
      duration_ms: -1,
      detail: "",
      tier: open.tier,
      start_event_id: open.event_id,
      end_event_id: "",
    });
  }
  return facts;
}

/** The answer a wrap-up or transfer belongs to: the latest before it, same queue and agent first. */
function latestAnswer(
  answers: readonly { ms: number; queue: string; agent: string; event_id: string }[],
  atMs: number,
  queue: string,
  agent: string,
) {
  const inRange = answers.filter((a) => a.ms <= atMs && atMs - a.ms <= HANDLE_LOOKBACK_MS);
  const pick = (pred: (a: (typeof inRange)[number]) => boolean) => inRange.filter(pred).at(-1);
  return (
    pick((a) => a.queue === queue && a.agent === agent) ??
    pick((a) => a.queue === queue) ??
    pick(() => true)
  );
}
