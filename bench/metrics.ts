// npm run bench:metrics: the read side of the metrics engine at the sizes the metrics issue names,
// each next to the bare ClickHouse query that reads the same rollup rows, in the same run.
//
//   live snapshot   one site, 100 queues, 2,000 agents, 1 million events today
//   fan-out         1, 100 and 500 wallboards asking for that snapshot at once: ClickHouse work
//   month report    1d over a month with 10 million events, 50 queues
//   day report      15m over one day of that month, 50 queues
//
// The facts are generated straight into the fact tables (the materialized views fill the rollups
// as in production): deriving 11 million events through Kafka would measure the ingest, which
// bench:ingest does. Options: BENCH_RUNS (default 5), BENCH_MONTH_EVENTS (10,000,000),
// BENCH_DAY_EVENTS (1,000,000), BENCH_KEEP=1 (keep the database, for profiling its statements).
import { createApp } from "@floorwatch/api";
import { computeLive } from "../api/src/metrics/live";
import { loadSiteConfig } from "../api/src/metrics/config";
import { buildReport } from "../api/src/metrics/report";
import { intervalStart, wallClock } from "@floorwatch/contracts";
import { createClickHouse, createLogger, dropDatabase, ident, insertRows, migrate, QUEUE_DEFINITIONS_TABLE, rollupSums, runQuery, SITES_TABLE, sql, type ClickHouseClient, type ClickHouseConfig } from "@floorwatch/sql";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../scripts/services.mjs";
import { countingClient } from "../test/support/counting";
import { benchEnv } from "./env";
import { fmt, fmtSpread, record, spread, type Spread } from "./stats";

const RUNS = benchEnv.runs;
const MONTH_EVENTS = Number(process.env.BENCH_MONTH_EVENTS ?? 10_000_000);
const DAY_EVENTS = Number(process.env.BENCH_DAY_EVENTS ?? 1_000_000);
const EVENTS_PER_CONTACT = 4; // queued, answered, ended, wrapped up
const H = 3_600_000;

await up();
process.on("unhandledRejection", (err) => {
  process.stderr.write(`bench:metrics failed: ${String(err)}\n`);
  process.exit(1);
});
const cfg: ClickHouseConfig = { url: benchEnv.clickhouseUrl, user: benchEnv.clickhouseUser, password: benchEnv.clickhousePassword, database: `bench_metrics_${Date.now().toString(36)}` };
await migrate(cfg);
const ch = createClickHouse(cfg);
const log = createLogger("bench", "error");

/** A deterministic pseudo-random stream, so every run generates the same data. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const queueName = (i: number) => `q${String(i).padStart(3, "0")}`;

async function defineSite(site: string, tz: string, queues: number) {
  await insertRows(ch, SITES_TABLE, [{ site, tz, name: site, updated_ms: 1, updated_by: "bench" }]);
  await insertRows(
    ch,
    QUEUE_DEFINITIONS_TABLE,
    Array.from({ length: queues }, (_, i) => ({ site, queue: queueName(i), version: 1, valid_from_ms: 0, channel: "voice", sl_threshold_s: 20, short_abandon_s: 5, sl_target: 0.8, name_zh: "", name_en: "", created_ms: 0, created_by: "bench" })),
  );
}

/** Contact and survey facts of `contacts` contacts spread over [fromMs, toMs), with open visits at the end. */
async function generateContacts(site: string, queues: number, contacts: number, fromMs: number, toMs: number, seed: number) {
  const rand = rng(seed);
  const CHUNK = 100_000;
  let facts: object[] = [];
  let surveys: object[] = [];
  const flush = async () => {
    await insertRows(ch, "contact_facts", facts);
    await insertRows(ch, "survey_facts", surveys);
    facts = [];
    surveys = [];
  };
  for (let i = 0; i < contacts; i++) {
    const contact = `${site}-c${i}`;
    const queue = queueName(Math.floor(rand() * queues));
    const start = fromMs + Math.floor(((toMs - fromMs - 20 * 60_000) * i) / contacts);
    const wait = Math.floor(rand() * 240_000);
    const roll = rand();
    const outcome = roll < 0.85 ? "answered" : roll < 0.95 ? "abandoned" : "callback";
    const end = start + wait;
    const base = { site, contact_id: contact, queue, channel: "voice", tier: "standard", detail: "", start_event_id: `${contact}-q` };
    // Judged as the deriver judges (version 1 of a voice queue: T = 20 s, S = 5 s).
    const judged = { sl_version: 1, within_sl: outcome === "answered" && wait <= 20_000 ? 1 : 0, short_abandon: outcome === "abandoned" && wait < 5_000 ? 1 : 0 };
    facts.push({ ...base, ...judged, kind: "visit", anchor_at: Math.floor(end / 1000), anchor_ms: end, start_ms: start, agent_id: "", outcome, duration_ms: wait, end_event_id: `${contact}-e`, fact_id: `${contact}-v`, sign: 1 });
    if (outcome === "answered") {
      const agent = `a${Math.floor(rand() * 2000)}`;
      const wrap = end + 120_000 + Math.floor(rand() * 400_000);
      facts.push({ ...base, kind: "handled", anchor_at: Math.floor(wrap / 1000), anchor_ms: wrap, start_ms: end, agent_id: agent, outcome: rand() < 0.9 ? "resolved" : "unresolved", duration_ms: wrap - end, end_event_id: `${contact}-w`, fact_id: `${contact}-h`, sign: 1 });
      if (rand() < 0.05) facts.push({ ...base, kind: "transfer", anchor_at: Math.floor((end + 60_000) / 1000), anchor_ms: end + 60_000, start_ms: end, agent_id: agent, outcome: queueName(0), duration_ms: -1, end_event_id: `${contact}-t`, fact_id: `${contact}-t`, sign: 1 });
      if (rand() < 0.2) {
        const at = wrap + 60_000;
        surveys.push({ site, anchor_at: Math.floor(at / 1000), anchor_ms: at, survey_id: `${contact}-s`, contact_id: contact, queue, channel: "voice", agent_id: agent, csat: 1 + Math.floor(rand() * 5), nps: Math.floor(rand() * 11), resolved: rand() < 0.8 ? 1 : 0, event_id: `${contact}-s`, fact_id: `${contact}-s`, sign: 1 });
      }
    }
    if (facts.length >= CHUNK) await flush();
  }
  await flush();
  // Who waits now: 200 open visits in the last five minutes (open_visits after merges have folded
  // every visit that ended).
  for (let i = 0; i < 200; i++) {
    const start = toMs - Math.floor(rand() * 300_000);
    facts.push({ site, contact_id: `${site}-w${i}`, queue: queueName(i % queues), channel: "voice", tier: "standard", detail: "", start_event_id: `${site}-w${i}`, kind: "open", anchor_at: Math.floor(start / 1000), anchor_ms: start, start_ms: start, agent_id: "", outcome: "", duration_ms: -1, end_event_id: "", fact_id: `${site}-w${i}`, sign: 1 });
  }
  await insertRows(ch, "open_visits", facts);
  facts = [];
}

/**
 * Agent state intervals: each agent changes state every few minutes during its shift (`shift`:
 * hours from each UTC midnight, or all day), logged out in between; the last interval is open.
 */
async function generateAgents(site: string, queues: number, agents: number, fromMs: number, toMs: number, seed: number, shift: [number, number] = [0, 24]) {
  const rand = rng(seed);
  const STATES = ["available", "on_contact", "wrap_up", "on_contact", "wrap_up", "not_ready"];
  let rows: object[] = [];
  const current: object[] = [];
  const push = (a: number, i: number, t: number, to: number, state: string, serves: string[]) =>
    rows.push({ site, agent_id: `a${a}`, from_at: Math.floor(t / 1000), from_ms: t, to_ms: to, state, reason: "", queues: serves, team: "", name: "", event_id: `a${a}-${i}`, fact_id: `a${a}-${i}`, sign: 1 });
  for (let a = 0; a < agents; a++) {
    const serves = [queueName(a % queues), queueName((a * 7 + 3) % queues)];
    let t = fromMs + Math.floor(rand() * 600_000);
    let i = 0;
    while (t < toMs) {
      const day = Math.floor(t / (24 * H)) * 24 * H;
      const [on, off] = [day + shift[0] * H, day + shift[1] * H];
      let next = t + 60_000 + Math.floor(rand() * 600_000);
      let state = STATES[i % STATES.length]!;
      if (t < on || t >= off) {
        // Off shift: logged out until the next shift starts.
        state = "logged_out";
        next = t < on ? on : day + 24 * H + shift[0] * H;
      }
      push(a, i++, t, next < toMs ? next : 0, state, serves);
      if (next >= toMs) current.push({ site, agent_id: `a${a}`, from_ms: t, state, reason: "", queues: serves, team: "", name: "" });
      t = next;
    }
    if (rows.length >= 100_000) {
      await insertRows(ch, "agent_intervals", rows);
      rows = [];
    }
  }
  await insertRows(ch, "agent_intervals", rows);
  await insertRows(ch, "agent_current", current);
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function repeat(fn: () => Promise<unknown>): Promise<Spread & { raw: number[] }> {
  await fn(); // warm: the first read of a part pays for the page cache, every later one does not
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) raw.push(await timed(fn));
  return { ...spread(raw), raw };
}

// ---------- data ----------

const now = Date.now();
// The live site's zone is picked so that it is evening there now: "1 million events today" then
// spans most of a local day, whatever time the bench runs.
const zones = ["Pacific/Kiritimati", "Pacific/Auckland", "Asia/Tokyo", "Asia/Shanghai", "Asia/Kolkata", "Asia/Dubai", "Europe/Moscow", "Europe/Berlin", "Europe/London", "America/Sao_Paulo", "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "Pacific/Honolulu"];
const liveTz = zones.reduce((best, tz) => (Math.abs(wallClock(tz, now).h - 20) < Math.abs(wallClock(best, now).h - 20) ? tz : best));
const dayStart = intervalStart(liveTz, "1d", now);
process.stderr.write(`live site in ${liveTz}: ${((now - dayStart) / H).toFixed(1)} h of today\n`);

const t0 = performance.now();
await defineSite("live", liveTz, 100);
await generateContacts("live", 100, Math.round(DAY_EVENTS / EVENTS_PER_CONTACT), dayStart, now, 1);
await generateAgents("live", 100, 2_000, dayStart, now, 2);
// The month: October 2026 in Asia/Shanghai, 10 million events over 50 queues.
const monthTz = "Asia/Shanghai";
const monthFrom = Date.parse("2026-10-01T00:00:00+08:00");
const monthTo = Date.parse("2026-11-01T00:00:00+08:00");
await defineSite("month", monthTz, 50);
await generateContacts("month", 50, Math.round(MONTH_EVENTS / EVENTS_PER_CONTACT), monthFrom, monthTo, 3);
await generateAgents("month", 50, 500, monthFrom, monthTo, 4, [1, 10]); // 09:00–18:00 in Shanghai
// As merges would have done over a month, and none left running to compete with the measurements.
for (const table of ["contact_facts", "survey_facts", "agent_intervals", "open_visits", "agent_current", "queue_quarter"]) await ch.command({ query: sql`OPTIMIZE TABLE ${ident(table)} FINAL`.text });
for (let i = 0; i < 600; i++) {
  const running = Number((await (await ch.query({ query: sql`SELECT count() AS n FROM system.merges WHERE database = ${cfg.database}`.text, format: "JSONEachRow" })).json<{ n: string }>())[0]?.n);
  if (running === 0) break;
  await new Promise((r) => setTimeout(r, 1_000));
}
process.stderr.write(`generated in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

const count = async (q: string) => Number((await (await ch.query({ query: q, format: "JSONEachRow" })).json<{ n: string }>())[0]?.n);
const sizes = {
  liveFacts: await count(`SELECT count() AS n FROM contact_facts WHERE site = 'live'`),
  liveIntervals: await count(`SELECT count() AS n FROM agent_intervals WHERE site = 'live'`),
  monthFacts: await count(`SELECT count() AS n FROM contact_facts WHERE site = 'month'`),
  monthRollupRows: await count(`SELECT count() AS n FROM queue_quarter WHERE site = 'month'`),
};

// ---------- measurements ----------

const liveConfig = await loadSiteConfig(ch, "live");
const monthConfig = await loadSiteConfig(ch, "month");
const live = await repeat(() => computeLive(ch, liveConfig, Date.now()));
// The ceiling: the rollup rows of today read and summed per queue, nothing else.
const liveBare = await repeat(() => runQuery(ch, rollupSums, { site: "live", tz: liveTz, grain: "1d", from_ms: dayStart, to_ms: Date.now() }));

// Fan-out: N wallboards asking in the same tick cost one computation.
// The client the api uses, counting the statements it sends that read the rollup.
const counting = countingClient(ch, /queue_quarter/);
const BENCH_ADMIN = `bench-${Date.now()}`;
const app = createApp({ ch: counting.client, log, liveTtlMs: 1_000, adminToken: BENCH_ADMIN });
const fanout: { clients: number; ms: number; rollupQueries: number }[] = [];
for (const clients of [1, 100, 500]) {
  await new Promise((r) => setTimeout(r, 1_100)); // a new tick
  const before = counting.count();
  const ms = await timed(() => Promise.all(Array.from({ length: clients }, async () => (await app.request("/api/v1/live?site=live", { headers: { authorization: `Bearer ${BENCH_ADMIN}` } })).arrayBuffer())));
  fanout.push({ clients, ms, rollupQueries: counting.count() - before });
}

const monthReport = await repeat(() => buildReport(ch, monthConfig, { from_ms: monthFrom, to_ms: monthTo, grain: "1d" }, now));
const monthBare = await repeat(() => runQuery(ch, rollupSums, { site: "month", tz: monthTz, grain: "1d", from_ms: monthFrom, to_ms: monthTo }));
const dayFrom = Date.parse("2026-10-15T00:00:00+08:00");
const dayReport = await repeat(() => buildReport(ch, monthConfig, { from_ms: dayFrom, to_ms: dayFrom + 24 * H, grain: "15m" }, now));
const dayBare = await repeat(() => runQuery(ch, rollupSums, { site: "month", tz: monthTz, grain: "15m", from_ms: dayFrom, to_ms: dayFrom + 24 * H }));

await ch.close();
if (process.env.BENCH_KEEP === "1") process.stderr.write(`kept database ${cfg.database}\n`);
else await dropDatabase(cfg);

const line = (name: string, s: Spread, bare: Spread, target: number) =>
  `| ${name} | ${fmtSpread(s, 1)} | ${fmtSpread(bare, 1)} | ${fmt(s.median / bare.median, 2)} | ${target} | ${s.median < target ? "yes" : "**no**"} |`;
console.log(`\nbench:metrics — ${RUNS} runs each after one warm-up (min / median / max, ms)\n`);
console.log(`data: live site ${fmt(DAY_EVENTS)} events today (${fmt(sizes.liveFacts)} fact rows, ${fmt(sizes.liveIntervals)} agent intervals, 100 queues, 2,000 agents); month site ${fmt(MONTH_EVENTS)} events (${fmt(sizes.monthFacts)} fact rows, ${fmt(sizes.monthRollupRows)} rollup rows, 50 queues)\n`);
console.log("| figure | time, ms | bare rollup query, ms | ratio (median) | target, ms | within |");
console.log("|---|---:|---:|---:|---:|:-:|");
console.log(line("live snapshot (every figure, 3 windows)", live, liveBare, 100));
console.log(line("month report, 1d × 50 queues", monthReport, monthBare, 300));
console.log(line("day report, 15m × 50 queues", dayReport, dayBare, 300));
console.log("\n| wallboards asking at once | time until all answered, ms | rollup queries sent to ClickHouse |");
console.log("|---:|---:|---:|");
for (const f of fanout) console.log(`| ${f.clients} | ${fmt(f.ms, 1)} | ${f.rollupQueries} |`);
const file = record("metrics", { runs: RUNS, liveTz, sizes, live, liveBare, monthReport, monthBare, dayReport, dayBare, fanout, monthEvents: MONTH_EVENTS, dayEvents: DAY_EVENTS });
console.log(`\nrecorded in ${file}`);
process.exit(0);
