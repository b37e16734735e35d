// A deterministic corpus of valid events of every type, for load and fault tests: contacts that
// are queued and then answered (ended, wrapped up, surveyed), abandoned, called back or still
// waiting; agents changing state. Times fall in the hour before `endMs`.
import type { Event } from "@floorwatch/contracts";

export interface CorpusOptions {
  site: string;
  contacts: number;
  endMs: number;
  seed?: string;
}

const QUEUES = ["credit_card", "loans", "wealth", "deposits", "complaint"];

export function makeCorpus(o: CorpusOptions): Event[] {
  const events: Event[] = [];
  const seed = o.seed ?? "c";
  const iso = (ms: number) => new Date(ms).toISOString();
  const base = (id: string, ms: number) => ({
    v: 1 as const,
    event_id: `${seed}-${id}`,
    occurred_at: iso(ms),
    site: o.site,
  });
  for (let i = 0; i < o.contacts; i++) {
    const contact = `${seed}-c${i}`;
    const queue = QUEUES[i % QUEUES.length]!;
    const agent = `a${i % 37}`;
    const start = o.endMs - 3_600_000 + ((i * 7919) % 3_000_000);
    events.push({
      ...base(`${i}-q`, start),
      type: "contact.queued",
      contact_id: contact,
      channel: "voice",
      queue,
      customer: {
        tier: i % 9 === 0 ? "vip" : "standard",
        phone: `1380000${String(i % 10000).padStart(4, "0")}`,
      },
    });
    const wait = 1_000 + ((i * 104729) % 240_000);
    switch (i % 10) {
      case 0:
        events.push({
          ...base(`${i}-x`, start + wait),
          type: "contact.abandoned",
          contact_id: contact,
          queue,
        });
        break;
      case 1:
        events.push({
          ...base(`${i}-cb`, start + wait),
          type: "contact.callback_requested",
          contact_id: contact,
          queue,
        });
        break;
      case 2:
        break; // still waiting (unless older than the orphan horizon)
      default: {
        const answeredAt = start + wait;
        events.push({
          ...base(`${i}-a`, answeredAt),
          type: "contact.answered",
          contact_id: contact,
          queue,
          agent_id: agent,
        });
        if (i % 10 === 3)
          events.push({
            ...base(`${i}-t`, answeredAt + 30_000),
            type: "contact.transferred",
            contact_id: contact,
            queue,
            agent_id: agent,
            to_queue: "wealth",
          });
        events.push({
          ...base(`${i}-e`, answeredAt + 120_000),
          type: "contact.ended",
          contact_id: contact,
          queue,
          agent_id: agent,
        });
        events.push({
          ...base(`${i}-w`, answeredAt + 150_000),
          type: "contact.wrapped_up",
          contact_id: contact,
          queue,
          agent_id: agent,
          disposition: i % 7 === 0 ? "unresolved" : "resolved",
          category: queue,
        });
        if (i % 4 === 0) {
          events.push({
            ...base(`${i}-s`, answeredAt + 200_000),
            type: "survey.completed",
            survey_id: `${seed}-s${i}`,
            contact_id: contact,
            channel: "voice",
            queue,
            agent_id: agent,
            csat: 1 + (i % 5),
            nps: i % 11,
            resolved: i % 3 !== 0,
            comment: i % 8 === 0 ? "服务很好 / great service" : undefined,
          });
        }
        events.push({
          ...base(`${i}-st`, answeredAt),
          type: "agent.state_changed",
          agent_id: agent,
          state: "on_contact",
          queues: [queue, "wealth"],
          team: `t${i % 4}`,
        });
      }
    }
  }
  return events;
}

/** The topic each event belongs on, for a set of topic names. */
export function topicFor(
  e: Event,
  topics: { calls: string; chats: string; agents: string; surveys: string },
): string {
  if (e.type === "agent.state_changed") return topics.agents;
  if (e.type === "survey.completed") return topics.surveys;
  return topics.calls;
}

export function keyFor(e: Event): string {
  return e.type === "agent.state_changed" ? e.agent_id : e.contact_id;
}
