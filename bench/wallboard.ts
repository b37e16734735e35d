// npm run bench:wallboard: the TV wallboard (issue #12, "Live at 500 screens" and "Engineering"),
// every figure in one run, each next to a ceiling measured in the same run.
//
// Site: one floor of 24 queues and 500 agents with BENCH_DAY_EVENTS of today's events (written
// through bench/generate.ts, then merged), a stored layout "floor" showing every queue on one page
// of 24 tiles with the default figures, and display tokens of that layout. The API runs in this
// process with production defaults (500 ms shared snapshot, 1 s stream tick) serving a copy of the
// built wallboard; the real ingest consumes topics of its own; Debian's Chromium shows the TV.
//
//   event → page      a contact.queued, then its contact.answered (the number goes up and down),
//                     produced to Kafka for queue q000; Date.now() taken before the send. In the
//                     page (1920×1080, display token in #token=), a MutationObserver on the
//                     tile's waiting figure ([data-tile="queue:q000"] [data-metric="waiting"])
//                     records performance.timeOrigin + performance.now() of each change of its
//                     text; the delay is to the change showing the expected count (same machine
//                     clock; the page/node clock offset is measured and taken off). Events at
//                     least BENCH_EVENT_SPACING_MS apart, plus a random part of a second so they
//                     fall anywhere in the server's tick. With the page as the only listener,
//                     then with BENCH_LISTENERS other view=tv listeners connected (a child
//                     process, bench/wallboard-listeners.ts). Goal p99 ≤ 1.5 s.
//   event → /live     the same events, seen by a poller of GET /api/v1/live (full snapshot, every
//                     ~50 ms); ceiling: the event's row visible to a bare SELECT count() of the
//                     raw events table (contact_events) and of its fact (open_visits for a
//                     queued contact, contact_facts' visit for an answered one), polled alike.
//   snapshot → each   `as_of` of every `event: tv` frame to its arrival at each listener, with 1
//   listener          listener (the child alone) and with BENCH_LISTENERS (and the page), each
//                     quiet for BENCH_SSE_SECONDS; then again during the event trials with them
//                     (the pollers' load included); goal p99 ≤ 200 ms. Ceiling: the bare
//                     snapshot computation (computeLive, configuration loaded once).
//   bytes             the tv frame of the layout (GET /live?view=tv) vs the full LiveSnapshot of
//                     the site (GET /live), and bytes per listener per second as received.
//   JS size           the TV route's initial JavaScript: the module script and modulepreloads of
//                     wallboard/dist/index.html, each gzipped (node:zlib level 9), vs 150 KiB.
//   desk screens      bench/wallboard-desk.ts (issue #14): after the TV trials, on the same API and
//                     ingest, a site of 100 queues and 2,000 agents and a month of 50 queues
//                     produced through Kafka; each screen (sign-in, supervisor, reports of the
//                     month by day, QA's breach list) from navigation start to its
//                     floorwatch:ready mark in a new context, next to its API calls by bare
//                     fetch, BENCH_DESK_TRIALS times (7); and each lazy chunk's JavaScript.
//   24 h heap         bench/wallboard-heap.ts: a fake API streams a simulated day of TvFrames
//                     (86,400, one per simulated second) as fast as the page takes them; JS heap
//                     after a forced GC after 2 h, then every 2 h, and DOM nodes; goal: growth
//                     within 10 %.
//
// Options: BENCH_DAY_EVENTS (200,000), BENCH_LISTENERS (500), BENCH_RUNS (3: bare snapshots =
// 5 × runs, at least 15; events per condition = 10 × runs, at least 30), BENCH_WALLBOARD_EVENTS
// (overrides the events per condition), BENCH_EVENT_SPACING_MS (1,500), BENCH_SSE_SECONDS (10),
// BENCH_HEAP_HOURS (24), BENCH_HEAP_BURST (20 frames per 50 ms, at most).
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { gzipSync } from "node:zlib";
import { makeTokenStore, startServer, type RunningServer } from "@floorwatch/api";
import {
  intervalStart,
  LiveSnapshot,
  TvFrame,
  type Event,
  type LayoutDraftInput,
} from "@floorwatch/contracts";
import {
  createKafka,
  DEFAULT_BATCH,
  ensureTopics,
  startIngest,
  type RunningIngest,
} from "@floorwatch/ingest";
import {
  createClickHouse,
  createLogger,
  dropDatabase,
  migrate,
  sql,
  type ClickHouseConfig,
} from "@floorwatch/sql";
import type { Browser, Page } from "playwright-core";
import { loadSiteConfig } from "../api/src/metrics/config";
import { computeLive } from "../api/src/metrics/live";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../scripts/services.mjs";
// @ts-expect-error plain-JS build helper, no types
import { ensureWallboardBuilt } from "../scripts/wallboard.mjs";
import { keyFor, topicFor } from "../test/support/corpus";
import { answered, queued } from "../test/support/events";
import { benchEnv } from "./env";
import { eveningZone, makeGenerator, settle } from "./generate";
import { fmt, fmtSpread, record, summary } from "./stats";
import { deskJs, deskReport, measureDesk, seedDesk } from "./wallboard-desk";
import { launchChromium, runHeap, waitingSelector, type HeapResult } from "./wallboard-heap";

const DAY_EVENTS = Number(process.env.BENCH_DAY_EVENTS ?? 200_000);
const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 500);
const RUNS = benchEnv.runs;
const EVENTS = Number(process.env.BENCH_WALLBOARD_EVENTS ?? Math.max(30, RUNS * 10));
const SPACING_MS = Number(process.env.BENCH_EVENT_SPACING_MS ?? 1_500);
const SSE_SECONDS = Number(process.env.BENCH_SSE_SECONDS ?? 10);
const HEAP_HOURS = Number(process.env.BENCH_HEAP_HOURS ?? 24);
const HEAP_BURST = Number(process.env.BENCH_HEAP_BURST ?? 20);
const DESK_TRIALS = Math.max(5, Number(process.env.BENCH_DESK_TRIALS ?? 7));
const SAMPLES = Math.max(15, RUNS * 5);
const QUEUES = 24;
const AGENTS = 500;
const EVENTS_PER_CONTACT = 4; // queued, answered, ended, wrapped up (bench/generate.ts)
const SITE = "floor";
const LAYOUT = "floor";
const Q = "q000"; // the queue whose waiting count the trials move
const JS_BUDGET_KIB = 150;
const H = 3_600_000;
const id = Date.now().toString(36);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const progress = (line: string) => process.stderr.write(`${line}\n`);

// ---------- everything started is stopped, on success, error or signal ----------

const cleanups: (() => unknown)[] = [];
/** `fn` run at most once, whoever asks first (a step's own stop, or the cleanup). */
function once(fn: () => Promise<unknown>): () => Promise<unknown> {
  let done: Promise<unknown> | undefined;
  return () => (done ??= fn());
}
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse())
      try {
        await fn();
      } catch (err) {
        progress(`cleanup: ${String(err)}`);
      }
  })();
  return cleaning;
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    progress(`bench:wallboard: ${signal}; cleaning up`);
    void cleanup().then(() => process.exit(130));
  });
process.on("uncaughtException", (err) => {
  progress(`bench:wallboard failed: ${err.stack ?? String(err)}`);
  void cleanup().then(() => process.exit(1));
});
process.on("unhandledRejection", (err) => {
  progress(`bench:wallboard failed: ${String(err)}`);
  void cleanup().then(() => process.exit(1));
});

await up();
const log = createLogger("bench", "error");

// ---------- the built TV: a copy, so that a rebuild in the working tree cannot pull it away ----------

ensureWallboardBuilt();
const dist = mkdtempSync(join(tmpdir(), "fw-bench-wallboard-"));
cleanups.push(() => rmSync(dist, { recursive: true, force: true }));
cpSync(join(import.meta.dirname, "../wallboard/dist"), dist, { recursive: true });

/** The TV route's initial JavaScript: index.html's module script and modulepreloads. */
function jsSize() {
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const srcs = [
    ...[...html.matchAll(/<script\b[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!),
    ...[...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
  ];
  if (srcs.length === 0) throw new Error("wallboard/dist/index.html loads no module script");
  const files = srcs.map((src) => {
    const body = readFileSync(join(dist, src.replace(/^\//, "")));
    return { file: src, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
  const gzipBytes = files.reduce((n, f) => n + f.gzipBytes, 0);
  return {
    files,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    gzipBytes,
    budgetKiB: JS_BUDGET_KIB,
    within: gzipBytes <= JS_BUDGET_KIB * 1024,
  };
}
const js = jsSize();
progress(
  `JS: ${js.files.map((f) => f.file).join(", ")}: ${fmt(js.gzipBytes / 1024, 1)} KiB gzipped`,
);

// ---------- the floor ----------

const cfg: ClickHouseConfig = {
  url: benchEnv.clickhouseUrl,
  user: benchEnv.clickhouseUser,
  password: benchEnv.clickhousePassword,
  database: `fwtest_bench_wallboard_${id}`,
};
cleanups.push(() => dropDatabase(cfg));
await migrate(cfg);
const ch = createClickHouse(cfg);
cleanups.push(() => ch.close());
const now = Date.now();
const tz = eveningZone(now);
const dayStart = intervalStart(tz, "1d", now);
const t0 = performance.now();
{
  const g = makeGenerator(ch);
  await g.defineSite(SITE, tz, QUEUES);
  await g.generateContacts(
    SITE,
    QUEUES,
    Math.round(DAY_EVENTS / EVENTS_PER_CONTACT),
    dayStart,
    now,
    1,
  );
  await g.generateAgents(SITE, QUEUES, AGENTS, dayStart, now, 2);
  await settle(ch, cfg.database);
}
const generatedS = (performance.now() - t0) / 1000;
progress(
  `generated in ${generatedS.toFixed(0)} s: ${fmt(DAY_EVENTS)} events today in ${tz} (${((now - dayStart) / H).toFixed(1)} h of it)`,
);

// ---------- ceiling of the stream: the bare snapshot ----------

const siteConfig = await loadSiteConfig(ch, SITE);
await computeLive(ch, siteConfig, Date.now());
const bare: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const t = performance.now();
  await computeLive(ch, siteConfig, Date.now());
  bare.push(performance.now() - t);
}

// ---------- the ingest, the API, the layout and the screens' tokens ----------

const topics = {
  calls: `bench.wallboard.${id}.calls`,
  chats: `bench.wallboard.${id}.chats`,
  agents: `bench.wallboard.${id}.agents`,
  surveys: `bench.wallboard.${id}.surveys`,
  dlq: `bench.wallboard.${id}.dlq`,
};
const kafka = createKafka({ brokers: benchEnv.kafkaBrokers, clientId: "bench-wallboard", log });
cleanups.push(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {});
  await admin.disconnect();
});
await ensureTopics(kafka, Object.values(topics), 6);
const groupId = `bench-wallboard-${id}`;
const ingest: RunningIngest = await startIngest(
  {
    clickhouse: cfg,
    kafka: {
      brokers: benchEnv.kafkaBrokers,
      clientId: "bench-wallboard-ingest",
      groupId,
      partitions: 6,
    },
    topics,
    batch: DEFAULT_BATCH,
    logLevel: "error",
  },
  log,
);
const stopIngest = once(() => ingest.stop());
cleanups.push(stopIngest);
const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
await producer.connect();
cleanups.push(() => producer.disconnect());

const ADMIN = `bench-admin-${randomBytes(16).toString("hex")}`;
const admin = { authorization: `Bearer ${ADMIN}` };
const server: RunningServer = await startServer({
  ch,
  log,
  port: 0,
  host: "127.0.0.1",
  adminToken: ADMIN,
  wallboardDir: dist,
  // Screens share tokens here (a token per 20 screens); production's cap stays for the page's.
  stream: { maxStreamsPerToken: Math.max(20, LISTENERS) },
});
const stopServer = once(() => server.close());
cleanups.push(stopServer);

const layout: LayoutDraftInput = {
  name: "Floor: every queue on one page",
  tiles: [],
  figures: [],
  trends: ["service_level"],
  per_page: 24,
  rotate_s: 20,
  distance_m: 5,
};
{
  const res = await fetch(`${server.url}/api/v1/layouts/${LAYOUT}?site=${SITE}`, {
    method: "PUT",
    headers: { ...admin, "content-type": "application/json" },
    body: JSON.stringify(layout),
  });
  if (!res.ok) throw new Error(`PUT layout: ${res.status} ${(await res.text()).slice(0, 500)}`);
}
const tokens = makeTokenStore(ch);
const displayToken = async (name: string) =>
  (
    await tokens.create(
      { name, role: "display", sites: [SITE], pii: false, layout: LAYOUT },
      "bench",
    )
  ).token;
const pageToken = await displayToken("bench TV page");
const listenerTokens: string[] = [];
for (let i = 0; i < Math.ceil(LISTENERS / 20); i++)
  listenerTokens.push(await displayToken(`bench TV ${i}`));
const streamUrl = `${server.url}/api/v1/live/stream?site=${SITE}&view=tv`;

// ---------- bytes per frame ----------

async function getText(path: string, token: string) {
  const res = await fetch(`${server.url}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 500)}`);
  return text;
}
const tvText = await getText(`/api/v1/live?site=${SITE}&view=tv`, pageToken);
const tvFrame = TvFrame.parse(JSON.parse(tvText));
if (tvFrame.layout.id !== LAYOUT || tvFrame.tiles.length !== QUEUES)
  throw new Error(
    `the display token's frame shows layout ${tvFrame.layout.id} with ${tvFrame.tiles.length} tiles, not ${LAYOUT} with ${QUEUES}`,
  );
const fullText = await getText(`/api/v1/live?site=${SITE}`, ADMIN);
LiveSnapshot.parse(JSON.parse(fullText));
const bytes = {
  tvFrame: Buffer.byteLength(tvText),
  fullSnapshot: Buffer.byteLength(fullText),
  tiles: tvFrame.tiles.length,
  figuresPerTile: tvFrame.tiles[0]?.v.length ?? 0,
};
progress(
  `frame: ${fmt(bytes.tvFrame)} B (view=tv, ${bytes.tiles} tiles × ${bytes.figuresPerTile} figures) vs ${fmt(bytes.fullSnapshot)} B full`,
);

// ---------- the listeners' child ----------

interface ListenerResult {
  delays: number[];
  frames: number;
  dropped: number;
  seconds: number;
  bytes: number;
  frameBytes: number;
  lastFrameBytes: number;
}
async function startListeners(count: number) {
  const child: ChildProcess = spawn(
    join(import.meta.dirname, "../node_modules/.bin/tsx"),
    [
      join(import.meta.dirname, "wallboard-listeners.ts"),
      streamUrl,
      listenerTokens.join(","),
      String(count),
    ],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const kill = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  cleanups.push(kill);
  const it = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.value !== "ready") throw new Error(`listeners did not start (${String(first.value)})`);
  const read = async (command: string): Promise<ListenerResult> => {
    child.stdin!.write(`${command}\n`);
    const line = await it.next();
    return JSON.parse(line.value as string) as ListenerResult;
  };
  return {
    /** What the listeners received since they started or since the last lap. */
    lap: () => read("lap"),
    async stop(): Promise<ListenerResult> {
      const r = await read("stop");
      kill();
      return r;
    },
  };
}

progress(`1 listener for ${SSE_SECONDS} s`);
const one = await startListeners(1);
await sleep(SSE_SECONDS * 1000);
const sseOne = await one.stop();

// ---------- the page ----------

const browser: Browser = await launchChromium();
cleanups.push(() => browser.close());
const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
const page: Page = await context.newPage();
const pageErrors: string[] = [];
page.on("pageerror", (e) => pageErrors.push(String(e)));
await page.goto(`${server.url}/?site=${SITE}#token=${pageToken}`);
const selector = waitingSelector(Q);
const consoleLines: string[] = [];
page.on("console", (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
await page.waitForSelector(selector, { state: "attached", timeout: 60_000 }).catch(async (err) => {
  throw new Error(
    `the TV page shows no ${selector} (${String(err).split("\n")[0]}); it reads: ${(await page.evaluate(() => document.querySelector("[data-tile]")?.outerHTML ?? document.body.textContent)).slice(0, 1500)}; console: ${consoleLines.slice(0, 5).join(" | ") || "none"}; page errors: ${pageErrors.slice(0, 3).join(" | ") || "none"}`,
  );
});
// Every change of the figure's text, stamped in the page's clock (epoch ms). A string, not a
// function: tsx would wrap a function's inner functions in a helper the page does not have.
await page.evaluate(`(() => {
  const sel = ${JSON.stringify(selector)};
  const read = () => document.querySelector(sel)?.textContent?.trim() ?? "";
  let last = read();
  window.__changes = [{ t: performance.timeOrigin + performance.now(), text: last }];
  new MutationObserver(() => {
    const t = performance.timeOrigin + performance.now();
    const text = read();
    if (text !== last) window.__changes.push({ t, text });
    last = text;
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`);

/** The page clock minus this process's (ms), from the round trip with the least delay. */
async function clockOffset(): Promise<{ offset: number; rtt: number }> {
  let best = { offset: 0, rtt: Number.POSITIVE_INFINITY };
  for (let i = 0; i < 20; i++) {
    const a = Date.now();
    const p = await page.evaluate(() => performance.timeOrigin + performance.now());
    const b = Date.now();
    if (b - a < best.rtt) best = { offset: p - (a + b) / 2, rtt: b - a };
  }
  return best;
}

// ---------- the trials ----------

const waitingOf = (snap: LiveSnapshot) => snap.queues.find((q) => q.queue === Q)?.waiting ?? 0;
const baseline = waitingOf(LiveSnapshot.parse(JSON.parse(fullText)));
const pageText = () =>
  page.evaluate((sel) => document.querySelector(sel)?.textContent?.trim() ?? "", selector);

interface Trial {
  event: "queued" | "answered";
  expected: number;
  /** ms from Date.now() before the send. */
  page: number;
  live: number;
  raw: number;
  fact: number;
}

async function produce(e: Event) {
  await producer.send({
    topic: topicFor(e, topics),
    acks: -1,
    messages: [{ key: keyFor(e), value: JSON.stringify(e) }],
  });
}

const count = async (q: ReturnType<typeof sql>) =>
  Number(
    (
      (await (await ch.query({ query: q.text, format: "JSONEachRow" })).json()) as { n: string }[]
    )[0]?.n ?? 0,
  );

/** Polls `probe` every ~50 ms until true; the Date.now() it was first seen. */
async function seen(probe: () => Promise<boolean>, limitMs: number, what: string): Promise<number> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await probe()) return Date.now();
    if (Date.now() > deadline) throw new Error(`${what}: not seen within ${limitMs} ms`);
    await sleep(50);
  }
}

let contactNo = 0;
/** One event moving q000's waiting count to `expected`, measured everywhere at once. */
async function trial(
  kind: "queued" | "answered",
  contact: string,
  expected: number,
  offset: number,
  limitMs: number,
): Promise<Trial> {
  const e =
    kind === "queued"
      ? queued({ site: SITE, at: Date.now(), contact, queue: Q })
      : answered({ site: SITE, at: Date.now(), contact, queue: Q, agent: "a0" });
  const mark = await page.evaluate(
    () => (window as unknown as { __changes: unknown[] }).__changes.length,
  );
  const producedAt = Date.now();
  await produce(e);
  const text = String(expected);
  const [pageAt, liveAt, rawAt, factAt] = await Promise.all([
    (async () => {
      for (const deadline = Date.now() + limitMs; ; ) {
        const hit = await page.evaluate(
          ([from, want]) =>
            (window as unknown as { __changes: { t: number; text: string }[] }).__changes
              .slice(from)
              .find((c) => c.text === want)?.t ?? null,
          [mark, text] as const,
        );
        if (hit !== null) return hit - offset;
        if (Date.now() > deadline)
          throw new Error(
            `the page did not show ${Q} waiting ${text} within ${limitMs} ms (shows "${await pageText()}"; page errors: ${pageErrors.slice(0, 3).join(" | ") || "none"})`,
          );
        await sleep(50);
      }
    })(),
    seen(
      async () =>
        waitingOf(JSON.parse(await getText(`/api/v1/live?site=${SITE}`, ADMIN)) as LiveSnapshot) ===
        expected,
      limitMs,
      `GET /live: ${Q} waiting ${expected}`,
    ),
    seen(
      async () =>
        (await count(
          sql`SELECT count() AS n FROM contact_events WHERE site = ${SITE} AND event_id = ${e.event_id}`,
        )) > 0,
      limitMs,
      "the raw event",
    ),
    seen(
      async () =>
        (await count(
          kind === "queued"
            ? sql`SELECT count() AS n FROM open_visits WHERE site = ${SITE} AND contact_id = ${contact}`
            : sql`SELECT count() AS n FROM contact_facts WHERE site = ${SITE} AND contact_id = ${contact} AND kind = 'visit'`,
        )) > 0,
      limitMs,
      "the event's fact",
    ),
  ]);
  return {
    event: kind,
    expected,
    page: pageAt - producedAt,
    live: liveAt - producedAt,
    raw: rawAt - producedAt,
    fact: factAt - producedAt,
  };
}

/** `n` events alternating queued / answered, each at least SPACING_MS after the one before. */
async function trials(label: string, n: number, limitMs = 30_000): Promise<Trial[]> {
  const out: Trial[] = [];
  const { offset } = await clockOffset();
  let contact = "";
  for (let k = 0; k < n; k++) {
    const started = Date.now();
    const kind = k % 2 === 0 ? "queued" : "answered";
    if (kind === "queued") contact = `bench-${id}-${contactNo++}`;
    const t = await trial(
      kind,
      contact,
      kind === "queued" ? baseline + 1 : baseline,
      offset,
      limitMs,
    );
    out.push(t);
    progress(
      `${label} ${k + 1}/${n} ${kind}: page ${fmt(t.page)} ms, /live ${fmt(t.live)} ms, fact ${fmt(t.fact)} ms, raw ${fmt(t.raw)} ms`,
    );
    await sleep(Math.max(0, started + SPACING_MS - Date.now()) + Math.random() * 1_000);
  }
  // The last contact still waits after an odd count: answered, so the next phase starts at baseline.
  if (n % 2 === 1) await trial("answered", contact, baseline, offset, limitMs);
  return out;
}

// Warm-up: Kafka assigns the ingest its partitions within seconds of its start.
progress(`page shows ${Q} waiting "${await pageText()}" (baseline ${baseline}); warming up`);
await trials("warm-up", 2, 120_000);
const clockBefore = await clockOffset();
const alone = await trials("1 listener (the page)", EVENTS);
progress(`${LISTENERS} listeners connecting`);
const many = await startListeners(LISTENERS);
// Quiet first (the page and the listeners, nothing polled), as the 1-listener window was.
await sleep(SSE_SECONDS * 1000);
const sseMany = await many.lap();
const withMany = await trials(`${LISTENERS} listeners + the page`, EVENTS);
const sseManyTrials = await many.stop();
const clockAfter = await clockOffset();
await context.close();

// ---------- the desk screens, on the same API and ingest ----------

const deskStack = {
  url: server.url,
  adminToken: ADMIN,
  ch,
  log,
  kafka,
  producer,
  topics,
  groupId,
  browser,
  progress,
};
const deskData = await seedDesk(deskStack);
const desk = await measureDesk(deskStack, deskData, DESK_TRIALS);
const deskSizes = deskJs(dist);
await stopServer();
await stopIngest();

// ---------- 24 h heap ----------

progress(`heap: ${HEAP_HOURS} simulated hours`);
const heap: HeapResult = await runHeap({
  distDir: dist,
  browser,
  hours: HEAP_HOURS,
  framesPerBurst: HEAP_BURST,
  progress,
});
await cleanup();

// ---------- report ----------

const bareS = summary(bare);
const ofTrials = (ts: Trial[], k: keyof Omit<Trial, "event" | "expected">) =>
  summary(ts.map((t) => t[k]));
const conditions = [
  { label: "1 listener (the page)", ts: alone },
  { label: `${LISTENERS} listeners + the page`, ts: withMany },
].map(({ label, ts }) => ({
  label,
  page: ofTrials(ts, "page"),
  live: ofTrials(ts, "live"),
  raw: ofTrials(ts, "raw"),
  fact: ofTrials(ts, "fact"),
}));
const listenerRows = [
  { label: "1 listener", r: sseOne, n: 1 },
  { label: `each of ${LISTENERS} listeners (and the page)`, r: sseMany, n: LISTENERS },
  {
    label: `each of ${LISTENERS} listeners, during the event trials (GET /live and ClickHouse polled every 50 ms)`,
    r: sseManyTrials,
    n: LISTENERS,
  },
].map(({ label, r, n }) => ({
  label,
  listeners: n,
  delays: summary(r.delays),
  framesPerListenerPerSecond: r.frames / n / r.seconds,
  bytesPerListenerPerSecond: r.bytes / n / r.seconds,
  frameBytes: r.frameBytes,
  dropped: r.dropped,
  seconds: r.seconds,
}));

const yes = (ok: boolean) => (ok ? "yes" : "**no**");
const pq = (s: { p50: number; p99: number }, d = 0) => `${fmt(s.p50, d)} / ${fmt(s.p99, d)}`;
console.log(
  `\nbench:wallboard — one floor: ${QUEUES} queues, ${fmt(AGENTS)} agents, ${fmt(DAY_EVENTS)} events today (${tz}, ${((now - dayStart) / H).toFixed(1)} h of it); layout "${LAYOUT}": ${bytes.tiles} tiles × ${bytes.figuresPerTile} figures on one page\n`,
);
console.log(
  `event produced to Kafka → seen (ms; ${EVENTS} events per condition, queued and answered in turn, ≥ ${fmt(SPACING_MS)} ms apart):\n`,
);
console.log(
  "| listeners | → number changes on the page, p50 / p99 | min / median / max | → GET /live, p50 / p99 | min / median / max | ceiling: → its fact (bare SELECT count()), p50 / p99 | → raw row, p50 / p99 | page / fact (p50) | /live / fact (p50) | page p99 ≤ 1.5 s |",
);
console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|");
for (const c of conditions)
  console.log(
    `| ${c.label} | ${pq(c.page)} | ${fmtSpread(c.page)} | ${pq(c.live)} | ${fmtSpread(c.live)} | ${pq(c.fact)} | ${pq(c.raw)} | ${fmt(c.page.p50 / c.fact.p50, 2)} | ${fmt(c.live.p50 / c.fact.p50, 2)} | ${yes(c.page.p99 <= 1_500)} |`,
  );
console.log(
  `\n(page clock − node clock: ${fmt(clockBefore.offset, 1)} ms before, ${fmt(clockAfter.offset, 1)} ms after, round trip ${fmt(clockBefore.rtt)} ms; taken off)\n`,
);
console.log("snapshot instant (a tv frame's as_of) → arrival at each listener (ms):\n");
console.log(
  "| measured | p50 / p99 | min / median / max | p50 / bare snapshot p50 | p99 ≤ 200 ms | frames per listener per s | bytes per listener per s | dropped as too slow |",
);
console.log("|---|---:|---:|---:|:-:|---:|---:|---:|");
console.log(
  `| bare snapshot (computeLive, no HTTP), ${bare.length} samples | ${pq(bareS, 1)} | ${fmtSpread(bareS, 1)} | 1.00 | | | | |`,
);
for (const l of listenerRows)
  console.log(
    `| ${l.label} | ${pq(l.delays)} | ${fmtSpread(l.delays)} | ${fmt(l.delays.p50 / bareS.p50, 2)} | ${yes(l.delays.p99 <= 200)} | ${fmt(l.framesPerListenerPerSecond, 2)} | ${fmt(l.bytesPerListenerPerSecond)} | ${l.dropped} |`,
  );
console.log(
  `\nbytes per frame: tv frame of layout "${LAYOUT}" ${fmt(bytes.tvFrame)} B (as streamed: ${fmt(sseMany.frameBytes)} B on average) vs the full LiveSnapshot ${fmt(bytes.fullSnapshot)} B: ${fmt(bytes.tvFrame / bytes.fullSnapshot, 3)}×; per listener per second ${fmt(listenerRows[1]!.bytesPerListenerPerSecond)} B with ${LISTENERS} (the full snapshot at the same frame rate: ${fmt(bytes.fullSnapshot * listenerRows[1]!.framesPerListenerPerSecond)} B)`,
);
console.log(
  `\nTV route's initial JavaScript: ${js.files.map((f) => `${f.file} ${fmt(f.bytes)} B`).join(", ")} → ${fmt(js.gzipBytes / 1024, 1)} KiB gzipped (level 9) of a ${JS_BUDGET_KIB} KiB budget: within ${yes(js.within)}`,
);
const mib = (b: number) => fmt(b / 2 ** 20, 2);
console.log(
  `\n24 h heap (${fmt(heap.frames)} frames of ${heap.hours} simulated hours in ${fmt(heap.wallS)} s, ${fmt(heap.framesPerSecond)} frames/s, "${heap.view}" frames):\n`,
);
console.log(
  "| JS heap after GC, MiB: after 2 h (warm-up) | end | max | growth (end / max) | within 10 % | DOM nodes start / end | layout versions | alerts fired | trends fetches | stream connections |",
);
console.log("|---:|---:|---:|---:|:-:|---:|---:|---:|---:|---:|");
console.log(
  `| ${mib(heap.start)} | ${mib(heap.end)} | ${mib(heap.max)} | ${fmt(heap.growthPct, 1)} % / ${fmt(heap.maxGrowthPct, 1)} % | ${yes(Math.abs(heap.growthPct) <= 10 && heap.maxGrowthPct <= 10)} | ${fmt(heap.domStart)} / ${fmt(heap.domEnd)} | ${heap.layoutVersions} | ${fmt(heap.alertsFired)} | ${heap.trendsFetches} | ${heap.streamConnections} |`,
);
console.log(
  `\nheap per checkpoint (simulated h: MiB): ${heap.samples.map((s) => `${fmt(s.hour, 0)}: ${mib(s.heapUsedBytes)}`).join(", ")}`,
);
for (const line of deskReport(deskData, desk, deskSizes, DESK_TRIALS)) console.log(line);
if (heap.unknown.length) console.log(`the fake API was asked for: ${heap.unknown.join(", ")}`);
if (pageErrors.length)
  console.log(`page errors during the trials: ${pageErrors.slice(0, 5).join(" | ")}`);

const file = record("wallboard", {
  dayEvents: DAY_EVENTS,
  queues: QUEUES,
  agents: AGENTS,
  listeners: LISTENERS,
  events: EVENTS,
  spacingMs: SPACING_MS,
  tz,
  generatedS,
  bare: bareS,
  conditions,
  clock: { before: clockBefore, after: clockAfter },
  listenerRows,
  bytes: { ...bytes, streamedFrameBytes: sseMany.frameBytes },
  js,
  heap,
  desk: {
    trials: DESK_TRIALS,
    data: { ...deskData, tokens: undefined },
    screens: desk,
    js: deskSizes,
  },
  raw: { alone, withMany, bare, sseOne: sseOne.delays.length, sseMany: sseMany.delays.length },
  pageErrors: pageErrors.slice(0, 20),
});
console.log(`\nrecorded in ${file}`);
process.exit(0);
