// Connection settings for tests: the same variables and defaults as the services' env.ts files.
import type { ClickHouseConfig } from "@floorwatch/sql";

export const testEnv = {
  kafkaBrokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","),
  clickhouseUrl: process.env.CLICKHOUSE_URL ?? "http://127.0.0.1:8123",
  clickhouseUser: process.env.CLICKHOUSE_USER ?? "default",
  clickhousePassword: process.env.CLICKHOUSE_PASSWORD ?? "",
  /** Debian's Chromium; playwright-core never downloads a browser of its own here. */
  chromiumPath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
};

/** The environment of a child process the tests start (an ingest, a CLI): this one's, with `overrides`. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}

/** The variables that point a child process (sql/src/env.ts) at the ClickHouse database of `c`. */
export const clickhouseEnv = (c: ClickHouseConfig): Record<string, string> => ({
  CLICKHOUSE_URL: c.url,
  CLICKHOUSE_USER: c.user,
  CLICKHOUSE_PASSWORD: c.password,
  CLICKHOUSE_DATABASE: c.database,
});
