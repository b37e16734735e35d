// `npm run screenshots`: the TV wallboard as a floor sees it, saved for the README. Starts the
// real stack (Kafka and ClickHouse as `npm start` runs them, a database and topics of its own, the
// ingest, an api whose alert evaluator ticks), replays ten hours of the demo floor (the simulator's
// contacts, agents and surveys) after its two weeks of survey history, and saves the TV at
// 1920x1080 and 3840x2160 in zh-CN and en to docs/screenshots/tv-<lang>-<w>x<h>.png. Everything it made is removed afterwards.
//
// Then the desk screens (issue #14) of the same floor, signed in as its duty supervisor (an admin
// token: every screen, personal data masked), saved as docs/screenshots/<screen>-<lang>-<w>x<h>.png:
// sign-in, supervisor, qa (breach list), breach (one breach's page), reports (the previous month by
// day) and contacts (the drill list behind a report figure). For them the floor also gets a whole
// previous month of contacts (bench/desk-floor.ts monthEvents, volumes by queue), low-score
// surveys a day or more old that were followed up or were not (the default follow-up rule makes
// breaches of those overdue), two rules of its own that fire on today's figures, and one alert
// acknowledged with a note.
// `npm run screenshots -- desk` shoots only the desk screens (`-- desk qa,reports`: those two);
// `-- tv` only the TV.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { AlertList, BreachList, type Event, ReportResponse } from "@floorwatch/contracts";
import { startIngest } from "@floorwatch/ingest";
import type { Browser, Page } from "playwright-core";
import { type FloorQueue, monthEvents, previousMonth, rng } from "../../bench/desk-floor";
import { configureDemoQueues } from "../../ingest/src/demo/queues";
import {
  DEMO_AGENTS,
  DEMO_QUEUES,
  demoSurveyHistory,
  makeDemoSimulator,
} from "../../ingest/src/demo/simulator";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../../scripts/services.mjs";
// @ts-expect-error plain-JS build helper, no types
import { ensureWallboardBuilt } from "../../scripts/wallboard.mjs";
import { asAdmin, seenSites, storedToken } from "./api";
import { launchBrowser, startEvaluatingWallboardServer } from "./browser";
import { deskUrl, type DeskLang } from "./desk";
import { answered, produceAll, queued, survey } from "./events";
import { createHarness } from "./harness";
import { waitForIngested } from "./ingested";

const out = join(import.meta.dirname, "../../docs/screenshots");
const SIZES = [
  [1920, 1080],
  [3840, 2160],
] as const;
const LANGS = ["zh-CN", "en"] as const;
const only = process.argv[2] as "tv" | "desk" | undefined;
/** `-- desk qa,breach`: those desk screens only. */
const deskOnly = process.argv[3]?.split(",");
const H = 3_600_000;
const demoQueues: FloorQueue[] = DEMO_QUEUES.map((q) => ({
  queue: q.queue,
  channel: q.channel,
  name_zh: q.name_zh,
  name_en: q.name_en,
}));
const DEMO_AGENT_IDS = DEMO_AGENTS.map((a) => a.agent_id);

await up();
ensureWallboardBuilt();
const h = await createHarness("screenshots");
const site = "demo";
const ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
// Started once the history is in: an evaluator ticking while ten hours arrive in bulk sees
// contacts queued whose answers are not in yet, and fires alerts the floor never had.
let evaluating: Awaited<ReturnType<typeof startEvaluatingWallboardServer>> | undefined;
const browser = await launchBrowser();
try {
  const now = Date.now();
  await seenSites(h.ch, [site]);
  await configureDemoQueues(h.ch, site, DEMO_QUEUES, now - 4 * 3_600_000);
  // Ten hours of the demo floor up to now (later events stay pending): agents logging in, taking
  // contacts and breaks, surveys after wrap-up; before it, 14 days of surveys for the day trends.
  const startMs = now - 10 * 3_600_000;
  const sim = makeDemoSimulator({ site, startMs, seed: 12 });
  const events: Event[] = [
    ...demoSurveyHistory({ site, untilMs: startMs, seed: 12 }),
    ...sim.due(now),
    ...(only === "tv" ? [] : [...previousMonthOf(now), ...followupHistory(now)]),
  ];
  // In batches: one send of everything is larger than a Kafka message may be.
  for (let i = 0; i < events.length; i += 500)
    await produceAll(h.kafka, h.config.topics, events.slice(i, i + 500));
  await waitForIngested(h, undefined, { timeoutMs: 300_000 });
  const server = await startEvaluatingWallboardServer(h, { tickMs: 2_000 });
  evaluating = server;

  // The traffic goes on while the pictures are taken, so the waits are live.
  const live = setInterval(() => {
    const due = sim.due(Date.now());
    if (due.length) void produceAll(h.kafka, h.config.topics, due).catch(() => {});
  }, 500);
  try {
    mkdirSync(out, { recursive: true });
    if (only !== "desk") await tvShots(server.url);
    if (only !== "tv") await deskShots(server.url, now);
  } finally {
    clearInterval(live);
  }
} finally {
  await browser.close();
  await evaluating?.close();
  await ingest.stop();
  await h.cleanup();
}

async function tvShots(url: string) {
  // The floor's layout: every queue, then the channels, with today's service level and 14 days of CSAT.
  const put = await fetch(`${url}/api/v1/layouts/floor?site=${site}`, {
    method: "PUT",
    headers: { ...asAdmin.headers, "content-type": "application/json" },
    body: JSON.stringify({
      name: "Floor 1",
      tiles: [...DEMO_QUEUES.map((q) => `queue:${q.queue}`), "channel:voice", "channel:chat"],
      trends: ["service_level", "csat"],
      per_page: 12,
      distance_m: 5,
    }),
  });
  if (!put.ok) throw new Error(`layout: ${put.status} ${await put.text()}`);
  const display = await storedToken(h.ch, "display", { sites: [site], layout: "floor" });
  for (const lang of LANGS)
    for (const [width, height] of SIZES) {
      // Reduced motion: no state pulse caught half-way in a still picture.
      const page = await browser.newPage({
        viewport: { width, height },
        reducedMotion: "reduce",
      });
      await page.goto(`${url}/?site=${site}&lang=${lang}#token=${display.token}`);
      await page.waitForFunction(
        () =>
          document.querySelectorAll("[data-tile]").length > 0 &&
          [...document.querySelectorAll("[data-trend]")].some(
            (e) => Number(e.getAttribute("data-points")) > 0,
          ) &&
          !document.querySelector('[data-testid="stale"]'),
        undefined,
        { timeout: 30_000 },
      );
      const path = join(out, `tv-${lang}-${width}x${height}.png`);
      await page.screenshot({ path });
      process.stderr.write(`[screenshots] ${path}\n`);
      await page.close();
    }
}

// ---------- the desk screens ----------

/** The previous month of the demo floor: each queue's usual volume a day, in business hours. */
function previousMonthOf(nowMs: number): Event[] {
  const { year, month } = previousMonth("Asia/Shanghai", nowMs);
  const perDay = new Map(DEMO_QUEUES.map((q) => [q.queue, q.arrivalsPerMin * 12]));
  const noise = rng(7);
  return monthEvents({
    site,
    tz: "Asia/Shanghai",
    queues: demoQueues,
    year,
    month,
    contactsPerQueuePerDay: 10,
    // Weekdays busier than weekends, as a bank's lines are, and no two days alike.
    contactsOn: (q, d) => {
      const weekday = new Date(Date.UTC(year, month - 1, d)).getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? 0.5 : 1;
      return Math.round((perDay.get(q.queue) ?? 10) * weekend * (0.7 + 0.6 * noise()));
    },
    agents: DEMO_AGENT_IDS,
    nowMs,
    seed: 10,
  });
}

/**
 * Low scores a day or more old: some followed up by an outbound call (met), some by the customer
 * calling back and being answered (met), the others not (overdue), so the follow-ups show each.
 */
function followupHistory(nowMs: number): Event[] {
  const out: Event[] = [];
  const cases: { queue: string; hoursAgo: number; csat: number; met?: "outbound" | "answered" }[] =
    [
      { queue: "loans", hoursAgo: 30, csat: 1, met: "outbound" },
      { queue: "complaint", hoursAgo: 28, csat: 2, met: "answered" },
      { queue: "credit_card", hoursAgo: 33, csat: 1 },
      { queue: "complaint", hoursAgo: 40, csat: 1 },
      { queue: "online_chat", hoursAgo: 27, csat: 2, met: "outbound" },
      { queue: "loans", hoursAgo: 50, csat: 2 },
    ];
  cases.forEach((c, i) => {
    const at = nowMs - c.hoursAgo * H;
    const contact = `fu-${i}`;
    const customer = `cu-9${String(i).padStart(5, "0")}`;
    const agent = DEMO_AGENT_IDS[(i * 7) % DEMO_AGENT_IDS.length]!;
    out.push(
      queued({
        site,
        at: at - 12 * 60_000,
        contact,
        queue: c.queue,
        customer,
        phone: `1381234${String(5670 + i)}`,
      }),
      answered({ site, at: at - 11 * 60_000, contact, queue: c.queue, agent }),
      survey({
        site,
        at,
        contact,
        queue: c.queue,
        survey: `s-fu-${i}`,
        agent,
        csat: c.csat,
        resolved: false,
        comment: "问题没有解决，等了很久",
      }),
    );
    if (c.met) {
      const back = `fu-${i}-back`;
      const t = at + 3 * H;
      out.push(
        queued({
          site,
          at: t,
          contact: back,
          queue: c.queue,
          customer,
          outbound: c.met === "outbound",
        }),
      );
      out.push(answered({ site, at: t + 20_000, contact: back, queue: c.queue, agent }));
    }
  });
  return out;
}

async function deskShots(url: string, nowMs: number) {
  const headers = { ...asAdmin.headers, "content-type": "application/json" };
  const call = async <T>(
    path: string,
    init: RequestInit = {},
    parse?: { parse(v: unknown): T },
  ) => {
    const res = await fetch(`${url}/api/v1${path}`, { ...init, headers });
    const text = await res.text();
    if (!res.ok)
      throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return parse ? parse.parse(JSON.parse(text)) : (JSON.parse(text) as T);
  };
  // Rules of the floor's own that today's figures break (beside the default rules, the follow-up
  // rule among them): breaches to list.
  const rules = [
    {
      kind: "threshold",
      name: "Service level today at target",
      name_zh: "今日服务水平达标",
      severity: "critical",
      figure: "service_level",
      window: "today",
      scope: { kind: "each_queue" },
      comparator: "<",
      threshold: "sl_target",
      min_volume: 20,
      for_s: 0,
    },
    {
      kind: "threshold",
      name: "Abandon rate today at most 5 %",
      name_zh: "今日放弃率不超过5%",
      severity: "warning",
      figure: "abandon_rate",
      window: "today",
      scope: { kind: "each_queue" },
      comparator: ">",
      threshold: 0.05,
      min_volume: 20,
      for_s: 0,
    },
  ];
  for (const r of rules)
    await call(`/rules?site=${site}`, { method: "POST", body: JSON.stringify(r) });
  // Firing alerts, one of them taken on by the duty supervisor.
  const firing = await poll(async () => {
    const list = await call(`/alerts?site=${site}`, {}, AlertList);
    const f = list.alerts.filter((a) => a.state === "firing");
    return f.length >= 3 ? f : null;
  }, "three firing alerts");
  const token = await storedToken(h.ch, "admin", { sites: [site], name: "值班主管 张敏" });
  const taken = firing.find((a) => a.figure === "service_level") ?? firing[0]!;
  const ack = await fetch(`${url}/api/v1/alerts/${taken.id}/ack`, {
    method: "POST",
    headers: { authorization: `Bearer ${token.token}`, "content-type": "application/json" },
    body: JSON.stringify({
      site,
      note: "已从信用卡组调两名坐席支援 / two agents moved over from cards",
    }),
  });
  if (!ack.ok) throw new Error(`ack: ${ack.status} ${await ack.text()}`);

  const week = `from=${new Date(nowMs - 7 * 24 * H).toISOString()}&to=${new Date(nowMs + 24 * H).toISOString()}`;
  const breaches = await call(`/breaches?site=${site}&${week}`, {}, BreachList);
  const breach =
    breaches.breaches.find((b) => b.figure === "service_level" && b.ended_at === null) ??
    breaches.breaches[0];
  if (!breach) throw new Error("no breach to show");
  const month = previousMonth("Asia/Shanghai", nowMs);
  const first = (y: number, m: number) => `${y}-${String(m).padStart(2, "0")}-01`;
  const next = month.month === 12 ? first(month.year + 1, 1) : first(month.year, month.month + 1);
  const monthQuery = `site=${site}&from=${first(month.year, month.month)}&to=${next}&interval=1d`;
  const report = await call(`/reports/intervals?${monthQuery}`, {}, ReportResponse);
  const busiest = [...report.rows].sort((a, b) => b.offered - a.offered)[0];
  if (!busiest) throw new Error("the month report has no rows");

  const screens: { name: string; path: string }[] = [
    { name: "signin", path: "/signin" },
    { name: "supervisor", path: `/supervisor?site=${site}` },
    { name: "qa", path: `/qa?site=${site}` },
    { name: "breach", path: `/qa/breaches/${breach.id}?site=${site}` },
    { name: "reports", path: `/reports?${monthQuery}` },
    { name: "contacts", path: contactsPath(busiest.drill, report.drill_filters.offered) },
  ];
  for (const s of screens.filter((x) => !deskOnly || deskOnly.includes(x.name)))
    for (const lang of LANGS)
      for (const [width, height] of SIZES) {
        const page = await openScreen(browser, url, s.path, token.token, lang, width, height);
        try {
          await page.waitForSelector(`[data-screen="${s.name}"][data-ready="true"]`, {
            timeout: 60_000,
          });
          await settled(page);
          const path = join(out, `${s.name}-${lang}-${width}x${height}.png`);
          await page.screenshot({ path });
          process.stderr.write(`[screenshots] ${path}\n`);
        } finally {
          await page.context().close();
        }
      }
}

/** The drill list's page (`/contacts?site=…&drill=…`, as a report's number links it) of a row's figure. */
function contactsPath(drill: string, filter: string | undefined): string {
  return `/contacts?site=${site}&drill=${encodeURIComponent(`${drill}&${filter ?? ""}`)}`;
}

async function openScreen(
  b: Browser,
  url: string,
  path: string,
  token: string,
  lang: DeskLang,
  width: number,
  height: number,
): Promise<Page> {
  const context = await b.newContext({
    viewport: { width, height },
    deviceScaleFactor: 1,
    locale: lang === "zh-CN" ? "zh-CN" : "en-US",
    timezoneId: "Asia/Shanghai",
    reducedMotion: "reduce",
  });
  const page = await context.newPage();
  await page.goto(`${url}${deskUrl(url, path, token, lang)}`);
  return page;
}

/** Ready, and every panel's first answer in: nothing loading, every chart drawn. */
async function settled(page: Page) {
  await page.waitForFunction(
    () =>
      !document.querySelector('[aria-busy="true"], [data-loading="true"], .loading') &&
      [...document.querySelectorAll("canvas")].every((c) => c.width > 0),
    undefined,
    { timeout: 30_000 },
  );
  // Fonts of both scripts in, so no fallback glyph is caught in a still picture.
  await page.evaluate(() => document.fonts.ready);
}

async function poll<T>(
  probe: () => Promise<T | null>,
  what: string,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== null) return v;
    if (Date.now() > deadline)
      throw new Error(`screenshots: ${what} not seen within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
