import { clickhouseConfig, clickhouseEnv, logEnv, parseEnv } from "@floorwatch/sql";
import { z } from "zod";

const Env = z.object({
  ...clickhouseEnv,
  ...logEnv,
  KAFKA_BROKERS: z.string().default("127.0.0.1:9092"),
  TOPIC_CALLS: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,249}$/, "must be a Kafka topic name")
    .default("cc.calls"),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
});

export const env = parseEnv(Env, process.env, "replay");
export const clickhouse = clickhouseConfig(env);
