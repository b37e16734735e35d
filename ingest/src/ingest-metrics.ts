// The ingest's Prometheus series (GET /metrics on INGEST_PORT).
import { CONSUMER_EVENT_TYPES } from "./consumer-health";
import { Counter, Gauge, Histogram, ObservedCounter, Registry } from "./metrics";
import { REJECT_REASONS } from "./pipeline";

export function makeIngestMetrics(
  sources: {
    /** Reads retried by the ClickHouse client after a reset socket (sql/src/client.ts). */
    clickhouseReadRetries?: () => number;
  } = {},
) {
  const registry = new Registry();
  return {
    registry,
    consumerEvents: registry.register(
      new Counter(
        "floorwatch_ingest_consumer_events_total",
        "Consumer group events of kafkajs: group_join, rebalancing, crash, stop, disconnect.",
        CONSUMER_EVENT_TYPES.map((event) => ({ event })),
      ),
    ),
    consumerRunning: registry.register(
      new Gauge(
        "floorwatch_ingest_consumer_running",
        "1 while the consumer is in its group and reading; 0 before its first join, after a crash or a stop (see /readyz for why).",
      ),
    ),
    clickhouseReadRetries: registry.register(
      new ObservedCounter(
        "floorwatch_ingest_clickhouse_read_retries_total",
        "ClickHouse reads retried once after their reused keep-alive socket was reset.",
        sources.clickhouseReadRetries ?? (() => 0),
      ),
    ),
    consumed: registry.register(
      new Counter(
        "floorwatch_ingest_messages_consumed_total",
        "Messages taken from Kafka, by topic.",
      ),
    ),
    inserted: registry.register(
      new Counter("floorwatch_ingest_rows_inserted_total", "Rows written to ClickHouse, by table."),
    ),
    rejected: registry.register(
      new Counter(
        "floorwatch_ingest_messages_rejected_total",
        "Messages sent to the DLQ, by reason.",
        REJECT_REASONS.map((reason) => ({ reason })),
      ),
    ),
    retries: registry.register(
      new Counter(
        "floorwatch_ingest_retries_total",
        "Retried operations (a dependency was down), by operation.",
      ),
    ),
    batchRows: registry.register(
      new Histogram(
        "floorwatch_ingest_batch_messages",
        "Messages per flush.",
        [1, 10, 100, 1000, 5000, 10000, 20000, 50000],
      ),
    ),
    insertSeconds: registry.register(
      new Histogram(
        "floorwatch_ingest_insert_seconds",
        "Duration of one ClickHouse insert.",
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ),
    ),
    deriveSeconds: registry.register(
      new Histogram(
        "floorwatch_ingest_derive_seconds",
        "Duration of deriving the facts one flush touched.",
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ),
    ),
    factsWritten: registry.register(
      new Counter(
        "floorwatch_ingest_fact_rows_written_total",
        "Fact rows (+1 and -1) written by the deriver, by table.",
      ),
    ),
    factsRetracted: registry.register(
      new Counter(
        "floorwatch_ingest_facts_retracted_total",
        "Facts retracted because later or out-of-order events changed them (restatements).",
      ),
    ),
    rollupRepaired: registry.register(
      new Counter(
        "floorwatch_ingest_rollup_cells_repaired_total",
        "Quarter-hour rollup cells repaired after a failed insert of facts left them short (sql/src/rollup-repair.ts).",
      ),
    ),
    lag: registry.register(
      new Gauge(
        "floorwatch_ingest_consumer_lag_messages",
        "High watermark minus the next offset taken, by topic and partition.",
      ),
    ),
    buffered: registry.register(
      new Gauge("floorwatch_ingest_buffered_messages", "Messages taken but not yet written."),
    ),
    lastCommit: registry.register(
      new Gauge(
        "floorwatch_ingest_last_commit_timestamp_seconds",
        "When offsets were last committed.",
      ),
    ),
  };
}

export type IngestMetrics = ReturnType<typeof makeIngestMetrics>;
