import { z } from "zod";

const Env = z.object({
  KAFKA_BROKERS: z.string().default("127.0.0.1:9092"),
  CLICKHOUSE_URL: z.string().default("http://127.0.0.1:8123"),
  CLICKHOUSE_USER: z.string().default("default"),
  CLICKHOUSE_PASSWORD: z.string().default(""),
  BENCH_EVENTS: z.coerce.number().int().min(1000).default(100_000),
  BENCH_RUNS: z.coerce.number().int().min(1).max(20).default(3),
  BENCH_BATCH_ROWS: z.string().default("10000"),
  BENCH_DAY_EVENTS: z.coerce.number().int().min(1000).default(1_000_000),
  /** bench:alerts: produce → firing trials, and the evaluator's cadence (ALERTS_TICK_MS's default). */
  BENCH_ALERT_TRIALS: z.coerce.number().int().min(1).max(1000).default(30),
  BENCH_ALERT_TICK_MS: z.coerce.number().int().min(250).max(5_000).default(2_000),
});

const env = Env.parse(process.env);

export const benchEnv = {
  kafkaBrokers: env.KAFKA_BROKERS.split(","),
  clickhouseUrl: env.CLICKHOUSE_URL,
  clickhouseUser: env.CLICKHOUSE_USER,
  clickhousePassword: env.CLICKHOUSE_PASSWORD,
  events: env.BENCH_EVENTS,
  runs: env.BENCH_RUNS,
  batchRows: env.BENCH_BATCH_ROWS.split(",").map(Number),
  dayEvents: env.BENCH_DAY_EVENTS,
  alertTrials: env.BENCH_ALERT_TRIALS,
  alertTickMs: env.BENCH_ALERT_TICK_MS,
};
