// The monthly pack's figure, breach, follow-up and personal-data files (issue #15) for a small month
// made by hand: 2026-10 at a site in Asia/Shanghai (UTC+8, no daylight saving; local midnight is
// 16:00 UTC). Events go through the real Kafka and ingest into the real ClickHouse; breaches,
// acknowledgements and audit entries are stored as the evaluator, the ack route and the API store
// them. Every expected figure is worked out by hand in the comment next to it.
import { randomBytes } from "node:crypto";
import { csvLine, type Event, QueueFigures, toCsv } from "@floorwatch/contracts";
import { startIngest, type RunningIngest } from "@floorwatch/ingest";
import {
  ALERT_ACKS_TABLE,
  ALERT_CURRENT_TABLE,
  ALERT_TRANSITIONS_TABLE,
  type AlertAckRow,
  type AlertCurrentRow,
  type AlertTransitionRow,
  insertRows,
} from "@floorwatch/sql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { writeAudit } from "../../api/src/auth/audit";
import { BREACHES_COLUMNS, breachesFile, loadMonthBreaches } from "../../api/src/exports/breaches";
import {
  LOW_CSAT_FOLLOWUPS_COLUMNS,
  loadMonthFollowups,
  lowCsatFollowupsFile,
} from "../../api/src/exports/followups";
import { PII_ACCESS_COLUMNS, piiAccessFile } from "../../api/src/exports/pii-access";
import {
  DAILY_QUEUE_SUMMARY_COLUMNS,
  dailyQueueRows,
  dailyQueueSummary,
  INTERVAL_QUEUE_SUMMARY_COLUMNS,
  intervalQueueSummary,
  monthQueueFigures,
} from "../../api/src/exports/queue-summary";
import {
  type Cell,
  type Column,
  headerOf,
  type PackContext,
  type TableFile,
} from "../../api/src/exports/types";
import { loadSiteConfig } from "../../api/src/metrics/config";
import {
  abandoned,
  agentState,
  answered,
  callbackRequested,
  produceAll,
  queued,
  survey,
  transferred,
  wrappedUp,
} from "../support/events";
import { createHarness, type Harness } from "../support/harness";
import { waitForIngested } from "../support/ingested";
import { defineQueues, defineSite } from "../support/sites";

const TZ = "Asia/Shanghai";
/** An instant of Shanghai wall time. */
const sh = (d: string, t: string) => Date.parse(`${d}T${t}+08:00`);
const site = "exp-files";
const other = "exp-other";
const FROM = sh("2026-10-01", "00:00:00");
const TO = sh("2026-11-01", "00:00:00");
/** The packs' clock: weeks after the month, so every interval is closed and every follow-up due. */
const NOW = sh("2026-11-20", "12:00:00");
const HOUR = 3_600_000;

/** Each file's header must be exactly its columns' names, in order, in each language. */
const headerSchema = (columns: readonly Column[], lang: "en" | "zh-CN") =>
  z.tuple(columns.map((c) => z.literal(lang === "en" ? c.en : c.zh)) as [z.ZodLiteral<string>]);

/** A row as an object keyed by its columns' English names. */
const named = (columns: readonly Column[], row: readonly Cell[]) =>
  Object.fromEntries(columns.map((c, i) => [c.en, row[i]]));

async function rowsOf(file: TableFile): Promise<Cell[][]> {
  const out: Cell[][] = [];
  for await (const r of file.rows) out.push([...r]);
  return out;
}

/** A file as the pack writes its CSV, with its header checked against the columns' names. */
async function read(file: TableFile, lang: "en" | "zh-CN" = "en") {
  const rows = await rowsOf(file);
  const text = toCsv(headerOf(file.columns, lang), rows);
  // The header line as written (BOM off, no cell of a header needs quoting), parsed by zod.
  const header = text.slice(1, text.indexOf("\r\n")).split(",");
  headerSchema(file.columns, lang).parse(header);
  for (const r of rows) expect(r).toHaveLength(file.columns.length);
  const at = (name: string) => {
    const i = file.columns.findIndex((c) => c.en === name);
    if (i < 0) throw new Error(`${file.name} has no column ${name}`);
    return i;
  };
  return { rows, text, at, get: (r: readonly Cell[], name: string) => r[at(name)] };
}

function contextAt(
  nowMs: number,
  config: PackContext["config"],
  personalData = false,
): PackContext {
  return {
    ch: h.ch,
    site,
    month: "2026-10",
    config,
    from_ms: FROM,
    to_ms: TO,
    lang: "en",
    personalData,
    nowMs,
  };
}

let h: Harness;

describe("the monthly pack's figure, breach, follow-up and personal-data files", () => {
  let ingest: RunningIngest;
  let ctx: PackContext;
  const ids = {
    first: randomBytes(12).toString("hex"),
    inMonth: randomBytes(12).toString("hex"),
    firing: randomBytes(12).toString("hex"),
    previous: randomBytes(12).toString("hex"),
    next: randomBytes(12).toString("hex"),
  };

  beforeAll(async () => {
    h = await createHarness("exports_files");
    // The site's zone, and cards' definitions before any event is derived: version 2 (T = 30 s,
    // target 85 %) from 09:45 on 10 October, a quarter hour inside the 09:30 half hour.
    await defineSite(h.ch, site, TZ, "Files");
    await defineQueues(h.ch, site, [
      { queue: "cards" },
      {
        queue: "cards",
        version: 2,
        valid_from_ms: sh("2026-10-10", "09:45:00"),
        sl_threshold_s: 30,
        sl_target: 0.85,
      },
      { queue: "loans" },
    ]);
    ingest = await startIngest(h.config, h.log, { kafka: h.kafka });
    const d5 = "2026-10-05";
    const d10 = "2026-10-10";
    const d31 = "2026-10-31";
    const events: Event[] = [
      // September, never in October's files: a visit and a low score the day before.
      queued({
        site,
        at: sh("2026-09-30", "22:00:00"),
        contact: "c0",
        queue: "cards",
        customer: "cu-0",
      }),
      answered({ site, at: sh("2026-09-30", "22:00:10"), contact: "c0", queue: "cards" }),
      survey({
        site,
        at: sh("2026-09-30", "23:00:00"),
        contact: "c0",
        queue: "cards",
        survey: "s-sep",
        csat: 1,
      }),
      // Across the month's start: queued 30 Sep 23:59:50, answered 1 Oct 00:00:05 → 1 October, 15 s.
      queued({ site, at: sh("2026-09-30", "23:59:50"), contact: "c8", queue: "cards" }),
      answered({ site, at: sh("2026-10-01", "00:00:05"), contact: "c8", queue: "cards" }),
      // 5 October, cards (T = 20 s, S = 5 s), all in the 09:30 half hour but c5.
      queued({ site, at: sh(d5, "09:40:00"), contact: "c1", queue: "cards" }),
      answered({ site, at: sh(d5, "09:40:15"), contact: "c1", queue: "cards", agent: "a1" }), // 15 s: within T
      queued({
        site,
        at: sh(d5, "09:41:00"),
        contact: "c2",
        queue: "cards",
        customer: "cu-1",
        phone: "13812345678",
        tier: "vip",
      }),
      answered({ site, at: sh(d5, "09:41:30"), contact: "c2", queue: "cards", agent: "a2" }), // 30 s: not within
      queued({ site, at: sh(d5, "09:42:00"), contact: "c3", queue: "cards" }),
      abandoned({ site, at: sh(d5, "09:42:03"), contact: "c3", queue: "cards" }), // 3 s: short
      queued({ site, at: sh(d5, "09:43:00"), contact: "c4", queue: "cards" }),
      abandoned({ site, at: sh(d5, "09:43:10"), contact: "c4", queue: "cards" }), // 10 s: not short
      queued({ site, at: sh(d5, "14:00:00"), contact: "c5", queue: "cards" }),
      callbackRequested({ site, at: sh(d5, "14:01:00"), contact: "c5", queue: "cards" }), // 60 s, the longest
      // Handling: c1 answered 09:40:15, wrapped 09:45:15 → 300 s resolved; c2 09:41:30 → 09:51:30,
      // 600 s unresolved; c2 transferred once (of 2 answered).
      wrappedUp({
        site,
        at: sh(d5, "09:45:15"),
        contact: "c1",
        queue: "cards",
        agent: "a1",
        disposition: "resolved",
      }),
      transferred({
        site,
        at: sh(d5, "09:45:00"),
        contact: "c2",
        queue: "cards",
        agent: "a2",
        toQueue: "loans",
      }),
      wrappedUp({
        site,
        at: sh(d5, "09:51:30"),
        contact: "c2",
        queue: "cards",
        agent: "a2",
        disposition: "unresolved",
      }),
      // Surveys (10:00 half hour): csat 5 and 1 → 1/2; nps 10 and 3 → (1 − 1)/2 = 0; resolved true, false → 1/2.
      survey({
        site,
        at: sh(d5, "10:00:00"),
        contact: "c1",
        queue: "cards",
        survey: "s-c1",
        csat: 5,
        nps: 10,
        resolved: true,
      }),
      survey({
        site,
        at: sh(d5, "10:05:00"),
        contact: "c2",
        queue: "cards",
        survey: "s-met",
        agent: "a2",
        csat: 1,
        nps: 3,
        resolved: false,
      }),
      // Its follow-up is met by an outbound call to cu-1 at 15:00 (another queue: cards unchanged).
      queued({
        site,
        at: sh(d5, "15:00:00"),
        contact: "o1",
        queue: "outbound",
        customer: "cu-1",
        outbound: true,
      }),
      answered({ site, at: sh(d5, "15:00:05"), contact: "o1", queue: "outbound" }),
      // a1 serves cards 09:30–10:00: available 600 s, on contact 600 s, wrap-up 600 s → 1200/1800.
      agentState({
        site,
        at: sh(d5, "09:30:00"),
        agent: "a1",
        state: "available",
        queues: ["cards"],
      }),
      agentState({ site, at: sh(d5, "09:40:00"), agent: "a1", state: "on_contact" }),
      agentState({ site, at: sh(d5, "09:50:00"), agent: "a1", state: "wrap_up" }),
      agentState({ site, at: sh(d5, "10:00:00"), agent: "a1", state: "logged_out" }),
      // Loans across local midnight: queued 5 Oct 23:59:50, answered 6 Oct 00:00:10 → 6 October, 20 s.
      queued({ site, at: sh(d5, "23:59:50"), contact: "l1", queue: "loans" }),
      answered({ site, at: sh("2026-10-06", "00:00:10"), contact: "l1", queue: "loans" }),
      // 10 October, cards: c6 ends 09:31:25 under version 1 (25 s > 20), c7 09:50:25 under version 2 (25 s ≤ 30).
      queued({ site, at: sh(d10, "09:31:00"), contact: "c6", queue: "cards", customer: "cu-3" }),
      answered({ site, at: sh(d10, "09:31:25"), contact: "c6", queue: "cards" }),
      queued({ site, at: sh(d10, "09:50:00"), contact: "c7", queue: "cards" }),
      answered({ site, at: sh(d10, "09:50:25"), contact: "c7", queue: "cards" }),
      // Low scores: cu-3 is never heard from again (overdue); c7 has no customer (untrackable).
      survey({
        site,
        at: sh(d10, "10:00:00"),
        contact: "c6",
        queue: "cards",
        survey: "s-over",
        csat: 2,
      }),
      survey({
        site,
        at: sh(d10, "10:10:00"),
        contact: "c7",
        queue: "cards",
        survey: "s-untr",
        csat: 1,
      }),
      // Orphaned on 20 October: queued 08:00:00, answered 12 h 0 min 1 s later → orphaned at 20:00:00.
      queued({ site, at: sh("2026-10-20", "08:00:00"), contact: "l2", queue: "loans" }),
      answered({ site, at: sh("2026-10-20", "20:00:01"), contact: "l2", queue: "loans" }),
      // The month's last hour: c10 (10 s) and c11 (8 s) on 31 October, their low scores at 23:30 and
      // 23:40; cu-5 calls on 1 November 09:00 and is answered 09:00:20, within 24 h: met. cu-4 is not.
      queued({ site, at: sh(d31, "23:20:00"), contact: "c10", queue: "cards", customer: "cu-4" }),
      answered({ site, at: sh(d31, "23:20:10"), contact: "c10", queue: "cards" }),
      queued({ site, at: sh(d31, "23:35:00"), contact: "c11", queue: "cards", customer: "cu-5" }),
      answered({ site, at: sh(d31, "23:35:08"), contact: "c11", queue: "cards" }),
      survey({
        site,
        at: sh(d31, "23:30:00"),
        contact: "c10",
        queue: "cards",
        survey: "s-last",
        csat: 2,
      }),
      survey({
        site,
        at: sh(d31, "23:40:00"),
        contact: "c11",
        queue: "cards",
        survey: "s-last-met",
        csat: 1,
      }),
      queued({
        site,
        at: sh("2026-11-01", "09:00:00"),
        contact: "n1",
        queue: "loans",
        customer: "cu-5",
      }),
      answered({ site, at: sh("2026-11-01", "09:00:20"), contact: "n1", queue: "loans" }),
      // Across the month's end: queued 31 Oct 23:59:55, answered 1 Nov 00:00:10 → November.
      queued({ site, at: sh(d31, "23:59:55"), contact: "c9", queue: "cards" }),
      answered({ site, at: sh("2026-11-01", "00:00:10"), contact: "c9", queue: "cards" }),
    ];
    await waitForIngested(h, await produceAll(h.kafka, h.config.topics, events));

    // Breaches as the evaluator stores them: one at the month's first instant, one inside with two
    // acknowledgements, one still firing at the end; one started the evening before, one at the
    // next month's first instant (neither in October's pack).
    const detail = (scope: string, queue: string | null) =>
      JSON.stringify({
        rule_name: "Longest wait",
        rule_name_zh: "最长等待",
        severity: "critical",
        labels: {},
        figure: "longest_waiting_s",
        window: "now",
        comparator: ">",
        threshold: 300,
        recovery_threshold: 240,
        scope: { key: scope, queue, channel: queue ? "voice" : null, survey_id: null },
        definition_version: queue ? 1 : null,
      });
    const stored = (
      id: string,
      firedMs: number,
      end: { at: number; peak: number; peakAt: number } | null,
      scope = "queue:cards",
    ): AlertTransitionRow[] => {
      const queue = scope === "site" ? null : "cards";
      const common = {
        site,
        alert_id: id,
        rule_id: "wait",
        rule_version: 2,
        scope_key: scope,
        queue: queue ?? "",
        severity: "critical",
        since_ms: firedMs - 60_000,
        fired_ms: firedMs,
        value: 320,
        peak: 320,
        peak_ms: firedMs,
        threshold: 300,
        definition_version: queue ? 1 : 0,
        detail: detail(scope, queue),
        evaluator: "test",
      };
      return [
        { ...common, kind: "firing", at_ms: firedMs, recorded_ms: firedMs },
        ...(end
          ? [
              {
                ...common,
                kind: "resolved" as const,
                at_ms: end.at,
                peak: end.peak,
                peak_ms: end.peakAt,
                recorded_ms: end.at,
              },
            ]
          : []),
      ];
    };
    const d12 = "2026-10-12";
    await insertRows(h.ch, ALERT_TRANSITIONS_TABLE, [
      ...stored(ids.first, FROM, { at: FROM + 60_000, peak: 310, peakAt: FROM + 30_000 }),
      ...stored(ids.inMonth, sh(d12, "10:00:00"), {
        at: sh(d12, "10:05:30"),
        peak: 412.5,
        peakAt: sh(d12, "10:03:00"),
      }),
      ...stored(ids.firing, sh("2026-10-31", "23:00:00"), null, "site"),
      ...stored(ids.previous, sh("2026-09-30", "23:50:00"), {
        at: sh("2026-10-01", "00:10:00"),
        peak: 330,
        peakAt: sh("2026-09-30", "23:55:00"),
      }),
      ...stored(ids.next, TO, { at: TO + 60_000, peak: 305, peakAt: TO }),
    ]);
    // The firing one's latest state: its peak so far is 650 s, at 1 November 00:20.
    await insertRows(h.ch, ALERT_CURRENT_TABLE, [
      {
        site,
        rule_id: "wait",
        scope_key: "site",
        alert_id: ids.firing,
        phase: "firing",
        since_ms: sh("2026-10-31", "22:59:00"),
        fired_ms: sh("2026-10-31", "23:00:00"),
        recovering_ms: 0,
        value: 600,
        has_value: 1,
        peak: 650,
        peak_ms: sh("2026-11-01", "00:20:00"),
        rule_version: 2,
        detail: detail("site", null),
        evaluator: "test",
        updated_ms: sh("2026-11-01", "00:30:00"),
      } satisfies AlertCurrentRow,
    ]);
    const ack = (at: number, note: string): AlertAckRow => ({
      site,
      alert_id: ids.inMonth,
      at_ms: at,
      by_name: "王主管",
      by_token: "tok-sup",
      note,
    });
    await insertRows(h.ch, ALERT_ACKS_TABLE, [
      ack(sh(d12, "10:01:00"), "first look"),
      ack(sh(d12, "10:02:00.250"), "short of staff, called in 2 agents"),
    ]);

    // The audit log: personal-data reads and exports in and around the month, and other entries.
    const qa = { id: "tok-qa", name: "李质检", role: "qa" };
    const admin = { id: "tok-admin", name: "Admin", role: "admin" };
    const audit = (
      actor: typeof qa,
      action: "pii.read" | "export" | "config.site",
      at: number,
      request: string,
      what: { site?: string; target?: string; detail?: Record<string, unknown> },
    ) => writeAudit(h.ch, actor, action, { site, ...what }, { id: request }, at);
    await audit(qa, "pii.read", sh("2026-09-30", "23:59:59.999"), "r-sep", {
      target: "contact:c0",
    });
    await audit(qa, "pii.read", sh("2026-10-03", "09:00:00.250"), "r-1", {
      target: "contact:c2",
      detail: { events: 4, surveys: 1 },
    });
    // Two entries of one millisecond: ordered by request id.
    await audit(qa, "pii.read", sh("2026-10-04", "11:00:00"), "r-3b", { target: "contacts:cards" });
    await audit(qa, "pii.read", sh("2026-10-04", "11:00:00"), "r-3a", { target: "contact:c1" });
    await audit(qa, "pii.read", sh("2026-10-04", "12:00:00"), "r-other", {
      site: other,
      target: "contact:x",
    });
    await audit(admin, "config.site", sh("2026-10-05", "08:00:00"), "r-config", { target: site });
    await audit(admin, "export", sh("2026-10-15", "09:00:00"), "r-export-pii", {
      target: "11111111-1111-1111-1111-111111111111",
      detail: { month: "2026-09", lang: "en", personal_data: true },
    });
    await audit(admin, "export", sh("2026-10-16", "09:00:00"), "r-export-masked", {
      target: "22222222-2222-2222-2222-222222222222",
      detail: { month: "2026-09", lang: "en", personal_data: false },
    });
    await audit(qa, "pii.read", sh("2026-10-31", "23:59:59.999"), "r-last", {
      target: "contact:c11",
    });
    await audit(qa, "pii.read", TO, "r-nov", { target: "contact:n1" });

    ctx = contextAt(NOW, await loadSiteConfig(h.ch, site));
  });

  afterAll(async () => {
    await ingest?.stop();
    await h?.cleanup();
  });

  it("lists every day of the month for every queue, queue by queue, with the figures worked by hand", async () => {
    const f = await read(dailyQueueSummary(ctx));
    await read(dailyQueueSummary(ctx), "zh-CN");
    expect(f.text.startsWith("\uFEFFdate,queue,channel,offered,")).toBe(true);
    // Three queues (outbound was seen on 5 October), 31 days each, by queue id then date.
    const days = Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, "0")}`);
    expect(f.rows.map((r) => `${f.get(r, "queue")} ${f.get(r, "date")}`)).toEqual(
      ["cards", "loans", "outbound"].flatMap((q) => days.map((d) => `${q} ${d}`)),
    );
    const day = (queue: string, date: string) => {
      const r = f.rows.find((x) => f.get(x, "queue") === queue && f.get(x, "date") === date)!;
      return named(DAILY_QUEUE_SUMMARY_COLUMNS, r);
    };
    // Cards, 5 October: c1–c5 offered; answered c1 (15 s, within), c2 (30 s); abandoned c3 (3 s,
    // short), c4 (10 s); c5 a callback after 60 s. SL = 1/(2 + 2 − 1), abandon rate (2 − 1)/3,
    // ASA (15 + 30)/2, AHT (300 + 600)/2, 1 of 2 resolved, 1 transfer of 2 answered.
    expect(day("cards", "2026-10-05")).toEqual({
      date: "2026-10-05",
      queue: "cards",
      channel: "voice",
      offered: 5,
      answered: 2,
      abandoned: 2,
      short_abandoned: 1,
      answered_within_sl: 1,
      service_level: 0.333333,
      abandon_rate: 0.333333,
      asa_s: 22.5,
      max_wait_s: 60,
      callbacks: 1,
      flowed_out: 0,
      handled: 2,
      aht_s: 450,
      resolution_rate: 0.5,
      transfer_rate: 0.5,
      first_response_s: null,
      csat: 0.5,
      nps: 0,
      fcr_survey: 0.5,
      low_csat: 1,
      csat_responses: 2,
      nps_responses: 2,
      fcr_responses: 2,
      occupancy: 0.666667,
      orphaned: 0,
      definition_set: "floorwatch-metrics-v1",
      definition_versions: "1",
      sl_threshold_s: "20",
      short_abandon_s: "5",
      sl_target: "0.8",
      restated: "false",
    });
    // Cards, 10 October: c6 judged by version 1 (25 s > 20), c7 by version 2 (25 s ≤ 30): SL 1/2,
    // both versions named with their parameters; two low scores (2 and 1) → csat 0.
    expect(day("cards", "2026-10-10")).toMatchObject({
      offered: 2,
      answered: 2,
      answered_within_sl: 1,
      service_level: 0.5,
      asa_s: 25,
      csat: 0,
      low_csat: 2,
      definition_versions: "1;2",
      sl_threshold_s: "20;30",
      short_abandon_s: "5;5",
      sl_target: "0.8;0.85",
    });
    // After the change only version 2; before it only version 1.
    expect(day("cards", "2026-10-11")).toMatchObject({
      offered: 0,
      definition_versions: "2",
      sl_threshold_s: "30",
    });
    expect(day("cards", "2026-10-09")).toMatchObject({ definition_versions: "1" });
    // The month's edges: c8 (queued in September) counts on 1 October; c9 (answered in November) nowhere.
    expect(day("cards", "2026-10-01")).toMatchObject({
      offered: 1,
      answered_within_sl: 1,
      asa_s: 15,
    });
    expect(day("cards", "2026-10-31")).toMatchObject({ offered: 2, asa_s: 9, low_csat: 2 });
    // Loans: l1 answered after midnight counts on the 6th, not the 5th; l2 is orphaned on the 20th.
    expect(day("loans", "2026-10-05")).toMatchObject({
      offered: 0,
      service_level: null,
      asa_s: null,
    });
    expect(day("loans", "2026-10-06")).toMatchObject({ offered: 1, service_level: 1, asa_s: 20 });
    expect(day("loans", "2026-10-20")).toMatchObject({ offered: 0, orphaned: 1 });
    expect(day("outbound", "2026-10-05")).toMatchObject({ offered: 1, answered: 1 });
    // A cell in the CSV as a spreadsheet reads it.
    expect(f.text).toContain(
      csvLine(
        f.rows.find((r) => f.get(r, "queue") === "cards" && f.get(r, "date") === "2026-10-05")!,
      ),
    );
  });

  it("gives the month's figures per queue, equal to the sum of its days", async () => {
    const month = await monthQueueFigures(ctx);
    const days = await dailyQueueRows(ctx);
    expect(month.map((r) => r.queue)).toEqual(["cards", "loans", "outbound"]);
    // Cards: c8 (1 Oct) + c1–c5 (5 Oct) + c6, c7 (10 Oct) + c10, c11 (31 Oct) = 10.
    expect(month[0]!.offered).toBe(10);
    expect(month[0]!.interval_start).toBe("2026-10-01T00:00:00+08:00");
    expect(month[0]!.interval_end).toBe("2026-11-01T00:00:00+08:00");
    for (const m of month) {
      const mine = days.filter((d) => d.queue === m.queue);
      for (const k of ["offered", "answered", "handled", "low_csat", "orphaned"] as const)
        expect(m[k], `${m.queue} ${k}`).toBe(mine.reduce((s, d) => s + d[k], 0));
    }
    // Every figure of the schema is on the row (the summary page reads them).
    expect(Object.keys(month[0]!)).toEqual(expect.arrayContaining(Object.keys(QueueFigures.shape)));
  });

  it("lists 31 × 48 half hours per queue, and a visit of 09:40 in its 09:30–10:00 row", async () => {
    const f = await read(intervalQueueSummary(ctx));
    await read(intervalQueueSummary(ctx), "zh-CN");
    expect(f.rows).toHaveLength(3 * 31 * 48);
    for (const [i, q] of ["cards", "loans", "outbound"].entries()) {
      const mine = f.rows.slice(i * 1488, (i + 1) * 1488);
      expect(mine.every((r) => f.get(r, "queue") === q)).toBe(true);
      // Consecutive half hours: each ends where the next starts, from the month's first instant to its end.
      expect(f.get(mine[0]!, "interval_start")).toBe("2026-10-01T00:00:00+08:00");
      expect(f.get(mine.at(-1)!, "interval_end")).toBe("2026-11-01T00:00:00+08:00");
      for (let k = 1; k < mine.length; k++)
        expect(f.get(mine[k]!, "interval_start")).toBe(f.get(mine[k - 1]!, "interval_end"));
      expect(
        mine
          .map((r) => Date.parse(String(f.get(r, "interval_start"))))
          .every((ms, k) => ms === FROM + k * 30 * 60_000),
      ).toBe(true);
    }
    const half = (queue: string, start: string) => {
      const r = f.rows.find(
        (x) => f.get(x, "queue") === queue && f.get(x, "interval_start") === start,
      )!;
      return named(INTERVAL_QUEUE_SUMMARY_COLUMNS, r);
    };
    // 5 October 09:30–10:00: c1 (queued 09:40) … c4; c5 ended 14:01. Longest wait c2's 30 s; both
    // wrap-ups (09:45:15, 09:51:30) and the transfer here; the surveys at 10:00 are not.
    expect(half("cards", "2026-10-05T09:30:00+08:00")).toMatchObject({
      date: "2026-10-05",
      interval_end: "2026-10-05T10:00:00+08:00",
      channel: "voice",
      offered: 4,
      answered: 2,
      abandoned: 2,
      short_abandoned: 1,
      answered_within_sl: 1,
      service_level: 0.333333,
      asa_s: 22.5,
      max_wait_s: 30,
      handled: 2,
      transfer_rate: 0.5,
      csat_responses: 0,
      occupancy: 0.666667,
    });
    expect(half("cards", "2026-10-05T09:00:00+08:00")).toMatchObject({
      offered: 0,
      occupancy: null,
    });
    expect(half("cards", "2026-10-05T10:00:00+08:00")).toMatchObject({
      offered: 0,
      csat: 0.5,
      low_csat: 1,
    });
    expect(half("cards", "2026-10-05T14:00:00+08:00")).toMatchObject({
      offered: 1,
      callbacks: 1,
      max_wait_s: 60,
    });
    // Version 2 from 09:45 inside the 09:30 half hour of 10 October: both versions there only.
    expect(half("cards", "2026-10-10T09:30:00+08:00")).toMatchObject({
      answered_within_sl: 1,
      service_level: 0.5,
      definition_versions: "1;2",
      sl_threshold_s: "20;30",
      sl_target: "0.8;0.85",
    });
    expect(half("cards", "2026-10-10T09:00:00+08:00")).toMatchObject({ definition_versions: "1" });
    expect(half("cards", "2026-10-10T10:00:00+08:00")).toMatchObject({ definition_versions: "2" });
    expect(half("loans", "2026-10-06T00:00:00+08:00")).toMatchObject({
      date: "2026-10-06",
      offered: 1,
    });
  });

  it("lists the breaches that started in the month, oldest first, acknowledged ones with by, at and note", async () => {
    const breaches = await loadMonthBreaches(ctx);
    // The one started at the month's first instant is in; the one started the evening before
    // (ended on the 1st) and the one at the next month's first instant are not.
    expect(breaches.map((b) => b.id)).toEqual([ids.first, ids.inMonth, ids.firing]);
    const f = await read(breachesFile(ctx, breaches));
    await read(breachesFile(ctx, breaches), "zh-CN");
    expect(f.rows.map((r) => f.get(r, "alert_id"))).toEqual([ids.first, ids.inMonth, ids.firing]);
    const row = (id: string) => named(BREACHES_COLUMNS, f.rows.find((r) => r[0] === id)!);
    // Fired 10:00:00, resolved 10:05:30 → 330 s; the latest of two acknowledgements.
    expect(row(ids.inMonth)).toEqual({
      alert_id: ids.inMonth,
      rule_id: "wait",
      rule_name: "Longest wait",
      rule_name_zh: "最长等待",
      rule_version: 2,
      severity: "critical",
      scope_key: "queue:cards",
      queue: "cards",
      channel: "voice",
      survey_id: null,
      figure: "longest_waiting_s",
      window: "now",
      comparator: ">",
      threshold: 300,
      recovery_threshold: 240,
      definition_version: 1,
      pending_since: "2026-10-12T09:59:00+08:00",
      started_at: "2026-10-12T10:00:00+08:00",
      ended_at: "2026-10-12T10:05:30+08:00",
      status: "ended",
      duration_s: 330,
      peak: 412.5,
      peak_at: "2026-10-12T10:03:00+08:00",
      acknowledged_by: "王主管",
      acknowledged_at: "2026-10-12T10:02:00.250+08:00",
      ack_note: "short of staff, called in 2 agents",
    });
    // Still firing: no end, no duration, its peak so far from the evaluator's latest state.
    expect(row(ids.firing)).toMatchObject({
      scope_key: "site",
      queue: null,
      channel: null,
      definition_version: null,
      started_at: "2026-10-31T23:00:00+08:00",
      ended_at: null,
      status: "firing",
      duration_s: null,
      peak: 650,
      peak_at: "2026-11-01T00:20:00+08:00",
      acknowledged_by: null,
      acknowledged_at: null,
      ack_note: null,
    });
    expect(row(ids.first)).toMatchObject({
      started_at: "2026-10-01T00:00:00+08:00",
      duration_s: 60,
    });
    // The note has a comma: quoted in the CSV.
    expect(f.text).toContain(',"short of staff, called in 2 agents"\r\n');
  });

  it("judges each low score of the month as of the month's end + 24 h, met, overdue or untrackable", async () => {
    const items = await loadMonthFollowups(ctx);
    const f = await read(lowCsatFollowupsFile(ctx, items));
    await read(lowCsatFollowupsFile(ctx, items), "zh-CN");
    const rows = f.rows.map((r) => named(LOW_CSAT_FOLLOWUPS_COLUMNS, r));
    // In survey order; September's s-sep and the csat-5 survey are not in it.
    expect(rows.map((r) => [r.survey_id, r.status])).toEqual([
      ["s-met", "met"],
      ["s-over", "overdue"],
      ["s-untr", "untrackable"],
      // 23:30 on the 31st: due 1 November 23:30, unmet by then (judged at 2 November 00:00).
      ["s-last", "overdue"],
      // Met in November by cu-5's answered call: meetings are looked for past the month's end.
      ["s-last-met", "met"],
    ]);
    expect(rows[0]).toEqual({
      survey_id: "s-met",
      contact_id: "c2",
      queue: "cards",
      channel: "voice",
      agent_id: "a2",
      csat: 1,
      surveyed_at: "2026-10-05T10:05:00+08:00",
      due_at: "2026-10-06T10:05:00+08:00",
      status: "met",
      met_by_contact_id: "o1",
      met_at: "2026-10-05T15:00:00+08:00",
      met_how: "outbound",
      customer_id: "cu-1",
      customer_tier: "vip",
      customer_phone: "138****5678",
    });
    expect(rows[4]).toMatchObject({
      met_by_contact_id: "n1",
      met_at: "2026-11-01T09:00:20+08:00",
      met_how: "answered",
    });
    expect(rows[2]).toMatchObject({ customer_id: null, customer_phone: null, met_how: null });
    // With personal data the number is whole; the column is there either way.
    const unmasked = await read(lowCsatFollowupsFile(contextAt(NOW, ctx.config, true), items));
    expect(unmasked.get(unmasked.rows[0]!, "customer_phone")).toBe("13812345678");
    // A pack made 2 h after the month's end: the last hour's unmet low score is not yet due.
    const early = await loadMonthFollowups(contextAt(TO + 2 * HOUR, ctx.config));
    expect(early.find((x) => x.survey_id === "s-last")?.status).toBe("open");
    // And one made 24 h after the end or any time later judges every one alike.
    const later = await loadMonthFollowups(contextAt(TO + 60 * 24 * HOUR, ctx.config));
    expect(later.map((x) => x.status)).toEqual(items.map((x) => x.status));
  });

  it("lists the month's personal-data reads of the site from the audit log, oldest first", async () => {
    const f = await read(piiAccessFile(ctx));
    await read(piiAccessFile(ctx), "zh-CN");
    // Not: September's last millisecond, November's first, another site's read, a configuration
    // change, an export without personal data.
    expect(f.rows.map((r) => f.get(r, "request_id"))).toEqual([
      "r-1",
      "r-3a",
      "r-3b",
      "r-export-pii",
      "r-last",
    ]);
    expect(named(PII_ACCESS_COLUMNS, f.rows[0]!)).toEqual({
      at: "2026-10-03T09:00:00.250+08:00",
      actor_id: "tok-qa",
      actor_name: "李质检",
      actor_role: "qa",
      action: "pii.read",
      target: "contact:c2",
      detail: '{"events":4,"surveys":1}',
      request_id: "r-1",
    });
    expect(f.get(f.rows[3]!, "action")).toBe("export");
    expect(f.get(f.rows[3]!, "detail")).toBe(
      '{"month":"2026-09","lang":"en","personal_data":true}',
    );
    expect(f.get(f.rows[4]!, "at")).toBe("2026-10-31T23:59:59.999+08:00");
  });

  it("gives the same bytes when made again, and marks restated only what a late event changed", async () => {
    const files = (c: PackContext) => [
      dailyQueueSummary(c),
      intervalQueueSummary(c),
      piiAccessFile(c),
    ];
    const texts = async (c: PackContext) =>
      Promise.all(files(c).map(async (file) => (await read(file)).text));
    // A new context is a new pack: nothing is shared with the first but the stored data.
    const first = await texts(contextAt(NOW, ctx.config));
    await monthQueueFigures(contextAt(NOW, ctx.config));
    const again = await texts(contextAt(NOW + 7 * 24 * HOUR, await loadSiteConfig(h.ch, site)));
    expect(again).toEqual(first);
    const withBreaches = async (c: PackContext) =>
      (await read(breachesFile(c, await loadMonthBreaches(c)))).text;
    const withFollowups = async (c: PackContext) =>
      (await read(lowCsatFollowupsFile(c, await loadMonthFollowups(c)))).text;
    expect(await withBreaches(contextAt(NOW + HOUR, ctx.config))).toBe(await withBreaches(ctx));
    expect(await withFollowups(contextAt(NOW + 30 * 24 * HOUR, ctx.config))).toBe(
      await withFollowups(ctx),
    );
    // Every interval published by now is as first published.
    const daily = await read(dailyQueueSummary(contextAt(NOW, ctx.config)));
    expect(daily.rows.every((r) => daily.get(r, "restated") === "false")).toBe(true);

    // A visit of loans on 7 October 11:00 arrives late (after both packs): that day and that half
    // hour of loans are restated, nothing else.
    await waitForIngested(
      h,
      await produceAll(h.kafka, h.config.topics, [
        queued({ site, at: sh("2026-10-07", "11:00:00"), contact: "late1", queue: "loans" }),
        answered({ site, at: sh("2026-10-07", "11:00:05"), contact: "late1", queue: "loans" }),
      ]),
    );
    const later = contextAt(NOW + 14 * 24 * HOUR, ctx.config);
    const d = await read(dailyQueueSummary(later));
    expect(
      d.rows
        .filter((r) => d.get(r, "restated") === "true")
        .map((r) => `${d.get(r, "queue")} ${d.get(r, "date")}`),
    ).toEqual(["loans 2026-10-07"]);
    expect(
      d.get(
        d.rows.find((r) => d.get(r, "queue") === "loans" && d.get(r, "date") === "2026-10-07")!,
        "offered",
      ),
    ).toBe(1);
    const i = await read(intervalQueueSummary(later));
    expect(
      i.rows
        .filter((r) => i.get(r, "restated") === "true")
        .map((r) => `${i.get(r, "queue")} ${i.get(r, "interval_start")}`),
    ).toEqual(["loans 2026-10-07T11:00:00+08:00"]);
    const month = await monthQueueFigures(later);
    expect(month.map((r) => [r.queue, r.restated])).toEqual([
      ["cards", false],
      ["loans", true],
      ["outbound", false],
    ]);
  });
});
