// bench:wallboard's desk screens (issue #14, "Done when"): the time to first meaningful paint of
// each screen next to the API calls it makes, in the same run, and the JavaScript each screen adds
// to the TV's.
//
// Data, through the real path (contract events → Kafka → the ingest → ClickHouse; sites, queue
// names and a rule through the API as an admin makes them; breaches by the API's own evaluator):
//   floor   one site of 100 queues and 2,000 agents: every agent logged in on two queues and
//           changing state for the last 4 hours, 20 contacts per queue over those hours (2 still
//           waiting), surveys after some (bench/desk-floor.ts floorEvents); a rule "someone waits"
//           on every queue, evaluated twice, so the QA list has a breach per queue.
//   month   one site of 50 queues with 3 contacts per queue per local day of the whole previous
//           month (monthEvents): a daily report of every queue is 50 × the month's days rows.
//
// Each trial, for each screen in turn: the screen's API calls with bare fetch from this process
// (GET /me, as the shell asks first, then the screen's calls at once, as the screen makes them),
// then, a second later (the live snapshot's 500 ms sharing is over), the screen in a new browser
// context (1920×1080, nothing cached, the token in #token=) from navigation start to the screen's
// mark `floorwatch:ready:<name>` (ScreenRoot: set in the frame after its data has rendered), read
// with performance.getEntriesByName. The page's own Resource Timing of its /api/v1 calls is kept
// beside it: what the screen asked for, when each answer was in, and so how long the page took
// from the answer its mark waits for to the mark (validating and rendering). A later part of a
// screen (the supervisor's 2,000-row agents grid) is stamped the same way by an init script.
// Options: BENCH_DESK_TRIALS (7), BENCH_DESK_SCREENS (alone only: a comma list of screen names).
//
// Run alone: `tsx bench/wallboard-desk.ts` (a database, topics, ingest and API of its own);
// bench/wallboard.ts runs it in its own run, on its API and ingest.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { createApi, makeTokenStore, startServer } from "@floorwatch/api";
import { type Event, wallClock } from "@floorwatch/contracts";
import { startIngest } from "@floorwatch/ingest";
import type { ClickHouseClient, Logger } from "@floorwatch/sql";
import type { Kafka, Producer } from "kafkajs";
import type { Browser } from "playwright-core";
import { keyFor, topicFor } from "../test/support/corpus";
import { topicEnds, waitForIngested } from "../test/support/ingested";
import {
  floorAgents,
  floorEvents,
  floorQueues,
  type FloorQueue,
  monthEvents,
  previousMonth,
} from "./desk-floor";
import { fmt, fmtSpread, spread, type Spread } from "./stats";

export const DESK_FLOOR = {
  site: "desk-floor",
  queues: 100,
  agents: 2_000,
  contactsPerQueue: 20,
  hours: 4,
};
export const DESK_MONTH = { site: "desk-month", queues: 50, contactsPerQueuePerDay: 3 };
const TZ = "Asia/Shanghai";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DeskStack {
  url: string;
  adminToken: string;
  ch: ClickHouseClient;
  log: Logger;
  kafka: Kafka;
  producer: Producer;
  topics: { calls: string; chats: string; agents: string; surveys: string; dlq: string };
  groupId: string;
  browser: Browser;
  progress: (line: string) => void;
}

// ---------- the data ----------

export interface DeskData {
  events: number;
  floorEvents: number;
  monthEvents: number;
  seededS: number;
  month: { year: number; month: number; from: string; to: string; days: number };
  breaches: number;
  tokens: { supervisor: string; qa: string };
}

async function admin(stack: DeskStack, method: string, path: string, body: unknown) {
  const res = await fetch(`${stack.url}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 500)}`);
  return res.json() as Promise<unknown>;
}

async function configure(stack: DeskStack, site: string, name: string, queues: FloorQueue[]) {
  await admin(stack, "PUT", `/sites/${site}`, { name, tz: TZ });
  for (const q of queues)
    await admin(stack, "PUT", `/sites/${site}/queues/${q.queue}`, {
      channel: q.channel,
      name_zh: q.name_zh,
      name_en: q.name_en,
    });
}

/** Sends `events` in batches of 1,000 (a send of everything is more than a Kafka request may be). */
export async function produceEvents(
  stack: Pick<DeskStack, "producer" | "topics">,
  events: Event[],
) {
  for (let i = 0; i < events.length; i += 1_000) {
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const e of events.slice(i, i + 1_000)) {
      const topic = topicFor(e, stack.topics);
      byTopic.set(topic, [
        ...(byTopic.get(topic) ?? []),
        { key: keyFor(e), value: JSON.stringify(e) },
      ]);
    }
    await stack.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
  }
}

export async function seedDesk(stack: DeskStack): Promise<DeskData> {
  const t0 = performance.now();
  const now = Date.now();
  const fq = floorQueues(DESK_FLOOR.queues);
  const mq = floorQueues(DESK_MONTH.queues, "m");
  await configure(stack, DESK_FLOOR.site, "总部客服中心 (floor)", fq);
  await configure(stack, DESK_MONTH.site, "分中心 (month)", mq);
  const month = previousMonth(TZ, now);
  const floor = floorEvents({
    site: DESK_FLOOR.site,
    queues: fq,
    agents: floorAgents(DESK_FLOOR.agents, fq),
    nowMs: now,
    contactsPerQueue: DESK_FLOOR.contactsPerQueue,
    hours: DESK_FLOOR.hours,
  });
  const monthly = monthEvents({
    site: DESK_MONTH.site,
    tz: TZ,
    queues: mq,
    year: month.year,
    month: month.month,
    contactsPerQueuePerDay: DESK_MONTH.contactsPerQueuePerDay,
    nowMs: now,
  });
  stack.progress(
    `desk: producing ${fmt(floor.length)} floor events and ${fmt(monthly.length)} month events`,
  );
  await produceEvents(stack, [...floor, ...monthly]);
  const ends = await topicEnds(stack.kafka, [
    stack.topics.calls,
    stack.topics.agents,
    stack.topics.surveys,
  ]);
  await waitForIngested(
    { kafka: stack.kafka, config: { kafka: { groupId: stack.groupId } } } as Parameters<
      typeof waitForIngested
    >[0],
    ends,
    { timeoutMs: 600_000, groupId: stack.groupId },
  );
  // Breaches for the QA list: someone waits on every queue now, so this fires on each at once.
  await admin(stack, "POST", `/rules?site=${DESK_FLOOR.site}`, {
    kind: "threshold",
    name: "Someone waits",
    name_zh: "有客户在等待",
    severity: "warning",
    figure: "waiting",
    window: "now",
    scope: { kind: "each_queue" },
    comparator: ">",
    threshold: 0,
    for_s: 0,
    keep_firing_for_s: 3_600,
  });
  const { evaluator } = createApi({ ch: stack.ch, log: stack.log, liveTtlMs: 0 });
  await evaluator.tickOnce();
  await evaluator.tickOnce();
  await evaluator.stop();
  const tokens = makeTokenStore(stack.ch);
  const token = async (role: "supervisor" | "qa", sites: string[]) =>
    (
      await tokens.create(
        { name: `bench desk ${role}`, role, sites, pii: false, layout: "" },
        "bench",
      )
    ).token;
  const data: DeskData = {
    events: floor.length + monthly.length,
    floorEvents: floor.length,
    monthEvents: monthly.length,
    seededS: (performance.now() - t0) / 1000,
    month: {
      year: month.year,
      month: month.month,
      from: ymd(month.year, month.month),
      to: ymd(month.month === 12 ? month.year + 1 : month.year, (month.month % 12) + 1),
      days: Math.round((month.to - month.from) / 86_400_000),
    },
    breaches: 0,
    tokens: {
      supervisor: await token("supervisor", [DESK_FLOOR.site, DESK_MONTH.site]),
      qa: await token("qa", [DESK_FLOOR.site]),
    },
  };
  const list = (await (
    await fetch(`${stack.url}/api/v1/breaches?site=${DESK_FLOOR.site}&${breachRange(now)}`, {
      headers: { authorization: `Bearer ${data.tokens.qa}` },
    })
  ).json()) as { breaches?: unknown[] };
  data.breaches = list.breaches?.length ?? 0;
  stack.progress(
    `desk: seeded in ${data.seededS.toFixed(0)} s: ${fmt(data.events)} events, ${data.breaches} breaches`,
  );
  return data;
}

const ymd = (y: number, m: number, d = 1) =>
  `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
/**
 * The QA list's default range as the screen asks it: the site's last 7 local days, `to` the day
 * after today (qa/filters.ts), up to 1,000 breaches.
 */
function breachRange(now: number): string {
  return `from=${localDay(now - 6 * 86_400_000)}&to=${localDay(now + 86_400_000)}&limit=1000`;
}

/** The site's local date of an instant. */
function localDay(ms: number): string {
  const w = wallClock(TZ, ms);
  return ymd(w.y, w.mo, w.d);
}

// ---------- the screens and their calls ----------

export interface DeskScreen {
  /** ScreenRoot's name. */
  name: string;
  label: string;
  /** The page opened. */
  path: string;
  token: "supervisor" | "qa";
  /** The screen's calls after GET /me, made at once. */
  calls: string[];
  /** The call whose answer the ready mark waits for (a path); none for a screen without data. */
  main?: string;
  /** A later part of the screen timed too (in the frame after `selector` first matches). */
  also?: { label: string; selector: string };
}

export function deskScreens(data: DeskData, now = Date.now()): DeskScreen[] {
  const f = DESK_FLOOR.site;
  const m = DESK_MONTH.site;
  const month = `site=${m}&from=${data.month.from}&to=${data.month.to}&interval=1d`;
  return [
    {
      name: "signin",
      label: "sign-in (no data: the shell and GET /me)",
      path: "/signin",
      token: "supervisor",
      calls: [],
    },
    {
      name: "supervisor",
      label: `supervisor, ${DESK_FLOOR.queues} queues × ${fmt(DESK_FLOOR.agents)} agents`,
      path: `/supervisor?site=${f}`,
      token: "supervisor",
      // What it asks at once on opening (the trend follows once a queue is chosen).
      main: "/live",
      calls: [
        `/live?site=${f}`,
        `/agents?site=${f}`,
        `/alerts?site=${f}`,
        `/followups?site=${f}&status=open&limit=1000`,
        `/followups?site=${f}&status=overdue&from=${localDay(now - 30 * 86_400_000)}&limit=1000`,
      ],
      also: {
        label: `agents grid (${fmt(DESK_FLOOR.agents)} rows)`,
        selector: `table[data-testid="agents"][data-rows="${DESK_FLOOR.agents}"]`,
      },
    },
    {
      name: "reports",
      label: `reports, ${DESK_MONTH.queues} queues × ${data.month.days} days (1d)`,
      path: `/reports?${month}`,
      token: "supervisor",
      calls: [`/sites/${m}/queues`, `/reports/intervals?${month}`],
      main: "/reports/intervals",
    },
    {
      name: "qa",
      label: `QA breach list, ${data.breaches} breaches`,
      path: `/qa?site=${f}`,
      token: "qa",
      calls: [`/sites/${f}/queues`, `/breaches?site=${f}&${breachRange(now)}`],
      main: "/breaches",
    },
  ];
}

interface PageCall {
  path: string;
  start: number;
  end: number;
  bytes: number;
}
interface ScreenTrial {
  ready: number;
  also: number | null;
  fcp: number | null;
  calls: PageCall[];
}
interface ApiTrial {
  /** GET /me, then the screen's calls at once: the whole chain (ms). */
  chain: number;
  me: number;
  /** Each call of the screen, in the same chain. */
  each: Record<string, number>;
  bytes: Record<string, number>;
}

async function timeFetch(url: string, token: string) {
  const t = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${body.slice(0, 300)}`);
  return { ms: performance.now() - t, bytes: Buffer.byteLength(body) };
}

async function apiTrial(url: string, s: DeskScreen, token: string): Promise<ApiTrial> {
  const t = performance.now();
  const me = await timeFetch(`${url}/api/v1/me`, token);
  const calls = await Promise.all(s.calls.map((c) => timeFetch(`${url}/api/v1${c}`, token)));
  return {
    chain: performance.now() - t,
    me: me.ms,
    each: Object.fromEntries(s.calls.map((c, i) => [c, calls[i]!.ms])),
    bytes: Object.fromEntries(s.calls.map((c, i) => [c, calls[i]!.bytes])),
  };
}

async function screenTrial(
  browser: Browser,
  url: string,
  s: DeskScreen,
  token: string,
): Promise<ScreenTrial> {
  const context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    locale: "en-US",
  });
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    // Stamped as ScreenRoot stamps its mark: after the frame that shows it has been painted.
    if (s.also)
      await page.addInitScript(`(() => {
        const obs = new MutationObserver(() => {
          if (!document.querySelector(${JSON.stringify(s.also.selector)})) return;
          obs.disconnect();
          requestAnimationFrame(() => setTimeout(() => { window.__also = performance.now(); }, 0));
        });
        obs.observe(document, { subtree: true, childList: true, attributes: true });
      })()`);
    await page.goto(`${url}${s.path}#token=${encodeURIComponent(token)}`);
    const mark = `floorwatch:ready:${s.name}`;
    await page
      .waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, {
        timeout: 120_000,
      })
      .catch(async (err: unknown) => {
        throw new Error(
          `${s.path}: no mark ${mark} (${String(err).split("\n")[0]}); page errors: ${errors.join(" | ") || "none"}; shows: ${(await page.evaluate(() => document.body.textContent ?? "")).slice(0, 400)}`,
        );
      });
    if (s.also)
      await page.waitForFunction(
        () => (window as unknown as { __also?: number }).__also !== undefined,
        undefined,
        { timeout: 120_000 },
      );
    // A string, not a function: tsx would wrap a function's inner functions in a helper the page lacks.
    return (await page.evaluate(`(() => {
      const mark = performance.getEntriesByName(${JSON.stringify(mark)})[0];
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      const calls = performance.getEntriesByType("resource")
        .filter((r) => r.name.includes("/api/v1/"))
        .map((r) => ({ path: new URL(r.name).pathname.replace("/api/v1", "") + new URL(r.name).search, start: r.startTime, end: r.responseEnd, bytes: r.encodedBodySize }));
      return { ready: mark.startTime, also: window.__also ?? null, fcp: fcp ? fcp.startTime : null, calls };
    })()`)) as ScreenTrial;
  } finally {
    await context.close();
  }
}

export interface DeskScreenResult {
  name: string;
  label: string;
  path: string;
  calls: string[];
  main?: string;
  ready: Spread;
  /** In the page, from its main call's answer (responseEnd) to the ready mark: validating and rendering. */
  afterMain: Spread | null;
  also: { label: string; at: Spread } | null;
  fcp: Spread | null;
  chain: Spread;
  me: Spread;
  each: Record<string, Spread>;
  bytes: Record<string, number>;
  /** ready median / chain median. */
  ratio: number;
  /** The page's own /api/v1 calls in its median trial. */
  pageCalls: PageCall[];
  raw: { screen: ScreenTrial[]; api: ApiTrial[] };
}

export async function measureDesk(
  stack: DeskStack,
  data: DeskData,
  trials: number,
  only?: readonly string[],
): Promise<DeskScreenResult[]> {
  const screens = deskScreens(data).filter((s) => !only?.length || only.includes(s.name));
  const out: DeskScreenResult[] = [];
  for (const s of screens) {
    const token = data.tokens[s.token];
    // Warm-up, not counted: the first read of a table after the seeding pays for its marks.
    await apiTrial(stack.url, s, token);
    await screenTrial(stack.browser, stack.url, s, token);
    const screen: ScreenTrial[] = [];
    const api: ApiTrial[] = [];
    for (let i = 0; i < trials; i++) {
      api.push(await apiTrial(stack.url, s, token));
      await sleep(1_000);
      screen.push(await screenTrial(stack.browser, stack.url, s, token));
      await sleep(1_000);
      stack.progress(
        `desk ${s.name} ${i + 1}/${trials}: ready ${fmt(screen.at(-1)!.ready)} ms, API chain ${fmt(api.at(-1)!.chain)} ms`,
      );
    }
    const ready = spread(screen.map((t) => t.ready));
    const chain = spread(api.map((t) => t.chain));
    const fcps = screen.map((t) => t.fcp).filter((v): v is number => v !== null);
    const alsos = screen.map((t) => t.also).filter((v): v is number => v !== null);
    const afterMain = screen.map((t) => {
      const answered = t.calls.find((c) => c.path.split("?")[0] === s.main);
      if (s.main && !answered) throw new Error(`${s.path}: the page made no ${s.main} call`);
      return answered ? t.ready - answered.end : null;
    });
    const median = [...screen].sort((a, b) => a.ready - b.ready)[screen.length >> 1]!;
    out.push({
      name: s.name,
      label: s.label,
      path: s.path,
      calls: s.calls,
      main: s.main,
      ready,
      afterMain: s.main ? spread(afterMain as number[]) : null,
      also: s.also && alsos.length ? { label: s.also.label, at: spread(alsos) } : null,
      fcp: fcps.length ? spread(fcps) : null,
      chain,
      me: spread(api.map((t) => t.me)),
      each: Object.fromEntries(s.calls.map((c) => [c, spread(api.map((t) => t.each[c]!))])),
      bytes: api[0]!.bytes,
      ratio: ready.median / chain.median,
      pageCalls: median.calls,
      raw: { screen, api },
    });
  }
  return out;
}

// ---------- JavaScript ----------

export interface ChunkSize {
  file: string;
  bytes: number;
  gzipBytes: number;
}
export interface DeskJs {
  /** The TV route's initial JavaScript: index.html's module script, its modulepreloads and their imports. */
  tv: { files: ChunkSize[]; gzipBytes: number };
  /** Per lazy chunk of a desk page: its own size, and all it loads beyond the TV's (the shell, shared chunks). */
  screens: { chunk: string; own: ChunkSize; beyondTv: { files: string[]; gzipBytes: number } }[];
}

/** Sizes of the built wallboard's JavaScript, each gzipped (level 9) as the TV's budget counts it. */
export function deskJs(dist: string): DeskJs {
  const assets = join(dist, "assets");
  const size = (file: string): ChunkSize => {
    const body = readFileSync(join(assets, file));
    return { file, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  };
  /** `file` and every chunk it imports statically, transitively. */
  const closure = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(join(assets, file), "utf8");
    for (const m of text.matchAll(/\bimport\s*(?:[^"'`()]*?from\s*)?["']\.\/([\w.-]+\.js)["']/g))
      closure(m[1]!, seen);
    return seen;
  };
  const html = readFileSync(join(dist, "index.html"), "utf8");
  const entries = [
    ...html.matchAll(/<script\b[^>]*type="module"[^>]*src="\/assets\/([^"]+)"/g),
    ...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="\/assets\/([^"]+)"/g),
  ].map((m) => m[1]!);
  const tv = new Set<string>();
  for (const e of entries) closure(e, tv);
  const tvFiles = [...tv].map(size);
  const shell = readdirSync(assets).find((f) => /^Shell-[\w-]+\.js$/.test(f));
  const screens = readdirSync(assets)
    .filter((f) => f.endsWith(".js") && !tv.has(f))
    .filter((f) =>
      /^(SignIn|Supervisor|Qa|Breach|Reports|Contacts|Contact|Shell)-[\w-]+\.js$/.test(f),
    )
    .map((chunk) => {
      const needs = closure(chunk);
      if (shell) closure(shell, needs);
      const beyond = [...needs].filter((f) => !tv.has(f));
      return {
        chunk: chunk.replace(/-[\w-]+\.js$/, ""),
        own: size(chunk),
        beyondTv: { files: beyond, gzipBytes: beyond.reduce((n, f) => n + size(f).gzipBytes, 0) },
      };
    });
  return {
    tv: { files: tvFiles, gzipBytes: tvFiles.reduce((n, f) => n + f.gzipBytes, 0) },
    screens,
  };
}

// ---------- report ----------

/** A call named by its path, and its status filter when it has one (two follow-up lists). */
function callLabel(path: string): string {
  const [p, q] = path.split("?");
  const status = new URLSearchParams(q).get("status");
  return status ? `${p} (${status})` : p!;
}

export function deskReport(
  data: DeskData,
  results: DeskScreenResult[],
  js: DeskJs,
  trials: number,
): string[] {
  const lines: string[] = [];
  const kib = (b: number) => fmt(b / 1024, 1);
  lines.push(
    `\ndesk screens (issue #14): site ${DESK_FLOOR.site} ${DESK_FLOOR.queues} queues, ${fmt(DESK_FLOOR.agents)} agents, ${fmt(data.floorEvents)} events of the last ${DESK_FLOOR.hours} h, ${data.breaches} breaches; site ${DESK_MONTH.site} ${DESK_MONTH.queues} queues × ${data.month.days} days of ${data.month.from} (${DESK_MONTH.contactsPerQueuePerDay} contacts per queue per day, ${fmt(data.monthEvents)} events); all through Kafka and the ingest in ${fmt(data.seededS)} s\n`,
  );
  lines.push(
    `navigation start → floorwatch:ready:<screen> in a new context (1920×1080), vs the same calls by bare fetch (GET /me, then the screen's calls at once); ms, min / median / max of ${trials}:\n`,
  );
  lines.push(
    "| screen | → ready | first contentful paint | main answer in → ready (validate, render) | API: /me then the screen's calls | the screen's calls, each | answer bytes | ready / API (median) |",
  );
  lines.push("|---|---:|---:|---:|---:|---|---:|---:|");
  for (const r of results)
    lines.push(
      `| ${r.label} | ${fmtSpread(r.ready)} | ${r.fcp ? fmtSpread(r.fcp) : "–"} | ${r.afterMain ? `${r.main} ${fmtSpread(r.afterMain)}` : "–"} | ${fmtSpread(r.chain)} | ${
        r.calls.map((c) => `${callLabel(c)} ${fmtSpread(r.each[c]!)}`).join("; ") ||
        `/me ${fmtSpread(r.me)}`
      } | ${r.calls.map((c) => fmt(r.bytes[c]!)).join(" + ") || "–"} | ${fmt(r.ratio, 2)} |`,
    );
  for (const r of results)
    if (r.also)
      lines.push(
        `\n${r.name}: → ${r.also.label} ${fmtSpread(r.also.at)} ms; / API (median) ${fmt(r.also.at.median / r.chain.median, 2)}`,
      );
  lines.push(
    "\nthe page's own /api/v1 calls in its median trial (ms after navigation start, start → end):",
  );
  for (const r of results)
    lines.push(
      `- ${r.name} (ready ${fmt(r.ready.median)}): ${r.pageCalls.map((c) => `${callLabel(c.path)} ${fmt(c.start)} → ${fmt(c.end)}`).join(", ") || "none"}`,
    );
  lines.push(
    `\nJavaScript (gzip level 9): the TV route ${kib(js.tv.gzipBytes)} KiB (${js.tv.files.map((f) => f.file).join(", ")}), budget 150 KiB: within ${js.tv.gzipBytes <= 150 * 1024 ? "yes" : "**no**"}; lazy chunks, own / with everything they load beyond the TV's:`,
  );
  for (const s of js.screens)
    lines.push(
      `- ${s.chunk}: ${kib(s.own.gzipBytes)} KiB / ${kib(s.beyondTv.gzipBytes)} KiB (${s.beyondTv.files.join(", ")})`,
    );
  return lines;
}

// ---------- alone ----------

if (import.meta.url === `file://${process.argv[1]}`) {
  // @ts-expect-error plain-JS provisioning script, no types
  const { up } = await import("../scripts/services.mjs");
  // @ts-expect-error plain-JS build helper, no types
  const { ensureWallboardBuilt } = await import("../scripts/wallboard.mjs");
  const { createHarness } = await import("../test/support/harness");
  const { launchChromium } = await import("./wallboard-heap");
  const { record } = await import("./stats");
  await up();
  ensureWallboardBuilt();
  const dist = mkdtempSync(join(tmpdir(), "fw-bench-desk-"));
  cpSync(join(import.meta.dirname, "../wallboard/dist"), dist, { recursive: true });
  const h = await createHarness("bench_desk");
  const ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
  const adminToken = `bench-admin-${Date.now()}`;
  const server = await startServer({
    ch: h.ch,
    log: h.log,
    port: 0,
    host: "127.0.0.1",
    adminToken,
    wallboardDir: dist,
  });
  const browser = await launchChromium();
  const producer = h.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const trials = Number(process.env.BENCH_DESK_TRIALS ?? 7);
  try {
    const stack: DeskStack = {
      url: server.url,
      adminToken,
      ch: h.ch,
      log: h.log,
      kafka: h.kafka,
      producer,
      topics: h.config.topics,
      groupId: h.config.kafka.groupId,
      browser,
      progress: (l) => process.stderr.write(`${l}\n`),
    };
    const data = await seedDesk(stack);
    const only = process.env.BENCH_DESK_SCREENS?.split(",").filter(Boolean);
    const results = await measureDesk(stack, data, trials, only);
    const js = deskJs(dist);
    for (const l of deskReport(data, results, js, trials)) console.log(l);
    console.log(
      `\nrecorded in ${record("wallboard-desk", { trials, data: { ...data, tokens: undefined }, results, js })}`,
    );
  } finally {
    await producer.disconnect();
    await browser.close();
    await server.close();
    await ingest.stop();
    await h.cleanup();
    rmSync(dist, { recursive: true, force: true });
  }
  process.exit(0);
}
