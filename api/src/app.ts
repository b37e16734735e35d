// The Hono app: one sub-app per resource under routes/, mounted under /api/v1.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import type { ClickHouseClient, Logger } from "@floorwatch/sql";
import { Hono } from "hono";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { notFound, onError } from "./errors";
import { liveRoutes } from "./routes/live";
import { reportRoutes } from "./routes/reports";
import type { AppEnv } from "./types";

export interface AppOptions {
  ch: ClickHouseClient;
  log: Logger;
  /** Folder of the built wallboard; when absent the API serves no pages. */
  wallboardDir?: string;
  now?: () => number;
  /** How long one live snapshot is shared between callers. */
  liveTtlMs?: number;
}

export function createApp(opts: AppOptions) {
  const now = opts.now ?? Date.now;
  const app = new Hono<AppEnv>();
  app.use(requestId());
  app.use(secureHeaders({ crossOriginEmbedderPolicy: false }));
  app.onError(onError(opts.log));
  app.notFound(notFound);

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const ping = await opts.ch.ping();
    return ping.success ? c.json({ status: "ready" }) : c.json({ status: "unavailable", clickhouse: false }, 503);
  });

  const api = new Hono<AppEnv>()
    .route("/live", liveRoutes(opts.ch, { now, ttlMs: opts.liveTtlMs ?? 500 }))
    .route("/reports", reportRoutes(opts.ch, { now }));
  app.route("/api/v1", api);

  const dir = opts.wallboardDir;
  if (dir && existsSync(join(dir, "index.html"))) {
    // serveStatic resolves `root` against the working directory, so pass it relative to that.
    const root = relative(process.cwd(), dir) || ".";
    app.use("/assets/*", serveStatic({ root }));
    app.use("/favicon.svg", serveStatic({ root }));
    // Every other GET outside /api is a wallboard route: the single page handles it.
    app.get("*", async (c, next) => {
      if (c.req.path.startsWith("/api/")) return next();
      c.header("Cache-Control", "no-cache");
      return c.html(await readFile(join(dir, "index.html"), "utf8"));
    });
  }
  return app;
}
