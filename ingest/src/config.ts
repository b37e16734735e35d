import type { ClickHouseConfig } from "@floorwatch/sql";

export interface Topics {
  calls: string;
  chats: string;
  agents: string;
  surveys: string;
  dlq: string;
}

export interface IngestConfig {
  clickhouse: ClickHouseConfig;
  kafka: { brokers: string[]; clientId: string; groupId: string; partitions: number };
  topics: Topics;
  batch: BatchConfig;
  logLevel: "debug" | "info" | "warn" | "error";
  /** On start, compare this many hours of every site's rollup with the facts (0: not at all). */
  rollupAuditHours?: number;
}

/** The crash a start may follow is recent: a day of quarter hours is compared (ingest/README.md). */
export const DEFAULT_ROLLUP_AUDIT_HOURS = 24;

export const DEFAULT_TOPICS: Topics = {
  calls: "cc.calls",
  chats: "cc.chats",
  agents: "cc.agents",
  surveys: "cc.surveys",
  dlq: "cc.dlq",
};

export interface BatchConfig {
  /** Flush when this many messages are buffered… */
  maxRows: number;
  /** …or when the oldest buffered message has waited this long. */
  maxMs: number;
  /** On SIGTERM, how long to try writing the last batch before leaving it uncommitted. */
  shutdownGraceMs: number;
}

export const DEFAULT_BATCH: BatchConfig = { maxRows: 10_000, maxMs: 500, shutdownGraceMs: 10_000 };
