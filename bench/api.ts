// npm run bench:api: the supervisor API over real HTTP, next to the bare snapshot computation
// measured in the same run.
//
//   bare snapshot     computeLive for one site (100 queues, 2,000 agents, BENCH_DAY_EVENTS today)
//   GET /live         p50/p99 of sequential requests, fresh (no sharing) and shared (1 s period)
//   SSE to 500        500 listeners on one process: from a snapshot's instant (as_of, taken when
//                     its computation starts) to its arrival at each listener, p50/p99 over all
//                     listeners and ticks; and the ClickHouse statements per second, 1 vs 500
//
// Options: BENCH_RUNS (repeats of the bare snapshot, default 3 → at least 15 samples),
// BENCH_DAY_EVENTS (1,000,000), BENCH_LISTENERS (500), BENCH_SSE_SECONDS (10).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { intervalStart, LiveSnapshot } from "@floorwatch/contracts";
import { startServer, type RunningServer } from "@floorwatch/api";
import { computeLive } from "../api/src/metrics/live";
import { loadSiteConfig } from "../api/src/metrics/config";
import {
  createClickHouse,
  createLogger,
  dropDatabase,
  migrate,
  type ClickHouseConfig,
} from "@floorwatch/sql";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../scripts/services.mjs";
import { countingClient } from "../test/support/counting";
import { benchEnv } from "./env";
import { makeGenerator } from "./generate";
import { fmt, record, summary } from "./stats";

const DAY_EVENTS = Number(process.env.BENCH_DAY_EVENTS ?? 1_000_000);
const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 500);
const SSE_SECONDS = Number(process.env.BENCH_SSE_SECONDS ?? 10);
const SAMPLES = Math.max(15, benchEnv.runs * 5);

await up();
const cfg: ClickHouseConfig = {
  url: benchEnv.clickhouseUrl,
  user: benchEnv.clickhouseUser,
  password: benchEnv.clickhousePassword,
  database: `fwtest_bench_api_${Date.now().toString(36)}`,
};
await migrate(cfg);
const ch = createClickHouse(cfg);
const log = createLogger("bench", "error");
const { defineSite, generateContacts, generateAgents } = makeGenerator(ch);

const tz = "Asia/Shanghai";
const now = Date.now();
// A day's worth whatever the hour: the events span the last 20 hours (across midnight if need be).
const from = now - 20 * 3_600_000;
await defineSite("live", tz, 100);
await generateContacts("live", 100, Math.round(DAY_EVENTS / 4), from, now, 1);
await generateAgents("live", 100, 2_000, from, now, 2);
process.stderr.write(
  `generated; today in ${tz} began ${((now - intervalStart(tz, "1d", now)) / 3_600_000).toFixed(1)} h ago\n`,
);

// ---------- bare snapshot ----------
const config = await loadSiteConfig(ch, "live");
await computeLive(ch, config, Date.now());
const bare: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const t = performance.now();
  await computeLive(ch, config, Date.now());
  bare.push(performance.now() - t);
}

const snapshotBytes = JSON.stringify(await computeLive(ch, config, Date.now())).length;

// ---------- GET /live over HTTP ----------
const ADMIN = `bench-admin-${now}-${Math.random().toString(36).slice(2)}`;
const auth = { authorization: `Bearer ${ADMIN}` };
async function liveLatency(server: RunningServer, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n + 1; i++) {
    const t = performance.now();
    const res = await fetch(`${server.url}/api/v1/live?site=live`, { headers: auth });
    LiveSnapshot.parse(await res.json());
    if (i > 0) out.push(performance.now() - t); // the first warms the connection and the token cache
  }
  return out;
}
const fresh = await startServer({
  ch,
  log,
  port: 0,
  host: "127.0.0.1",
  adminToken: ADMIN,
  liveTtlMs: 0,
});
const liveFresh = await liveLatency(fresh, SAMPLES);
await fresh.close();
const shared = await startServer({
  ch,
  log,
  port: 0,
  host: "127.0.0.1",
  adminToken: ADMIN,
  liveTtlMs: 1_000,
});
const liveShared = await liveLatency(shared, SAMPLES * 10);
await shared.close();

// ---------- SSE broadcast ----------
/** The server here, the listeners in a child process (bench/sse-listeners.ts), as TVs would be. */
async function broadcast(listeners: number) {
  const counting = countingClient(ch, /FROM contact_facts/);
  const server = await startServer({
    ch: counting.client,
    log,
    port: 0,
    host: "127.0.0.1",
    adminToken: ADMIN,
    // Every listener here uses one token.
    stream: { maxStreamsPerToken: listeners },
  });
  const child = spawn(
    join(import.meta.dirname, "../node_modules/.bin/tsx"),
    [
      join(import.meta.dirname, "sse-listeners.ts"),
      `${server.url}/api/v1/live/stream?site=live`,
      ADMIN,
      String(listeners),
      String(SSE_SECONDS),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout! });
  const it = lines[Symbol.asyncIterator]();
  if ((await it.next()).value !== "ready") throw new Error("listeners did not start");
  const before = counting.count();
  const result = JSON.parse((await it.next()).value as string) as {
    delays: number[];
    snapshots: number;
    dropped: number;
  };
  const statementsPerSecond = (counting.count() - before) / SSE_SECONDS;
  await server.close();
  return {
    listeners,
    delays: summary(result.delays),
    snapshotsPerListenerPerSecond: result.snapshots / listeners / SSE_SECONDS,
    dropped: result.dropped,
    statementsPerSecond,
  };
}
const sseOne = await broadcast(1);
const sseMany = await broadcast(LISTENERS);

await ch.close();
await dropDatabase(cfg);

const bareS = summary(bare);
const row = (name: string, s: { p50: number; p99: number }) =>
  `| ${name} | ${fmt(s.p50, 1)} | ${fmt(s.p99, 1)} | ${fmt(s.p50 / bareS.p50, 2)} |`;
console.log(
  `\nbench:api — ${DAY_EVENTS.toLocaleString("en-US")} events today, 100 queues, 2,000 agents (ms)\n`,
);
console.log("| measured | p50 | p99 | p50 / bare snapshot p50 |\n|---|---:|---:|---:|");
console.log(row("bare snapshot (computeLive, no HTTP)", bareS));
console.log(row("GET /live, fresh each request", summary(liveFresh)));
console.log(row("GET /live, shared per second", summary(liveShared)));
console.log(row("SSE, snapshot instant → 1 listener", sseOne.delays));
console.log(row(`SSE, snapshot instant → each of ${LISTENERS} listeners`, sseMany.delays));
console.log(
  `\nsnapshots per listener per second: ${fmt(sseOne.snapshotsPerListenerPerSecond, 2)} (1) vs ${fmt(sseMany.snapshotsPerListenerPerSecond, 2)} (${LISTENERS}); listeners dropped as too slow: ${sseMany.dropped}`,
);
console.log(`snapshot size: ${fmt(snapshotBytes / 1024, 0)} KiB`);
console.log(
  `ClickHouse snapshot statements per second: ${fmt(sseOne.statementsPerSecond, 2)} (1 listener) vs ${fmt(sseMany.statementsPerSecond, 2)} (${LISTENERS})`,
);
const file = record("api", {
  dayEvents: DAY_EVENTS,
  listeners: LISTENERS,
  bare: bareS,
  liveFresh: summary(liveFresh),
  liveShared: summary(liveShared),
  sseOne,
  sseMany,
});
console.log(`\nrecorded in ${file}`);
process.exit(0);
