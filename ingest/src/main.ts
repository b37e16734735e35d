// Ingest process entry: `npm start -w @floorwatch/ingest` or `tsx ingest/src/main.ts`.
import { createLogger, errorFields } from "@floorwatch/sql";
import { config, env } from "./env";
import { startHealthServer } from "./health";
import { startIngest } from "./service";

const log = createLogger("ingest", config.logLevel);
const ingest = await startIngest(config, log).catch((err: unknown) => {
  log.error("ingest could not start", errorFields(err));
  process.exit(1);
});

const health = await startHealthServer(
  ingest.metrics.registry,
  env.INGEST_PORT,
  env.INGEST_HOST,
  ingest.readiness,
);
log.info("ingest health and metrics", { url: health.url });

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log.info("shutting down", { signal });
  // Disconnecting waits for the batch in hand, commits what is written and leaves the group.
  await ingest.stop().catch((err: unknown) => log.error("unclean shutdown", errorFields(err)));
  health.server.close();
  process.exit(0);
};
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
