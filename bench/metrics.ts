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
import { computeLive, forgetClosedQuarters } from "../api/src/metrics/live";
import { loadSiteConfig } from "../api/src/metrics/config";
import { buildReport } from "../api/src/metrics/report";
import { intervalStart } from "@floorwatch/contracts";
import {
  createClickHouse,
  createLogger,
  dropDatabase,
  migrate,
  rollupSums,
  runQuery,
  type ClickHouseConfig,
} from "@floorwatch/sql";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../scripts/services.mjs";
import { countingClient } from "../test/support/counting";
import { benchEnv } from "./env";
import { eveningZone, makeGenerator, settle } from "./generate";
import { fmt, fmtSpread, record, spread, timed, type Spread } from "./stats";

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
const cfg: ClickHouseConfig = {
  url: benchEnv.clickhouseUrl,
  user: benchEnv.clickhouseUser,
  password: benchEnv.clickhousePassword,
  database: `fwtest_bench_metrics_${Date.now().toString(36)}`,
};
await migrate(cfg);
const ch = createClickHouse(cfg);
const log = createLogger("bench", "error");

const { defineSite, generateContacts, generateAgents } = makeGenerator(ch);

async function repeat(fn: () => Promise<unknown>): Promise<Spread & { raw: number[] }> {
  await fn(); // warm: the first read of a part pays for the page cache, every later one does not
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) raw.push(await timed(fn));
  return { ...spread(raw), raw };
}

// ---------- data ----------

const now = Date.now();
const liveTz = eveningZone(now);
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
await generateContacts(
  "month",
  50,
  Math.round(MONTH_EVENTS / EVENTS_PER_CONTACT),
  monthFrom,
  monthTo,
  3,
);
await generateAgents("month", 50, 500, monthFrom, monthTo, 4, [1, 10]); // 09:00–18:00 in Shanghai
await settle(ch, cfg.database);
process.stderr.write(`generated in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);

const count = async (q: string) =>
  Number((await (await ch.query({ query: q, format: "JSONEachRow" })).json<{ n: string }>())[0]?.n);
const sizes = {
  liveFacts: await count(`SELECT count() AS n FROM contact_facts WHERE site = 'live'`),
  liveIntervals: await count(`SELECT count() AS n FROM agent_intervals WHERE site = 'live'`),
  monthFacts: await count(`SELECT count() AS n FROM contact_facts WHERE site = 'month'`),
  monthRollupRows: await count(`SELECT count() AS n FROM queue_quarter WHERE site = 'month'`),
};

// ---------- measurements ----------

const liveConfig = await loadSiteConfig(ch, "live");
const monthConfig = await loadSiteConfig(ch, "month");
// A steady tick keeps the day's closed quarter hours while the rollup's parts stay the same; the
// first tick after they change (a late event in one of them, a merge) reads them again.
const live = await repeat(() => computeLive(ch, liveConfig, Date.now()));
const liveReread = await repeat(() => {
  forgetClosedQuarters(ch);
  return computeLive(ch, liveConfig, Date.now());
});
// The ceiling: the rollup rows of today read and summed per queue, nothing else.
const liveBare = await repeat(() =>
  runQuery(ch, rollupSums, {
    site: "live",
    tz: liveTz,
    grain: "1d",
    from_ms: dayStart,
    to_ms: Date.now(),
  }),
);

// Fan-out: N wallboards asking in the same tick cost one computation.
// The client the api uses, counting the statements it sends that read the rollup.
const counting = countingClient(ch, /queue_quarter/);
const BENCH_ADMIN = `bench-${Date.now()}`;
const app = createApp({ ch: counting.client, log, liveTtlMs: 1_000, adminToken: BENCH_ADMIN });
const fanout: { clients: number; ms: number; rollupQueries: number }[] = [];
for (const clients of [1, 100, 500]) {
  await new Promise((r) => setTimeout(r, 1_100)); // a new tick
  const before = counting.count();
  const ms = await timed(() =>
    Promise.all(
      Array.from({ length: clients }, async () =>
        (
          await app.request("/api/v1/live?site=live", {
            headers: { authorization: `Bearer ${BENCH_ADMIN}` },
          })
        ).arrayBuffer(),
      ),
    ),
  );
  fanout.push({ clients, ms, rollupQueries: counting.count() - before });
}

const monthReport = await repeat(() =>
  buildReport(ch, monthConfig, { from_ms: monthFrom, to_ms: monthTo, grain: "1d" }, now),
);
const monthBare = await repeat(() =>
  runQuery(ch, rollupSums, {
    site: "month",
    tz: monthTz,
    grain: "1d",
    from_ms: monthFrom,
    to_ms: monthTo,
  }),
);
const dayFrom = Date.parse("2026-10-15T00:00:00+08:00");
const dayReport = await repeat(() =>
  buildReport(ch, monthConfig, { from_ms: dayFrom, to_ms: dayFrom + 24 * H, grain: "15m" }, now),
);
const dayBare = await repeat(() =>
  runQuery(ch, rollupSums, {
    site: "month",
    tz: monthTz,
    grain: "15m",
    from_ms: dayFrom,
    to_ms: dayFrom + 24 * H,
  }),
);

await ch.close();
if (process.env.BENCH_KEEP === "1") process.stderr.write(`kept database ${cfg.database}\n`);
else await dropDatabase(cfg);

const line = (name: string, s: Spread, bare: Spread, target: number) =>
  `| ${name} | ${fmtSpread(s, 1)} | ${fmtSpread(bare, 1)} | ${fmt(s.median / bare.median, 2)} | ${target} | ${s.median < target ? "yes" : "**no**"} |`;
console.log(`\nbench:metrics — ${RUNS} runs each after one warm-up (min / median / max, ms)\n`);
console.log(
  `data: live site ${fmt(DAY_EVENTS)} events today (${fmt(sizes.liveFacts)} fact rows, ${fmt(sizes.liveIntervals)} agent intervals, 100 queues, 2,000 agents); month site ${fmt(MONTH_EVENTS)} events (${fmt(sizes.monthFacts)} fact rows, ${fmt(sizes.monthRollupRows)} rollup rows, 50 queues)\n`,
);
console.log("| figure | time, ms | bare rollup query, ms | ratio (median) | target, ms | within |");
console.log("|---|---:|---:|---:|---:|:-:|");
console.log(line("live snapshot (every figure, 3 windows), steady tick", live, liveBare, 100));
console.log(
  line(
    "live snapshot, day's quarters read again (after a late event or a merge)",
    liveReread,
    liveBare,
    100,
  ),
);
console.log(line("month report, 1d × 50 queues", monthReport, monthBare, 300));
console.log(line("day report, 15m × 50 queues", dayReport, dayBare, 300));
console.log(
  "\n| wallboards asking at once | time until all answered, ms | rollup queries sent to ClickHouse |",
);
console.log("|---:|---:|---:|");
for (const f of fanout) console.log(`| ${f.clients} | ${fmt(f.ms, 1)} | ${f.rollupQueries} |`);
const file = record("metrics", {
  runs: RUNS,
  liveTz,
  sizes,
  live,
  liveReread,
  liveBare,
  monthReport,
  monthBare,
  dayReport,
  dayBare,
  fanout,
  monthEvents: MONTH_EVENTS,
  dayEvents: DAY_EVENTS,
});
console.log(`\nrecorded in ${file}`);
process.exit(0);
