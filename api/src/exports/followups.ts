// low_csat_followups.csv of the monthly pack: each survey of the month with csat ≤ 2, its due time,
// the contact that met it and its status (metrics.md "Low-score follow-ups"), computed from the
// stored events as GET /api/v1/followups computes them.
import { intervalStarts, maskPhone } from "@floorwatch/contracts";
import {
  computeFollowups,
  FOLLOWUP_DUE_MS,
  type FollowupItem,
  SURVEY_CORRECTION_MS,
} from "../alerts/followups";
import { localTime } from "./format";
import type { Cell, Column, PackContext, TableFile } from "./types";

/**
 * The instant the month's follow-ups are judged at: the pack's clock, but never past the month's
 * end + 24 h. Every low score of the month is due by then, so from then on each is met, overdue or
 * untrackable, and a pack made again later judges them alike: the same bytes unless late events
 * arrived. Pinned rather than left to the clock so that the file stays a function of the month's
 * data whatever else a judgement may come to depend on. A pack made within 24 h of the month's end
 * (a schedule's short grace period) judges at its own time: the last day's unmet ones are open.
 */
export function followupsAsOf(ctx: Pick<PackContext, "nowMs" | "to_ms">): number {
  return Math.min(ctx.nowMs, ctx.to_ms + FOLLOWUP_DUE_MS);
}

/** By survey time, then survey id. */
export function surveyOrder(a: FollowupItem, b: FollowupItem): number {
  return (
    a.surveyed_ms - b.surveyed_ms ||
    (a.survey_id < b.survey_id ? -1 : a.survey_id > b.survey_id ? 1 : 0)
  );
}

/**
 * The follow-ups of the surveys of the pack's month, judged as of followupsAsOf, in survey order.
 * Read FOLLOWUP_DAYS local days of surveys at a time: a month's reads at once (every contact of
 * every customer with a low score: 700,000 rows in bench:export's month) held more than a
 * gigabyte, where the follow-ups themselves are a few tens of megabytes. Every part looks for
 * corrections until the month's end + a day, as one read of the month does, so each survey is in
 * the part of its latest event only. One difference from a month-wide read remains, by design: a
 * surveyed contact is looked up at most SURVEY_AFTER_CONTACT_MS (3 days) before its part starts,
 * where a month-wide read looked 3 days before the month; a survey that comes more than 3 days
 * after its contact is outside what the follow-ups' reads are built for either way.
 */
export async function loadMonthFollowups(ctx: PackContext): Promise<FollowupItem[]> {
  const now_ms = followupsAsOf(ctx);
  const days = intervalStarts(ctx.config.tz, "1d", ctx.from_ms, ctx.to_ms);
  const items: FollowupItem[] = [];
  for (let i = 0; i < days.length; i += FOLLOWUP_DAYS) {
    const range = {
      from_ms: days[i]!,
      to_ms: days[i + FOLLOWUP_DAYS] ?? ctx.to_ms,
      now_ms,
      corrections_until_ms: ctx.to_ms + SURVEY_CORRECTION_MS,
    };
    items.push(...(await computeFollowups(ctx.ch, ctx.site, range)));
  }
  return items.sort(surveyOrder);
}

/**
 * Days of surveys read at once. Each read looks at contacts from 3 days before its surveys to a
 * day after, so a day at a time reads every contact about five times (11 s for bench:export's
 * month); three days, 5 s, and a third of the month's contacts' rows in memory at most.
 */
export const FOLLOWUP_DAYS = 3;

const LOCAL_EN = "local time of the site, RFC 3339 with its UTC offset";
const LOCAL_ZH = "站点本地时间，RFC 3339 格式并带 UTC 偏移";

export const LOW_CSAT_FOLLOWUPS_COLUMNS: readonly Column[] = [
  {
    en: "survey_id",
    zh: "问卷 ID",
    about_en: "The survey with csat ≤ 2. Rows are ordered by surveyed_at, then survey_id.",
    about_zh: "csat ≤ 2 的问卷。行按 surveyed_at、再按 survey_id 排序。",
  },
  {
    en: "contact_id",
    zh: "受访联络 ID",
    about_en: "The surveyed contact.",
    about_zh: "被调查的联络。",
  },
  {
    en: "queue",
    zh: "队列",
    about_en: "The queue the survey names.",
    about_zh: "问卷所属队列。",
  },
  {
    en: "channel",
    zh: "渠道",
    about_en: "The channel the survey names: voice, chat, email or video.",
    about_zh: "问卷所属渠道：voice、chat、email 或 video。",
  },
  {
    en: "agent_id",
    zh: "坐席 ID",
    about_en: "The agent the survey names; empty when it names none.",
    about_zh: "问卷所指坐席；未指明时留空。",
  },
  {
    en: "csat",
    zh: "满意度评分",
    about_en: "The score given, 1 or 2 (on 1–5).",
    about_zh: "客户给出的评分，1 或 2（满分 5）。",
  },
  {
    en: "surveyed_at",
    zh: "问卷时间",
    about_en: `The survey's occurred_at, ${LOCAL_EN}. A follow-up is in the pack of the month its survey is in.`,
    about_zh: `问卷的 occurred_at，${LOCAL_ZH}。回访列入其问卷所在月份的数据包。`,
  },
  {
    en: "due_at",
    zh: "回访截止",
    about_en: `surveyed_at + 24 hours (elapsed time, whatever the clock does), ${LOCAL_EN}.`,
    about_zh: `surveyed_at 加 24 小时（实际经过时间，不受时钟调整影响），${LOCAL_ZH}。`,
  },
  {
    en: "status",
    zh: "状态",
    about_en:
      "met (a later contact of the same customer, outbound or answered, by due_at), overdue (unmet at due_at), open (unmet and not yet due), untrackable (the surveyed contact has no customer id): the codes, in both languages. Judged as of the earlier of the pack's making and the month's end + 24 h, by which every follow-up of the month is due: a pack made after that has no open ones, and made again gives the same statuses unless events arrived late.",
    about_zh:
      "met（同一客户在 due_at 前有外呼或已接通的后续联络）、overdue（至 due_at 未回访）、open（未回访且未到期）、untrackable（受访联络无客户 ID）；两种语言均用此代码。以数据包生成时刻与月末加 24 小时两者中较早者为准判定，届时当月所有回访均已到期：此后生成的数据包不含 open，再次生成结果相同，除非有迟到的事件。",
  },
  {
    en: "met_by_contact_id",
    zh: "回访联络 ID",
    about_en: "The contact that met the follow-up; empty unless met.",
    about_zh: "完成回访的联络；未完成时留空。",
  },
  {
    en: "met_at",
    zh: "回访时间",
    about_en: `When that contact met it (an outbound contact when queued, another when answered), ${LOCAL_EN}; empty unless met.`,
    about_zh: `该联络完成回访的时刻（外呼以进入排队时刻计，其他以接通时刻计），${LOCAL_ZH}；未完成时留空。`,
  },
  {
    en: "met_how",
    zh: "回访方式",
    about_en:
      "outbound (a call to the customer) or answered (a contact of the customer's that was answered); empty unless met.",
    about_zh: "outbound（外呼客户）或 answered（客户来电且被接通）；未完成时留空。",
  },
  {
    en: "customer_id",
    zh: "客户 ID",
    about_en:
      "The customer.id of the surveyed contact, whose later contacts meet the follow-up; empty when untrackable.",
    about_zh: "受访联络的 customer.id，其后续联络用于判定回访；untrackable 时留空。",
  },
  {
    en: "customer_tier",
    zh: "客户等级",
    about_en:
      "The customer's tier as the surveyed contact gave it (standard, priority, vip); empty when not given.",
    about_zh: "受访联络所带的客户等级（standard、priority、vip）；未提供时留空。",
  },
  {
    en: "customer_phone",
    zh: "客户电话",
    about_en:
      "The customer's phone number: in full only in a pack made with personal data (by a token granted pii, audited in pii_access.csv), else masked to the first 3 and last 4 digits (138****5678). Empty when not given.",
    about_zh:
      "客户电话：仅在含个人数据的数据包（由具备 pii 权限的令牌生成，记入 pii_access.csv）中完整显示，否则仅保留前 3 位与后 4 位（138****5678）。未提供时留空。",
  },
];

/** One follow-up as its row; the phone in full only when the pack carries personal data. */
export function followupCells(tz: string, personalData: boolean, f: FollowupItem): Cell[] {
  const phone =
    f.customer_phone === null
      ? null
      : personalData
        ? f.customer_phone
        : maskPhone(f.customer_phone);
  return [
    f.survey_id,
    f.contact_id,
    f.queue,
    f.channel,
    f.agent_id,
    f.csat,
    localTime(tz, f.surveyed_ms),
    localTime(tz, f.due_ms),
    f.status,
    f.met_by?.contact_id ?? null,
    f.met_by ? localTime(tz, f.met_by.at_ms) : null,
    f.met_by?.how ?? null,
    f.customer_id,
    f.customer_tier,
    phone,
  ];
}

/** low_csat_followups.csv from loadMonthFollowups' list (already in survey order). */
export function lowCsatFollowupsFile(ctx: PackContext, items: readonly FollowupItem[]): TableFile {
  return {
    name: "low_csat_followups.csv",
    columns: LOW_CSAT_FOLLOWUPS_COLUMNS,
    rows: {
      async *[Symbol.asyncIterator]() {
        for (const f of items) yield followupCells(ctx.config.tz, ctx.personalData, f);
      },
    },
  };
}
