// API process entry: serves /api/v1 and the built wallboard.
import { parseBrokers } from "@floorwatch/ingest";
import {
  createClickHouse,
  createLogger,
  errorFields,
  PACK_REQUEST_TIMEOUT_MS,
} from "@floorwatch/sql";
import { clickhouse, env } from "./env";
import { startServer } from "./server";

const log = createLogger("api", env.LOG_LEVEL);
const ch = createClickHouse(clickhouse);
// A setting that cannot work (a malformed key, subscriptions without their key) stops the process
// with one line that says so, not a stack trace.
const server = await startServer({
  ch,
  log,
  wallboardDir: env.WALLBOARD_DIR,
  port: env.PORT,
  host: env.HOST,
  adminToken: env.ADMIN_TOKEN,
  trustedProxies: env.TRUST_PROXY_HOPS,
  alerts: { tickMs: env.ALERTS_TICK_MS },
  exports: {
    dir: env.EXPORT_DIR,
    // Its own client: a month's statements wait longer for their first byte than any other read.
    ch: createClickHouse(clickhouse, { requestTimeoutMs: PACK_REQUEST_TIMEOUT_MS }),
    schedule: env.EXPORT_SCHEDULE
      ? {
          graceMs: env.EXPORT_GRACE_HOURS * 3_600_000,
          langs: env.EXPORT_SCHEDULE_LANGS,
          checkMs: 60_000,
        }
      : undefined,
  },
  webhooks: {
    secretKey: env.WEBHOOK_SECRET_KEY,
    previousKeys: env.WEBHOOK_SECRET_KEY_PREVIOUS.split(",")
      .map((k) => k.trim())
      .filter(Boolean),
    allowNetworks: env.WEBHOOK_ALLOW_NETWORKS,
    publicUrl: env.PUBLIC_URL,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    concurrency: env.WEBHOOK_CONCURRENCY,
    retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
    retryMaxMs: env.WEBHOOK_RETRY_MAX_MS,
    retryForMs: env.WEBHOOK_RETRY_FOR_MS,
    disableAfterMs: env.WEBHOOK_DISABLE_AFTER_MS,
    pollMs: env.WEBHOOK_POLL_MS,
  },
  election: env.ALERTS_EVALUATOR
    ? {
        brokers: parseBrokers(env.KAFKA_BROKERS),
        topic: env.ALERTS_ELECTION_TOPIC,
        groupId: env.ALERTS_ELECTION_GROUP,
        sessionTimeoutMs: env.ALERTS_SESSION_TIMEOUT_MS,
      }
    : undefined,
}).catch((err: unknown) => {
  log.error("api cannot start", errorFields(err));
  process.exit(1);
});

log.info("api listening", { url: server.url });

const shutdown = async (signal: string) => {
  log.info("shutting down", { signal });
  await server.close();
  await ch.close();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
