import { clickhouseConfig, clickhouseEnv, logEnv, parseEnv } from "@floorwatch/sql";
import { z } from "zod";
import { DEFAULT_BATCH, DEFAULT_ROLLUP_AUDIT_HOURS, type IngestConfig } from "./config";
import { parseBrokers } from "./kafka";

const TopicName = z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, "must be a Kafka topic name");

const Env = z.object({
  ...clickhouseEnv,
  ...logEnv,
  KAFKA_BROKERS: z.string().default("127.0.0.1:9092"),
  KAFKA_CLIENT_ID: z.string().default("floorwatch-ingest"),
  KAFKA_GROUP_ID: z.string().default("floorwatch-ingest"),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  TOPIC_CALLS: TopicName.default("cc.calls"),
  TOPIC_CHATS: TopicName.default("cc.chats"),
  TOPIC_AGENTS: TopicName.default("cc.agents"),
  TOPIC_SURVEYS: TopicName.default("cc.surveys"),
  TOPIC_DLQ: TopicName.default("cc.dlq"),
  /** /healthz and /metrics of the ingest process. */
  INGEST_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  INGEST_HOST: z.string().default("127.0.0.1"),
  BATCH_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(DEFAULT_BATCH.maxRows),
  BATCH_MAX_MS: z.coerce.number().int().min(1).max(60_000).default(DEFAULT_BATCH.maxMs),
  SHUTDOWN_GRACE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(600_000)
    .default(DEFAULT_BATCH.shutdownGraceMs),
  ROLLUP_AUDIT_HOURS: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 31)
    .default(DEFAULT_ROLLUP_AUDIT_HOURS),
});

export const env = parseEnv(Env, process.env, "ingest");

export const config: IngestConfig = {
  clickhouse: clickhouseConfig(env),
  kafka: {
    brokers: parseBrokers(env.KAFKA_BROKERS),
    clientId: env.KAFKA_CLIENT_ID,
    groupId: env.KAFKA_GROUP_ID,
    partitions: env.KAFKA_TOPIC_PARTITIONS,
  },
  topics: {
    calls: env.TOPIC_CALLS,
    chats: env.TOPIC_CHATS,
    agents: env.TOPIC_AGENTS,
    surveys: env.TOPIC_SURVEYS,
    dlq: env.TOPIC_DLQ,
  },
  batch: {
    maxRows: env.BATCH_MAX_ROWS,
    maxMs: env.BATCH_MAX_MS,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
  },
  logLevel: env.LOG_LEVEL,
  rollupAuditHours: env.ROLLUP_AUDIT_HOURS,
};
