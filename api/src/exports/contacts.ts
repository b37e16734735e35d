// contacts.csv of the monthly pack: one row per contact that began in the month, with its visits,
// handling, transfers and latest survey response. A month is millions of contacts: one statement
// (sql/src/queries/pack.ts packContacts) groups and joins them on the server and streams them in
// order; this file only turns each row's text fields into cells, so the process holds a few
// thousand rows at a time whatever the month's size (bench:export: resident memory under 256 MB).
import { maskPhone, offsetMs } from "@floorwatch/contracts";
import {
  ORPHAN_AFTER_MS,
  PACK_HORIZON_MS,
  packContacts,
  streamQuery,
  type PackContactRow,
} from "@floorwatch/sql";
import type { Cell, Column, PackContext, TableFile } from "./types";

const LOCAL_EN = "local time of the site, RFC 3339 with its UTC offset";
const LOCAL_ZH = "站点本地时间，RFC 3339 格式并带 UTC 偏移";
const HORIZON_H = PACK_HORIZON_MS / 3_600_000;
const LIST_EN =
  "separated by ';', one entry per visit in the order the visits began, aligned with visit_queues";
const LIST_ZH = "以 ';' 分隔，每次排队一项，按排队开始先后排列，与 visit_queues 逐项对应";

export const CONTACTS_COLUMNS: readonly Column[] = [
  {
    en: "contact_id",
    zh: "联络 ID",
    about_en: `A contact whose first event (the earliest occurred_at of its contact events) falls in the month, in the site's calendar: every contact is in exactly one month's pack. Rows are ordered by first_at, then contact_id. Its visits, handling and surveys are followed up to ${HORIZON_H} hours past the month's end (a visit ends within 12 h; a wrap-up or a survey comes after), and later events are not in any pack.`,
    about_zh: `首个事件（其联络事件中最早的 occurred_at）按站点日历落在本月的联络：每个联络只出现在一个月的数据包中。行按 first_at、再按 contact_id 排序。其排队、处理与问卷计至月末后 ${HORIZON_H} 小时（排队在 12 小时内结束，话后处理与问卷在其后），更晚的事件不进入任何数据包。`,
  },
  {
    en: "channel",
    zh: "渠道",
    about_en: "voice, chat, email or video, as the contact's first contact.queued gave it.",
    about_zh: "voice、chat、email 或 video，取自该联络的首个 contact.queued。",
  },
  {
    en: "direction",
    zh: "方向",
    about_en: "inbound or outbound, as the contact's first contact.queued gave it.",
    about_zh: "inbound（呼入）或 outbound（外呼），取自该联络的首个 contact.queued。",
  },
  {
    en: "first_at",
    zh: "首个事件时间",
    about_en: `The contact's first event, ${LOCAL_EN}: the instant that places it in the month.`,
    about_zh: `该联络的首个事件，${LOCAL_ZH}：据此确定其所属月份。`,
  },
  {
    en: "ended_at",
    zh: "结束时间",
    about_en: `The contact's last contact.ended (the conversation over), ${LOCAL_EN}; empty when it has none (abandoned, called back, or not reported).`,
    about_zh: `该联络最后一个 contact.ended（通话或会话结束），${LOCAL_ZH}；没有时留空（放弃、改为回拨或未上报）。`,
  },
  {
    en: "customer_id",
    zh: "客户 ID",
    about_en:
      "customer.id of the first contact.queued that names a customer; empty when none does.",
    about_zh: "首个带客户信息的 contact.queued 中的 customer.id；均未提供时留空。",
  },
  {
    en: "customer_tier",
    zh: "客户等级",
    about_en:
      "The customer's tier from the same event: standard, priority or vip; empty when not given.",
    about_zh: "同一事件中的客户等级：standard、priority 或 vip；未提供时留空。",
  },
  {
    en: "customer_phone",
    zh: "客户电话",
    about_en:
      "The customer's phone number from the same event: in full only in a pack made with personal data (by a token granted pii, audited in pii_access.csv), else masked to the first 3 and last 4 digits (138****5678). Empty when not given.",
    about_zh:
      "同一事件中的客户电话：仅在含个人数据的数据包（由具备 pii 权限的令牌生成，记入 pii_access.csv）中完整显示，否则仅保留前 3 位与后 4 位（138****5678）。未提供时留空。",
  },
  {
    en: "visits",
    zh: "排队次数",
    about_en:
      "The contact's queue visits (metrics.md): each contact.queued into a queue it was not already waiting in starts one. Visits that ended are those the month's figures count, by the month of their end; an open visit is listed too.",
    about_zh:
      "该联络的排队次数（metrics.md）：每次进入一个尚未在其中等待的队列即开始一次排队。已结束的排队按结束时刻计入各月指标；仍未结束的排队也列出。",
  },
  {
    en: "visit_queues",
    zh: "排队队列",
    about_en: `The queue of each visit, ${LIST_EN}. Empty when the contact has no visit.`,
    about_zh: `各次排队的队列，${LIST_ZH}。无排队时留空。`,
  },
  {
    en: "visit_outcomes",
    zh: "排队结果",
    about_en: `How each visit ended, ${LIST_EN}: answered, abandoned, callback, flowed_out (queued into another queue), orphaned (no end within 12 hours of its start), or open (no end yet and less than 12 hours old when the pack was made: only in a pack made within 12 hours of the month's end).`,
    about_zh: `各次排队的结束方式，${LIST_ZH}：answered（接通）、abandoned（放弃）、callback（改为回拨）、flowed_out（转入其他队列）、orphaned（开始后 12 小时内未结束）、open（生成数据包时尚未结束且开始不足 12 小时：仅见于月末后 12 小时内生成的数据包）。`,
  },
  {
    en: "visit_waits_s",
    zh: "排队等待秒数",
    about_en: `The wait of each visit (its end − its start) in seconds to the millisecond, ${LIST_EN}; 43200 for an orphaned visit, empty for an open one.`,
    about_zh: `各次排队的等待时长（结束 − 开始），单位秒，精确到毫秒，${LIST_ZH}；orphaned 为 43200，open 留空。`,
  },
  {
    en: "visit_agents",
    zh: "接听坐席",
    about_en: `The agent whose contact.answered ended each visit, ${LIST_EN}; empty for visits not answered.`,
    about_zh: `以 contact.answered 结束各次排队的坐席，${LIST_ZH}；未接通的排队留空。`,
  },
  {
    en: "agent_id",
    zh: "坐席 ID",
    about_en:
      "The agent who answered the contact: that of its first answered visit; empty when no visit was answered.",
    about_zh: "接听该联络的坐席：其首次接通的排队的坐席；没有接通时留空。",
  },
  {
    en: "handled",
    zh: "处理次数",
    about_en:
      "The contact's contact.wrapped_up events: handled contacts of metrics.md, each counted in the month of its wrap-up. More than 1 when agents it was transferred between each wrapped up.",
    about_zh:
      "该联络的 contact.wrapped_up 事件数：即 metrics.md 的已处理联络，按话后处理时刻计入月份。在多个坐席间转接且各自完成话后处理时大于 1。",
  },
  {
    en: "handle_time_s",
    zh: "处理时长秒数",
    about_en:
      "Handling time in seconds to the millisecond: wrap-up − the answer it closes (talk, hold and after-contact work), summed over the contact's wrap-ups whose answer is known (within 12 hours before, the same queue and agent first). Empty when none is known: such wrap-ups are not in aht either.",
    about_zh:
      "处理时长，单位秒，精确到毫秒：话后处理结束 − 其对应的接通（含通话、保持与话后处理），对接通已知（12 小时内，优先同队列同坐席）的各次话后处理求和。均未知时留空：这类话后处理也不计入 aht。",
  },
  {
    en: "disposition",
    zh: "处理结果",
    about_en:
      "The disposition of the contact's latest contact.wrapped_up: resolved, unresolved, escalated or callback_scheduled; empty when it has none.",
    about_zh:
      "该联络最后一个 contact.wrapped_up 的处理结果：resolved、unresolved、escalated 或 callback_scheduled；没有时留空。",
  },
  {
    en: "category",
    zh: "业务类别",
    about_en:
      "The category (business line) of that wrap-up, e.g. credit_card, loans, complaint; empty when not given.",
    about_zh: "该次话后处理的业务类别，例如 credit_card、loans、complaint；未提供时留空。",
  },
  {
    en: "transfers",
    zh: "转接次数",
    about_en:
      "Answers of the contact that an agent passed on (contact.transferred), as transfer_rate counts them: one per answer, however many transfer events followed it.",
    about_zh:
      "该联络被坐席转出（contact.transferred）的接通次数，与 transfer_rate 的计数一致：每次接通计一次，无论其后有几个转接事件。",
  },
  {
    en: "surveys",
    zh: "问卷数",
    about_en: "Survey responses about the contact (distinct survey_id).",
    about_zh: "关于该联络的问卷答复数（按 survey_id 去重）。",
  },
  {
    en: "csat",
    zh: "满意度评分",
    about_en:
      "The csat (1–5) of the contact's latest survey response (a survey re-sent is taken at its latest event, as every figure takes it); empty when it gave none or there is no survey.",
    about_zh:
      "该联络最新问卷答复的满意度评分（1–5；同一问卷重发时取其最新事件，与各项指标一致）；未作答或无问卷时留空。",
  },
  {
    en: "nps",
    zh: "NPS 评分",
    about_en: "The nps score (0–10) of the same response; empty when it gave none.",
    about_zh: "同一答复的 NPS 评分（0–10）；未作答时留空。",
  },
  {
    en: "resolved",
    zh: "问题已解决",
    about_en:
      'The same response\'s answer to "was your issue solved?": true or false; empty when it gave none.',
    about_zh: "同一答复对“问题是否已解决”的回答：true 或 false；未作答时留空。",
  },
  {
    en: "comment",
    zh: "客户留言",
    about_en:
      "The same response's comment, personal data: only in a pack made with personal data (by a token granted pii, audited in pii_access.csv), empty otherwise.",
    about_zh:
      "同一答复的留言，属个人数据：仅在含个人数据的数据包（由具备 pii 权限的令牌生成，记入 pii_access.csv）中给出，否则留空。",
  },
];

/**
 * localTime (format.ts) for a stream of instants mostly in order: the same text, without a call to
 * Intl per instant (formatLocal's wall clock costs microseconds, seconds over a month's contacts).
 * The zone's offset is taken once per quarter hour (every offset change falls on one) and the date
 * once per local day; the rest is arithmetic.
 */
export function localTimeOf(tz: string): (ms: number) => string | null {
  let quarter = Number.NaN;
  let off = 0;
  let zone = "";
  let day = Number.NaN;
  let date = "";
  const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
  return (ms) => {
    if (!(ms > 0)) return null;
    const q = Math.floor(ms / 900_000);
    if (q !== quarter) {
      quarter = q;
      off = offsetMs(tz, ms);
      // As formatLocal writes it: the offset rounded to minutes.
      const m = Math.round(off / 60_000);
      const a = Math.abs(m);
      zone = `${m < 0 ? "-" : "+"}${two(Math.floor(a / 60))}:${two(a % 60)}`;
    }
    const local = ms + off;
    const d = Math.floor(local / 86_400_000);
    if (d !== day) {
      day = d;
      date = new Date(d * 86_400_000).toISOString().slice(0, 11);
    }
    const inDay = local - d * 86_400_000;
    const s = Math.floor(inDay / 1000);
    const frac = inDay % 1000;
    const hms = `${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
    return `${date}${hms}${frac === 0 ? "" : `.${String(frac).padStart(3, "0")}`}${zone}`;
  };
}

const DIGITS = /^\d+$/;

/**
 * maskPhone, with the common case (digits only) done by slicing instead of two regex callbacks
 * per digit: the same text (a unit test holds them equal), a month of phones in a tenth of the time.
 */
export function maskedPhone(phone: string): string {
  if (!DIGITS.test(phone)) return maskPhone(phone);
  const n = phone.length;
  return n < 8 ? "*".repeat(n) : `${phone.slice(0, 3)}${"*".repeat(n - 7)}${phone.slice(-4)}`;
}

/** One streamed row as its cells: times written locally, the phone masked unless personal data. */
export function contactCells(
  local: (ms: number) => string | null,
  personalData: boolean,
  r: PackContactRow,
): Cell[] {
  const phone = r[7];
  return [
    r[0],
    r[1],
    r[2],
    local(Number(r[3])),
    local(Number(r[4])),
    r[5],
    r[6],
    personalData || phone === "" ? phone : maskedPhone(phone),
    r[8],
    r[9],
    r[10],
    r[11],
    r[12],
    r[13],
    r[14],
    r[15],
    r[16],
    r[17],
    r[18],
    r[19],
    r[20],
    r[21],
    r[22],
    personalData ? r[23] : null,
  ];
}

/**
 * The instant open visits are judged at (orphaned once 12 h old): the pack's clock, but never past
 * the month's end + 12 h, by which every visit begun in the month is 12 h old. A pack made later is
 * the same whenever it is made (unless events arrived late); one made sooner lists the last hours'
 * unended visits as open.
 */
export function openVisitsAsOf(ctx: Pick<PackContext, "nowMs" | "to_ms">): number {
  return Math.min(ctx.nowMs, ctx.to_ms + ORPHAN_AFTER_MS);
}

/** contacts.csv, streamed from ClickHouse as the pack writes it. */
export function contactsFile(ctx: PackContext): TableFile {
  return {
    name: "contacts.csv",
    columns: CONTACTS_COLUMNS,
    rows: {
      async *[Symbol.asyncIterator]() {
        const local = localTimeOf(ctx.config.tz);
        const rows = streamQuery(ctx.ch, packContacts, {
          site: ctx.site,
          from_ms: ctx.from_ms,
          to_ms: ctx.to_ms,
          comments: ctx.personalData,
          now_ms: openVisitsAsOf(ctx),
        });
        for await (const r of rows) {
          // ClickHouse reports a failure midway by appending its message to what it had sent,
          // which can land inside the last field of a row with all its tabs: the end mark is
          // then not the row's last field.
          if (r[24] !== ".")
            throw new Error("contacts.csv: a row cut short (the statement failed midway)");
          yield contactCells(local, ctx.personalData, r);
        }
      },
    },
  };
}
