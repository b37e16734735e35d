// Per-test-file isolation on shared real servers: every file gets its own ClickHouse database,
// its own topic names and its own consumer group, so files run in parallel and nothing needs
// truncating. Everything is removed again in `cleanup`.
import { randomBytes } from "node:crypto";
import { createKafka, DEFAULT_BATCH, ensureTopics, type IngestConfig } from "@floorwatch/ingest";
import {
  createClickHouse,
  createLogger,
  dropDatabase,
  migrate,
  type ClickHouseClient,
  type ClickHouseConfig,
  type Logger,
} from "@floorwatch/sql";
import type { Kafka } from "kafkajs";
import { testEnv } from "./env";

export interface Harness {
  id: string;
  config: IngestConfig;
  clickhouse: ClickHouseConfig;
  ch: ClickHouseClient;
  kafka: Kafka;
  log: Logger;
  cleanup(): Promise<void>;
}

/** A client of the test server bound to no database, for statements that read no table of a harness. */
export const serverClient = (): ClickHouseClient =>
  createClickHouse(
    {
      url: testEnv.clickhouseUrl,
      user: testEnv.clickhouseUser,
      password: testEnv.clickhousePassword,
      database: "default",
    },
    { database: null },
  );

export async function createHarness(name: string): Promise<Harness> {
  const id = `${name}_${randomBytes(4).toString("hex")}`;
  const clickhouse: ClickHouseConfig = {
    url: testEnv.clickhouseUrl,
    user: testEnv.clickhouseUser,
    password: testEnv.clickhousePassword,
    database: `fwtest_${id}`,
  };
  await migrate(clickhouse);
  const log = createLogger(`test-${name}`, "error");
  const config: IngestConfig = {
    clickhouse,
    kafka: {
      brokers: testEnv.kafkaBrokers,
      clientId: `test-${id}`,
      groupId: `test-${id}`,
      partitions: 3,
    },
    topics: {
      calls: `t.${id}.calls`,
      chats: `t.${id}.chats`,
      agents: `t.${id}.agents`,
      surveys: `t.${id}.surveys`,
      dlq: `t.${id}.dlq`,
    },
    // Short flush interval: tests wait for figures, and 50 ms keeps them quick.
    batch: { ...DEFAULT_BATCH, maxMs: 50, shutdownGraceMs: 5_000 },
    logLevel: "warn",
  };
  const kafka = createKafka({ ...config.kafka, log });
  await ensureTopics(kafka, Object.values(config.topics), config.kafka.partitions);
  const ch = createClickHouse(clickhouse);
  return {
    id,
    config,
    clickhouse,
    ch,
    kafka,
    log,
    cleanup: async () => {
      await ch.close();
      await dropDatabase(clickhouse);
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: Object.values(config.topics) }).catch(() => {});
      await admin.disconnect();
    },
  };
}

/**
 * Polls `check` until it returns a value without throwing, or fails with the last error. Not for
 * waiting on the ingest: that is waitForIngested (ingested.ts); one figure can match while other
 * partitions are still on their way (test/README.md).
 */
export async function eventually<T>(
  check: () => Promise<T>,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw last instanceof Error ? last : new Error(String(last));
}
