// The only module that touches kafkajs (conventions.md habit 4), so the client can be replaced.
//
// Offsets: the consumer never lets kafkajs commit on its own. After `handle` has returned for a
// batch (every row written to ClickHouse, every reject written to the DLQ) it commits the offset
// after the batch's last message for that partition. Batches of one partition are handled one at
// a time and in order, so a commit can never pass an unwritten message.
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from "kafkajs";
import type { Logger } from "@floorwatch/sql";

export interface SourceMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
}

export interface BatchContext {
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping or the partition was revoked: abandon, do not commit. */
  isRunning(): boolean;
}

export function createKafka(opts: { brokers: string[]; clientId: string; log: Logger }): Kafka {
  const { log } = opts;
  return new Kafka({
    brokers: opts.brokers,
    clientId: opts.clientId,
    logLevel: logLevel.WARN,
    // kafkajs logs reconnects and rebalances at ERROR; they are routine, so they are warnings here.
    logCreator: () => (entry) => {
      const { message, ...rest } = entry.log;
      const fields = { kafkajs: entry.namespace, ...rest };
      if (entry.level <= logLevel.ERROR) log.warn(message, fields);
      else log.debug(message, fields);
    },
    retry: { initialRetryTime: 300, retries: 10, maxRetryTime: 10_000 },
  });
}

export async function ensureTopics(kafka: Kafka, topics: readonly string[], partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
    }
  } finally {
    await admin.disconnect();
  }
}

export interface RunningConsumer {
  stop(): Promise<void>;
}

export async function startConsumer(
  kafka: Kafka,
  opts: {
    groupId: string;
    topics: readonly string[];
    handle: (messages: SourceMessage[], ctx: BatchContext) => Promise<void>;
    log: Logger;
  },
): Promise<RunningConsumer> {
  const consumer: Consumer = kafka.consumer({ groupId: opts.groupId, sessionTimeout: 30_000, heartbeatInterval: 3_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [...opts.topics], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      const last = batch.messages.at(-1);
      if (!last) return;
      const messages: SourceMessage[] = batch.messages.map((m) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: m.offset,
        key: m.key,
        value: m.value,
        headers: m.headers ?? {},
      }));
      const running = () => isRunning() && !isStale();
      await opts.handle(messages, { heartbeat, isRunning: running });
      if (!running()) return; // abandoned: the next owner re-reads from the last commit
      resolveOffset(last.offset);
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      await heartbeat();
    },
  });
  return {
    stop: async () => {
      await consumer.disconnect();
    },
  };
}

export interface OutgoingMessage {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: IHeaders;
}

export interface Publisher {
  send(topic: string, messages: OutgoingMessage[]): Promise<void>;
  close(): Promise<void>;
}

export async function createPublisher(kafka: Kafka): Promise<Publisher> {
  // Idempotent producer: a retried send cannot write a DLQ entry or a demo event twice.
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  return {
    send: async (topic, messages) => {
      if (messages.length === 0) return;
      await producer.send({ topic, acks: -1, messages });
    },
    close: () => producer.disconnect(),
  };
}
