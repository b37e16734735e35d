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
  logLevel: "debug" | "info" | "warn" | "error";
}

export const DEFAULT_TOPICS: Topics = { calls: "cc.calls", chats: "cc.chats", agents: "cc.agents", surveys: "cc.surveys", dlq: "cc.dlq" };
