// The Hono app: one sub-app per resource under routes/, mounted under /api/v1.
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { hostname } from "node:os";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { serveStatic } from "@hono/node-server/serve-static";
import {
  clickhouseReadRetries,
  errorFields,
  type ClickHouseClient,
  type Logger,
} from "@floorwatch/sql";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { requestId } from "hono/request-id";
import { secureHeaders } from "hono/secure-headers";
import { makeAudit } from "./auth/audit";
import { allow, authenticate, principalOf, type FailureLimit } from "./auth/middleware";
import type { LiveSnapshot } from "@floorwatch/contracts";
import { makeCoalescer, type Coalescer } from "./coalesce";
import { makeBroadcaster, type BroadcastOptions } from "./live/broadcast";
import { makeTvFrames } from "./live/frames";
import { makeLayoutStore } from "./live/layouts";
import { makeTokenStore, type TokenStore } from "./auth/tokens";
import { makeScreenSeen, type ScreenSeen } from "./auth/seen";
import { envelope, notFound, onError } from "./errors";
import { openApiDocument } from "./openapi";
import { agentRoutes } from "./routes/agents";
import { auditRoutes } from "./routes/audit";
import { configRoutes } from "./routes/config";
import { contactRoutes } from "./routes/contacts";
import { followupRoutes } from "./routes/followups";
import { alertRoutes, breachRoutes, type PeakNow } from "./routes/alerts";
import { ruleRoutes } from "./routes/rules";
import { layoutRoutes } from "./routes/layouts";
import { makeEvaluator, type Evaluator, type EvaluatorOptions } from "./alerts/evaluator";
import { readAlerts } from "./alerts/record";
import { alertSources } from "./alerts/sources";
import { computeLiveSnapshot, liveRoutes } from "./routes/live";
import { reportRoutes } from "./routes/reports";
import { screenRoutes } from "./routes/screens";
import { makeSiteDirectory } from "./sites";
import { meRoutes } from "./routes/me";
import { tokenRoutes } from "./routes/tokens";
import { webhookRoutes } from "./routes/webhooks";
import { exportRoutes } from "./routes/exports";
import { type ExportService, makeExportService, type ScheduleOptions } from "./exports/service";
import { testEvent } from "./webhooks/events";
import { checkTarget, parseAllowNetworks } from "./webhooks/network";
import type { WebhookOptions } from "./webhooks/options";
import { makeDispatcher } from "./webhooks/dispatch";
import { resolveFailing } from "./webhooks/failing";
import { WEBHOOK_DEFAULTS } from "./webhooks/options";
import { makeOutbox, type Outbox } from "./webhooks/outbox";
import { makeDeliveryWorker, type WorkerStats } from "./webhooks/worker";
import { makeSealer, type Sealer } from "./webhooks/seal";
import { makeWebhookStore, type WebhookStore } from "./webhooks/store";
import type { AppEnv } from "./types";

export interface AppOptions {
  ch: ClickHouseClient;
  log: Logger;
  /** Folder of the built wallboard; when absent the API serves no pages. */
  wallboardDir?: string;
  now?: () => number;
  /** How long one live snapshot is shared between callers. */
  liveTtlMs?: number;
  /** ADMIN_TOKEN of the environment, accepted as an admin token (automation, first start). */
  adminToken?: string;
  /** The token store; by default one over the api_tokens table. */
  tokens?: TokenStore;
  /** Guessed tokens allowed per client address and window before 429. */
  failureLimit?: FailureLimit;
  /** Reverse proxies in front of the API (TRUST_PROXY_HOPS): client addresses from X-Forwarded-For. */
  trustedProxies?: number;
  /** How often open streams count as their screens' heartbeats and heartbeats are written (30 s). */
  seenEveryMs?: number;
  /** Live stream cadence (tick, probe, heartbeat) and how many unread frames drop a listener. */
  stream?: BroadcastOptions;
  /** The alert evaluator's cadence and identity; it evaluates only once elected (server.ts). */
  alerts?: Partial<
    Pick<EvaluatorOptions, "tickMs" | "followupEveryMs" | "holder" | "followups">
  > & {
    peakNow?: PeakNow;
  };
  /** Notifications (issue #13): the sealing key, allowed networks, delivery settings. */
  webhooks?: WebhookOptions;
  /**
   * Compliance packs (issue #15): where they are kept (EXPORT_DIR; the system's temporary folder
   * when not given, as for tests), when set the monthly schedule the leader follows, and the
   * client that reads their months (one with PACK_REQUEST_TIMEOUT_MS; `ch` when not given).
   */
  exports?: { dir: string; schedule?: ScheduleOptions; ch?: ClickHouseClient };
}

/**
 * The wallboard page's Content-Security-Policy. The page keeps a display token in localStorage, so
 * no script but the app's own may run, and nothing may be loaded from or sent to another origin.
 * Styles: the app's stylesheet, plus style attributes (Solid writes static ones into its
 * templates); uPlot sets its inline styles through the CSSOM, which CSP does not govern.
 */
export const WALLBOARD_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** The evaluator's counters: which process evaluates (exactly one should say 1), and its ticks. */
function alertMetrics(s: ReturnType<Evaluator["stats"]>): string[] {
  return [
    "# HELP floorwatch_api_alert_evaluator_leader 1 while this process is the elected alert evaluator.",
    "# TYPE floorwatch_api_alert_evaluator_leader gauge",
    `floorwatch_api_alert_evaluator_leader ${s.leader ? 1 : 0}`,
    "# HELP floorwatch_api_alert_ticks_total Evaluations of every rule of every site by this process.",
    "# TYPE floorwatch_api_alert_ticks_total counter",
    `floorwatch_api_alert_ticks_total ${s.ticks}`,
    "# HELP floorwatch_api_alert_tick_failures_total Evaluations that failed (ClickHouse away); retried next tick.",
    "# TYPE floorwatch_api_alert_tick_failures_total counter",
    `floorwatch_api_alert_tick_failures_total ${s.failures}`,
    "# HELP floorwatch_api_alert_tick_seconds How long the last evaluation took.",
    "# TYPE floorwatch_api_alert_tick_seconds gauge",
    `floorwatch_api_alert_tick_seconds ${((s.last?.elapsed_ms ?? 0) / 1000).toFixed(4)}`,
  ];
}

/** The delivery worker's counters (the elected process sends; the others say 0). */
function webhookMetrics(s: WorkerStats, skipped: number): string[] {
  return [
    "# HELP floorwatch_api_webhook_dispatch_skipped_total Stored transitions or acknowledgements no notification could be made of (logged).",
    "# TYPE floorwatch_api_webhook_dispatch_skipped_total counter",
    `floorwatch_api_webhook_dispatch_skipped_total ${skipped}`,
    "# HELP floorwatch_api_webhook_attempts_total Webhook requests sent by this process.",
    "# TYPE floorwatch_api_webhook_attempts_total counter",
    `floorwatch_api_webhook_attempts_total ${s.attempts}`,
    "# HELP floorwatch_api_webhook_failed_attempts_total Webhook requests that failed (retried with backoff).",
    "# TYPE floorwatch_api_webhook_failed_attempts_total counter",
    `floorwatch_api_webhook_failed_attempts_total ${s.failed_attempts}`,
    "# HELP floorwatch_api_webhook_delivered_total Deliveries a receiver accepted.",
    "# TYPE floorwatch_api_webhook_delivered_total counter",
    `floorwatch_api_webhook_delivered_total ${s.delivered}`,
    "# HELP floorwatch_api_webhook_in_flight Webhook requests under way now.",
    "# TYPE floorwatch_api_webhook_in_flight gauge",
    `floorwatch_api_webhook_in_flight ${s.in_flight}`,
  ];
}

/** Alerts a live snapshot carries at most (firing and critical first). */
export const LIVE_ALERTS_MAX = 100;

/** The largest request body accepted (configuration and token bodies are a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

export function createApp(opts: AppOptions) {
  return createApi(opts).app;
}

/** The app and its alert evaluator (idle until `setLeader(true)`: the election's, or a test's). */
export function createApi(opts: AppOptions): {
  app: Hono<AppEnv>;
  evaluator: Evaluator;
  /** When each screen was last heard from; `close()` writes what is unwritten (server.ts). */
  seen: ScreenSeen;
  /** Notification subscriptions and their outbox, for the dispatcher and the delivery worker. */
  /**
   * Notification subscriptions and their outbox; the dispatcher and the delivery worker run only
   * while `setLeader(true)` (the election's verdict, as for the evaluator).
   */
  /** Compliance packs: made on request, and on schedule while leader. */
  exports: ExportService;
  webhooks: {
    store: WebhookStore;
    outbox: Outbox;
    sealer: Sealer;
    setLeader(leader: boolean): void;
    stop(): Promise<void>;
  };
} {
  const now = opts.now ?? Date.now;
  const app = new Hono<AppEnv>();
  // Our own id for every request, never the client's: the audit log and the logs rely on it being
  // unique. A client's X-Request-Id (from a proxy, say) is kept beside it, for the audit log.
  app.use(requestId({ headerName: "" }));
  app.use(async (c, next) => {
    const clientId = c.req.header("x-request-id");
    if (clientId && /^[\w\-=.:]{1,200}$/.test(clientId)) c.set("clientRequestId", clientId);
    c.header("X-Request-Id", c.get("requestId"));
    await next();
  });
  app.use(secureHeaders({ crossOriginEmbedderPolicy: false }));
  app.onError(onError(opts.log));
  app.notFound(notFound);

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", async (c) => {
    const ping = await opts.ch.ping();
    return ping.success
      ? c.json({ status: "ready" })
      : c.json({ status: "unavailable", clickhouse: false }, 503);
  });

  const openApi = openApiDocument();
  const tokens = opts.tokens ?? makeTokenStore(opts.ch, { now, adminToken: opts.adminToken });
  const audit = makeAudit(opts.ch, now);
  const exportService = makeExportService({
    ch: opts.exports?.ch ?? opts.ch,
    log: opts.log,
    dir: opts.exports?.dir ?? join(tmpdir(), "floorwatch-exports"),
    now,
    schedule: opts.exports?.schedule,
  });
  const sites = makeSiteDirectory(opts.ch, { now });
  // One snapshot of the figures per site and period, shared by GET /live, every stream listener
  // and the alert evaluator.
  const ttl = opts.liveTtlMs ?? 500;
  const figures = makeCoalescer(
    (site: string) => computeLiveSnapshot(opts.ch, site, now()),
    ttl,
    now,
  );
  // The screens' snapshot: the figures with the site's open alerts riding along, so every open
  // screen learns of a breach with the figures that made it. The evaluator reads the figures
  // alone: it keeps its alerts in memory and has no use for reading them back every tick.
  const openAlerts = makeCoalescer(
    (site: string) =>
      // The figures must reach the screens even when the alerts cannot be read.
      readAlerts(opts.ch, site).catch((err: unknown) => {
        opts.log.warn("alerts left out of the live snapshot", { site, ...errorFields(err) });
        return undefined;
      }),
    ttl,
    now,
  );
  const snapshots: Coalescer<string, LiveSnapshot> = {
    async get(site, maxAgeMs) {
      const [snap, alerts] = await Promise.all([
        // Each queue's figure states as the TV judges them (live/tv.ts judgeQueues).
        figures.get(site, maxAgeMs).then((s) => tvFrames.withStates(site, s)),
        openAlerts.get(site, maxAgeMs),
      ]);
      if (!alerts) return snap;
      // The most urgent first (readAlerts' order); a floor with thousands open reads GET /alerts.
      return { ...snap, alerts: alerts.slice(0, LIVE_ALERTS_MAX), alerts_total: alerts.length };
    },
  };
  // TV screens (view=tv): the snapshot projected once per layout and tick (live/tv.ts).
  const layouts = makeLayoutStore(opts.ch, { now });
  const tvFrames = makeTvFrames(opts.ch, layouts, { now });
  const broadcaster = makeBroadcaster(
    opts.ch,
    (site, fresh) => snapshots.get(site, fresh ? 0 : undefined),
    (p) => tokens.stillValid(p),
    opts.log,
    { tvFrame: (site, layout, snap) => tvFrames.frame(site, layout, snap), ...opts.stream },
  );
  // Every request of a display token, and every open stream every 30 s, is a heartbeat of its
  // screen (GET /screens' last seen), written in one insert per flush.
  const seen = makeScreenSeen({
    ch: opts.ch,
    log: opts.log,
    openTokens: () => broadcaster.openTokens(),
    now,
    everyMs: opts.seenEveryMs,
  });
  const sources = alertSources(opts.ch);
  // Who evaluates and sends (host:pid), recorded with every alert and attempt it writes.
  const holder = opts.alerts?.holder ?? `${hostname()}:${process.pid}`;
  const evaluator = makeEvaluator({
    ch: opts.ch,
    log: opts.log,
    now,
    snapshot: (site) => figures.get(site),
    // A transition is pushed to the site's screens at once, not at the next tick.
    onTransitions: (changed) => {
      for (const site of changed) broadcaster.refresh(site);
      // …and turned into notifications at once (the dispatcher reads what was just stored).
      dispatcher.kick();
    },
    holder,
    tickMs: opts.alerts?.tickMs,
    followupEveryMs: opts.alerts?.followupEveryMs,
    followups: opts.alerts?.followups ?? sources.followups,
  });
  // Notifications: subscriptions sealed under WEBHOOK_SECRET_KEY (a malformed key throws here,
  // naming the variable) and the outbox every queued delivery is stored in first.
  const sealer = makeSealer({
    key: opts.webhooks?.secretKey,
    previous: opts.webhooks?.previousKeys,
  });
  const webhookStore = makeWebhookStore(opts.ch, sealer, { now, log: opts.log });
  const outbox = makeOutbox(opts.ch, now);
  const allowNetworks = parseAllowNetworks(opts.webhooks?.allowNetworks ?? "");
  const wh = { ...WEBHOOK_DEFAULTS, ...opts.webhooks };
  const dispatcher = makeDispatcher({
    ch: opts.ch,
    log: opts.log,
    subscriptions: () => webhookStore.list(),
    outbox,
    publicUrl: wh.publicUrl,
    pollMs: wh.pollMs,
    now,
    onQueued: wh.onQueued,
  });
  const worker = makeDeliveryWorker({
    ch: opts.ch,
    log: opts.log,
    source: webhookStore,
    outbox,
    policy: allowNetworks,
    holder,
    now,
    timeoutMs: wh.timeoutMs,
    concurrency: wh.concurrency,
    retryBaseMs: wh.retryBaseMs,
    retryMaxMs: wh.retryMaxMs,
    retryForMs: wh.retryForMs,
    disableAfterMs: wh.disableAfterMs,
    pollMs: wh.pollMs,
  });
  // One instance for /api/v1 and /metrics: guessed tokens count against one limit per address.
  const auth = authenticate(tokens, {
    limit: opts.failureLimit,
    now,
    trustedProxies: opts.trustedProxies,
  });

  // Prometheus text. Admin tokens only: the counters say how the service copes (retries), which is
  // for whoever runs it, not for floors or integrations.
  app.get("/metrics", auth, (c) => {
    allow(c, "metrics");
    const body = [
      "# HELP floorwatch_api_clickhouse_read_retries_total ClickHouse reads retried once after their reused keep-alive socket was reset.",
      "# TYPE floorwatch_api_clickhouse_read_retries_total counter",
      `floorwatch_api_clickhouse_read_retries_total ${clickhouseReadRetries(opts.ch)}`,
      ...alertMetrics(evaluator.stats()),
      ...webhookMetrics(worker.stats(), dispatcher.skipped()),
      "",
    ].join("\n");
    return c.body(body, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  const api = new Hono<AppEnv>()
    .use(
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: (c) =>
          envelope(c, "payload_too_large", `request bodies are limited to ${MAX_BODY_BYTES} bytes`),
      }),
    )
    .use(auth)
    .use(async (c, next) => {
      c.set("sites", sites);
      seen.heard(principalOf(c));
      await next();
    })
    .route(
      "/live",
      liveRoutes(snapshots, broadcaster, { ch: opts.ch, frames: tvFrames, layouts, now }),
    )
    .route("/reports", reportRoutes(opts.ch, { now }))
    .route("/tokens", tokenRoutes(tokens, audit))
    .route("/me", meRoutes(opts.ch))
    .route(
      "/screens",
      screenRoutes(opts.ch, {
        tokens,
        audit,
        seen,
        openTokens: () => broadcaster.openTokens(),
        now,
      }),
    )
    .route("/audit", auditRoutes(opts.ch))
    .route("/contacts", contactRoutes(opts.ch, audit, { now }))
    .route("/sites", configRoutes(opts.ch, audit, { now }))
    .route("/agents", agentRoutes(opts.ch, { now }))
    .route("/followups", followupRoutes(opts.ch, { now }))
    .route("/rules", ruleRoutes(opts.ch, audit, { now }))
    .route("/layouts", layoutRoutes(layouts, broadcaster, audit))
    .route("/alerts", alertRoutes(opts.ch, audit, { now, onAck: () => dispatcher.kick() }))
    .route("/breaches", breachRoutes(opts.ch, { peakNow: opts.alerts?.peakNow ?? sources.peakNow }))
    .route(
      "/webhooks",
      webhookRoutes({
        ch: opts.ch,
        audit,
        store: webhookStore,
        outbox,
        checkTarget: (url) => checkTarget(url, allowNetworks),
        testEvent: (site, nowMs) =>
          testEvent(opts.ch, site, { nowMs, publicUrl: opts.webhooks?.publicUrl }),
        // Enabled again: the alert saying its notifications stopped is over.
        onEnabled: async (sub) => {
          await resolveFailing(opts.ch, sub, now(), holder);
        },
        now,
      }),
    )
    .route("/exports", exportRoutes(opts.ch, exportService, audit, { now }))
    .get("/openapi.json", (c) => c.json(openApi));
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
      c.header("Content-Security-Policy", WALLBOARD_CSP);
      return c.html(await readFile(join(dir, "index.html"), "utf8"));
    });
  }
  return {
    app,
    evaluator,
    seen,
    exports: exportService,
    webhooks: {
      store: webhookStore,
      outbox,
      sealer,
      setLeader(leader) {
        dispatcher.setLeader(leader);
        worker.setLeader(leader);
      },
      async stop() {
        await dispatcher.stop();
        await worker.stop();
      },
    },
  };
}
