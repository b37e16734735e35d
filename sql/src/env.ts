import { z } from "zod";

/**
 * The ClickHouse part of every service's environment. Each service's own env.ts spreads this into
 * its schema, so the variable names and defaults are written once.
 */
export const clickhouseEnv = {
  CLICKHOUSE_URL: z.url().default("http://127.0.0.1:8123"),
  CLICKHOUSE_USER: z.string().default("default"),
  CLICKHOUSE_PASSWORD: z.string().default(""),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be a plain identifier")
    .default("floorwatch"),
};

export const logEnv = {
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
};

export interface ClickHouseConfig {
  url: string;
  user: string;
  password: string;
  database: string;
}

export function clickhouseConfig(env: {
  CLICKHOUSE_URL: string;
  CLICKHOUSE_USER: string;
  CLICKHOUSE_PASSWORD: string;
  CLICKHOUSE_DATABASE: string;
}): ClickHouseConfig {
  return {
    url: env.CLICKHOUSE_URL,
    user: env.CLICKHOUSE_USER,
    password: env.CLICKHOUSE_PASSWORD,
    database: env.CLICKHOUSE_DATABASE,
  };
}

/** Parses `source` with `schema`, or exits naming every bad variable (fail fast, conventions 2). */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  source: Record<string, string | undefined>,
  service: string,
): z.infer<S> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
  process.stderr.write(`${service}: invalid environment\n${lines.join("\n")}\n`);
  process.exit(78); // EX_CONFIG
}
