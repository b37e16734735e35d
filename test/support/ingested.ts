// Waiting until everything produced is stored and derived, without a proxy. The ingest commits a
// partition's offsets only after the flush that held its messages inserted the raw rows, derived
// the facts they touch and sent the invalid ones to the DLQ (ingest/src/batcher.ts), so once the
// consumer group's committed offsets reach the produced ones, every figure over those events is
// final. "The last event produced is visible" is no such proof: events are keyed by contact into
// several partitions, and the partitions are fetched and flushed independently.
import type { Kafka } from "kafkajs";
import type { Harness } from "./harness";

/** One past the last produced message of a partition: what the ingest commits once it is written. */
export interface ProducedOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * The high watermark of each partition of `topics` (one past the last message in it). Asked again
 * while the broker answers with a retriable error: on a loaded machine a topic made seconds ago
 * can still answer "not the leader for that topic-partition" to an admin's first listOffsets.
 */
export async function topicEnds(
  kafka: Kafka,
  topics: readonly string[],
  timeoutMs = 30_000,
): Promise<ProducedOffset[]> {
  const deadline = Date.now() + timeoutMs;
  const admin = kafka.admin();
  await admin.connect();
  try {
    for (;;) {
      try {
        const out: ProducedOffset[] = [];
        for (const topic of new Set(topics))
          for (const p of await admin.fetchTopicOffsets(topic))
            out.push({ topic, partition: p.partition, offset: p.high });
        return out;
      } catch (err) {
        const retriable = (err as { retriable?: boolean }).retriable === true;
        if (!retriable || Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** The topics the ingest consumes (the DLQ is written, never read). */
export const sourceTopics = (h: Pick<Harness, "config">) => [
  h.config.topics.calls,
  h.config.topics.chats,
  h.config.topics.agents,
  h.config.topics.surveys,
];

/**
 * Resolves once the ingest's consumer group has committed offsets covering `produced` (default:
 * every message on the ingest's source topics now, so call it after the produce calls resolved).
 * Valid and invalid (DLQ'd) messages alike: both are committed only after their flush. Fails after
 * `timeoutMs` naming each partition still short and by how many messages.
 */
export async function waitForIngested(
  h: Pick<Harness, "kafka" | "config">,
  produced?: readonly ProducedOffset[],
  opts: { timeoutMs?: number; groupId?: string; intervalMs?: number } = {},
): Promise<void> {
  const target = new Map<string, ProducedOffset>();
  for (const p of produced ?? (await topicEnds(h.kafka, sourceTopics(h)))) {
    const k = `${p.topic}/${p.partition}`;
    const have = target.get(k);
    if (!have || BigInt(p.offset) > BigInt(have.offset)) target.set(k, p);
  }
  const groupId = opts.groupId ?? h.config.kafka.groupId;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const topics = [...new Set([...target.values()].map((p) => p.topic))];
  const admin = h.kafka.admin();
  await admin.connect();
  try {
    let missing: string[] = [];
    for (;;) {
      const committed = new Map<string, bigint>();
      try {
        for (const t of await admin.fetchOffsets({ groupId, topics }))
          for (const p of t.partitions)
            committed.set(`${t.topic}/${p.partition}`, BigInt(p.offset));
        missing = [];
        for (const [k, p] of target) {
          const at = committed.get(k) ?? -1n;
          const want = BigInt(p.offset);
          // -1: nothing committed yet, which covers a partition nothing was produced to.
          const have = at < 0n ? 0n : at;
          if (have < want)
            missing.push(`${k}: committed ${have} of ${want} (${want - have} short)`);
        }
      } catch (err) {
        // A broker restarting (the fault tests) answers with errors for a while: keep polling.
        missing = [`offsets of group ${groupId} unreadable: ${String(err)}`];
      }
      if (missing.length === 0) return;
      if (Date.now() > deadline)
        throw new Error(
          `not everything produced was ingested within ${timeoutMs / 1000} s (group ${groupId}):\n  ${missing.join("\n  ")}\n` +
            "Is an ingest running on these topics? A commit that failed is retried only by its next flush.",
        );
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
    }
  } finally {
    await admin.disconnect();
  }
}
