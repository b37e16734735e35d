// The monthly compliance pack of a real month (issue #15): April 1999 of the Anonymous Bank, the
// month Israel's clocks went forward (2 April, 02:00 → 03:00: a 23-hour day), replayed through the
// real Kafka and the ingest, then packed by generatePack and unzipped by the test's own reader.
// Every row of daily_queue_summary.csv and interval_queue_summary.csv is compared with figures
// computed here straight from the raw files of March and April by metrics.md's mapping
// (test/support/bank.ts), calls that cross midnight where they end, bucketed by Intl's
// Jerusalem calendar, not the product's: counts exactly, fractions to the 6 places and seconds to
// the millisecond the CSV writes.
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePack } from "@floorwatch/api";
import { QueueFigures } from "@floorwatch/contracts";
import {
  ANONYMOUS_BANK_SITE as SITE,
  ANONYMOUS_BANK_TZ as TZ,
  ensureBankSite,
  parseBankFile,
  queueStart,
  replayBank,
  startIngest,
  type RunningIngest,
} from "@floorwatch/ingest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bankCells, bankFile, type Cell, cell, S, T } from "../support/bank";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import {
  checkedManifest,
  manifestOf,
  readZip,
  sha256,
  tableOf,
  type ZipEntry,
} from "../support/unzip";

const MONTH = "1999-04";
/** The month in Jerusalem: April opens at +02:00, the clocks went forward on the 2nd. */
const FROM = Date.parse("1999-04-01T00:00:00+02:00");
const TO = Date.parse("1999-05-01T00:00:00+03:00");
/** The pack's clock: well after the month, so every interval is closed. */
const NOW = Date.parse("1999-07-15T12:00:00Z");
const HALF_HOUR = 30 * 60_000;

// ---------------------------------------------------------------------------------------------
// The Jerusalem calendar by Intl alone

const wallFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: TZ,
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "longOffset",
});
function wall(ms: number) {
  const p: Record<string, string> = {};
  for (const x of wallFormat.formatToParts(new Date(ms))) p[x.type] = x.value;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: p.hour!,
    minute: Number(p.minute),
    offset: p.timeZoneName!.replace("GMT", "") || "+00:00",
  };
}
const dayOf = (ms: number) => wall(ms).date;
/** "1999-04-02T03:30": the local half hour (unique in April: no wall time repeats in it). */
const halfHourOf = (ms: number) => {
  const w = wall(ms);
  return `${w.date}T${w.hour}:${w.minute < 30 ? "00" : "30"}`;
};
/** The RFC 3339 local form a pack writes an interval start in, worked out by Intl. */
const localRfc3339 = (ms: number) => {
  const w = wall(ms);
  return `${w.date}T${w.hour}:${String(w.minute).padStart(2, "0")}:00${w.offset}`;
};

/** The month's half hours, in order, as local wall times (stepping real time by 30 minutes). */
const HALF_HOURS: string[] = [];
for (let t = FROM; t < TO; t += HALF_HOUR) HALF_HOURS.push(halfHourOf(t));
const DAYS = [...new Set(HALF_HOURS.map((x) => x.slice(0, 10)))];

// ---------------------------------------------------------------------------------------------
// The raw records

const MARCH = bankFile("1999-03");
const APRIL = bankFile("1999-04");

/** Whether the mapping makes a visit of a record (PHANTOM and IVR-only hang-ups it skips). */
const queued = (r: ReturnType<typeof parseBankFile>[number]) =>
  queueStart(r) !== null && (r.outcome === "AGENT" || r.outcome === "HANG");

// ---------------------------------------------------------------------------------------------
// Comparing a CSV row with the raw figures

type Want =
  | { kind: "exact"; text: string }
  | { kind: "decimal"; value: number | null; places: number };

const exact = (n: number | string): Want => ({ kind: "exact", text: String(n) });
const decimal = (value: number | null, places: number): Want => ({
  kind: "decimal",
  value,
  places,
});

/** Every QueueFigures field of a cell, by metrics.md and the mapping (voice, no surveys, no agents). */
function wanted(c: Cell): Record<keyof QueueFigures, Want> {
  const denominator = c.answered + c.abandoned - c.short;
  return {
    offered: exact(c.offered),
    answered: exact(c.answered),
    abandoned: exact(c.abandoned),
    short_abandoned: exact(c.short),
    answered_within_sl: exact(c.within),
    service_level: decimal(denominator ? c.within / denominator : null, 6),
    abandon_rate: decimal(denominator ? (c.abandoned - c.short) / denominator : null, 6),
    asa_s: decimal(c.answered ? c.waitSum / c.answered : null, 3),
    // Waits are whole seconds in the raw files: the longest is written as it is.
    max_wait_s: exact(c.offered ? c.maxWait : ""),
    // The mapping makes no callbacks, flow-outs, transfers, chats, surveys or agent states.
    callbacks: exact(0),
    flowed_out: exact(0),
    handled: exact(c.handled),
    aht_s: decimal(c.handled ? c.serSum / c.handled : null, 3),
    resolution_rate: decimal(c.handled ? 1 : null, 6), // every wrap-up is `resolved`
    transfer_rate: decimal(c.answered ? 0 : null, 6),
    first_response_s: exact(""),
    csat: exact(""),
    nps: exact(""),
    fcr_survey: exact(""),
    low_csat: exact(0),
    csat_responses: exact(0),
    nps_responses: exact(0),
    fcr_responses: exact(0),
    occupancy: exact(""),
    orphaned: exact(c.orphaned),
  };
}

/** What differs between a row's figure cells and the raw figures, as readable lines. */
function differences(key: string, row: Record<string, string>, c: Cell): string[] {
  const out: string[] = [];
  for (const [name, want] of Object.entries(wanted(c))) {
    const got = row[name];
    if (want.kind === "exact") {
      if (got !== want.text) out.push(`${key} ${name}: csv ${got} expected ${want.text}`);
      continue;
    }
    if (want.value === null) {
      if (got !== "") out.push(`${key} ${name}: csv ${got} expected empty`);
      continue;
    }
    const digits = new RegExp(`^\\d+(\\.\\d{1,${want.places}})?$`);
    // |written − exact| is at most half the last place (and a little floating point).
    const tolerance = 0.5 * 10 ** -want.places + 1e-12;
    if (!got || !digits.test(got) || Math.abs(Number(got) - want.value) > tolerance)
      out.push(`${key} ${name}: csv ${got} expected ${want.value}`);
  }
  return out;
}

const FIGURES = Object.keys(QueueFigures.shape);
const DEFINITION_COLUMNS = [
  "definition_set",
  "definition_versions",
  "sl_threshold_s",
  "short_abandon_s",
  "sl_target",
  "restated",
];

describe("the compliance pack of a real bank's April 1999", () => {
  let h: Harness;
  let ingest: RunningIngest;
  let dir: string;
  let zip: ZipEntry[];
  let bytes: Buffer;
  let queues: string[];
  const timings: string[] = [];
  const truth = bankCells(
    [MARCH, APRIL],
    new Map([
      ["day", dayOf],
      ["half", halfHourOf],
    ]),
  );
  const figuresOf = (kind: "day" | "half", queue: string, at: string) =>
    truth.cells.get(kind)!.get(`${queue}|${at}`) ?? cell();
  const aprilRecords = parseBankFile(readFileSync(APRIL, "utf8"));

  const pack = async (name: string) => {
    const path = join(dir, `${name}.zip`);
    await generatePack(
      h.ch,
      { site: SITE, month: MONTH, lang: "en", personalData: false, nowMs: NOW },
      { zipPath: path },
    );
    return readFile(path);
  };

  beforeAll(async () => {
    // The calendar worked out above: April opens and closes at Jerusalem midnights, and is one
    // 23-hour day (2 April) among 30.
    expect([wall(FROM), wall(TO)].map((w) => `${w.date} ${w.hour}:${w.minute}`)).toEqual([
      "1999-04-01 00:0",
      "1999-05-01 00:0",
    ]);
    expect(dayOf(FROM - 1)).toBe("1999-03-31");
    expect(DAYS).toHaveLength(30);
    expect(HALF_HOURS).toHaveLength(30 * 48 - 2);
    expect(HALF_HOURS.filter((x) => x.startsWith("1999-04-02"))).toHaveLength(46);
    // A call counts on the day it ends: March's calls would reach into April by ending or being
    // wrapped up after its first midnight, but none does (31 March 1999 was Passover eve, its last
    // call entered at 17:20), so April's file alone makes April; the expected figures are still
    // taken from both files. Within April, calls do cross midnight.
    const fromMarch = bankCells([MARCH], new Map([["day", dayOf]])).cells.get("day")!;
    expect([...fromMarch.keys()].filter((k) => k.split("|")[1]! >= "1999-04-01")).toEqual([]);
    const crossing = aprilRecords.filter((r) => {
      const start = queueStart(r);
      if (start === null || !queued(r)) return false;
      const done = start + (r.qTime + (r.outcome === "AGENT" ? r.serTime : 0)) * 1000;
      return dayOf(done) !== dayOf(start);
    });
    expect(crossing.length).toBeGreaterThan(0);

    let t = performance.now();
    const lap = (what: string) => {
      const now = performance.now();
      timings.push(`${what} ${((now - t) / 1000).toFixed(1)} s`);
      t = now;
    };
    h = await createHarness("bank_pack");
    dir = await mkdtemp(join(tmpdir(), "fw-bank-pack-"));
    await ensureBankSite(h.clickhouse);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    const result = await replayBank(h.kafka, {
      files: [APRIL],
      topic: h.config.topics.calls,
      partitions: h.config.kafka.partitions,
      speed: null,
    });
    expect(result.records).toBe(aprilRecords.length);
    lap(`replay (${result.events} events)`);
    await waitForIngested(h, undefined, { timeoutMs: 300_000, intervalMs: 1_000 });
    lap("ingest");
    bytes = await pack("first");
    zip = readZip(bytes);
    lap("pack");
    // The ingest names a queue at its first contact.queued: the types of the replayed visits.
    queues = [...new Set(aprilRecords.filter(queued).map((r) => r.type))].sort();
  }, 900_000);

  afterAll(async () => {
    if (timings.length) console.info(`bank April pack: ${timings.join(", ")}`);
    await ingest?.stop();
    await h?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes one day row per queue and local day, each equal to the raw records' figures", () => {
    const { header, rows } = tableOf(zip, "daily_queue_summary.csv");
    expect(header).toEqual(["date", "queue", "channel", ...FIGURES, ...DEFINITION_COLUMNS]);
    // Every queue × every day of April, queue then date: 30 rows each.
    expect(queues).toEqual(["IN", "NE", "NW", "PE", "PS", "TT"]);
    expect(rows.map((r) => `${r.queue} ${r.date}`)).toEqual(
      queues.flatMap((q) => DAYS.map((d) => `${q} ${d}`)),
    );
    const definitionSet = manifestOf(zip).definition_set;
    const diffs = rows.flatMap((r) =>
      differences(`${r.queue} ${r.date}`, r, figuresOf("day", r.queue!, r.date!)),
    );
    expect(diffs).toEqual([]);
    // Voice defaults (metrics.md), version 1 all month, nothing restated.
    for (const r of rows)
      expect(
        [
          r.channel,
          r.definition_set,
          r.definition_versions,
          r.sl_threshold_s,
          r.short_abandon_s,
          r.sl_target,
          r.restated,
        ],
        `${r.queue} ${r.date}`,
      ).toEqual(["voice", definitionSet, "1", String(T), String(S), "0.8", "false"]);
    // Every April figure of the raw records is in some row (none of a queue the pack left out).
    const inPack = rows.reduce(
      (n, r) => n + Number(r.offered) + Number(r.orphaned) + Number(r.handled),
      0,
    );
    let raw = 0;
    for (const [k, c] of truth.cells.get("day")!)
      if (DAYS.includes(k.split("|")[1]!)) raw += c.offered + c.orphaned + c.handled;
    expect(inPack).toBe(raw);
  });

  it("writes every half hour of the month per queue, 46 on the day the clocks went forward", () => {
    const { header, rows } = tableOf(zip, "interval_queue_summary.csv");
    expect(header).toEqual([
      "date",
      "queue",
      "interval_start",
      "interval_end",
      "channel",
      ...FIGURES,
      ...DEFINITION_COLUMNS,
    ]);
    // 30 × 48 − 2 half hours per queue (no 02:00 or 02:30 on 2 April), queue then start.
    expect(rows.map((r) => `${r.queue} ${r.interval_start!.slice(0, 16)}`)).toEqual(
      queues.flatMap((q) => HALF_HOURS.map((x) => `${q} ${x}`)),
    );
    const diffs: string[] = [];
    rows.forEach((r, i) => {
      const start = Date.parse(r.interval_start!);
      // The offset is the one in force: +02:00 until 2 April 02:00, +03:00 from 03:00.
      if (r.interval_start !== localRfc3339(start))
        diffs.push(`${r.queue} ${r.interval_start}: not ${localRfc3339(start)}`);
      const next = rows[i + 1]?.queue === r.queue ? rows[i + 1]!.interval_start : localRfc3339(TO);
      if (r.interval_end !== next || Date.parse(r.interval_end!) - start !== HALF_HOUR)
        diffs.push(`${r.queue} ${r.interval_start}: ends ${r.interval_end}`);
      if (r.date !== r.interval_start!.slice(0, 10))
        diffs.push(`${r.queue} ${r.interval_start}: date ${r.date}`);
      diffs.push(
        ...differences(
          `${r.queue} ${r.interval_start}`,
          r,
          figuresOf("half", r.queue!, r.interval_start!.slice(0, 16)),
        ),
      );
    });
    expect(diffs).toEqual([]);
    // Each day's half hours add up to the day's row.
    const byDay = new Map<string, number>();
    for (const r of rows) {
      const k = `${r.queue} ${r.date}`;
      byDay.set(k, (byDay.get(k) ?? 0) + Number(r.offered));
    }
    const daily = tableOf(zip, "daily_queue_summary.csv").rows;
    expect(daily.map((r) => byDay.get(`${r.queue} ${r.date}`))).toEqual(
      daily.map((r) => Number(r.offered)),
    );
  });

  it("lists every call queued in April in contacts.csv", () => {
    const began = aprilRecords.filter((r) => queued(r) && queueStart(r)! < TO);
    expect(tableOf(zip, "contacts.csv").rows).toHaveLength(began.length);
  });

  it("names Jerusalem and the month in the manifest, with every file's rows and hash", () => {
    const manifest = checkedManifest(zip);
    expect([manifest.site, manifest.month, manifest.tz, manifest.from, manifest.to]).toEqual([
      SITE,
      MONTH,
      "Asia/Jerusalem",
      "1999-04-01T00:00:00+02:00",
      "1999-05-01T00:00:00+03:00",
    ]);
    expect(manifest.generated_at).toBe(new Date(NOW).toISOString());
  });

  it("makes the same zip, byte for byte, when made again", async () => {
    const again = await pack("second");
    expect(again.length).toBe(bytes.length);
    expect(sha256(again)).toBe(sha256(bytes));
  });
});
