// bench:wallboard's "24 h heap": a TV left running a day, accelerated. A small HTTP server in this
// process serves the built wallboard (assets under /assets/, index.html for every other page) and
// a fake API: GET /api/v1/live/stream (view=tv: `event: tv` TvFrames; without it, the older
// `event: snapshot` LiveSnapshots), GET /api/v1/live and GET /api/v1/live/trends, all generated
// and valid by the contracts. The stream plays a simulated day at one frame per simulated second
// (as_of advancing 1 s a frame) as fast as the page takes it: up to FRAMES_PER_BURST frames every
// BURST_MS, writes waiting for the socket to drain, so a page that falls behind slows the stream
// instead of piling frames up. Every frame changes values and states; alerts fire and resolve; the
// layout is edited (a new version, other tiles, figures and trends) every simulated hour; the
// trends move with the simulated quarter hours for whenever the page asks.
//
// Flow control: the first tile's waiting count is the frame's number modulo 1,000 (every other
// figure follows a random walk). The harness reads what the page shows (every ~100 ms while it
// plays) and keeps at most IN_FLIGHT frames beyond it: socket buffers on loopback hold thousands
// of frames, and a page that fell a minute behind would be measured on frames it has not read.
//
// After a warm-up (two simulated hours) and then every simulated 2 h the stream pauses; once the
// page shows that frame's count (it has rendered it) and a second has passed for it to settle,
// the JS heap used (Runtime.getHeapUsage) is read three times, each after a forced GC (CDP
// HeapProfiler.collectGarbage, twice), and the least kept, with the DOM nodes
// (Memory.getDOMCounters): what the page keeps, not a frame or a trends answer it is holding. The layout is edited every simulated hour at the half hour,
// in turn the measured one (every queue, the default figures, one trend: the even versions, in
// force at every checkpoint) and one of two others (12 queues with the voice channel and the
// site, 5 figures, 2 trends; every queue, 8 figures, 2 trends), so the checkpoints compare the
// same screen.
//
// Run alone: `tsx bench/wallboard-heap.ts` (BENCH_HEAP_HOURS, default 24); bench/wallboard.ts
// runs it as part of the whole benchmark.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import {
  DEFAULT_TV_FIGURES,
  intervalStart,
  type LiveSnapshot,
  TV_ALERTS_MAX,
  type TvFrame,
  type TvTrends,
  type Layout,
  type QueueFigures,
  type TvAlert,
  type TvFigure,
  type TvTile,
} from "@floorwatch/contracts";
import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_ARGS } from "../test/support/browser";
import { testEnv } from "../test/support/env";

/** Debian's Chromium as the browser tests launch it (test/support/browser.ts), headless. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: testEnv.chromiumPath,
    headless: true,
    // The bench's own handlers close the browser after the rest (databases, topics, servers).
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    args: CHROMIUM_ARGS,
  });

export interface HeapOptions {
  /** The built wallboard (index.html, assets/). */
  distDir: string;
  browser: Browser;
  /** Simulated hours (24). */
  hours?: number;
  framesPerBurst?: number;
  burstMs?: number;
  queues?: number;
  progress?: (line: string) => void;
}

export interface HeapSample {
  /** Simulated hours played when measured. */
  hour: number;
  frame: number;
  heapUsedBytes: number;
  domNodes: number;
  jsEventListeners: number;
  elements: number;
  wallS: number;
}

export interface HeapResult {
  hours: number;
  frames: number;
  wallS: number;
  framesPerSecond: number;
  samples: HeapSample[];
  start: number;
  end: number;
  max: number;
  growthPct: number;
  maxGrowthPct: number;
  domStart: number;
  domEnd: number;
  layoutVersions: number;
  alertsFired: number;
  streamConnections: number;
  trendsFetches: number;
  trendsAt: { frame: number; wallS: number }[];
  liveFetches: number;
  /** Requests the fake API did not know (paths), so a reader sees what the page asked for. */
  unknown: string[];
  /** Which stream the page asked for: tv (view=tv) or snapshot. */
  view: string;
}

const SITE = "sim";
/** Frames written beyond the last one the page has shown, at most. */
const IN_FLIGHT = 100;
const TZ = "Asia/Shanghai";
const FIGURE_SETS: TvFigure[][] = [
  [...DEFAULT_TV_FIGURES],
  ["waiting", "longest_waiting_s", "15m.service_level", "agents.available", "today.csat"],
  [
    "waiting",
    "breaching_soon",
    "today.service_level",
    "60m.asa_s",
    "15m.abandon_rate",
    "agents.on_contact",
    "agents.wrap_up",
    "agents.not_ready",
  ],
];
const TREND_SETS = [
  ["service_level"],
  ["offered", "csat"],
  ["max_wait_s", "resolution_rate"],
] as const;

/** Deterministic noise in [0, 1) from integers. */
function noise(...xs: number[]): number {
  let h = 2166136261;
  for (const x of xs) {
    h ^= x | 0;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
  }
  return ((h >>> 0) % 1_000_003) / 1_000_003;
}

export function makeSimulation(queues: number, startMs: number) {
  const queueIds = Array.from({ length: queues }, (_, i) => `q${String(i).padStart(3, "0")}`);
  const names = (key: string) => {
    if (key === "site") return { name_zh: "全部队列", name_en: "All queues" };
    if (key.startsWith("channel:")) return { name_zh: "语音", name_en: "Voice" };
    const n = Number(key.slice(7).slice(1));
    return { name_zh: `信用卡服务 ${n}`, name_en: `Card services ${n}` };
  };
  /** Layout `version` (1, 2, …): a new set of tiles, figures and trends each time an admin edits it. */
  function layoutOf(version: number): Layout {
    // Even versions: the measured layout (in force at every checkpoint); odd ones: the two others.
    const k = version % 2 === 0 ? 0 : version % 4 === 1 ? 1 : 2;
    const tiles =
      k === 0
        ? [] // every queue, by name
        : k === 1
          ? [
              ...queueIds.slice(0, Math.min(queues, 12)).map((q) => `queue:${q}`),
              "channel:voice",
              "site",
            ]
          : queueIds.map((q) => `queue:${q}`);
    return {
      id: "floor",
      site: SITE,
      version,
      name: `Floor (edit ${version})`,
      tiles,
      figures: FIGURE_SETS[k]!,
      trends: [...TREND_SETS[k]!],
      // Every tile on one page, so the first tile (the frame's number) is always on screen.
      per_page: 24,
      rotate_s: 20,
      distance_m: 5 + k,
      updated_at: new Date(startMs).toISOString(),
      updated_by: "bench",
    };
  }
  const tileKeys = (l: Layout) => (l.tiles.length ? l.tiles : queueIds.map((q) => `queue:${q}`));

  function value(figure: TvFigure, frame: number, tile: number): number | null {
    // A slow walk (a minute's period) plus per-frame jitter: every frame moves something.
    const slow = noise(Math.floor(frame / 60), tile, figure.length);
    const r = 0.8 * slow + 0.2 * noise(frame, tile, figure.charCodeAt(0));
    if (figure === "waiting") return Math.floor(r * 40);
    if (figure === "longest_waiting_s") return Math.floor(r * 600);
    if (figure === "breaching_soon") return Math.floor(r * 8);
    if (figure.startsWith("agents.")) return Math.floor(r * 30);
    if (figure.endsWith("_s")) return r < 0.05 ? null : Math.round(r * 2000) / 10;
    return r < 0.05 ? null : Math.round(r * 1000) / 1000; // ratios: SL, abandon, CSAT
  }
  const LETTERS = ["o", "o", "o", "o", "o", "w", "w", "b"];
  const state = (frame: number, tile: number, f: number) =>
    LETTERS[Math.floor(noise(Math.floor(frame / 5), tile, f) * LETTERS.length)]!;

  /** Alerts firing at `frame`: one fires every 2 simulated minutes and resolves 10 minutes later. */
  function alertsAt(frame: number, keys: readonly string[]): { alerts: TvAlert[]; total: number } {
    const out: TvAlert[] = [];
    for (let n = Math.floor(frame / 120); n >= 0 && n * 120 > frame - 600; n--) {
      const key = keys[n % keys.length]!;
      out.push({
        id: `sim-${n}`,
        severity: (["info", "warning", "critical"] as const)[n % 3]!,
        rule_name: `Longest wait over ${60 + (n % 5) * 30} s`,
        rule_name_zh: `最长等待超过 ${60 + (n % 5) * 30} 秒`,
        tile: key,
        figure: "longest_waiting_s",
        window: "now",
        comparator: ">",
        value: 100 + (n % 7) * 20,
        threshold: 60 + (n % 5) * 30,
        fired_at: new Date(startMs + n * 120_000).toISOString(),
        acknowledged: n % 4 === 0,
      });
    }
    return { alerts: out.slice(0, TV_ALERTS_MAX), total: out.length };
  }

  const asOfMs = (frame: number) => startMs + frame * 1000;
  /** Edited at every half hour: the even hours (the checkpoints) fall mid-version, even ones. */
  const layoutVersionAt = (frame: number) => 2 + Math.floor((frame + 1800) / 3600);
  /** The first tile's waiting count: the frame's number, modulo 1,000. */
  const counter = (frame: number) => frame % 1000;

  /** The frame at simulated second `frame`. */
  function frameAt(frame: number): TvFrame {
    const layout = layoutOf(layoutVersionAt(frame));
    const keys = tileKeys(layout);
    const tiles: TvTile[] = keys.map((key, t) => {
      const v = layout.figures.map((f) => value(f, frame, t));
      if (t === 0) v[layout.figures.indexOf("waiting")] = counter(frame);
      return {
        key,
        ...names(key),
        sl_target: 0.8,
        v,
        s: layout.figures.map((_, f) => state(frame, t, f)).join(""),
      };
    });
    const { alerts, total } = alertsAt(frame, keys);
    return {
      site: SITE,
      tz: TZ,
      as_of: new Date(asOfMs(frame)).toISOString(),
      layout,
      tiles,
      alerts,
      alerts_total: total,
    };
  }

  /** The same state as a full LiveSnapshot (for a wallboard that does not ask for view=tv). */
  function snapshotAt(frame: number): LiveSnapshot {
    const windows = (t: number, w: number): QueueFigures => {
      const r = noise(Math.floor(frame / 60), t, w);
      const offered = Math.floor(r * 500);
      const answered = Math.floor(offered * 0.85);
      return {
        offered,
        answered,
        abandoned: offered - answered,
        short_abandoned: 1,
        answered_within_sl: Math.floor(answered * r),
        service_level: r,
        abandon_rate: 0.15,
        asa_s: r * 100,
        max_wait_s: r * 300,
        callbacks: 0,
        flowed_out: 0,
        handled: answered,
        aht_s: 300,
        resolution_rate: 0.8,
        transfer_rate: 0.05,
        first_response_s: null,
        csat: r,
        nps: 0.1,
        fcr_survey: 0.7,
        low_csat: 2,
        csat_responses: 40,
        nps_responses: 40,
        fcr_responses: 40,
        occupancy: 0.8,
        orphaned: 0,
      };
    };
    return {
      site: SITE,
      tz: TZ,
      as_of: new Date(asOfMs(frame)).toISOString(),
      definition_set: "sim",
      queues: queueIds.map((queue, t) => ({
        queue,
        channel: "voice",
        ...names(`queue:${queue}`),
        waiting: t === 0 ? counter(frame) : (value("waiting", frame, t) ?? 0),
        longest_waiting_s: value("longest_waiting_s", frame, t) ?? 0,
        breaching_soon: value("breaching_soon", frame, t) ?? 0,
        definition: { version: 1, sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8 },
        agents: {
          available: value("agents.available", frame, t) ?? 0,
          on_contact: value("agents.on_contact", frame, t) ?? 0,
          wrap_up: value("agents.wrap_up", frame, t) ?? 0,
          not_ready: value("agents.not_ready", frame, t) ?? 0,
          logged_in: 60,
        },
        windows: { "15m": windows(t, 0), "60m": windows(t, 1), today: windows(t, 2) },
        drill: { "15m": "", "60m": "", today: "" },
      })),
      drill_filters: {},
    };
  }

  /** GET /api/v1/live/trends at simulated second `frame`: today's quarter hours so far, 14 days. */
  function trendsAt(frame: number): TvTrends {
    const now = asOfMs(frame);
    const dayStart = intervalStart(TZ, "1d", now);
    const starts: number[] = [];
    for (let t = dayStart; t <= now; t += 900_000) starts.push(Math.floor(t / 1000));
    const days = Array.from({ length: 14 }, (_, d) =>
      Math.floor((dayStart - (13 - d) * 86_400_000) / 1000),
    );
    const layout = layoutOf(layoutVersionAt(frame));
    const series = (n: number, t: number, k: number, scale: number) =>
      Array.from({ length: n }, (_, i) =>
        noise(i, t, k) < 0.03 ? null : Math.round(noise(i, t, k + 1) * scale * 1000) / 1000,
      );
    const keys = tileKeys(layout);
    return {
      site: SITE,
      tz: TZ,
      as_of: new Date(now).toISOString(),
      layout_id: layout.id,
      today: {
        starts,
        tiles: Object.fromEntries(
          keys.map((key, t) => [
            key,
            {
              offered: series(starts.length, t, 1, 200).map((v) =>
                v === null ? null : Math.round(v),
              ),
              service_level: series(starts.length, t, 3, 1),
              max_wait_s: series(starts.length, t, 5, 600),
            },
          ]),
        ),
      },
      days: {
        starts: days,
        tiles: Object.fromEntries(
          keys.map((key, t) => [
            key,
            { csat: series(14, t, 7, 1), resolution_rate: series(14, t, 9, 1) },
          ]),
        ),
      },
    };
  }

  return { frameAt, snapshotAt, trendsAt, layoutVersionAt, counter, queueIds };
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".html": "text/html; charset=utf-8",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/** The text a tile's waiting figure shows: the new TV's data-tile, or the older data-queue. */
export const waitingSelector = (queue: string) =>
  `[data-tile="queue:${queue}"] [data-metric="waiting"], [data-queue="${queue}"] [data-metric="waiting"]`;

export async function runHeap(opts: HeapOptions): Promise<HeapResult> {
  const hours = opts.hours ?? 24;
  const perBurst = opts.framesPerBurst ?? 20;
  const burstMs = opts.burstMs ?? 50;
  const progress = opts.progress ?? (() => {});
  const total = Math.round(hours * 3600);
  const sim = makeSimulation(opts.queues ?? 24, Date.now());
  const indexHtml = readFileSync(join(opts.distDir, "index.html"));

  // ---------- the fake API and the page's files ----------
  let played = -1; // the last frame written
  let stream: { res: ServerResponse; tv: boolean } | null = null;
  let connections = 0;
  let trendsFetches = 0;
  /** When the page asked for the trends: the frame last written, seconds since the start. */
  const trendsAt: { frame: number; wallS: number }[] = [];
  const started = performance.now();
  let liveFetches = 0;
  let view = "";
  const unknown = new Set<string>();
  const framesAt = (i: number, tv: boolean) => {
    return tv ? sim.frameAt(i) : sim.snapshotAt(i);
  };
  const sseFrame = (i: number, tv: boolean) =>
    `id: ${Date.parse(sim.frameAt(0).as_of) + i * 1000}\nevent: ${tv ? "tv" : "snapshot"}\ndata: ${JSON.stringify(framesAt(i, tv))}\n\n`;

  const endStream = () => stream?.res.end();

  function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://x");
    const tv = url.searchParams.get("view") === "tv";
    const json = (body: unknown) => {
      res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/api/v1/live/stream") {
      connections++;
      view = tv ? "tv" : "snapshot";
      stream?.res.end();
      res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
      });
      res.write(`retry: 2000\n\n${sseFrame(Math.max(0, played), tv)}`);
      const mine = { res, tv };
      stream = mine;
      req.on("close", () => {
        if (stream === mine) stream = null;
      });
      return;
    }
    if (url.pathname === "/api/v1/live") {
      liveFetches++;
      return json(framesAt(Math.max(0, played), tv));
    }
    if (url.pathname === "/api/v1/live/trends") {
      trendsFetches++;
      trendsAt.push({ frame: played, wallS: Math.round(performance.now() - started) / 1000 });
      return json(sim.trendsAt(Math.max(0, played)));
    }
    if (url.pathname.startsWith("/api/")) {
      unknown.add(url.pathname);
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: "not_found", message: "not in the bench's fake API" }));
      return;
    }
    if (url.pathname.startsWith("/assets/") || url.pathname === "/favicon.svg") {
      const path = normalize(join(opts.distDir, url.pathname));
      if (!path.startsWith(opts.distDir)) return res.writeHead(400).end();
      try {
        const body = readFileSync(path);
        res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
        return res.end(body);
      } catch {
        return res.writeHead(404).end();
      }
    }
    res.writeHead(200, { "content-type": TYPES[".html"]!, "cache-control": "no-store" });
    res.end(indexHtml);
  }
  const server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** What the page shows of the first tile's waiting count (the frame's number mod 1,000). */
  let readShown: () => Promise<number | null> = async () => null;
  /** The last frame the page has rendered, as far as the last read knows. */
  let rendered = -1;
  async function readRendered(): Promise<number> {
    const n = await readShown();
    // The frame at or before the last one written whose number ends so (fewer than 1,000 in flight).
    if (n !== null && played >= 0) rendered = played - ((((played - n) % 1000) + 1000) % 1000);
    return rendered;
  }

  /** Writes frames up to `upTo`, at most perBurst per burstMs and IN_FLIGHT beyond the page. */
  async function playUntil(upTo: number) {
    let lastRead = 0;
    while (played < upTo) {
      const s = stream;
      if (!s) {
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const burstStart = performance.now();
      if (burstStart - lastRead > 100 || played - rendered >= IN_FLIGHT) {
        lastRead = burstStart;
        await readRendered();
        if (played - rendered >= IN_FLIGHT) {
          await new Promise((r) => setTimeout(r, 20));
          continue;
        }
      }
      let chunk = "";
      for (let k = 0; k < perBurst && played < upTo && played - rendered < IN_FLIGHT; k++)
        chunk += sseFrame(++played, s.tv);
      if (!s.res.write(chunk))
        await new Promise<void>((r) => {
          const done = () => {
            s.res.off("drain", done);
            s.res.off("close", done);
            r();
          };
          s.res.on("drain", done);
          s.res.on("close", done);
        });
      const left = burstMs - (performance.now() - burstStart);
      if (left > 0) await new Promise((r) => setTimeout(r, left));
    }
  }

  const context = await opts.browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const cdp = await context.newCDPSession(page);
  try {
    await page.goto(`${base}/?site=${SITE}#token=bench-fake-display-token`);
    const selector = waitingSelector(sim.queueIds[0]!);
    readShown = async () => {
      const text = await page.evaluate(
        (sel) => document.querySelector(sel)?.textContent?.trim() ?? "",
        selector,
      );
      return /^\d+$/.test(text) ? Number(text) : null;
    };
    // A heartbeat while the stream pauses for a measurement, as the real server sends them.
    const heartbeat = setInterval(() => stream?.res.write(": heartbeat\n\n"), 5_000);
    // Every 2 simulated hours, the first after 2 h of warm-up; the last at the end.
    const checkpoints: number[] = [];
    for (let f = 7200; f < total; f += 7200) checkpoints.push(f);
    checkpoints.push(total);
    const samples: HeapSample[] = [];
    const t0 = performance.now();
    try {
      for (const frame of checkpoints) {
        await playUntil(frame);
        // The page has rendered the last frame written: its count is on screen.
        for (const deadline = Date.now() + 60_000; (await readRendered()) !== frame; ) {
          if (Date.now() > deadline)
            throw new Error(
              `the page did not show frame ${frame}'s waiting count ${sim.counter(frame)} within 60 s (it shows ${await readShown()}; page errors: ${errors.slice(0, 3).join(" | ") || "none"})`,
            );
          await new Promise((r) => setTimeout(r, 50));
        }
        const wallS = (performance.now() - t0) / 1000;
        // At rest: the stream is paused here, but the page may still hold the frame it just
        // parsed, a trends answer in flight or a chart's pending redraw. A second to settle, then
        // the least of three forced-GC readings: what the page keeps, not what it is holding.
        await new Promise((r) => setTimeout(r, 1_000));
        const heap = { usedSize: Number.POSITIVE_INFINITY };
        for (let i = 0; i < 3; i++) {
          await cdp.send("HeapProfiler.collectGarbage");
          await cdp.send("HeapProfiler.collectGarbage");
          const used = (await cdp.send("Runtime.getHeapUsage")).usedSize;
          heap.usedSize = Math.min(heap.usedSize, used);
          await new Promise((r) => setTimeout(r, 300));
        }
        const dom = (await cdp.send("Memory.getDOMCounters")) as {
          nodes: number;
          jsEventListeners: number;
        };
        const elements = await page.evaluate(() => document.getElementsByTagName("*").length);
        samples.push({
          hour: frame / 3600,
          frame,
          heapUsedBytes: heap.usedSize,
          domNodes: dom.nodes,
          jsEventListeners: dom.jsEventListeners,
          elements,
          wallS,
        });
        progress(
          `heap: ${(frame / 3600).toFixed(1)} h simulated (${frame} frames in ${wallS.toFixed(0)} s, ${(frame / wallS).toFixed(0)} frames/s): ${(heap.usedSize / 2 ** 20).toFixed(2)} MiB used, ${dom.nodes} DOM nodes`,
        );
      }
    } finally {
      clearInterval(heartbeat);
    }
    const heaps = samples.map((s) => s.heapUsedBytes);
    const start = heaps[0]!;
    const end = heaps.at(-1)!;
    const max = Math.max(...heaps);
    const wallS = samples.at(-1)!.wallS;
    return {
      hours,
      frames: total,
      wallS,
      framesPerSecond: total / wallS,
      samples,
      start,
      end,
      max,
      growthPct: ((end - start) / start) * 100,
      maxGrowthPct: ((max - start) / start) * 100,
      domStart: samples[0]!.domNodes,
      domEnd: samples.at(-1)!.domNodes,
      layoutVersions: sim.layoutVersionAt(total),
      alertsFired: Math.floor(total / 120) + 1,
      streamConnections: connections,
      trendsFetches,
      trendsAt,
      liveFetches,
      unknown: [...unknown],
      view,
    };
  } finally {
    endStream();
    await context.close();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

// Alone: `tsx bench/wallboard-heap.ts` against wallboard/dist.
if (import.meta.url === `file://${process.argv[1]}`) {
  const browser = await launchChromium();
  try {
    const r = await runHeap({
      distDir: join(import.meta.dirname, "../wallboard/dist"),
      browser,
      hours: Number(process.env.BENCH_HEAP_HOURS ?? 24),
      progress: (l) => process.stderr.write(`${l}\n`),
    });
    console.log(JSON.stringify({ ...r, samples: undefined }, null, 2));
  } finally {
    await browser.close();
  }
  process.exit(0);
}
