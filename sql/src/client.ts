import { createClient, type ClickHouseClient } from "@clickhouse/client";
import type { ClickHouseConfig } from "./env";

export type { ClickHouseClient };

export function createClickHouse(
  config: ClickHouseConfig,
  opts: { database?: string | null } = {},
): ClickHouseClient {
  return createClient({
    url: config.url,
    username: config.user,
    password: config.password,
    // null: no database (the migration runner must be able to create it first).
    ...(opts.database === null ? {} : { database: opts.database ?? config.database }),
    request_timeout: 30_000,
    // 18.16 knows none of the newer settings the client could send by default; send none.
    clickhouse_settings: {},
    keep_alive: { enabled: true },
  });
}
