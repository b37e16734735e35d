// npm run bench:alerts: the alert evaluator (issue #11) at the sizes its "Done when" names, each
// figure next to a ceiling measured in the same run.
//
//   A  one site, 100 queues, a busy day stored (BENCH_DAY_EVENTS, as bench:metrics' live site),
//      with 100, 1,000 and 10,000 rules (a mix of figures, windows and scopes) beside its 8 defaults
//   B  50 sites of 20 queues (a group's branch centres, the same events spread over them), with
//      1,000 rules spread over the sites beside each site's 8 defaults
//   latency  the real ingest and an elected API process over HTTP, on A's site and on one of B's:
//      from producing a contact.queued that crosses a rule (for_s 0) to the alert `firing` in
//      GET /alerts, and to the contact in GET /live, in the same trials; with the 1,000 rules
//      breaching as the busy day makes them (thousands of alerts open) and with the same rules
//      quiet (thresholds out of reach, defaults disabled: only the trial's alert opens); and, in the
//      same trials, to the `standard` webhook request for that alert arriving at a receiver in this
//      process (node:http on 127.0.0.1, 204 at once, every signature checked by the Standard
//      Webhooks library), the API's notification settings left at what operators get by default
//
// Per tick: evaluator.tickOnce()'s elapsed time and the statements it sent ClickHouse, counted
// exactly by a client that records every query, insert and command the API sends through it, by
// the name in its query_id (runQuery: `<name>-<uuid>`, insertRows: `insert-<table>-<uuid>`); reads
// retried by the client after a reset socket are counted apart. The bench drives the ticks,
// BENCH_ALERT_TICK_MS apart, so the shared snapshot (500 ms) is never reused from one tick to the
// next and follow-ups are read every 10 s, as the evaluator's own timer has it. The ceiling:
// computeLive of each site, bare (configuration loaded once, no alerts read), in the gaps.
//
// Options: BENCH_RUNS (ticks per variant = 5 × runs, default 15), BENCH_DAY_EVENTS (1,000,000),
// BENCH_ALERT_TRIALS (30), BENCH_ALERT_TICK_MS (2,000: ALERTS_TICK_MS's default).
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { createApi, startServer } from "@floorwatch/api";
import {
  intervalStart,
  RuleDraft,
  type AlertList,
  type LiveSnapshot,
  type Rule,
  type RuleDraftInput,
  type WebhookCreated,
  type WebhookDraftInput,
  WebhookEvent,
} from "@floorwatch/contracts";
import { createKafka, DEFAULT_BATCH, ensureTopics, startIngest } from "@floorwatch/ingest";
import {
  ALERT_RULES_TABLE,
  clickhouseReadRetries,
  createClickHouse,
  createLogger,
  dropDatabase,
  ident,
  insertRows,
  loadCurrentAlerts,
  loadRuleVersions,
  migrate,
  runQuery,
  sql,
  type AlertRuleRow,
  type ClickHouseClient,
  type ClickHouseConfig,
} from "@floorwatch/sql";
import { DEFAULT_RULES } from "../api/src/alerts/defaults";
import { currentRules } from "../api/src/alerts/rules";
import { ruleIssues } from "../api/src/alerts/validate-rule";
import { WEBHOOK_DEFAULTS } from "../api/src/webhooks/options";
import { loadSiteConfig, type SiteConfig } from "../api/src/metrics/config";
import { computeLive } from "../api/src/metrics/live";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../scripts/services.mjs";
import { Webhook as StandardWebhook } from "standardwebhooks";
import { keyFor, topicFor } from "../test/support/corpus";
import { abandoned, queued } from "../test/support/events";
import { benchEnv } from "./env";
import { eveningZone, makeGenerator, settle } from "./generate";
import { fmt, fmtSpread, percentile, record, spread, summary, timed, type Spread } from "./stats";

const TICKS = benchEnv.runs * 5;
const TICK_MS = benchEnv.alertTickMs;
const TRIALS = benchEnv.alertTrials;
const DAY_EVENTS = benchEnv.dayEvents;
const EVENTS_PER_CONTACT = 4; // queued, answered, ended, wrapped up (bench/generate.ts)
const BRANCHES = 50;
const BRANCH_QUEUES = 20;
const H = 3_600_000;
const id = Date.now().toString(36);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await up();
process.on("unhandledRejection", (err) => {
  process.stderr.write(`bench:alerts failed: ${String(err)}\n`);
  process.exit(1);
});
/** Sites the evaluator could not read (it logs each and keeps their alerts as they were). */
let siteFailures = 0;
const log = createLogger("bench", "warn", {}, (line) => {
  if (line.includes("alert evaluation of a site failed")) siteFailures++;
  else process.stderr.write(line);
});
const dbOf = (suffix: string): ClickHouseConfig => ({
  url: benchEnv.clickhouseUrl,
  user: benchEnv.clickhouseUser,
  password: benchEnv.clickhousePassword,
  database: `fwtest_bench_alerts_${id}_${suffix}`,
});
const progress = (line: string) => process.stderr.write(`${line}\n`);

// ---------- statements, by name ----------

/** The ClickHouse client the API gets: every statement it sends is logged by its name. */
function recordingClient(inner: ClickHouseClient) {
  const names: string[] = [];
  /** Rows sent per insert, by table. */
  const inserted: { table: string; rows: number }[] = [];
  const nameOf = (queryId: unknown, fallback: string) =>
    typeof queryId === "string"
      ? queryId.replace(/-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "")
      : fallback;
  const client = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "query" || prop === "insert" || prop === "command" || prop === "exec") {
        const fn = Reflect.get(target, prop, receiver) as (p: { query_id?: string }) => unknown;
        return (params: { query_id?: string; table?: string; values?: unknown }) => {
          names.push(nameOf(params.query_id, String(prop)));
          if (prop === "insert" && Array.isArray(params.values))
            inserted.push({ table: params.table ?? "", rows: params.values.length });
          return fn.call(target, params);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
  return { client, names, inserted };
}

const countBy = (names: readonly string[]) => {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
};

// ---------- rules ----------

/** Figures a floor watches, each with thresholds from lenient to strict (so some fire, most not). */
const FIGURES: Array<
  Pick<ThresholdInput, "figure" | "window" | "comparator" | "min_volume"> & {
    thresholds: (number | "sl_target")[];
    recovery?: (t: number) => number;
  }
> = [
  {
    figure: "longest_waiting_s",
    window: "now",
    comparator: ">",
    thresholds: [120, 180, 300, 600],
    recovery: (t) => t - 60,
  },
  {
    figure: "service_level",
    window: "15m",
    comparator: "<",
    thresholds: ["sl_target", 0.7, 0.5],
    min_volume: 20,
  },
  { figure: "asa_s", window: "60m", comparator: ">", thresholds: [60, 120, 180, 240] },
  {
    figure: "abandon_rate",
    window: "15m",
    comparator: ">",
    thresholds: [0.05, 0.1, 0.15, 0.2],
    min_volume: 20,
    recovery: (t) => t * 0.8,
  },
  {
    figure: "csat",
    window: "today",
    comparator: "<",
    thresholds: [0.6, 0.7, 0.85],
    min_volume: 20,
  },
  {
    figure: "breaching_soon",
    window: "now",
    comparator: ">=",
    thresholds: [1, 3, 5],
    recovery: (t) => t - 1,
  },
  { figure: "waiting", window: "now", comparator: ">", thresholds: [2, 5, 10] },
  { figure: "agents.available", window: "now", comparator: "<", thresholds: [1, 2, 3] },
  { figure: "aht_s", window: "60m", comparator: ">", thresholds: [300, 450, 600] },
  {
    figure: "resolution_rate",
    window: "today",
    comparator: "<",
    thresholds: [0.85, 0.9],
    min_volume: 20,
  },
  { figure: "max_wait_s", window: "15m", comparator: ">", thresholds: [180, 230] },
  { figure: "transfer_rate", window: "60m", comparator: ">", thresholds: [0.05, 0.1] },
];
type ThresholdInput = Extract<RuleDraftInput, { kind: "threshold" }>;

/**
 * Rule `i` of a site with these queues: every 20 rules, 2 over each queue (one leaving a queue
 * out), 14 over one queue, 2 over the voice channel, 2 over the site. Deterministic.
 */
function ruleDraft(i: number, queues: readonly string[], quiet: boolean): RuleDraft {
  const f = FIGURES[i % FIGURES.length]!;
  // Quiet: the same rules with thresholds no figure reaches, so nothing but the trial fires.
  const threshold = quiet
    ? f.comparator.startsWith(">")
      ? 1e9
      : -1
    : f.thresholds[Math.floor(i / FIGURES.length) % f.thresholds.length]!;
  const k = i % 20;
  const scope: ThresholdInput["scope"] =
    k < 2
      ? { kind: "each_queue", except: k === 1 ? [queues[i % queues.length]!] : [] }
      : k < 16
        ? { kind: "queue", queue: queues[(i * 7) % queues.length]! }
        : k < 18
          ? { kind: "channel", channel: "voice" }
          : { kind: "site" };
  return RuleDraft.parse({
    kind: "threshold",
    name: `bench ${i}: ${f.figure} ${f.window} ${f.comparator} ${threshold}`,
    severity: (["info", "warning", "critical"] as const)[i % 3],
    figure: f.figure,
    window: f.window,
    scope,
    comparator: f.comparator,
    threshold,
    ...(f.recovery && typeof threshold === "number"
      ? { recovery_threshold: f.recovery(threshold) }
      : {}),
    for_s: [0, 30, 60][i % 3],
    keep_firing_for_s: [0, 30, 60][(i >> 1) % 3],
    ...(f.min_volume ? { min_volume: f.min_volume } : {}),
    labels: { team: `t${i % 5}` },
  } satisfies ThresholdInput);
}

/**
 * Replaces every rule and alert of the database with `count` rules spread over `sites` (round
 * robin), stored as POST /rules stores them (version 1 each, validated as it validates), in one
 * insert: ten thousand single-row inserts would measure ClickHouse's parts, not the evaluator.
 * Quiet: thresholds out of reach and each site's defaults disabled (a version 2 of each, as
 * PUT /rules/:id stores it), so that no alert is open.
 */
async function storeRules(
  ch: ClickHouseClient,
  sites: readonly SiteConfig[],
  count: number,
  quiet = false,
): Promise<void> {
  for (const table of [ALERT_RULES_TABLE, "alert_current", "alert_transitions", "alert_acks"])
    await ch.command({ query: sql`TRUNCATE TABLE ${ident(table)}`.text });
  const rows: AlertRuleRow[] = [];
  for (let i = 0; i < count; i++) {
    const site = sites[i % sites.length]!;
    const queues = site.queues.map((q) => q.queue);
    const draft = ruleDraft(Math.floor(i / sites.length), queues, quiet);
    const issues = ruleIssues(draft, new Set(queues));
    if (issues.length) throw new Error(`bench rule ${i} invalid: ${JSON.stringify(issues)}`);
    rows.push({
      site: site.site,
      rule_id: `bench-${String(i).padStart(5, "0")}`,
      version: 1,
      deleted: 0,
      body: JSON.stringify(draft),
      created_ms: Date.now(),
      created_by: "bench",
    });
  }
  if (quiet)
    for (const site of sites)
      for (const [ruleId, draft] of Object.entries(DEFAULT_RULES))
        rows.push({
          site: site.site,
          rule_id: ruleId,
          version: 2,
          deleted: 0,
          body: JSON.stringify({ ...draft, enabled: false }),
          created_ms: Date.now(),
          created_by: "bench",
        });
  await insertRows(ch, ALERT_RULES_TABLE, rows);
}

// ---------- ticks ----------

interface TickRecord {
  elapsed_ms: number;
  cpu_ms: number;
  rules: number;
  observations: number;
  transitions: number;
  statements: number;
  retries: number;
  /** Sites whose evaluation failed this tick (their alerts kept as they were). */
  failedSites: number;
  /** Rows of alert_current written this tick. */
  currentRows: number;
  byName: Record<string, number>;
  /** This tick also read follow-ups (every 10 s) or the site list (every 30 s). */
  kind: "steady" | "followups" | "first";
}

interface Variant {
  label: string;
  sites: number;
  storedRules: number;
  ticks: TickRecord[];
  bareMs: number[];
  loadRulesMs: number[];
  currentRulesMs: number[];
  /** Alerts pending or firing after the last tick. */
  openAlerts: number;
  /** GET /live of the (first) site from the same API after the last tick: 200 unless it broke. */
  liveStatus: number;
}

/**
 * A fresh API (and so a fresh evaluator) over `count` rules; its first tick (resuming stored
 * alerts, listing sites) apart, then TICKS ticks TICK_MS apart, with the bare
 * snapshots of every site measured in each gap.
 */
async function measureVariant(
  label: string,
  ch: ClickHouseClient,
  sites: readonly SiteConfig[],
  count: number,
): Promise<Variant> {
  await storeRules(ch, sites, count);
  const rec = recordingClient(ch);
  const admin = `bench-admin-${randomBytes(16).toString("hex")}`;
  const { app, evaluator } = createApi({
    ch: rec.client,
    log,
    adminToken: admin,
    alerts: { tickMs: TICK_MS },
  });
  const v: Variant = {
    label,
    sites: sites.length,
    storedRules: count,
    ticks: [],
    bareMs: [],
    loadRulesMs: [],
    currentRulesMs: [],
    openAlerts: 0,
    liveStatus: 0,
  };
  const siteNames = sites.map((s) => s.site);
  for (let t = 0; t <= TICKS; t++) {
    const mark = rec.names.length;
    const insertMark = rec.inserted.length;
    const retries = clickhouseReadRetries(ch);
    const failures = siteFailures;
    const cpu = process.cpuUsage();
    const stats = await evaluator.tickOnce();
    const used = process.cpuUsage(cpu);
    const names = rec.names.slice(mark);
    const byName = countBy(names);
    v.ticks.push({
      elapsed_ms: stats.elapsed_ms,
      cpu_ms: (used.user + used.system) / 1000,
      rules: stats.rules,
      observations: stats.observations,
      transitions: stats.transitions,
      statements: names.length,
      retries: clickhouseReadRetries(ch) - retries,
      failedSites: siteFailures - failures,
      currentRows: rec.inserted
        .slice(insertMark)
        .filter((i) => i.table === "alert_current")
        .reduce((n, i) => n + i.rows, 0),
      byName,
      kind:
        t === 0
          ? "first"
          : Object.keys(byName).some((n) => n.startsWith("followups_") || n === "config_list_sites")
            ? "followups"
            : "steady",
    });
    // The gap to the next tick: the ceiling, and where the evaluator's time goes besides it.
    const gap = performance.now();
    for (const s of sites) v.bareMs.push(await timed(() => computeLive(ch, s, Date.now())));
    let rows: Parameters<typeof currentRules>[1] = [];
    v.loadRulesMs.push(
      await timed(async () => {
        rows = await runQuery(ch, loadRuleVersions, { sites: siteNames });
      }),
    );
    v.currentRulesMs.push(await timed(async () => currentRules(siteNames, rows)));
    await sleep(Math.max(0, TICK_MS - (performance.now() - gap)));
  }
  await evaluator.stop();
  v.openAlerts = (await runQuery(ch, loadCurrentAlerts, { open: true })).length;
  const res = await app.request(`/api/v1/live?site=${sites[0]!.site}`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  await res.arrayBuffer();
  v.liveStatus = res.status;
  const steady = v.ticks.filter((t) => t.kind === "steady");
  progress(
    `${label}: tick ${fmtSpread(spread(steady.map((t) => t.elapsed_ms)), 1)} ms, ${fmtSpread(spread(steady.map((t) => t.statements)))} statements, ${steady[0]?.observations} observations, ${v.openAlerts} alerts open, GET /live ${v.liveStatus}, ${v.ticks.reduce((n, t) => n + t.failedSites, 0)} site evaluations failed`,
  );
  return v;
}

// ---------- latency: produce → firing, next to produce → /live ----------

const LQ = "latency"; // a queue of its own at the site: nobody else waits there
const WAIT_S = 60;
/**
 * Seals the subscriptions of every latency API: one key for the run, as one deployment has one,
 * so a subscription left in a database is never one its next API process cannot open.
 */
const WEBHOOK_SECRET_KEY = randomBytes(32).toString("base64");

/**
 * The notification receiver: node:http on 127.0.0.1, answering 204 as soon as the body is read,
 * so the time measured is the API's and not a slow receiver's. A request counts only once the
 * Standard Webhooks library verifies it with the subscription's secret (the signature and the
 * timestamp's tolerance); each `alert.firing` that does is kept by alert id, its first arrival.
 */
async function startWebhookReceiver() {
  let secret: string | undefined;
  const firstArrival = new Map<string, number>();
  const seenIds = new Set<string>();
  const counts = {
    requests: 0,
    valid: 0,
    invalid: 0,
    offContract: 0,
    duplicates: 0,
    otherEvents: 0,
  };
  const header = (req: IncomingMessage, name: string) => String(req.headers[name] ?? "");
  const server = createServer((req, res) => {
    // When the request arrived: its headers, before the (small) body is read.
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      res.writeHead(204).end();
      counts.requests++;
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        if (!secret) throw new Error("no subscription yet");
        new StandardWebhook(secret).verify(body, {
          "webhook-id": header(req, "webhook-id"),
          "webhook-timestamp": header(req, "webhook-timestamp"),
          "webhook-signature": header(req, "webhook-signature"),
        });
      } catch {
        counts.invalid++;
        return;
      }
      counts.valid++;
      // Signed but not the contract's body: counted apart, never taken as the trial's delivery.
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const parsed = WebhookEvent.safeParse(json);
      if (!parsed.success) {
        counts.offContract++;
        return;
      }
      const event = parsed.data;
      // The same webhook-id twice is a retry or a redelivery of one message: only the first counts.
      const messageId = header(req, "webhook-id");
      if (seenIds.has(messageId)) {
        counts.duplicates++;
        return;
      }
      seenIds.add(messageId);
      if (event.type !== "alert.firing") counts.otherEvents++;
      else if (!firstArrival.has(event.data.alert_id)) firstArrival.set(event.data.alert_id, at);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/floorwatch`,
    counts,
    /** The secret POST /webhooks answered: requests are verified with it from then on. */
    setSecret(s: string) {
      secret = s;
    },
    /** performance.now() when the first valid `alert.firing` of `alertId` arrived, if it has. */
    arrivalOf: (alertId: string) => firstArrival.get(alertId),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface Latency {
  site: string;
  quiet: boolean;
  trials: number;
  toFiring: number[];
  toLive: number[];
  /** To the trial's alert.firing request arriving at the receiver, verified. */
  toWebhook: number[];
  /** To the dispatcher queuing that alert's notification (WebhookOptions.onQueued), when it did. */
  toQueued: number[];
  /** What the receiver got over the whole condition (warm-up included). */
  receiver: {
    requests: number;
    valid: number;
    invalid: number;
    offContract: number;
    duplicates: number;
    otherEvents: number;
  };
  /** From producing to the start of the tick that fired (the alert's fired_at: the tick's instant). */
  toTick: number[];
  /** Between starts of consecutive ticks (the alerts' latest evaluated_at, as the polls saw it;
   * not seen while no alert is open). */
  periods: number[];
  /** Response times of the polls. */
  getAlertsMs: number[];
  getLiveMs: number[];
  /** Sizes of the last answers: the snapshot carries the site's open alerts. */
  liveBytes: number;
  alertsListed: number;
}

/**
 * The real ingest into `cfg`'s database and an API process elected in a group of its own, over
 * HTTP, with the 1,000 rules of `sites` stored: TRIALS times, a contact.queued in queue LQ of
 * `site` that has waited WAIT_S + 1 s is produced, crossing a rule `longest_waiting_s > WAIT_S`
 * with for_s 0 at once; measured from the produce call to the first answer of GET /alerts showing
 * the alert firing, and of GET /live showing the contact waiting (both polled every 50 ms), and to
 * the alert's `standard` webhook request arriving at a receiver subscribed to that rule's firings.
 */
async function latency(
  cfg: ClickHouseConfig,
  ch: ClickHouseClient,
  site: string,
  sites: readonly SiteConfig[],
  quiet: boolean,
): Promise<Latency> {
  await storeRules(ch, sites, 1_000, quiet);
  const tag = `${id}-${site}-${quiet ? "quiet" : "storm"}`;
  const topics = {
    calls: `bench.${tag}.calls`,
    chats: `bench.${tag}.chats`,
    agents: `bench.${tag}.agents`,
    surveys: `bench.${tag}.surveys`,
    dlq: `bench.${tag}.dlq`,
  };
  const electionTopic = `bench.${tag}.alerts-election`;
  const kafka = createKafka({ brokers: benchEnv.kafkaBrokers, clientId: "bench-alerts", log });
  await ensureTopics(kafka, Object.values(topics), 6);
  const ingest = await startIngest(
    {
      clickhouse: cfg,
      kafka: {
        brokers: benchEnv.kafkaBrokers,
        clientId: "bench-alerts-ingest",
        groupId: `bench-alerts-${tag}`,
        partitions: 6,
      },
      topics,
      batch: DEFAULT_BATCH,
      logLevel: "error",
    },
    log,
  );
  const ADMIN = `bench-admin-${randomBytes(16).toString("hex")}`;
  const auth = { authorization: `Bearer ${ADMIN}` };
  const waitingIn = (snap: LiveSnapshot) => snap.queues.find((q) => q.queue === LQ)?.waiting ?? 0;
  const livePath = `/api/v1/live?site=${site}`;
  const alertsPath = `/api/v1/alerts?site=${site}`;
  // The API as main.ts starts it (production defaults: a 500 ms shared snapshot), elected in a
  // group of its own; its evaluator ticks on its own timer once Kafka assigns it the partition.
  // Notifications on with their defaults (retries, the worker's poll, timeout, concurrency): only
  // what main.ts needs to send at all, a sealing key and the receiver's address allowed.
  const receiver = await startWebhookReceiver();
  const queuedAt = new Map<string, number>();
  const server = await startServer({
    ch,
    log,
    port: 0,
    host: "127.0.0.1",
    adminToken: ADMIN,
    alerts: { tickMs: TICK_MS },
    webhooks: {
      secretKey: WEBHOOK_SECRET_KEY,
      allowNetworks: "127.0.0.1/32",
      onQueued: (e) => {
        if (e.type === "alert.firing" && !queuedAt.has(e.data.alert_id))
          queuedAt.set(e.data.alert_id, performance.now());
      },
    },
    election: {
      brokers: benchEnv.kafkaBrokers,
      topic: electionTopic,
      groupId: `bench-alerts-${tag}-election`,
    },
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const produce = async (e: ReturnType<typeof queued>) => {
    await producer.send({
      topic: topicFor(e, topics),
      acks: -1,
      messages: [{ key: keyFor(e), value: JSON.stringify(e) }],
    });
  };
  const out: Latency = {
    site,
    quiet,
    trials: TRIALS,
    toFiring: [],
    toLive: [],
    toWebhook: [],
    toQueued: [],
    receiver: receiver.counts,
    toTick: [],
    periods: [],
    getAlertsMs: [],
    getLiveMs: [],
    liveBytes: 0,
    alertsListed: 0,
  };
  const tickStarts = new Set<number>();
  const getJson = async <T>(path: string): Promise<T> => {
    const started = performance.now();
    const res = await fetch(`${server.url}${path}`, { headers: auth });
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 500)}`);
    const body = JSON.parse(text) as T;
    const ms = performance.now() - started;
    if (path === livePath) {
      out.getLiveMs.push(ms);
      out.liveBytes = text.length;
    } else {
      out.getAlertsMs.push(ms);
      const alerts = (body as AlertList).alerts;
      out.alertsListed = alerts.length;
      if (alerts.length) tickStarts.add(Math.max(...alerts.map((a) => Date.parse(a.evaluated_at))));
    }
    return body;
  };
  /** Polls `path` every 50 ms until `done`; the time from `from` to the answer that showed it. */
  async function until<T>(path: string, done: (body: T) => boolean, from: number, limitMs: number) {
    for (;;) {
      const body = await getJson<T>(path);
      const at = performance.now();
      if (done(body)) return at - from;
      if (at - from > limitMs) throw new Error(`${path}: not seen within ${limitMs} ms`);
      await sleep(50);
    }
  }

  // The queue exists once its first event is ingested (the ingest defines it); then its rule.
  const warm = `warm-${tag}`;
  let from = performance.now();
  await produce(queued({ site, at: Date.now() - 1_000, contact: warm, queue: LQ }));
  await until<LiveSnapshot>(livePath, (s) => waitingIn(s) === 1, from, 120_000);
  await produce(abandoned({ site, at: Date.now(), contact: warm, queue: LQ }));
  from = performance.now();
  await until<LiveSnapshot>(livePath, (s) => waitingIn(s) === 0, from, 120_000);
  const created = await fetch(`${server.url}/api/v1/rules?site=${site}`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({
      kind: "threshold",
      name: `Nobody waits more than ${WAIT_S} s in ${LQ}`,
      figure: "longest_waiting_s",
      window: "now",
      scope: { kind: "queue", queue: LQ },
      comparator: ">",
      threshold: WAIT_S,
      for_s: 0,
      keep_firing_for_s: 0,
    } satisfies ThresholdInput),
  });
  if (created.status !== 201) throw new Error(`rule: ${created.status} ${await created.text()}`);
  const rule = (await created.json()) as Rule;
  const firingOf = (list: AlertList) =>
    list.alerts.find((a) => a.rule_id === rule.id && a.state === "firing");
  // One `standard` subscription, to the trial rule's firings at this site only: with the rules'
  // thousands of alerts open, the receiver still gets one request per trial, and the payload's
  // alert_id says which trial it is (an alert's id is its episode's: site, rule, scope, since).
  const subscribed = await fetch(`${server.url}/api/v1/webhooks`, {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({
      name: "bench receiver",
      url: receiver.url,
      format: "standard",
      sites: [site],
      events: { types: ["alert.firing"], rules: [rule.id] },
    } satisfies WebhookDraftInput),
  });
  if (subscribed.status !== 201)
    throw new Error(`webhook: ${subscribed.status} ${await subscribed.text()}`);
  const subscription = (await subscribed.json()) as WebhookCreated;
  if (!subscription.secret) throw new Error("webhook: no signing secret answered");
  receiver.setSecret(subscription.secret);
  /** Waits for the valid alert.firing of `alertId` at the receiver; its arrival less `from`. */
  async function webhookOf(alertId: string, from: number, limitMs: number) {
    for (;;) {
      const at = receiver.arrivalOf(alertId);
      if (at !== undefined) return at - from;
      if (performance.now() - from > limitMs)
        throw new Error(`webhook of ${alertId}: not received within ${limitMs} ms`);
      await sleep(10);
    }
  }

  let s = 7;
  const phase = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
  // Trial 0 warms up and waits out the election (Kafka assigns the partition within seconds).
  for (let trial = 0; trial <= TRIALS; trial++) {
    const contact = `lat-${tag}-${trial}`;
    // Waited WAIT_S + 1 s already: past the threshold the moment it is seen.
    const event = queued({ site, at: Date.now() - (WAIT_S + 1) * 1000, contact, queue: LQ });
    const producedAt = Date.now();
    from = performance.now();
    await produce(event);
    const limit = trial === 0 ? 120_000 : 30_000;
    let firedAt = 0;
    let alertId = "";
    const [firing, live] = await Promise.all([
      until<AlertList>(
        alertsPath,
        (l) => {
          const a = firingOf(l);
          if (a?.fired_at) firedAt = Date.parse(a.fired_at);
          if (a) alertId = a.id;
          return a !== undefined;
        },
        from,
        limit,
      ),
      until<LiveSnapshot>(livePath, (l) => waitingIn(l) === 1, from, limit),
    ]);
    // The receiver keeps each arrival's instant, so waiting for it after the polls loses nothing.
    const webhook = await webhookOf(alertId, from, limit);
    const queuedMs = queuedAt.get(alertId);
    if (trial === 0) {
      // The election and the warm-up are over: from here on, the measured trials.
      tickStarts.clear();
      out.getAlertsMs.length = 0;
      out.getLiveMs.length = 0;
    } else {
      out.toFiring.push(firing);
      out.toLive.push(live);
      out.toWebhook.push(webhook);
      if (queuedMs !== undefined) out.toQueued.push(queuedMs - from);
      out.toTick.push(firedAt - producedAt);
      progress(
        `${site} trial ${trial}/${TRIALS}: firing ${fmt(firing)} ms (its tick began ${fmt(firedAt - producedAt)} ms after the produce), /live ${fmt(live)} ms, webhook ${fmt(webhook)} ms${queuedMs === undefined ? "" : ` (queued at ${fmt(queuedMs - from)} ms)`}`,
      );
    }
    // Gone again before the next trial: the contact abandons, the alert resolves.
    await produce(abandoned({ site, at: Date.now(), contact, queue: LQ }));
    from = performance.now();
    await Promise.all([
      until<AlertList>(alertsPath, (l) => firingOf(l) === undefined, from, 30_000),
      until<LiveSnapshot>(livePath, (l) => waitingIn(l) === 0, from, 30_000),
    ]);
    // The next produce falls anywhere in the evaluator's cycle.
    await sleep(phase() * TICK_MS);
  }
  const starts = [...tickStarts].sort((a, b) => a - b);
  out.periods = starts.slice(1).map((t, i) => t - starts[i]!);
  // The next condition's API shares the database: no subscription of a closed receiver left in it.
  const removed = await fetch(`${server.url}/api/v1/webhooks/${subscription.id}`, {
    method: "DELETE",
    headers: auth,
  });
  await removed.arrayBuffer();
  if (!removed.ok) throw new Error(`webhook delete: ${removed.status}`);
  await producer.disconnect();
  await server.close();
  await receiver.close();
  await ingest.stop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [...Object.values(topics), electionTopic] }).catch(() => {});
  await admin.disconnect();
  return out;
}

// ---------- scenario A: one site, 100 queues ----------

const now = Date.now();
const tz = eveningZone(now);
const dayStart = intervalStart(tz, "1d", now);
progress(`sites in ${tz}: ${((now - dayStart) / H).toFixed(1)} h of today`);

const cfgA = dbOf("a");
await migrate(cfgA);
const chA = createClickHouse(cfgA);
let t0 = performance.now();
{
  const g = makeGenerator(chA);
  await g.defineSite("main", tz, 100);
  await g.generateContacts(
    "main",
    100,
    Math.round(DAY_EVENTS / EVENTS_PER_CONTACT),
    dayStart,
    now,
    1,
  );
  await g.generateAgents("main", 100, 2_000, dayStart, now, 2);
  await settle(chA, cfgA.database);
}
const generatedA = (performance.now() - t0) / 1000;
progress(`scenario A generated in ${generatedA.toFixed(0)} s`);
const siteA = await loadSiteConfig(chA, "main");
const scenarioA: Variant[] = [];
for (const count of [100, 1_000, 10_000])
  scenarioA.push(
    await measureVariant(`A: 1 site × 100 queues, ${fmt(count)} rules`, chA, [siteA], count),
  );
const latencyA = [
  await latency(cfgA, chA, "main", [siteA], true),
  await latency(cfgA, chA, "main", [siteA], false),
];
await chA.close();
await dropDatabase(cfgA);

// ---------- scenario B: 50 sites × 20 queues ----------

const cfgB = dbOf("b");
await migrate(cfgB);
const chB = createClickHouse(cfgB);
t0 = performance.now();
const branchNames = Array.from(
  { length: BRANCHES },
  (_, i) => `branch-${String(i).padStart(2, "0")}`,
);
{
  // The same busy day as A's site, spread over the branches: 20 queues, 40 agents, 20 waiting each.
  const g = makeGenerator(chB);
  const contacts = Math.round(DAY_EVENTS / EVENTS_PER_CONTACT / BRANCHES);
  for (const [i, site] of branchNames.entries()) {
    await g.defineSite(site, tz, BRANCH_QUEUES);
    await g.generateContacts(site, BRANCH_QUEUES, contacts, dayStart, now, 100 + i, 20);
    await g.generateAgents(site, BRANCH_QUEUES, 40, dayStart, now, 200 + i);
  }
  await settle(chB, cfgB.database);
}
const generatedB = (performance.now() - t0) / 1000;
progress(`scenario B generated in ${generatedB.toFixed(0)} s`);
const branches = await Promise.all(branchNames.map((s) => loadSiteConfig(chB, s)));
const scenarioB = [
  await measureVariant(
    `B: ${BRANCHES} sites × ${BRANCH_QUEUES} queues, 1,000 rules`,
    chB,
    branches,
    1_000,
  ),
];
const latencyB = [
  await latency(cfgB, chB, branchNames[0]!, branches, true),
  await latency(cfgB, chB, branchNames[0]!, branches, false),
];
await chB.close();
await dropDatabase(cfgB);

// ---------- report ----------

interface Row {
  label: string;
  sites: number;
  storedRules: number;
  rules: number;
  observations: number;
  tick: Spread;
  cpu: Spread;
  bareTimesSites: number;
  ratio: number;
  steadyStatements: Spread;
  followupStatements: Spread | null;
  firstStatements: number;
  perSite: number;
  byName: Record<string, number>;
  loadRules: Spread;
  currentRules: Spread;
  retries: number;
  failedSites: number;
  openAlerts: number;
  currentRows: Spread;
  liveStatus: number;
}
function summarise(v: Variant): Row {
  const measured = v.ticks.filter((t) => t.kind !== "first");
  const steady = measured.filter((t) => t.kind === "steady");
  const followups = measured.filter((t) => t.kind === "followups");
  const tick = spread(measured.map((t) => t.elapsed_ms));
  // The ceiling: one bare snapshot of every site, one after the other (median site × sites).
  const bareTimesSites = spread(v.bareMs).median * v.sites;
  const steadyStatements = spread(steady.map((t) => t.statements));
  const middle = steady[Math.floor(steady.length / 2)];
  // Statements sent once per tick whatever the sites: the rules, one insert per table.
  const once = Object.entries(middle?.byName ?? {})
    .filter(([n]) => n === "alerts_load_rule_versions" || n.startsWith("insert-"))
    .reduce((n, [, c]) => n + c, 0);
  return {
    label: v.label,
    sites: v.sites,
    storedRules: v.storedRules,
    rules: Math.max(...measured.map((t) => t.rules)),
    observations: Math.max(...measured.map((t) => t.observations)),
    tick,
    cpu: spread(measured.map((t) => t.cpu_ms)),
    bareTimesSites,
    ratio: tick.median / bareTimesSites,
    steadyStatements,
    followupStatements: followups.length ? spread(followups.map((t) => t.statements)) : null,
    firstStatements: v.ticks[0]!.statements,
    perSite: ((middle?.statements ?? 0) - once) / v.sites,
    byName: middle?.byName ?? {},
    loadRules: spread(v.loadRulesMs),
    currentRules: spread(v.currentRulesMs),
    retries: v.ticks.reduce((n, t) => n + t.retries, 0),
    failedSites: measured.reduce((n, t) => n + t.failedSites, 0),
    openAlerts: v.openAlerts,
    currentRows: spread(measured.map((t) => t.currentRows)),
    liveStatus: v.liveStatus,
  };
}
const rows = [...scenarioA, ...scenarioB].map(summarise);
const latencies = [
  ...latencyA.map((l) => ({ scenario: "A (1 site, 100 queues)", l })),
  ...latencyB.map((l) => ({ scenario: `B (${BRANCHES} sites, ${BRANCH_QUEUES} queues)`, l })),
].map(({ scenario, l }) => ({
  quiet: l.quiet,
  label: `${scenario}, ${l.quiet ? "quiet (no alert open but the trial's)" : "the rules' alerts open"}`,
  site: l.site,
  firing: summary(l.toFiring),
  live: summary(l.toLive),
  webhook: summary(l.toWebhook),
  queued: l.toQueued.length ? summary(l.toQueued) : null,
  // The notification against the screens, in the same trials.
  webhookOverLive: {
    p50: percentile(l.toWebhook, 50) / percentile(l.toLive, 50),
    p99: percentile(l.toWebhook, 99) / percentile(l.toLive, 99),
  },
  /** Per trial: the webhook's arrival less the first GET /alerts answer showing the alert firing. */
  webhookAfterFiring: summary(l.toWebhook.map((w, i) => w - l.toFiring[i]!)),
  receiver: { ...l.receiver },
  toTick: summary(l.toTick),
  fromTick: summary(l.toFiring.map((f, i) => f - l.toTick[i]!)),
  period: summary(l.periods),
  getAlerts: summary(l.getAlertsMs),
  getLive: summary(l.getLiveMs),
  liveBytes: l.liveBytes,
  alertsListed: l.alertsListed,
}));

console.log(
  `\nbench:alerts — ${TICKS} ticks per variant after a first one, driven by tickOnce ${fmt(TICK_MS)} ms apart (min / median / max)\n`,
);
console.log(
  `data: ${fmt(DAY_EVENTS)} events today (${tz}, ${((now - dayStart) / H).toFixed(1)} h of it) on A's one site (100 queues, 2,000 agents) and again spread over B's ${BRANCHES} sites (${BRANCH_QUEUES} queues, 40 agents each); every site also has its 8 default rules\n`,
);
console.log(
  "| scenario | rules evaluated | observations per tick | alerts open | tick, ms | CPU of this process per tick, ms | ceiling: sites × bare snapshot, ms | tick / ceiling (median) | statements per tick | of which per site | tick that reads follow-ups | first tick | site evaluations failed |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
for (const r of rows)
  console.log(
    `| ${r.label} | ${fmt(r.rules)} | ${fmt(r.observations)} | ${fmt(r.openAlerts)} | ${fmtSpread(r.tick, 1)} | ${fmtSpread(r.cpu, 0)} | ${fmt(r.bareTimesSites, 1)} | ${fmt(r.ratio, 2)} | ${fmtSpread(r.steadyStatements)} | ${fmt(r.perSite, 1)} | ${r.followupStatements ? fmtSpread(r.followupStatements) : "–"} | ${r.firstStatements} | ${r.failedSites} |`,
  );
console.log("\nthe rules' own cost, measured apart between ticks, and what a tick writes:\n");
console.log(
  "| scenario | alerts_load_rule_versions, ms | currentRules (pure), ms | alert_current rows per tick | GET /live afterwards |\n|---|---:|---:|---:|---:|",
);
for (const r of rows)
  console.log(
    `| ${r.label} | ${fmtSpread(r.loadRules, 1)} | ${fmtSpread(r.currentRules, 1)} | ${fmtSpread(r.currentRows)} | ${r.liveStatus} |`,
  );
console.log("\nstatements of one steady tick, by name:\n");
for (const r of rows)
  console.log(
    `- ${r.label}: ${Object.entries(r.byName)
      .map(([n, c]) => `${n} ${c}`)
      .join(", ")}${r.retries ? ` (reads retried after a reset socket: ${r.retries})` : ""}`,
  );
console.log(
  `\nlatency, ${TRIALS} trials per scenario and condition with 1,000 rules stored, the real ingest (${DEFAULT_BATCH.maxMs} ms batches) and the elected API over HTTP (evaluator timer ${fmt(TICK_MS)} ms; GET polled every 50 ms):\n`,
);
console.log(
  "| scenario | produce → firing in GET /alerts, p50 / p99 ms | min / median / max | produce → waiting in GET /live, p50 / p99 ms | min / median / max | firing within 5 s |",
);
console.log("|---|---:|---:|---:|---:|:-:|");
for (const l of latencies)
  console.log(
    `| ${l.label} | ${fmt(l.firing.p50)} / ${fmt(l.firing.p99)} | ${fmtSpread(l.firing)} | ${fmt(l.live.p50)} / ${fmt(l.live.p99)} | ${fmtSpread(l.live)} | ${l.firing.p99 <= 5_000 ? "yes" : "**no**"} |`,
  );
console.log(
  `\nnotifications, in the same trials: one \`standard\` subscription to the trial rule's firings, a receiver in this process on 127.0.0.1 answering 204 at once, every request verified with the standardwebhooks library; the API's webhook settings at their defaults (worker poll ${fmt(WEBHOOK_DEFAULTS.pollMs)} ms, timeout ${fmt(WEBHOOK_DEFAULTS.timeoutMs)} ms, concurrency ${WEBHOOK_DEFAULTS.concurrency}, first retry after ${fmt(WEBHOOK_DEFAULTS.retryBaseMs)} ms):\n`,
);
console.log(
  "| scenario | produce → webhook at the receiver, p50 / p99 ms | min / median / max | produce → GET /live, p50 / p99 ms | webhook / live, p50 / p99 | produce → queued in the outbox, p50 / p99 ms | webhook − firing in GET /alerts, p50 / p99 ms | requests valid / invalid / repeated | webhook p99 ≤ 6 s |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|:-:|");
for (const l of latencies)
  console.log(
    `| ${l.label} | ${fmt(l.webhook.p50)} / ${fmt(l.webhook.p99)} | ${fmtSpread(l.webhook)} | ${fmt(l.live.p50)} / ${fmt(l.live.p99)} | ${fmt(l.webhookOverLive.p50, 2)} / ${fmt(l.webhookOverLive.p99, 2)} | ${l.queued ? `${fmt(l.queued.p50)} / ${fmt(l.queued.p99)}` : "–"} | ${fmt(l.webhookAfterFiring.p50)} / ${fmt(l.webhookAfterFiring.p99)} | ${l.receiver.valid} / ${l.receiver.invalid} / ${l.receiver.duplicates}${l.receiver.offContract ? ` (${l.receiver.offContract} off the contract)` : ""} | ${l.webhook.p99 <= 6_000 ? "yes" : "**no**"} |`,
  );
console.log("\nwhere the time to firing goes (p50 / p99, ms):\n");
console.log(
  "| scenario | produce → start of the tick that fired | that tick's start → firing seen | between tick starts | GET /alerts answer | GET /live answer | /alerts lists | /live size |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
for (const l of latencies)
  console.log(
    `| ${l.label} | ${fmt(l.toTick.p50)} / ${fmt(l.toTick.p99)} | ${fmt(l.fromTick.p50)} / ${fmt(l.fromTick.p99)} | ${l.quiet ? "–" : `${fmt(l.period.p50)} / ${fmt(l.period.p99)}`} | ${fmt(l.getAlerts.p50)} / ${fmt(l.getAlerts.p99)} | ${fmt(l.getLive.p50)} / ${fmt(l.getLive.p99)} | ${fmt(l.alertsListed)} alerts | ${fmt(l.liveBytes / 1024)} KiB |`,
  );
const file = record("alerts", {
  ticks: TICKS,
  tickMs: TICK_MS,
  dayEvents: DAY_EVENTS,
  tz,
  generatedS: { a: generatedA, b: generatedB },
  rows,
  // Each tick and trial as measured; the statements by name of one tick per variant are in rows.
  ticksOf: [...scenarioA, ...scenarioB].map((v) => ({
    label: v.label,
    ticks: v.ticks.map(({ byName: _, ...t }) => t),
  })),
  latency: latencies.map((l, i) => {
    const { toFiring, toLive, toWebhook, toQueued, toTick } = [...latencyA, ...latencyB][i]!;
    return { ...l, raw: { toFiring, toLive, toWebhook, toQueued, toTick } };
  }),
});
console.log(`\nrecorded in ${file}`);
process.exit(0);
