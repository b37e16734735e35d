// Builders for contract events in tests: valid by construction, times relative to a base instant.
import type { Event } from "@floorwatch/contracts";
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";
import { topicEnds, type ProducedOffset } from "./ingested";

export const iso = (ms: number) => new Date(ms).toISOString();

type Base = { site: string; at: number; event_id?: string };

export const queued = (
  b: Base & {
    contact: string;
    queue: string;
    channel?: "voice" | "chat";
    phone?: string;
    tier?: "standard" | "priority" | "vip";
    /** customer.id: who the contact is with (low-score follow-ups follow it). */
    customer?: string;
    outbound?: boolean;
  },
): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "contact.queued",
  occurred_at: iso(b.at),
  site: b.site,
  contact_id: b.contact,
  channel: b.channel ?? "voice",
  queue: b.queue,
  ...(b.outbound ? { direction: "outbound" as const } : {}),
  ...(b.phone || b.tier || b.customer
    ? {
        customer: {
          ...(b.customer ? { id: b.customer } : {}),
          ...(b.phone ? { phone: b.phone } : {}),
          ...(b.tier ? { tier: b.tier } : {}),
        },
      }
    : {}),
});

export const answered = (b: Base & { contact: string; queue: string; agent?: string }): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "contact.answered",
  occurred_at: iso(b.at),
  site: b.site,
  contact_id: b.contact,
  queue: b.queue,
  agent_id: b.agent ?? "a-1",
});

export const abandoned = (b: Base & { contact: string; queue: string }): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "contact.abandoned",
  occurred_at: iso(b.at),
  site: b.site,
  contact_id: b.contact,
  queue: b.queue,
});

export const callbackRequested = (b: Base & { contact: string; queue: string }): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "contact.callback_requested",
  occurred_at: iso(b.at),
  site: b.site,
  contact_id: b.contact,
  queue: b.queue,
});

export const wrappedUp = (
  b: Base & {
    contact: string;
    queue: string;
    agent?: string;
    disposition?: "resolved" | "unresolved" | "escalated" | "callback_scheduled";
    category?: string;
  },
): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "contact.wrapped_up",
  occurred_at: iso(b.at),
  site: b.site,
  contact_id: b.contact,
  queue: b.queue,
  agent_id: b.agent ?? "a-1",
  disposition: b.disposition ?? "resolved",
  ...(b.category ? { category: b.category } : {}),
});

export const transferred = (
  b: Base & { contact: string; queue: string; agent?: string; toQueue?: string },
): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "contact.transferred",
  occurred_at: iso(b.at),
  site: b.site,
  contact_id: b.contact,
  queue: b.queue,
  agent_id: b.agent ?? "a-1",
  ...(b.toQueue ? { to_queue: b.toQueue } : {}),
});

export const firstResponse = (
  b: Base & { contact: string; queue: string; agent?: string },
): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "contact.first_response",
  occurred_at: iso(b.at),
  site: b.site,
  contact_id: b.contact,
  queue: b.queue,
  agent_id: b.agent ?? "a-1",
});

export const survey = (
  b: Base & {
    contact: string;
    queue: string;
    survey?: string;
    agent?: string;
    csat?: number;
    nps?: number;
    resolved?: boolean;
    channel?: "voice" | "chat";
    comment?: string;
  },
): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "survey.completed",
  occurred_at: iso(b.at),
  site: b.site,
  survey_id: b.survey ?? randomUUID(),
  contact_id: b.contact,
  channel: b.channel ?? "voice",
  queue: b.queue,
  ...(b.agent ? { agent_id: b.agent } : {}),
  ...(b.csat !== undefined ? { csat: b.csat } : {}),
  ...(b.nps !== undefined ? { nps: b.nps } : {}),
  ...(b.resolved !== undefined ? { resolved: b.resolved } : {}),
  ...(b.comment !== undefined ? { comment: b.comment } : {}),
});

export const agentState = (
  b: Base & {
    agent: string;
    state: "logged_out" | "available" | "not_ready" | "on_contact" | "wrap_up";
    queues?: string[];
    reason?: string;
  },
): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "agent.state_changed",
  occurred_at: iso(b.at),
  site: b.site,
  agent_id: b.agent,
  state: b.state,
  ...(b.queues ? { queues: b.queues } : {}),
  ...(b.reason ? { reason: b.reason } : {}),
});

/** Produces events of every type, each to its topic (contact events of any channel on calls).
 * Returns the offsets produced to, for waitForIngested. */
export async function produceAll(
  kafka: Kafka,
  topics: { calls: string; agents: string; surveys: string },
  events: Event[],
): Promise<ProducedOffset[]> {
  const to = (e: Event) =>
    e.type === "agent.state_changed"
      ? topics.agents
      : e.type === "survey.completed"
        ? topics.surveys
        : topics.calls;
  const produced: ProducedOffset[] = [];
  for (const topic of new Set(events.map(to)))
    produced.push(
      ...(await produce(
        kafka,
        topic,
        events.filter((e) => to(e) === topic),
      )),
    );
  return produced;
}

/** Produces raw values (events or any bytes) to a topic, keyed like a real producer would.
 * Returns the end offsets of the partitions written to (waitForIngested waits for them). */
export async function produce(
  kafka: Kafka,
  topic: string,
  values: Array<Event | string | Buffer>,
): Promise<ProducedOffset[]> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: values.map((v) =>
        typeof v === "string" || Buffer.isBuffer(v)
          ? { key: "raw", value: v }
          : {
              key: "contact_id" in v ? v.contact_id : "agent_id" in v ? v.agent_id : null,
              value: JSON.stringify(v),
            },
      ),
    });
    // Acknowledged (acks -1): the partitions' ends now lie past these messages.
    return await topicEnds(kafka, [topic]);
  } finally {
    await producer.disconnect();
  }
}
