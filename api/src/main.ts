// API process entry: serves /api/v1 and the built wallboard.
import { parseBrokers } from "@floorwatch/ingest";
import { createClickHouse, createLogger } from "@floorwatch/sql";
import { clickhouse, env } from "./env";
import { startServer } from "./server";

const log = createLogger("api", env.LOG_LEVEL);
const ch = createClickHouse(clickhouse);
const server = await startServer({
  ch,
  log,
  wallboardDir: env.WALLBOARD_DIR,
  port: env.PORT,
  host: env.HOST,
  adminToken: env.ADMIN_TOKEN,
  trustedProxies: env.TRUST_PROXY_HOPS,
  alerts: { tickMs: env.ALERTS_TICK_MS },
  election: env.ALERTS_EVALUATOR
    ? {
        brokers: parseBrokers(env.KAFKA_BROKERS),
        topic: env.ALERTS_ELECTION_TOPIC,
        groupId: env.ALERTS_ELECTION_GROUP,
        sessionTimeoutMs: env.ALERTS_SESSION_TIMEOUT_MS,
      }
    : undefined,
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
