// Producing a corpus the way real producers do: keyed, in chunks, retrying while the broker is
// away (a broker restart must not fail the producer side of a test). Returns the end offsets of
// the partitions written to, for waitForIngested.
import type { Event } from "@floorwatch/contracts";
import type { Kafka, Producer } from "kafkajs";
import { keyFor, topicFor } from "./corpus";
import { topicEnds, type ProducedOffset } from "./ingested";

export async function produceEvents(
  kafka: Kafka,
  topics: { calls: string; chats: string; agents: string; surveys: string },
  events: Event[],
  opts: { chunk?: number; pauseMs?: number; producer?: Producer } = {},
): Promise<ProducedOffset[]> {
  const producer = opts.producer ?? kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  if (!opts.producer) await producer.connect();
  const chunk = opts.chunk ?? 2_000;
  try {
    for (let i = 0; i < events.length; i += chunk) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const e of events.slice(i, i + chunk)) {
        const t = topicFor(e, topics);
        const list = byTopic.get(t) ?? [];
        list.push({ key: keyFor(e), value: JSON.stringify(e) });
        byTopic.set(t, list);
      }
      for (let attempt = 0; ; attempt++) {
        try {
          await producer.sendBatch({
            acks: -1,
            topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
          });
          break;
        } catch (err) {
          if (attempt > 60) throw err;
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
      if (opts.pauseMs) await new Promise((r) => setTimeout(r, opts.pauseMs));
    }
    // Every partition's end, not just those written to: more to wait for is never less certain.
    return await topicEnds(kafka, [...new Set(events.map((e) => topicFor(e, topics)))]);
  } finally {
    if (!opts.producer) await producer.disconnect();
  }
}
