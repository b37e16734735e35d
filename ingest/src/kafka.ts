// The only module that touches kafkajs (conventions.md habit 4), so the client can be replaced.
//
// Offsets: kafkajs never commits on its own here. The handler says whether it took a batch (the
// consumer then moves past it in memory), and the owner commits, with `commit`, only offsets whose
// messages are written. Batches of one partition are handed over one at a time and in order.
import { Kafka, logLevel, type Consumer, type IHeaders, type Producer } from "kafkajs";
import type { Logger } from "@floorwatch/sql";
import type { ConsumerEvent } from "./consumer-health";

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
  /** False once the consumer is stopping or the partition was revoked. */
  isRunning(): boolean;
  /** The partition's high watermark when the batch was fetched (for lag). */
  highWatermark: string;
}

/** KAFKA_BROKERS ("host:port,host:port") as a list, blanks dropped. */
export const parseBrokers = (text: string): string[] =>
  text
    .split(",")
    .map((b) => b.trim())
    .filter(Boolean);

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

export async function ensureTopics(
  kafka: Kafka,
  topics: readonly string[],
  partitions: number,
  timeoutMs = 60_000,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(topics)].filter((t) => !existing.has(t));
    if (missing.length === 0) return;
    // A concurrent creator (a second ingest process) makes createTopics answer false, not fail.
    // kafkajs' own waitForLeaders gives up on UNKNOWN_TOPIC_OR_PARTITION, which a KRaft broker
    // answers for a moment after creating a topic, so the wait for leaders is done here.
    await admin.createTopics({
      topics: missing.map((topic) => ({ topic, numPartitions: partitions })),
      waitForLeaders: false,
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const ready = await admin
        .fetchTopicMetadata({ topics: missing })
        .then((m) =>
          m.topics.every(
            (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
          ),
        )
        .catch(() => false);
      if (ready) return;
      if (Date.now() > deadline)
        throw new Error(`topics ${missing.join(", ")} have no leader after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
}

export interface RunningConsumer {
  /** Commits the given next-offsets (one after the last written message) of each partition. */
  commit(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  /** Stops fetching from every subscribed topic (the batch in hand still completes). */
  pause(): Promise<void>;
  /** Leaves the group and disconnects. */
  stop(): Promise<void>;
}

export async function startConsumer(
  kafka: Kafka,
  opts: {
    groupId: string;
    topics: readonly string[];
    /** Returns false to leave the batch unread (it is fetched again); anything else takes it. */
    // biome-ignore lint/suspicious/noConfusingVoidType: handlers that take every batch return nothing
    handle: (messages: SourceMessage[], ctx: BatchContext) => Promise<boolean | void>;
    log: Logger;
    /** Joins, rebalances, crashes, stops and disconnects of the consumer (consumer-health.ts). */
    onEvent?: (event: ConsumerEvent) => void;
  },
): Promise<RunningConsumer> {
  const consumer: Consumer = kafka.consumer({
    groupId: opts.groupId,
    sessionTimeout: 30_000,
    heartbeatInterval: 3_000,
    // Larger fetches mean fewer, larger batches: the batcher flushes at thousands of rows.
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
  });
  // Before run(): the first join happens inside it. kafkajs reports a crash, a stop and a rebalance
  // only through these events; nothing else would tell the ingest its consumer stopped reading.
  const emit = opts.onEvent ?? (() => {});
  const { GROUP_JOIN, REBALANCING, CRASH, STOP, DISCONNECT } = consumer.events;
  consumer.on(GROUP_JOIN, ({ payload }) =>
    emit({
      type: "group_join",
      groupId: payload.groupId,
      memberId: payload.memberId,
      isLeader: payload.isLeader,
      assigned: payload.memberAssignment,
      durationMs: payload.duration,
    }),
  );
  consumer.on(REBALANCING, ({ payload }) =>
    emit({ type: "rebalancing", groupId: payload.groupId, memberId: payload.memberId }),
  );
  consumer.on(CRASH, ({ payload }) =>
    emit({
      type: "crash",
      groupId: payload.groupId,
      error: payload.error instanceof Error ? payload.error.message : String(payload.error),
      restart: payload.restart,
    }),
  );
  consumer.on(STOP, () => emit({ type: "stop" }));
  consumer.on(DISCONNECT, () => emit({ type: "disconnect" }));
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
      const taken = await opts.handle(messages, {
        heartbeat,
        isRunning: running,
        highWatermark: batch.highWatermark,
      });
      if (taken === false || !running()) return;
      resolveOffset(last.offset);
      await heartbeat();
    },
  });
  return {
    commit: (offsets) => consumer.commitOffsets(offsets),
    pause: async () => {
      try {
        consumer.pause(opts.topics.map((topic) => ({ topic })));
      } catch (err) {
        // A consumer that crashed for good or was stopped has no group to pause and throws; the
        // shutdown must still flush, commit and close what it holds.
        opts.log.debug("consumer not running; nothing to pause", {
          err: err instanceof Error ? err.message : String(err),
        });
      }
    },
    stop: () => consumer.disconnect(),
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
