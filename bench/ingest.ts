// npm run bench:ingest: sustained events/s of ONE ingest process (Kafka → decode → batch →
// ClickHouse → commit), next to the ceiling measured in the same run: the same rows inserted into
// ClickHouse directly, in batches of the same size, with no Kafka and no decoding. Also the bare
// JSON.parse rate of the same messages, the floor of any decoding.
//
// Each repetition uses a fresh consumer group and database over the same pre-produced topics.
// Options: BENCH_EVENTS (default 100000), BENCH_RUNS (3), BENCH_BATCH_ROWS (comma list, "10000").
import type { Event } from "@floorwatch/contracts";
import {
  createKafka,
  DEFAULT_BATCH,
  ensureTopics,
  rowFor,
  startIngest,
  type IngestConfig,
} from "@floorwatch/ingest";
import {
  createClickHouse,
  createLogger,
  dropDatabase,
  insertRows,
  migrate,
  type ClickHouseConfig,
} from "@floorwatch/sql";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../scripts/services.mjs";
import { makeCorpus } from "../test/support/corpus";
import { produceEvents } from "../test/support/produce";
import { benchEnv } from "./env";
import { fmt, fmtSpread, record, spread } from "./stats";

const log = createLogger("bench", "warn");
const N = benchEnv.events; // exact: the corpus is generated a little larger and cut to N
const RUNS = benchEnv.runs;
const id = Date.now().toString(36);

await up();
const chBase: ClickHouseConfig = {
  url: benchEnv.clickhouseUrl,
  user: benchEnv.clickhouseUser,
  password: benchEnv.clickhousePassword,
  database: `fwtest_bench_ingest_${id}`,
};
const topics = {
  calls: `bench.${id}.calls`,
  chats: `bench.${id}.chats`,
  agents: `bench.${id}.agents`,
  surveys: `bench.${id}.surveys`,
  dlq: `bench.${id}.dlq`,
};
const kafka = createKafka({ brokers: benchEnv.kafkaBrokers, clientId: "bench", log });
await ensureTopics(kafka, Object.values(topics), 6);

const contacts = Math.ceil(N / 4) + 100;
const events: Event[] = makeCorpus({ site: "bench", contacts, endMs: Date.now(), seed: id }).slice(
  0,
  N,
);
if (events.length !== N) throw new Error(`corpus has ${events.length} events, wanted ${N}`);
const payloads = events.map((e) => JSON.stringify(e));
process.stderr.write(
  `producing ${fmt(events.length)} events (${fmt(payloads.reduce((n, p) => n + p.length, 0) / 2 ** 20, 1)} MiB)…\n`,
);
await produceEvents(kafka, topics, events, { chunk: 5_000 });

const results: Array<{
  batchRows: number;
  ingest: number[];
  ceiling: number[];
  parse: number[];
  startupMs: number[];
}> = [];
for (const batchRows of benchEnv.batchRows) {
  const r = {
    batchRows,
    ingest: [] as number[],
    ceiling: [] as number[],
    parse: [] as number[],
    startupMs: [] as number[],
  };
  for (let run = 0; run < RUNS; run++) {
    // Ceiling: the same rows, straight into ClickHouse, in batches of the same size per table.
    const ceilDb = { ...chBase, database: `${chBase.database}_ceil_${batchRows}_${run}` };
    await migrate(ceilDb);
    const ceilCh = createClickHouse(ceilDb);
    let t = performance.now();
    const byTable = new Map<string, object[]>();
    for (const e of events) {
      const { table, row } = rowFor(e, Date.now());
      const list = byTable.get(table) ?? [];
      list.push(row);
      byTable.set(table, list);
      if (list.length >= batchRows) {
        await insertRows(ceilCh, table, list);
        byTable.set(table, []);
      }
    }
    for (const [table, rows] of byTable) await insertRows(ceilCh, table, rows);
    r.ceiling.push(N / ((performance.now() - t) / 1000));
    await ceilCh.close();
    await dropDatabase(ceilDb);

    // Bare JSON.parse of the same payloads.
    t = performance.now();
    let sink = 0;
    for (const p of payloads) sink += (JSON.parse(p) as { v: number }).v;
    r.parse.push(N / ((performance.now() - t) / 1000));
    if (sink !== N) throw new Error("parse check");

    // The ingest: from start until every row is written and committed.
    const db = { ...chBase, database: `${chBase.database}_run_${batchRows}_${run}` };
    await migrate(db);
    const config: IngestConfig = {
      clickhouse: db,
      kafka: {
        brokers: benchEnv.kafkaBrokers,
        clientId: "bench-ingest",
        groupId: `bench-${id}-${batchRows}-${run}`,
        partitions: 6,
      },
      topics,
      batch: { ...DEFAULT_BATCH, maxRows: batchRows },
      logLevel: "warn",
    };
    // Sustained rate: from the first message taken (group joined, partitions assigned) until
    // the last row is written; the one-off start-up is reported apart.
    const started = performance.now();
    const ingest = await startIngest(config, log);
    while (ingest.metrics.consumed.total() === 0) await new Promise((res) => setTimeout(res, 2));
    t = performance.now();
    r.startupMs.push(t - started);
    while (ingest.metrics.inserted.total() < N) await new Promise((res) => setTimeout(res, 5));
    r.ingest.push(N / ((performance.now() - t) / 1000));
    await ingest.stop();
    await dropDatabase(db);
    process.stderr.write(
      `batch ${batchRows} run ${run + 1}/${RUNS}: ingest ${fmt(r.ingest.at(-1)!)} ev/s, ceiling ${fmt(r.ceiling.at(-1)!)} rows/s\n`,
    );
  }
  results.push(r);
}

const admin = kafka.admin();
await admin.connect();
await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => {});
await admin.disconnect();

console.log(`\nbench:ingest — ${fmt(N)} events, ${RUNS} runs each (min / median / max)\n`);
console.log(
  "| batch rows | ingest events/s | ceiling: direct insert rows/s | ingest / ceiling (median) | bare JSON.parse msgs/s | start-up to first message, ms |",
);
console.log("|---:|---:|---:|---:|---:|---:|");
for (const r of results) {
  const ing = spread(r.ingest);
  const ceil = spread(r.ceiling);
  console.log(
    `| ${fmt(r.batchRows)} | ${fmtSpread(ing)} | ${fmtSpread(ceil)} | ${fmt(ing.median / ceil.median, 2)} | ${fmtSpread(spread(r.parse))} | ${fmtSpread(spread(r.startupMs))} |`,
  );
}
const file = record("ingest", {
  events: N,
  runs: RUNS,
  results: results.map((r) => ({
    batchRows: r.batchRows,
    ingest: spread(r.ingest),
    ceiling: spread(r.ceiling),
    parse: spread(r.parse),
    startupMs: spread(r.startupMs),
    raw: r,
  })),
});
console.log(`\nrecorded in ${file}`);
process.exit(0);
