// The ingest process: consumes the contact topics, writes valid events to ClickHouse and rejected
// messages to the DLQ, and only then commits (kafka.ts). One instance or several in one group.
import { createClickHouse, CONTACT_EVENTS_TABLE, errorFields, insertRows, type ClickHouseClient, type ContactEventRow, type Logger } from "@floorwatch/sql";
import type { ContactEvent } from "@floorwatch/contracts";
import type { Kafka } from "kafkajs";
import type { IngestConfig } from "./config";
import { createKafka, createPublisher, ensureTopics, startConsumer, type OutgoingMessage, type SourceMessage } from "./kafka";
import { decode, type EventFamily, type RejectReason } from "./pipeline";
import { Abandoned, retryUntilDone } from "./retry";
import { contactRow } from "./rows";

export interface IngestCounters {
  consumed: number;
  inserted: number;
  rejected: Record<RejectReason, number>;
  batches: number;
  lastCommitAt: number | null;
}

export interface RunningIngest {
  counters: IngestCounters;
  stop(): Promise<void>;
}

export function newCounters(): IngestCounters {
  return {
    consumed: 0,
    inserted: 0,
    rejected: { too_large: 0, invalid_json: 0, schema: 0, future_timestamp: 0, wrong_topic: 0 },
    batches: 0,
    lastCommitAt: null,
  };
}

/** DLQ entry: the original key and bytes untouched, the reason and the source in headers. */
export function dlqMessage(m: SourceMessage, reason: RejectReason, detail: string): OutgoingMessage {
  return {
    key: m.key,
    value: m.value,
    headers: {
      ...m.headers,
      "x-floorwatch-reason": reason,
      "x-floorwatch-detail": detail.slice(0, 1000),
      "x-floorwatch-source-topic": m.topic,
      "x-floorwatch-source-partition": String(m.partition),
      "x-floorwatch-source-offset": m.offset,
      "x-floorwatch-rejected-at": new Date().toISOString(),
    },
  };
}

export async function startIngest(config: IngestConfig, log: Logger, deps: { kafka?: Kafka; ch?: ClickHouseClient } = {}): Promise<RunningIngest> {
  const kafka = deps.kafka ?? createKafka({ ...config.kafka, log });
  const ch = deps.ch ?? createClickHouse(config.clickhouse);
  const counters = newCounters();
  const families = new Map<string, EventFamily>([
    [config.topics.calls, "contact"],
    [config.topics.chats, "contact"],
  ]);

  await ensureTopics(kafka, [config.topics.calls, config.topics.chats, config.topics.agents, config.topics.surveys, config.topics.dlq], config.kafka.partitions);
  const dlq = await createPublisher(kafka);

  const handle = async (messages: SourceMessage[], ctx: { heartbeat(): Promise<void>; isRunning(): boolean }) => {
    const nowMs = Date.now();
    const rows: ContactEventRow[] = [];
    const rejects: OutgoingMessage[] = [];
    for (const m of messages) {
      const family = families.get(m.topic) ?? "contact";
      const result = decode(m.value, { family, topic: m.topic, nowMs });
      if (result.ok) rows.push(contactRow(result.value as ContactEvent, nowMs));
      else {
        counters.rejected[result.reason]++;
        rejects.push(dlqMessage(m, result.reason, result.detail));
      }
    }
    const retry = (what: string) => ({
      ...ctx,
      onRetry: (attempt: number, delayMs: number, err: unknown) => log.warn(`${what} failed; retrying`, { attempt, delayMs, ...errorFields(err) }),
    });
    const first = messages[0];
    try {
      await retryUntilDone(() => insertRows(ch, CONTACT_EVENTS_TABLE, rows), retry("insert"));
      await retryUntilDone(() => dlq.send(config.topics.dlq, rejects), retry("dlq write"));
    } catch (err) {
      if (err instanceof Abandoned) {
        log.info("batch abandoned before commit", { topic: first?.topic, partition: first?.partition });
        return;
      }
      throw err;
    }
    counters.consumed += messages.length;
    counters.inserted += rows.length;
    counters.batches++;
    counters.lastCommitAt = Date.now();
    if (rejects.length > 0) log.info("messages rejected to the DLQ", { count: rejects.length, topic: first?.topic, partition: first?.partition });
  };

  const consumer = await startConsumer(kafka, { groupId: config.kafka.groupId, topics: [...families.keys()], handle, log });
  log.info("ingest started", { topics: [...families.keys()], groupId: config.kafka.groupId });

  return {
    counters,
    stop: async () => {
      await consumer.stop();
      await dlq.close();
      if (!deps.ch) await ch.close();
      log.info("ingest stopped", { consumed: counters.consumed, inserted: counters.inserted });
    },
  };
}
