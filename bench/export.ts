// npm run bench:export: the monthly compliance pack of a month of 10 million events (issue #15,
// "Speed and memory"), its resident memory against the 256 MB budget, and its time next to the
// ceiling measured in the same run: ClickHouse alone producing the same contact rows as CSV (the
// statement of contacts.csv with FORMAT CSV, streamed over HTTP to nothing).
//
//   ceiling      packContactsCsv: the contacts statement, FORMAT CSV, the body read and discarded
//   contacts     contacts.csv alone in a child process (bench/export-contacts.ts): rows streamed,
//                made cells, encoded and hashed as the pack does, written to /dev/null
//   pack         the whole pack by the CLI in a child process: npm run export -- … --out x.zip
//
// Resident memory: every process of the child's tree sampled from /proc/<pid>/status (VmRSS)
// every 50 ms; the peak of the largest process is what the budget is about (npm and its shell
// are a few MB beside the exporting node process); the exporting process's own VmHWM is read
// at its end where it reports it (contacts). Data: bench/export-data.ts (the ingest's own rows and
// derivation, written straight into ClickHouse), merged before measuring as a month-old month is.
//
// Options: BENCH_RUNS (3), BENCH_EXPORT_EVENTS (10,000,000), BENCH_EXPORT_DB (an fwtest_…
// database kept by an earlier run: skips loading), BENCH_KEEP=1 (keep the database).
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createClickHouse,
  dropDatabase,
  ident,
  migrate,
  packContactsCsv,
  sql,
  type ClickHouseConfig,
} from "@floorwatch/sql";
import { monthBounds } from "../api/src/exports/pack";
// @ts-expect-error plain-JS provisioning script, no types
import { up } from "../scripts/services.mjs";
import { benchEnv } from "./env";
import { loadMonth } from "./export-data";
import { fmt, fmtSpread, record, spread, type Spread } from "./stats";

const RUNS = benchEnv.runs;
const EVENTS = Number(process.env.BENCH_EXPORT_EVENTS ?? 10_000_000);
const SITE = "pack";
const TZ = "Asia/Shanghai";
const MONTH = "2026-10";
const BUDGET_MB = 256;

await up();
const cfg: ClickHouseConfig = {
  url: benchEnv.clickhouseUrl,
  user: benchEnv.clickhouseUser,
  password: benchEnv.clickhousePassword,
  database: process.env.BENCH_EXPORT_DB ?? `fwtest_bench_export_${Date.now().toString(36)}`,
};
await migrate(cfg);
const ch = createClickHouse(cfg);
const { from_ms, to_ms } = monthBounds(TZ, MONTH);
const log = (msg: string) => process.stderr.write(`${msg}\n`);

const count = async (q: string) =>
  Number((await (await ch.query({ query: q, format: "JSONEachRow" })).json<{ n: string }>())[0]?.n);
if (!process.env.BENCH_EXPORT_DB) {
  const t = performance.now();
  const loaded = await loadMonth(ch, SITE, TZ, from_ms, to_ms, EVENTS, log);
  // A month is exported after it ended: its parts have long been merged.
  for (const table of [
    "contact_events",
    "survey_events",
    "contact_facts",
    "survey_facts",
    "agent_intervals",
    "queue_quarter",
  ])
    await ch.command({ query: sql`OPTIMIZE TABLE ${ident(table)} FINAL`.text });
  log(`loaded ${JSON.stringify(loaded)} in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}
const sizes = {
  contactEvents: await count(`SELECT count() AS n FROM contact_events`),
  surveyEvents: await count(`SELECT count() AS n FROM survey_events`),
  contactFacts: await count(`SELECT count() AS n FROM contact_facts`),
  surveyFacts: await count(`SELECT count() AS n FROM survey_facts`),
};
log(`data: ${JSON.stringify(sizes)}`);

/** The pids of `root` and every process below it. */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // gone between the listing and the read
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

const statusKiB = (pid: number, field: string) => {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(
      readFileSync(`/proc/${pid}/status`, "utf8"),
    );
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
};

interface Child {
  ms: number;
  stdout: string;
  /** Peak VmRSS of the largest process of the tree, and of the tree summed, MiB. */
  peakMiB: number;
  peakTreeMiB: number;
}

/** Runs a command, sampling its process tree's resident memory every 50 ms. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Child> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    let peak = 0;
    let peakTree = 0;
    const sample = () => {
      let sum = 0;
      for (const pid of tree(child.pid!)) {
        // VmHWM too: a peak between two samples is not missed while the process lives.
        const kib = Math.max(statusKiB(pid, "VmRSS"), statusKiB(pid, "VmHWM"));
        peak = Math.max(peak, kib);
        sum += statusKiB(pid, "VmRSS");
      }
      peakTree = Math.max(peakTree, sum);
    };
    const timer = setInterval(sample, 50);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(timer);
      const ms = performance.now() - t;
      if (code !== 0)
        reject(new Error(`${cmd} ${args.join(" ")} exited ${code}: ${stderr.slice(-2000)}`));
      else resolve({ ms, stdout, peakMiB: peak / 1024, peakTreeMiB: peakTree / 1024 });
    });
  });
}

const childEnv = { ...process.env, CLICKHOUSE_DATABASE: cfg.database, EXPORT_SCHEDULE: "false" };
const cliExists = existsSync(join(import.meta.dirname, "../api/src/cli/export.ts"));

/** The ceiling: the same rows as CSV straight from ClickHouse's HTTP interface, bytes discarded. */
async function ceiling(): Promise<{ ms: number; bytes: number }> {
  const query = packContactsCsv({
    site: SITE,
    from_ms,
    to_ms,
    comments: false,
    now_ms: Date.now(),
  });
  const url = new URL(benchEnv.clickhouseUrl);
  url.searchParams.set("database", cfg.database);
  const t = performance.now();
  const res = await fetch(url, {
    method: "POST",
    body: query,
    headers: {
      "X-ClickHouse-User": benchEnv.clickhouseUser,
      "X-ClickHouse-Key": benchEnv.clickhousePassword,
    },
  });
  if (!res.ok || !res.body) throw new Error(`ceiling: ${res.status} ${await res.text()}`);
  let bytes = 0;
  const reader = res.body.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
  return { ms: performance.now() - t, bytes };
}

const ceil: number[] = [];
const contactsMs: number[] = [];
const packMs: number[] = [];
const contactsPeak: number[] = [];
const contactsHwm: number[] = [];
const packPeak: number[] = [];
const packTreePeak: number[] = [];
let csvBytes = 0;
let contactsRows = 0;
let contactsBytes = 0;
let packOut = "";
const zip = join(tmpdir(), `bench-export-${process.pid}.zip`);
await ceiling(); // warm: the first read of a part pays for the page cache
for (let i = 0; i < RUNS; i++) {
  const c = await ceiling();
  ceil.push(c.ms);
  csvBytes = c.bytes;
  log(`run ${i + 1}: ceiling ${fmt(c.ms)} ms`);
  const contacts = await run(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "export-contacts.ts"), SITE, MONTH],
    childEnv,
  );
  const r = JSON.parse(contacts.stdout.trim().split("\n").at(-1)!) as {
    rows: number;
    bytes: number;
    ms: number;
    hwmKiB: number;
  };
  contactsMs.push(contacts.ms);
  contactsPeak.push(contacts.peakMiB);
  contactsHwm.push(r.hwmKiB / 1024);
  contactsRows = r.rows;
  contactsBytes = r.bytes;
  log(`run ${i + 1}: contacts.csv ${fmt(contacts.ms)} ms, peak ${fmt(contacts.peakMiB)} MiB`);
  if (cliExists) {
    rmSync(zip, { force: true });
    const pack = await run(
      "npm",
      ["run", "--silent", "export", "--", "--site", SITE, "--month", MONTH, "--out", zip],
      childEnv,
    );
    packMs.push(pack.ms);
    packPeak.push(pack.peakMiB);
    packTreePeak.push(pack.peakTreeMiB);
    packOut = pack.stdout;
    log(`run ${i + 1}: pack ${fmt(pack.ms)} ms, peak ${fmt(pack.peakMiB)} MiB`);
  }
}
rmSync(zip, { force: true });
await ch.close();
if (process.env.BENCH_KEEP === "1" || process.env.BENCH_EXPORT_DB)
  log(`kept database ${cfg.database}`);
else await dropDatabase(cfg);

const s = (v: number[]) => spread(v);
const c = s(ceil);
const line = (name: string, t: Spread, peak: Spread | null) =>
  `| ${name} | ${fmtSpread(t)} | ${fmt(t.median / c.median, 2)} | ${peak ? fmtSpread(peak) : "–"} | ${peak ? (peak.max < BUDGET_MB ? "yes" : "**no**") : "–"} |`;
console.log(`\nbench:export — ${RUNS} runs after one warm ceiling (min / median / max)\n`);
console.log(
  `data: ${fmt(sizes.contactEvents + sizes.surveyEvents)} events (${fmt(sizes.contactEvents)} contact, ${fmt(sizes.surveyEvents)} survey), ${fmt(sizes.contactFacts)} contact facts; contacts.csv ${fmt(contactsRows)} rows, ${fmt(contactsBytes / 2 ** 20, 1)} MiB (ceiling CSV ${fmt(csvBytes / 2 ** 20, 1)} MiB)\n`,
);
console.log(`| measured | time, ms | / ceiling (median) | peak RSS, MiB | under ${BUDGET_MB} MB |`);
console.log("|---|---:|---:|---:|:-:|");
console.log(line("ceiling: contacts statement, FORMAT CSV to nothing", c, null));
console.log(line("contacts.csv (child process, to /dev/null)", s(contactsMs), s(contactsPeak)));
if (packMs.length) console.log(line("whole pack (npm run export, zip)", s(packMs), s(packPeak)));
console.log(`\ncontacts child's own VmHWM: ${fmtSpread(s(contactsHwm))} MiB`);
if (packTreePeak.length)
  console.log(`pack's whole process tree, peak summed VmRSS: ${fmtSpread(s(packTreePeak))} MiB`);
if (packOut) console.log(`\nlast pack:\n${packOut}`);
const file = record("export", {
  runs: RUNS,
  events: EVENTS,
  sizes,
  contactsRows,
  contactsBytes,
  csvBytes,
  ceiling: { ...c, raw: ceil },
  contacts: { ...s(contactsMs), raw: contactsMs },
  pack: packMs.length ? { ...s(packMs), raw: packMs } : null,
  contactsPeakMiB: contactsPeak,
  contactsHwmMiB: contactsHwm,
  packPeakMiB: packPeak,
  packTreePeakMiB: packTreePeak,
  packOut,
});
console.log(`\nrecorded in ${file}`);
process.exit(0);
