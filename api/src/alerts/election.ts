// Exactly one alert evaluator per deployment, however many API processes run: each process joins
// one Kafka consumer group on a topic of ONE partition, and the member that Kafka's group
// coordinator assigns that partition is the evaluator. Kafka, not an in-memory flag, decides:
// - a process killed with SIGKILL stops heartbeating; after `sessionTimeoutMs` the coordinator
//   evicts it and hands the partition to a survivor (issue #11: replaced within 15 s);
// - a process that stops cleanly leaves the group, and the partition moves at once;
// - a leader that has not heartbeaten for most of a session (a long pause, a lost network) steps
//   down on its own before the coordinator can have given the partition away: it never writes
//   while another evaluator may.
// No message is ever produced to the topic; the group's assignment is the whole protocol.
import { createKafka, ensureTopics } from "@floorwatch/ingest";
import { errorFields, type Logger } from "@floorwatch/sql";
import type { Consumer } from "kafkajs";

export interface Election {
  /** True while this process holds the partition and its membership is fresh. */
  isLeader(): boolean;
  /** Leaves the group (the partition moves to another process at once). */
  stop(): Promise<void>;
}

export interface ElectionOptions {
  brokers: string[];
  /** The one-partition topic (created when missing). */
  topic: string;
  groupId: string;
  clientId?: string;
  log: Logger;
  /** Called on every change of leadership (true: this process evaluates now). */
  onChange: (leader: boolean) => void;
  /** How long the coordinator waits for a silent member before giving its partition away. */
  sessionTimeoutMs?: number;
  now?: () => number;
}

export async function startElection(opts: ElectionOptions): Promise<Election> {
  const now = opts.now ?? Date.now;
  const sessionTimeoutMs = opts.sessionTimeoutMs ?? 8_000;
  const kafka = createKafka({
    brokers: opts.brokers,
    clientId: opts.clientId ?? "floorwatch-alerts",
    log: opts.log,
  });
  await ensureTopics(kafka, [opts.topic], 1);
  const consumer: Consumer = kafka.consumer({
    groupId: opts.groupId,
    sessionTimeout: sessionTimeoutMs,
    rebalanceTimeout: sessionTimeoutMs,
    heartbeatInterval: Math.min(1_000, sessionTimeoutMs / 4),
    maxWaitTimeInMs: 500,
    retry: { initialRetryTime: 300, retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
  });
  let assigned = false;
  let lastHeartbeat = 0;
  let stopped = false;
  let reported = false;
  // Short of the session by a margin: the coordinator cannot have reassigned the partition yet.
  const fresh = () => now() - lastHeartbeat < sessionTimeoutMs - 2_000;
  const report = () => {
    const leader = !stopped && assigned && fresh();
    if (leader !== reported) {
      reported = leader;
      opts.log.info(leader ? "alert evaluator elected" : "alert evaluator stood down", {
        topic: opts.topic,
      });
      opts.onChange(leader);
    }
  };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    assigned = (e.payload.memberAssignment[opts.topic] ?? []).includes(0);
    lastHeartbeat = now();
    report();
  });
  consumer.on(consumer.events.HEARTBEAT, () => {
    lastHeartbeat = now();
    report();
  });
  for (const ev of [consumer.events.CRASH, consumer.events.STOP, consumer.events.DISCONNECT])
    consumer.on(ev, () => {
      assigned = false;
      report();
    });
  // A leader whose heartbeats stopped must notice without an event: check on a timer.
  const watch = setInterval(report, 500);
  watch.unref();

  await consumer.connect();
  await consumer.subscribe({ topics: [opts.topic], fromBeginning: false });
  await consumer.run({ eachMessage: async () => {} }).catch((err: unknown) => {
    opts.log.error("alert election consumer failed", errorFields(err));
  });

  return {
    isLeader: () => !stopped && assigned && fresh(),
    async stop() {
      stopped = true;
      clearInterval(watch);
      report();
      await consumer.disconnect();
    },
  };
}
