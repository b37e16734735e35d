import { createClient, type ClickHouseClient } from "@clickhouse/client";
import type { ClickHouseConfig } from "./env";

export type { ClickHouseClient };

/**
 * How long the client keeps an idle keep-alive socket. It must stay below the server's
 * keep_alive_timeout (10 s where this project provisions ClickHouse: scripts/clickhouse/config.xml
 * and docker-compose's config.d; 3 s is 18.16's own default): a socket the server has already
 * closed, reused for the next request, fails with ECONNRESET / "socket hang up". Under load the
 * client's idle timer fires late, so the margin is wide, and stale sockets are also dropped by
 * their age before each request (eagerly_destroy_stale_sockets).
 */
export const IDLE_SOCKET_TTL_MS = 2_000;

const READ_RETRIES = Symbol("floorwatch.clickhouse.readRetries");
type Counted = { [READ_RETRIES]?: number };

/**
 * Reads retried after a reset socket by this client since it was created. A symbol property on the
 * client rather than a map keyed by it, so a Proxy a test wraps around the client still reads it.
 */
export function clickhouseReadRetries(ch: ClickHouseClient): number {
  return (ch as unknown as Counted)[READ_RETRIES] ?? 0;
}

/** A request that died on its socket before an answer: the server closed a reused keep-alive socket. */
export function isResetSocket(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  return (
    code === "ECONNRESET" || code === "EPIPE" || /socket hang up|ECONNRESET|EPIPE/.test(err.message)
  );
}

/**
 * A statement that only reads, so running it twice changes nothing. Anything else (INSERT … SELECT
 * sent through query(), a mutation) is never retried: the first attempt may have been applied.
 */
export function isReadStatement(statement: string): boolean {
  const text = statement.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/, "").replace(/^\(+/, "");
  return /^(SELECT|WITH|SHOW|DESCRIBE|DESC|EXISTS|EXPLAIN)\b/i.test(text);
}

/** The request timeout of every client but the packs' (PACK_REQUEST_TIMEOUT_MS). */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The request timeout of the client that makes compliance packs: a month's contacts statement
 * groups and sorts millions of contacts before its first byte (14–55 s for 10 million events on
 * two loaded cores, bench:export), and the client's timer runs until then.
 */
export const PACK_REQUEST_TIMEOUT_MS = 30 * 60_000;

export function createClickHouse(
  config: ClickHouseConfig,
  opts: { database?: string | null; requestTimeoutMs?: number } = {},
): ClickHouseClient {
  const client = createClient({
    url: config.url,
    username: config.user,
    password: config.password,
    // null: no database (the migration runner must be able to create it first).
    ...(opts.database === null ? {} : { database: opts.database ?? config.database }),
    request_timeout: opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    // 18.16 knows none of the newer settings the client could send by default; send none. A long
    // request timeout asks for progress headers (which 18.16 knows): the client warns without.
    clickhouse_settings:
      (opts.requestTimeoutMs ?? REQUEST_TIMEOUT_MS) > REQUEST_TIMEOUT_MS
        ? { send_progress_in_http_headers: 1, http_headers_progress_interval_ms: "10000" }
        : {},
    keep_alive: {
      enabled: true,
      idle_socket_ttl: IDLE_SOCKET_TTL_MS,
      eagerly_destroy_stale_sockets: true,
    },
  });
  // Reads are retried once on a reset socket (three reads of one live snapshot failed together
  // under load with "socket hang up"); inserts and commands never are, as the first attempt may
  // have been written. Every read of the project goes through query(); inserts through insert().
  const query = client.query.bind(client);
  const counted = client as unknown as Counted;
  client.query = (async (params: Parameters<typeof query>[0]) => {
    try {
      return await query(params);
    } catch (err) {
      if (!isResetSocket(err) || !isReadStatement(params.query)) throw err;
      counted[READ_RETRIES] = (counted[READ_RETRIES] ?? 0) + 1;
      // A new query_id: had the server seen the first attempt and still be running it, the same
      // id would be refused as already running.
      return await query({
        ...params,
        ...(params.query_id ? { query_id: `${params.query_id}-retry` } : {}),
      });
    }
  }) as typeof client.query;
  return client;
}
