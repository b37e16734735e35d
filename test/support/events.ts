// Builders for contract events in tests: valid by construction, times relative to a base instant.
import type { Event } from "@floorwatch/contracts";
import { randomUUID } from "node:crypto";
import type { Kafka } from "kafkajs";

export const iso = (ms: number) => new Date(ms).toISOString();

type Base = { site: string; at: number; event_id?: string };

export const queued = (b: Base & { contact: string; queue: string; channel?: "voice" | "chat" }): Event => ({
  v: 1,
  event_id: b.event_id ?? randomUUID(),
  type: "contact.queued",
  occurred_at: iso(b.at),
  site: b.site,
  contact_id: b.contact,
  channel: b.channel ?? "voice",
  queue: b.queue,
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

/** Produces raw values (events or any bytes) to a topic, keyed like a real producer would. */
export async function produce(kafka: Kafka, topic: string, values: Array<Event | string | Buffer>): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: values.map((v) =>
        typeof v === "string" || Buffer.isBuffer(v)
          ? { key: "raw", value: v }
          : { key: "contact_id" in v ? v.contact_id : "agent_id" in v ? v.agent_id : null, value: JSON.stringify(v) },
      ),
    });
  } finally {
    await producer.disconnect();
  }
}
