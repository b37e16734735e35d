// Inputs of summary.html (api/src/exports/summary.ts) for its unit and browser tests: month and
// day rows whose ratios follow from their counts as metrics.md defines them, breaches, follow-ups.
import type { Breach, QueueFigures, ReportRow } from "@floorwatch/contracts";
import type { FollowupItem } from "../../api/src/alerts/followups";
import type { SummaryInput, SummaryQueue } from "../../api/src/exports/summary";

export const MONTH = "2026-10";

export const ZERO: QueueFigures = {
  offered: 0,
  answered: 0,
  abandoned: 0,
  short_abandoned: 0,
  answered_within_sl: 0,
  service_level: null,
  abandon_rate: null,
  asa_s: null,
  max_wait_s: null,
  callbacks: 0,
  flowed_out: 0,
  handled: 0,
  aht_s: null,
  resolution_rate: null,
  transfer_rate: null,
  first_response_s: null,
  csat: null,
  nps: null,
  fcr_survey: null,
  low_csat: 0,
  csat_responses: 0,
  nps_responses: 0,
  fcr_responses: 0,
  occupancy: null,
  orphaned: 0,
};

/** A row whose ratios follow from its counts as metrics.md defines them. */
export function row(
  queue: string,
  channel: string,
  start: string,
  end: string,
  f: Partial<QueueFigures> = {},
  extra: { restated?: boolean; sl_target?: number } = {},
): ReportRow {
  const x = { ...ZERO, ...f };
  const denominator = x.answered + x.abandoned - x.short_abandoned;
  return {
    ...x,
    service_level: f.service_level ?? (denominator > 0 ? x.answered_within_sl / denominator : null),
    abandon_rate:
      f.abandon_rate ?? (denominator > 0 ? (x.abandoned - x.short_abandoned) / denominator : null),
    interval_start: start,
    interval_end: end,
    queue,
    channel,
    definition: {
      set: "floorwatch-metrics-v1",
      versions: [
        {
          version: 1,
          valid_from: "1970-01-01T08:00:00+08:00",
          sl_threshold_s: 20,
          short_abandon_s: 5,
          sl_target: extra.sl_target ?? 0.8,
        },
      ],
    },
    closed: true,
    restated: extra.restated ?? false,
    drill: `/api/v1/contacts?site=s&queue=${queue}`,
  };
}

const day = (n: number) => `${MONTH}-${String(n).padStart(2, "0")}`;

/** A queue with figures for the month and calls on the given days (every other day empty). */
export function queue(
  id: string,
  channel: string,
  month: Partial<QueueFigures>,
  days: Record<number, Partial<QueueFigures>> = {},
  extra: { restated?: boolean; restatedDays?: number[]; name_zh?: string; name_en?: string } = {},
): SummaryQueue {
  const dayRows = Array.from({ length: 31 }, (_, i) =>
    row(
      id,
      channel,
      `${day(i + 1)}T00:00:00+08:00`,
      i === 30 ? "2026-11-01T00:00:00+08:00" : `${day(i + 2)}T00:00:00+08:00`,
      days[i + 1] ?? {},
      { restated: extra.restatedDays?.includes(i + 1) ?? false },
    ),
  );
  return {
    queue: id,
    channel,
    name_zh: extra.name_zh ?? `队列${id}`,
    name_en: extra.name_en ?? `Queue ${id}`,
    month: row(
      id,
      channel,
      "2026-10-01T00:00:00+08:00",
      "2026-11-01T00:00:00+08:00",
      month,
      extra.restated === undefined ? {} : { restated: extra.restated },
    ),
    days: dayRows,
  };
}

export function input(over: Partial<SummaryInput> = {}): SummaryInput {
  return {
    site: "bank-sh",
    site_name: "上海银行中心",
    month: MONTH,
    tz: "Asia/Shanghai",
    lang: "en",
    queues: [],
    breaches: [],
    followups: [],
    definition_set: "floorwatch-metrics-v1",
    generator: { name: "floorwatch", version: "0.15.0" },
    personal_data: false,
    ...over,
  };
}

export function breach(
  id: string,
  severity: Breach["severity"],
  acked: boolean,
  queue: string | null,
) {
  return {
    id,
    site: "bank-sh",
    rule_id: "service-level",
    rule_version: 1,
    rule_name: "Service level",
    rule_name_zh: "服务水平",
    severity,
    labels: {},
    scope: {
      key: queue ? `queue:${queue}` : "site",
      queue,
      channel: queue ? "voice" : null,
      survey_id: null,
    },
    figure: "service_level",
    window: "15m",
    comparator: "<",
    threshold: 0.8,
    recovery_threshold: 0.8,
    definition_version: 1,
    acknowledged: acked ? { by: "lead", at: "2026-10-03T10:00:00+08:00", note: "staffing" } : null,
    drill: "",
    started_at: "2026-10-03T09:00:00+08:00",
    pending_since: "2026-10-03T08:59:00+08:00",
    ended_at: "2026-10-03T09:30:00+08:00",
    peak: 0.5,
    peak_at: "2026-10-03T09:10:00+08:00",
    duration_s: 1800,
  } satisfies Breach;
}

export function followup(id: string, queue: string, status: FollowupItem["status"]): FollowupItem {
  return {
    survey_id: id,
    queue,
    channel: "voice",
    agent_id: "a1",
    csat: 1,
    contact_id: `c-${id}`,
    surveyed_ms: Date.UTC(2026, 9, 5),
    due_ms: Date.UTC(2026, 9, 6),
    status,
    customer_id: status === "untrackable" ? null : "cust",
    customer_tier: null,
    customer_phone: null,
    met_by: null,
  };
}
