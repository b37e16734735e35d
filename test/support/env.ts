// Connection settings for tests: the same variables and defaults as the services' env.ts files.
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
