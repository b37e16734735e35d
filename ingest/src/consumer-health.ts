// What the consumer group did last, as the ingest's /readyz tells it. kafkajs reports a crash, a
// stop or a rebalance only as events; without them a consumer that crashed for good (restart=false)
// or was stopped left the process answering /healthz while nothing was read any more.

/** The consumer events of kafkajs the ingest logs, counts and judges readiness by (kafka.ts maps). */
export type ConsumerEvent =
  | {
      type: "group_join";
      groupId: string;
      memberId: string;
      isLeader: boolean;
      /** Partitions assigned to this member, per topic. */
      assigned: Record<string, number[]>;
      durationMs: number;
    }
  | { type: "rebalancing"; groupId: string; memberId: string }
  | { type: "crash"; groupId: string; error: string; restart: boolean }
  | { type: "stop" }
  | { type: "disconnect" };

export type ConsumerEventType = ConsumerEvent["type"];
export const CONSUMER_EVENT_TYPES: readonly ConsumerEventType[] = [
  "group_join",
  "rebalancing",
  "crash",
  "stop",
  "disconnect",
];

export type Readiness = { ready: true } | { ready: false; reason: string };

export interface ConsumerHealth {
  record(event: ConsumerEvent): void;
  /** The ingest is stopping the consumer itself: a stop that follows is expected. */
  stopping(): void;
  /** Whether the last stop or disconnect was the ingest's own. */
  stoppedByUs(): boolean;
  readiness(): Readiness;
}

export function makeConsumerHealth(): ConsumerHealth {
  let ours = false;
  let state: Readiness = { ready: false, reason: "the consumer has not joined its group yet" };
  return {
    record(event) {
      switch (event.type) {
        case "group_join":
          state = { ready: true };
          return;
        // A rebalance is routine (a member joins or leaves) and the consumer stays up through it;
        // readiness flapping at every one would be noise.
        case "rebalancing":
          return;
        case "crash":
          state = {
            ready: false,
            reason: event.restart
              ? `the consumer crashed (${event.error}) and is restarting`
              : `the consumer crashed (${event.error}) and will not restart`,
          };
          return;
        case "stop":
        case "disconnect":
          // kafkajs stops and disconnects the consumer before it reports a crash: keep the crash's
          // reason when it comes, and say "stopped" until then.
          if (state.ready || !state.reason.startsWith("the consumer crashed"))
            state = {
              ready: false,
              reason: ours
                ? "the ingest is shutting down"
                : event.type === "stop"
                  ? "the consumer was stopped"
                  : "the consumer was disconnected",
            };
          return;
      }
    },
    stopping() {
      ours = true;
    },
    stoppedByUs: () => ours,
    readiness: () => state,
  };
}
