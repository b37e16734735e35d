import { clickhouseEnv, logEnv, parseEnv } from "@floorwatch/sql";
import { z } from "zod";

const Env = z.object({
  ...logEnv,
  // Where the demo names its queues once at start (queues.ts); the ingest's variables.
  ...clickhouseEnv,
  KAFKA_BROKERS: z.string().default("127.0.0.1:9092"),
  TOPIC_CALLS: z.string().default("cc.calls"),
  TOPIC_CHATS: z.string().default("cc.chats"),
  TOPIC_AGENTS: z.string().default("cc.agents"),
  TOPIC_SURVEYS: z.string().default("cc.surveys"),
  DEMO_SITE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/)
    .default("demo"),
  DEMO_SEED: z.coerce
    .number()
    .int()
    .default(() => Date.now() % 2 ** 31),
});

export const env = parseEnv(Env, process.env, "demo");
