// daily_queue_summary.csv and interval_queue_summary.csv of the monthly pack: one row per day (per
// half hour) of the site's local calendar and queue, with every queue, handling and survey figure
// of metrics.md (contracts QueueFigures, in its order) and the definition that made it. Made by
// the same buildReport as GET /api/v1/reports/intervals, so a pack and a report of the same
// interval never disagree, and closed intervals are published as a report publishes them: a later
// pack of a month changed by late events marks the changed rows `restated`.
import { QueueFigures, type ReportRow } from "@floorwatch/contracts";
import type { QueueConfig } from "../metrics/config";
import { buildReport, type ReportRequest } from "../metrics/report";
import { bool, fraction, seconds } from "./format";
import type { Cell, Column, PackContext, TableFile } from "./types";

type FigureName = keyof QueueFigures;
type FigureKind = "count" | "fraction" | "seconds";

interface FigureDoc {
  kind: FigureKind;
  zh: string;
  about_en: string;
  about_zh: string;
}

/** Said once here instead of in every count's description: when a visit counts. */
const VISIT_EN = "Counted in the interval in which the visit ended.";
const VISIT_ZH = "按排队结束时刻所在的时段计入。";

/** Every figure of QueueFigures with its Chinese header and what it holds; keyed, so none is missed. */
const FIGURES: Record<FigureName, FigureDoc> = {
  offered: {
    kind: "count",
    zh: "进线量",
    about_en: `Queue visits that ended in the interval with any outcome but orphaned (answered, abandoned, callback, flowed out). ${VISIT_EN}`,
    about_zh: `本时段内结束的排队次数，含接通、放弃、回拨、溢出，不含孤立。${VISIT_ZH}`,
  },
  answered: {
    kind: "count",
    zh: "接通量",
    about_en: `Visits that ended answered by an agent. ${VISIT_EN}`,
    about_zh: `以坐席接通结束的排队次数。${VISIT_ZH}`,
  },
  abandoned: {
    kind: "count",
    zh: "放弃量",
    about_en: `Visits the customer abandoned, short abandons included. ${VISIT_EN}`,
    about_zh: `客户放弃的排队次数，含短时放弃。${VISIT_ZH}`,
  },
  short_abandoned: {
    kind: "count",
    zh: "短时放弃量",
    about_en:
      "Abandoned visits that waited less than S seconds (short_abandon_s of the definition version in force at the visit's end).",
    about_zh: "等待不足 S 秒即放弃的排队次数（S 为排队结束时生效的定义版本的 short_abandon_s）。",
  },
  answered_within_sl: {
    kind: "count",
    zh: "时限内接通量",
    about_en:
      "Answered visits that waited at most T seconds (sl_threshold_s of the definition version in force at the visit's end).",
    about_zh: "等待不超过 T 秒即接通的排队次数（T 为排队结束时生效的定义版本的 sl_threshold_s）。",
  },
  service_level: {
    kind: "fraction",
    zh: "服务水平",
    about_en:
      "answered_within_sl / (answered + abandoned − short_abandoned), a fraction 0–1 to 6 decimal places (0.8 = 80 %). Callbacks and flow-outs are in neither part. Empty when the denominator is 0.",
    about_zh:
      "时限内接通量 ÷（接通量 + 放弃量 − 短时放弃量），0–1 的小数，保留 6 位（0.8 即 80%）。回拨与溢出不计入分子分母。分母为 0 时留空。",
  },
  abandon_rate: {
    kind: "fraction",
    zh: "放弃率",
    about_en:
      "(abandoned − short_abandoned) / (answered + abandoned − short_abandoned), a fraction 0–1 to 6 decimal places. Empty when the denominator is 0.",
    about_zh:
      "（放弃量 − 短时放弃量）÷（接通量 + 放弃量 − 短时放弃量），0–1 的小数，保留 6 位。分母为 0 时留空。",
  },
  asa_s: {
    kind: "seconds",
    zh: "平均应答时长（秒）",
    about_en:
      "Average speed of answer: the mean wait of the answered visits, in seconds to the millisecond. Empty when none was answered.",
    about_zh: "平均应答时长：已接通排队的平均等待时长，单位秒，精确到毫秒。无接通时留空。",
  },
  max_wait_s: {
    kind: "seconds",
    zh: "最长等待（秒）",
    about_en:
      "The longest wait of any visit that ended in the interval (every outcome but orphaned), in seconds to the millisecond. Empty when no visit ended.",
    about_zh:
      "本时段内结束的排队（不含孤立）中最长的等待时长，单位秒，精确到毫秒。无排队结束时留空。",
  },
  callbacks: {
    kind: "count",
    zh: "回拨量",
    about_en: `Visits that ended with the customer asking to be called back. ${VISIT_EN}`,
    about_zh: `以客户申请回拨结束的排队次数。${VISIT_ZH}`,
  },
  flowed_out: {
    kind: "count",
    zh: "溢出量",
    about_en: `Visits that ended because the contact was queued into another queue (flow-out). ${VISIT_EN}`,
    about_zh: `因联络被转入其他队列而结束的排队次数（溢出）。${VISIT_ZH}`,
  },
  handled: {
    kind: "count",
    zh: "处理量",
    about_en:
      "Contacts wrapped up (contact.wrapped_up) in the interval, counted at the wrap-up, not at the answer.",
    about_zh:
      "本时段内完成话后处理（contact.wrapped_up）的联络数，按话后处理完成时刻计入，而非接通时刻。",
  },
  aht_s: {
    kind: "seconds",
    zh: "平均处理时长（秒）",
    about_en:
      "Average handle time: the mean of wrap-up − answer (talk, hold and after-contact work) over the handled contacts whose answer is known, in seconds to the millisecond. Empty when none.",
    about_zh:
      "平均处理时长：已处理且接通时刻已知的联络的（话后处理完成 − 接通）平均值，含通话、保持与话后处理，单位秒，精确到毫秒。无则留空。",
  },
  resolution_rate: {
    kind: "fraction",
    zh: "解决率",
    about_en:
      "Handled contacts with disposition resolved / handled, a fraction 0–1 to 6 decimal places. Empty when none was handled.",
    about_zh:
      "处理结果为 resolved（已解决）的处理量 ÷ 处理量，0–1 的小数，保留 6 位。处理量为 0 时留空。",
  },
  transfer_rate: {
    kind: "fraction",
    zh: "转接率",
    about_en:
      "Transfers (contact.transferred, counted at the transfer) / answered visits of the interval, to 6 decimal places; may exceed 1. Empty when none was answered.",
    about_zh:
      "转接次数（contact.transferred，按转接时刻计入）÷ 本时段接通量，保留 6 位小数，可大于 1。接通量为 0 时留空。",
  },
  first_response_s: {
    kind: "seconds",
    zh: "首次响应时长（秒）",
    about_en:
      "Chat: the mean of first response − queued, counted at the first response, in seconds to the millisecond. Empty when there was none.",
    about_zh:
      "在线文字渠道：（首次回复 − 进入排队）的平均值，按首次回复时刻计入，单位秒，精确到毫秒。无则留空。",
  },
  csat: {
    kind: "fraction",
    zh: "满意度",
    about_en:
      "Survey responses with csat ≥ 4 / responses with a csat, counted at the survey's occurred_at, a fraction 0–1 to 6 decimal places. Empty without responses.",
    about_zh:
      "csat ≥ 4 的问卷数 ÷ 含 csat 的问卷数，按问卷的 occurred_at 计入，0–1 的小数，保留 6 位。无问卷时留空。",
  },
  nps: {
    kind: "fraction",
    zh: "净推荐值",
    about_en:
      "The share of responses with nps ≥ 9 minus the share with nps ≤ 6, among responses with an nps: a fraction −1…1 to 6 decimal places (×100 for the usual score). Empty without responses.",
    about_zh:
      "含 nps 的问卷中 nps ≥ 9 的占比减去 nps ≤ 6 的占比：−1…1 的小数，保留 6 位（乘以 100 即常用分值）。无问卷时留空。",
  },
  fcr_survey: {
    kind: "fraction",
    zh: "首次解决率（问卷）",
    about_en:
      "Responses answering resolved = true / responses with a resolved answer, a fraction 0–1 to 6 decimal places. Empty without responses.",
    about_zh:
      "resolved 为 true 的问卷数 ÷ 回答了 resolved 的问卷数，0–1 的小数，保留 6 位。无问卷时留空。",
  },
  low_csat: {
    kind: "count",
    zh: "低满意度数",
    about_en:
      "Responses with csat ≤ 2, counted at the survey's occurred_at; each needs a follow-up within 24 h (low_csat_followups.csv).",
    about_zh:
      "csat ≤ 2 的问卷数，按问卷的 occurred_at 计入；每份须在 24 小时内回访（见 low_csat_followups.csv）。",
  },
  csat_responses: {
    kind: "count",
    zh: "满意度问卷数",
    about_en: "Responses with a csat: the volume csat rests on.",
    about_zh: "含 csat 的问卷数：满意度的样本量。",
  },
  nps_responses: {
    kind: "count",
    zh: "净推荐值问卷数",
    about_en: "Responses with an nps: the volume nps rests on.",
    about_zh: "含 nps 的问卷数：净推荐值的样本量。",
  },
  fcr_responses: {
    kind: "count",
    zh: "首次解决问卷数",
    about_en: "Responses with a resolved answer: the volume fcr_survey rests on.",
    about_zh: "回答了 resolved 的问卷数：首次解决率（问卷）的样本量。",
  },
  occupancy: {
    kind: "fraction",
    zh: "占用率",
    about_en:
      "Agent time on contact and in wrap-up / time available, on contact and in wrap-up, within the interval, over the agents whose queues include this queue (an agent serving two queues counts in both), a fraction 0–1 to 6 decimal places. Empty without agent time.",
    about_zh:
      "本时段内，服务于本队列的坐席（同时服务两个队列的坐席在两者中都计）的（通话 + 话后处理）时长 ÷（空闲 + 通话 + 话后处理）时长，0–1 的小数，保留 6 位。无坐席时长时留空。",
  },
  orphaned: {
    kind: "count",
    zh: "孤立排队数",
    about_en:
      "Data quality: visits with no end within 12 h, closed as orphaned at start + 12 h and counted in the interval of that instant; in no other figure.",
    about_zh:
      "数据质量：12 小时内无结束事件的排队，于开始后 12 小时记为孤立并计入该时刻所在时段；不计入其他任何指标。",
  },
};

/** The figures in the schema's order (the order of the API's report rows and metrics.md). */
export const FIGURE_NAMES = Object.keys(QueueFigures.shape) as FigureName[];

/** English header = the figure's name in metrics.md and the API, exactly. */
const FIGURE_COLUMNS: Column[] = FIGURE_NAMES.map((name) => {
  const { zh, about_en, about_zh } = FIGURES[name];
  return { en: name, zh, about_en, about_zh };
});

const QUEUE: Column = {
  en: "queue",
  zh: "队列",
  about_en: "The queue's id, as the events name it.",
  about_zh: "队列 ID，与事件中的 queue 相同。",
};
const CHANNEL: Column = {
  en: "channel",
  zh: "渠道",
  about_en: "The queue's channel: voice, chat, email or video.",
  about_zh: "队列的渠道：voice（语音）、chat（在线文字）、email（邮件）或 video（视频）。",
};

const DEFINITION_COLUMNS: Column[] = [
  {
    en: "definition_set",
    zh: "指标定义集",
    about_en: "The id of the set of metric definitions that computed the row (metrics.md).",
    about_zh: "计算本行所用的指标定义集 ID（metrics.md）。",
  },
  {
    en: "definition_versions",
    zh: "定义版本",
    about_en:
      "The queue's definition version(s) that judged the row's visits, ascending, joined by ';': two when a new version took effect within the interval.",
    about_zh: "判定本行排队所用的队列定义版本，升序，以 ; 分隔；时段内有新版本生效时为两个。",
  },
  {
    en: "sl_threshold_s",
    zh: "服务水平时限（秒）",
    about_en:
      "T, the service-level threshold in seconds, of each version in definition_versions, in the same order, joined by ';'.",
    about_zh: "definition_versions 中各版本的服务水平时限 T（秒），顺序相同，以 ; 分隔。",
  },
  {
    en: "short_abandon_s",
    zh: "短时放弃阈值（秒）",
    about_en:
      "S, the short-abandon threshold in seconds, of each version in definition_versions, in the same order, joined by ';'.",
    about_zh: "definition_versions 中各版本的短时放弃阈值 S（秒），顺序相同，以 ; 分隔。",
  },
  {
    en: "sl_target",
    zh: "服务水平目标",
    about_en:
      "The service-level target of each version in definition_versions (a fraction 0–1: 0.8 = 80 %), in the same order, joined by ';'. For judging the figures, not used in computing them.",
    about_zh:
      "definition_versions 中各版本的服务水平目标（0–1 的小数，0.8 即 80%），顺序相同，以 ; 分隔。用于评判指标，不参与计算。",
  },
  {
    en: "restated",
    zh: "已重述",
    about_en:
      "true when the interval had ended and its figures or versions differ from those Floorwatch first published for it (a report, the API or an earlier pack): events that arrived late changed it. Otherwise false, also for an interval not yet over when the pack was made.",
    about_zh:
      "时段已结束且其指标或定义版本与 Floorwatch 首次发布的（报表、API 或先前的数据包）不同时为 true：迟到的事件改变了它。否则为 false，数据包生成时尚未结束的时段也为 false。",
  },
];

export const DAILY_QUEUE_SUMMARY_COLUMNS: readonly Column[] = [
  {
    en: "date",
    zh: "日期",
    about_en:
      "The day, YYYY-MM-DD, of the site's local calendar (the manifest's tz): from local midnight to the next (23 or 25 hours across a daylight-saving change). Rows are ordered by queue, then date.",
    about_zh:
      "站点本地日历（manifest 中的 tz）的日期 YYYY-MM-DD：从本地零点到次日零点（夏令时切换日为 23 或 25 小时）。行按队列、再按日期排序。",
  },
  QUEUE,
  CHANNEL,
  ...FIGURE_COLUMNS,
  ...DEFINITION_COLUMNS,
];

export const INTERVAL_QUEUE_SUMMARY_COLUMNS: readonly Column[] = [
  {
    en: "date",
    zh: "日期",
    about_en:
      "The local date, YYYY-MM-DD, on which the half hour starts (the site's calendar). Rows are ordered by queue, then interval_start.",
    about_zh:
      "该半小时开始时刻所在的本地日期 YYYY-MM-DD（站点日历）。行按队列、再按 interval_start 排序。",
  },
  QUEUE,
  {
    en: "interval_start",
    zh: "时段开始",
    about_en:
      "The half hour's first instant as the site's local time, RFC 3339 with its UTC offset (2026-10-01T09:30:00+08:00): the offset tells apart the two half hours that share a wall-clock time when daylight saving ends.",
    about_zh:
      "该半小时的起始时刻，站点本地时间，RFC 3339 格式并带 UTC 偏移（2026-10-01T09:30:00+08:00）；夏令时结束时墙上时间相同的两个半小时以偏移区分。",
  },
  {
    en: "interval_end",
    zh: "时段结束",
    about_en:
      "The instant the half hour ends (excluded: it is the next one's start), in the same form as interval_start.",
    about_zh: "该半小时的结束时刻（不含，即下一时段的开始），格式同 interval_start。",
  },
  CHANNEL,
  ...FIGURE_COLUMNS,
  ...DEFINITION_COLUMNS,
];

/** A figure's cell: counts as they are, ratios to 6 places, seconds to the millisecond. */
function figureCell(kind: FigureKind, value: number | null): Cell {
  if (kind === "fraction") return fraction(value);
  if (kind === "seconds") return seconds(value);
  return value;
}

const KINDS = FIGURE_NAMES.map((name) => FIGURES[name].kind);

/** The figure cells of a row, in FIGURE_NAMES' order. */
export function figureCells(f: QueueFigures): Cell[] {
  return FIGURE_NAMES.map((name, i) => figureCell(KINDS[i]!, f[name]));
}

/** The definition set, the versions and their parameters (';'-joined), and restated. */
export function definitionCells(row: ReportRow): Cell[] {
  const versions = row.definition.versions;
  const joined = (pick: (v: (typeof versions)[number]) => number) =>
    versions.map((v) => String(pick(v))).join(";");
  return [
    row.definition.set,
    joined((v) => v.version),
    joined((v) => v.sl_threshold_s),
    joined((v) => v.short_abandon_s),
    joined((v) => v.sl_target),
    bool(row.restated),
  ];
}

/** The local date of a row: the first ten characters of its local RFC 3339 start. */
const dateOf = (row: ReportRow) => row.interval_start.slice(0, 10);

export function dailyCells(row: ReportRow): Cell[] {
  return [dateOf(row), row.queue, row.channel, ...figureCells(row), ...definitionCells(row)];
}

export function intervalCells(row: ReportRow): Cell[] {
  return [
    dateOf(row),
    row.queue,
    row.interval_start,
    row.interval_end,
    row.channel,
    ...figureCells(row),
    ...definitionCells(row),
  ];
}

/** The site's queues in the pack's order: by queue id, as code units (no locale). */
export function packQueues(ctx: PackContext): QueueConfig[] {
  return ctx.config.queues.toSorted((a, b) => (a.queue < b.queue ? -1 : a.queue > b.queue ? 1 : 0));
}

async function reportRows(
  ctx: PackContext,
  req: Omit<ReportRequest, "from_ms" | "to_ms">,
  queues = packQueues(ctx),
): Promise<ReportRow[]> {
  const config = { ...ctx.config, queues };
  const report = await buildReport(
    ctx.ch,
    config,
    { from_ms: ctx.from_ms, to_ms: ctx.to_ms, ...req },
    ctx.nowMs,
  );
  return report.rows;
}

// One computation per pack: the summary page and the daily file read the same rows.
const dayRowsOf = new WeakMap<PackContext, Promise<ReportRow[]>>();
const monthRowsOf = new WeakMap<PackContext, Promise<ReportRow[]>>();

function once(
  memo: WeakMap<PackContext, Promise<ReportRow[]>>,
  ctx: PackContext,
  make: () => Promise<ReportRow[]>,
): Promise<ReportRow[]> {
  let p = memo.get(ctx);
  if (!p) {
    p = make();
    memo.set(ctx, p);
  }
  return p;
}

/**
 * The month's day rows of every queue, ordered by queue id, then day (31 × queues rows: small
 * enough to hold). Computed once per pack context.
 */
export function dailyQueueRows(ctx: PackContext): Promise<ReportRow[]> {
  return once(dayRowsOf, ctx, () => reportRows(ctx, { grain: "1d" }));
}

/** One row per queue for the whole month (grain 1mo), ordered by queue id: the summary's figures. */
export function monthQueueFigures(ctx: PackContext): Promise<ReportRow[]> {
  return once(monthRowsOf, ctx, () => reportRows(ctx, { grain: "1mo" }));
}

/** An iterable that starts over on every iteration (a generator object can be read only once). */
const iterable = <T>(make: () => AsyncGenerator<T>): AsyncIterable<T> => ({
  [Symbol.asyncIterator]: make,
});

export function dailyQueueSummary(ctx: PackContext): TableFile {
  return {
    name: "daily_queue_summary.csv",
    columns: DAILY_QUEUE_SUMMARY_COLUMNS,
    rows: iterable(async function* () {
      for (const row of await dailyQueueRows(ctx)) yield dailyCells(row);
    }),
  };
}

/**
 * Half hours queue by queue: one report of 1,488 rows (a 31-day month) at a time, so 50 queues
 * never hold 74,000 rows at once.
 */
/** Queues whose half hours are read at once (about 15,000 rows held at most). */
export const INTERVAL_QUEUES = 10;

export function intervalQueueSummary(ctx: PackContext): TableFile {
  return {
    name: "interval_queue_summary.csv",
    columns: INTERVAL_QUEUE_SUMMARY_COLUMNS,
    // INTERVAL_QUEUES queues at a time: a month of half hours of every queue at once is 74,400
    // rows of 30 figures for 50 queues; a queue at a time was 200 round trips (9 s).
    rows: iterable(async function* () {
      const queues = packQueues(ctx);
      for (let i = 0; i < queues.length; i += INTERVAL_QUEUES)
        for (const row of await reportRows(
          ctx,
          { grain: "30m" },
          queues.slice(i, i + INTERVAL_QUEUES),
        ))
          yield intervalCells(row);
    }),
  };
}
