// summary.html of the monthly compliance pack (issue #15): the page a manager prints. A cover with
// the site's month against the targets, its breaches and low-score follow-ups, then one page per
// queue group (channel, as the TV groups queues) with the group's totals, daily charts and each
// queue against the targets. Every label in both languages, the pack's language first.
//
// Pure and deterministic: the same input gives the same bytes, because the pack is reproducible to
// the byte (its generation time lives only in the manifest). No clock, no Intl, no random ids;
// every text from data is escaped. Self-contained for printing offline: inline CSS and SVG, no
// script, and no font, image or link that a browser would fetch.
import type { Breach, ExportLang, QueueFigures, ReportRow, Severity } from "@floorwatch/contracts";
import { DEFAULT_RULES } from "../alerts/defaults";
import type { FollowupItem } from "../alerts/followups";
import { compare } from "../alerts/lifecycle";

export interface SummaryQueue {
  queue: string;
  channel: string;
  name_zh: string;
  name_en: string;
  /** The queue's row of grain 1mo for the month. */
  month: ReportRow;
  /** Its rows of grain 1d, one per local day of the month. */
  days: ReportRow[];
}

export interface SummaryInput {
  site: string;
  site_name?: string;
  /** YYYY-MM, the site's local calendar. */
  month: string;
  tz: string;
  /** The pack's language: first on the page, the other beside it. */
  lang: ExportLang;
  queues: SummaryQueue[];
  /** The breaches that started in the month. */
  breaches: Breach[];
  /** The low-score follow-ups of the month's surveys. */
  followups: FollowupItem[];
  definition_set: string;
  generator: { name: string; version: string };
  personal_data: boolean;
}

// ---------------------------------------------------------------------------------------------
// Text

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Text from data made safe in element content and in quoted attribute values. Control characters
 * other than tab and line ends become U+FFFD: HTML has no way to carry them (a NUL is a parse
 * error the browser drops or replaces anyway), and a printed page should show that one was there.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/g, (c) => ESCAPES[c]!)
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, "\uFFFD");
}

const esc = escapeHtml;

interface Label {
  zh: string;
  en: string;
}

/** A label in both languages: the pack's first, the other beside it, each tagged with its language. */
function bi(l: Label, lang: ExportLang): string {
  const zh = `<span lang="zh-CN">${esc(l.zh)}</span>`;
  const en = `<span lang="en">${esc(l.en)}</span>`;
  return lang === "zh-CN"
    ? `${zh} <span class="alt">${en}</span>`
    : `${en} <span class="alt">${zh}</span>`;
}

/** The same, as plain text (SVG titles and labels): "服务水平 Service level". */
const biText = (l: Label, lang: ExportLang) =>
  lang === "zh-CN" ? `${l.zh} ${l.en}` : `${l.en} ${l.zh}`;

const L = (zh: string, en: string): Label => ({ zh, en });

type FigureKey = keyof QueueFigures;

const FIGURE: Record<FigureKey | "followups", Label> = {
  offered: L("进线量", "Offered"),
  answered: L("接通", "Answered"),
  abandoned: L("放弃", "Abandoned"),
  short_abandoned: L("短时放弃", "Short abandons"),
  answered_within_sl: L("时限内接通", "Answered within threshold"),
  service_level: L("服务水平", "Service level"),
  abandon_rate: L("放弃率", "Abandon rate"),
  asa_s: L("平均应答时长", "Speed of answer (ASA)"),
  max_wait_s: L("最长等待", "Longest wait"),
  callbacks: L("回拨", "Callbacks"),
  flowed_out: L("溢出", "Flowed out"),
  handled: L("已处理", "Handled"),
  aht_s: L("平均处理时长", "Handle time (AHT)"),
  resolution_rate: L("解决率", "Resolution rate"),
  transfer_rate: L("转接率", "Transfer rate"),
  first_response_s: L("首次响应", "First response"),
  csat: L("满意度", "CSAT"),
  nps: L("净推荐值", "NPS"),
  fcr_survey: L("首次解决率（调查）", "First-contact resolution"),
  low_csat: L("低满意度评分", "Low CSAT scores"),
  csat_responses: L("满意度答卷", "CSAT responses"),
  nps_responses: L("净推荐值答卷", "NPS responses"),
  fcr_responses: L("首次解决答卷", "FCR responses"),
  occupancy: L("占用率", "Occupancy"),
  orphaned: L("孤立访问（数据质量）", "Orphaned (data quality)"),
  followups: L("低分回访", "Low-score follow-ups"),
};

const CHANNEL: Record<string, Label> = {
  voice: L("语音", "Voice"),
  chat: L("在线文字", "Chat"),
  email: L("邮件", "Email"),
  video: L("视频", "Video"),
};
/** The TV's queue groups, in its order; a channel outside them follows, by name. */
const CHANNEL_ORDER = ["voice", "chat", "email", "video"];

const channelLabel = (channel: string): Label => CHANNEL[channel] ?? L(channel, channel);

const SEVERITY: Record<Severity, Label> = {
  critical: L("严重", "Critical"),
  warning: L("警告", "Warning"),
  info: L("提示", "Info"),
};
const SEVERITY_ORDER: readonly Severity[] = ["critical", "warning", "info"];

const FOLLOWUP_STATUS = {
  met: L("按时回访", "Met"),
  overdue: L("超时未回访", "Overdue"),
  open: L("未到期", "Open"),
  untrackable: L("无法追踪", "Untrackable"),
} as const;
const FOLLOWUP_ORDER = ["met", "overdue", "open", "untrackable"] as const;

const T = {
  title: L("月度服务合规摘要", "Monthly compliance summary"),
  site: L("站点", "Site"),
  month: L("月份", "Month"),
  tz: L("时区", "Time zone"),
  definitions: L("指标口径", "Definitions"),
  generator: L("生成程序", "Generator"),
  personal: L("个人数据", "Personal data"),
  personalYes: L(
    "本数据包含未脱敏的个人数据（contacts.csv）；本页不含个人数据",
    "the pack holds unmasked personal data (contacts.csv); this page holds none",
  ),
  personalNo: L("已脱敏；本页不含个人数据", "masked; this page holds none"),
  siteTotals: L("全站合计与目标", "Site totals against targets"),
  breaches: L("服务水平告警（本月开始）", "SLA breaches started in the month"),
  followups: L("低分回访（本月调查）", "Low-score follow-ups of the month's surveys"),
  groups: L("队列组", "Queue groups"),
  group: L("队列组", "Queue group"),
  queues: L("队列", "Queues"),
  notes: L("说明", "Notes"),
  figure: L("指标", "Figure"),
  value: L("本月", "Month"),
  target: L("目标", "Target"),
  result: L("结果", "Result"),
  count: L("数量", "Count"),
  total: L("合计", "Total"),
  severity: L("级别", "Severity"),
  acknowledged: L("已确认", "Acknowledged"),
  unacknowledged: L("未确认", "Not acknowledged"),
  status: L("状态", "Status"),
  metShare: L("24小时内回访率", "Met within 24 h"),
  allWithin24h: L("全部24小时内", "all within 24 h"),
  followups24h: L("每条低分24小时内回访", "every low score followed up within 24 h"),
  queueTarget: L("队列目标", "the queue's target"),
  otherFigures: L("其他指标", "Other figures"),
  groupTotals: L("组合计", "Group totals"),
  groupTotalsNote: L(
    "各队列计数相加，比率由相加后的分子与分母重新计算（不取比率的平均）；平均应答时长按接通量加权，平均处理时长按处理量加权。首次响应与占用率只按队列列出。",
    "The queues' counts added up and every ratio recomputed from the summed numerators and denominators (ratios are never averaged); speed of answer weighted by answered contacts, handle time by handled contacts. First response and occupancy are shown per queue only.",
  ),
  dailySl: L("每日服务水平", "Daily service level"),
  dailyVolume: L("每日进线与放弃", "Daily offered and abandoned"),
  day: L("日", "Day"),
  noContactsDay: L("空缺：当日无来电", "gap: no contacts that day"),
  belowTarget: L("低于目标", "below target"),
  atTarget: L("达到目标", "at or above target"),
  groupBreaches: L("本组告警与回访", "Breaches and follow-ups of the group"),
  definition: L("口径", "Definition"),
  threshold: L("时限", "threshold"),
  shortAbandon: L("短时放弃", "short abandon"),
  restated: L("已重述", "restated"),
  restatedDays: L("重述日期", "restated days"),
  noContacts: L("本月无来电或处理记录。", "No contacts in this month."),
  quietQueues: L("本月无来电的队列", "Queues without contacts this month"),
  targetsDiffer: L("各队列目标不同", "differs by queue"),
  targetChanged: L("月内变更", "changed"),
  judgedLast: L("按月末目标判定", "judged by the month-end one"),
  siteTotal: L("全站", "Site"),
} as const;

// ---------------------------------------------------------------------------------------------
// Numbers, written the desk's way. A local copy of the rules of wallboard/src/figures.ts
// (sharePercent) and wallboard/src/desk/format.ts (formatDeskFigure, formatDuration): the api
// imports nothing from the wallboard, and contracts hold no display format.

const NO_VALUE = "–";

/** Shares where more is worse (metrics.md: abandons, transfers); more is better for the others. */
const MORE_IS_WORSE = new Set<string>(["abandon_rate", "transfer_rate"]);

/**
 * A share as a percentage to a tenth, never on the good side of what it is: floored where more is
 * better (79.96 % is not "80.0 %" against an 80 % target), rounded up where more is worse (10.04 %
 * is not "10.0 %" against a 10 % ceiling). The epsilon keeps binary fractions from losing a tenth.
 */
function percent(figure: string, share: number | null): string {
  if (share === null || !Number.isFinite(share)) return NO_VALUE;
  const x = share * 1000;
  const tenths = MORE_IS_WORSE.has(figure) ? Math.ceil(x - 1e-9) : Math.floor(x + 1e-9);
  return `${(tenths / 10).toFixed(1)}%`;
}

/** Seconds as m:ss under an hour, h:mm:ss from an hour, floored (179.9 s is 2:59, under 3:00). */
function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return NO_VALUE;
  const s = Math.max(0, Math.floor(seconds + 1e-9));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** A whole number with thousands separated by commas (the same in both languages). */
function count(n: number): string {
  const s = String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return n < 0 ? `-${s}` : s;
}

/** NPS: the fraction −1…1 as the usual score −100…+100. */
function npsScore(v: number | null): string {
  if (v === null || !Number.isFinite(v)) return NO_VALUE;
  const n = Math.round(v * 100);
  return n > 0 ? `+${n}` : n === 0 ? "0" : String(n);
}

function formatFigure(figure: FigureKey, v: number | null): string {
  if (figure === "nps") return npsScore(v);
  if (figure.endsWith("_s")) return duration(v);
  if (typeof v !== "number") return NO_VALUE;
  if (
    figure.endsWith("_rate") ||
    figure === "service_level" ||
    figure === "csat" ||
    figure === "fcr_survey" ||
    figure === "occupancy"
  )
    return percent(figure, v);
  return count(v);
}

/** 2026-10 and 2026年10月, the pack's language first. */
function monthText(month: string, lang: ExportLang): string {
  const zh = `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;
  return lang === "zh-CN" ? `${zh}（${month}）` : `${month} (${zh})`;
}

/** SVG coordinates: one decimal, the same text on every machine. */
const px = (x: number) => x.toFixed(1);

// ---------------------------------------------------------------------------------------------
// Figures of several queues together, from their numerators (metrics.md): never an average of
// ratios. The month rows carry every count a ratio rests on, or the ratio and its denominator, whose
// product gives back the whole numerator.

const num = (ratio: number | null, denominator: number) =>
  ratio === null ? 0 : Math.round(ratio * denominator);
const div = (a: number, b: number) => (b > 0 ? a / b : null);

/** The figures that are counts, and those that are ratios or means (null when nothing to divide). */
type CountFigure = {
  [K in keyof QueueFigures]: QueueFigures[K] extends number ? K : never;
}[keyof QueueFigures];
type RatioFigure = Exclude<keyof QueueFigures, CountFigure>;

/**
 * The figures of `rows` (queues of a group, or one day of them) together. First response and
 * occupancy are left out (null): the rows do not carry the number of first responses, and an agent
 * serving two queues would count twice.
 */
function combine(rows: readonly QueueFigures[]): QueueFigures {
  const sum = (count: CountFigure) => rows.reduce((n, r) => n + r[count], 0);
  /** Σ ratio × denominator / Σ denominator, over the rows where the ratio exists. */
  const ratioOf = (ratio: RatioFigure, denominator: CountFigure, exactCounts: boolean) => {
    let top = 0;
    let bottom = 0;
    for (const r of rows) {
      const x = r[ratio];
      if (x === null) continue;
      const d = r[denominator];
      top += exactCounts ? num(x, d) : x * d;
      bottom += d;
    }
    return div(top, bottom);
  };
  const answered = sum("answered");
  const abandoned = sum("abandoned");
  const short = sum("short_abandoned");
  const within = sum("answered_within_sl");
  // Callbacks and flow-outs are in neither part of the service level (metrics.md).
  const denominator = answered + abandoned - short;
  const waits = rows.map((r) => r.max_wait_s).filter((w): w is number => w !== null);
  return {
    offered: sum("offered"),
    answered,
    abandoned,
    short_abandoned: short,
    answered_within_sl: within,
    service_level: div(within, denominator),
    abandon_rate: div(abandoned - short, denominator),
    asa_s: ratioOf("asa_s", "answered", false),
    max_wait_s: waits.length ? Math.max(...waits) : null,
    callbacks: sum("callbacks"),
    flowed_out: sum("flowed_out"),
    handled: sum("handled"),
    aht_s: ratioOf("aht_s", "handled", false),
    resolution_rate: ratioOf("resolution_rate", "handled", true),
    transfer_rate: ratioOf("transfer_rate", "answered", true),
    first_response_s: null,
    csat: ratioOf("csat", "csat_responses", true),
    nps: ratioOf("nps", "nps_responses", true),
    fcr_survey: ratioOf("fcr_survey", "fcr_responses", true),
    low_csat: sum("low_csat"),
    csat_responses: sum("csat_responses"),
    nps_responses: sum("nps_responses"),
    fcr_responses: sum("fcr_responses"),
    occupancy: null,
    orphaned: sum("orphaned"),
  };
}

/** Anything happened in the queue this month: a visit, a handled contact, a survey. */
const active = (f: QueueFigures) =>
  f.offered + f.handled + f.csat_responses + f.nps_responses + f.fcr_responses + f.orphaned > 0;

// ---------------------------------------------------------------------------------------------
// Targets: metrics.md "Default targets", as the default alert rules hold them (one source of the
// numbers). A target is met when its rule's condition does not hold for the month's figure.

type Mark = "met" | "missed" | "undetermined" | "none";

const MARK: Record<Mark, { symbol: string; label: Label }> = {
  met: { symbol: "✓", label: L("达标", "Met") },
  missed: { symbol: "✗", label: L("未达标", "Not met") },
  undetermined: { symbol: "?", label: L("待定", "Undetermined") },
  none: { symbol: NO_VALUE, label: L("无数据", "No data") },
};

type TargetFigure =
  | "service_level"
  | "abandon_rate"
  | "asa_s"
  | "max_wait_s"
  | "csat"
  | "resolution_rate";

/** The month's figure each default rule watches live, in the order the page lists them. */
const TARGET_RULES: readonly { figure: TargetFigure; rule: string }[] = [
  { figure: "service_level", rule: "service-level" },
  { figure: "abandon_rate", rule: "abandon" },
  { figure: "asa_s", rule: "speed-of-answer" },
  // The live rule watches the longest current wait; over a month, the longest wait of a visit.
  { figure: "max_wait_s", rule: "longest-wait" },
  { figure: "csat", rule: "satisfaction" },
  { figure: "resolution_rate", rule: "resolution" },
];

const TARGETS = TARGET_RULES.map(({ figure, rule }) => {
  const r = DEFAULT_RULES[rule];
  if (r?.kind !== "threshold") throw new Error(`default rule ${rule} is not a threshold rule`);
  return { figure, comparator: r.comparator, threshold: r.threshold };
});

/** The side a target allows: the opposite of the rule's firing condition. */
const ALLOWED = { ">": "≤", ">=": "<", "<": "≥", "<=": ">" } as const;

type Target = (typeof TARGETS)[number];

/** The limit of a target for a scope: the service level's is the queue's own (null: they differ). */
const limitOf = (t: Target, slTarget: number | null) =>
  t.threshold === "sl_target" ? slTarget : t.threshold;

function judge(t: Target, value: number | null, slTarget: number | null): Mark {
  const limit = limitOf(t, slTarget);
  if (value === null) return "none";
  if (limit === null) return "undetermined";
  return compare(t.comparator, value, limit) ? "missed" : "met";
}

/** "≤ 3:00", "≥ 85.0%": a target as the page writes it. */
const targetText = (t: Target, limit: number) =>
  `${ALLOWED[t.comparator]} ${formatFigure(t.figure, limit)}`;

/** The follow-ups: all met within 24 h; any overdue is a miss; open or untrackable ones keep it open. */
function followupMark(items: readonly FollowupItem[]): Mark {
  if (items.length === 0) return "none";
  if (items.some((i) => i.status === "overdue")) return "missed";
  if (items.some((i) => i.status === "open" || i.status === "untrackable")) return "undetermined";
  return "met";
}

function followupCounts(items: readonly FollowupItem[]) {
  const c = { met: 0, overdue: 0, open: 0, untrackable: 0 };
  for (const i of items) c[i.status]++;
  return c;
}

/** The service-level target of a queue's month: the version in force at its end (versions ascend). */
function slTargetOf(row: ReportRow): number | null {
  return row.definition.versions.at(-1)?.sl_target ?? null;
}

/** One target for several queues, or null when they differ (judged queue by queue instead). */
function commonTarget(targets: readonly (number | null)[]): number | null {
  const set = new Set(targets);
  return set.size === 1 ? targets[0]! : null;
}

// ---------------------------------------------------------------------------------------------
// Tables

function markCell(mark: Mark, lang: ExportLang, figure: string): string {
  const m = MARK[mark];
  return `<td class="mark ${mark}" data-figure="${figure}" data-mark="${mark}"><b>${m.symbol}</b> ${bi(m.label, lang)}</td>`;
}

interface Scope {
  figures: QueueFigures;
  /** null: the queues' targets differ. */
  sl_target: number | null;
  sl_note?: string;
  followups: readonly FollowupItem[];
  /** A queue's own figures (first response, occupancy) are shown. */
  queue: boolean;
}

/** One column of the targets table: the figure's name, its value, its target and the result. */
interface TargetColumn {
  figure: string;
  label: Label;
  value: string;
  target: string;
  mark: Mark;
}

function targetColumns(s: Scope, lang: ExportLang): TargetColumn[] {
  const f = s.figures;
  const columns: TargetColumn[] = TARGETS.map((t) => {
    const { figure } = t;
    const limit = limitOf(t, s.sl_target);
    const value = f[figure];
    let detail = "";
    if (figure === "service_level" || figure === "abandon_rate") {
      const top =
        figure === "service_level" ? f.answered_within_sl : f.abandoned - f.short_abandoned;
      const bottom = f.answered + f.abandoned - f.short_abandoned;
      if (bottom > 0) detail = `${count(top)} / ${count(bottom)}`;
    } else if (figure === "csat") detail = `n = ${count(f.csat_responses)}`;
    else if (figure === "resolution_rate") detail = `n = ${count(f.handled)}`;
    const note = figure === "service_level" && s.sl_note ? s.sl_note : "";
    return {
      figure,
      label: FIGURE[figure],
      value: `${esc(formatFigure(figure, value))}${detail ? ` <span class="n">${detail}</span>` : ""}`,
      target: `${limit === null ? bi(T.targetsDiffer, lang) : esc(targetText(t, limit))}${note}`,
      mark: judge(t, value, s.sl_target),
    };
  });
  // Follow-ups: the share met of those due and trackable; open and untrackable ones named apart.
  const c = followupCounts(s.followups);
  const due = c.met + c.overdue;
  const pending = (["open", "untrackable"] as const)
    .filter((k) => c[k] > 0)
    .map((k) => `${bi(FOLLOWUP_STATUS[k], lang)} ${count(c[k])}`);
  columns.push({
    figure: "followups",
    label: FIGURE.followups,
    value: `${esc(percent("followups", div(c.met, due)))} <span class="n">${count(c.met)} / ${count(due)}</span>${pending.length ? `<div class="n">${pending.join(" · ")}</div>` : ""}`,
    target: bi(T.allWithin24h, lang),
    mark: followupMark(s.followups),
  });
  return columns;
}

/** The figures with a target as columns, and rows for the month's value, the target, the result. */
function targetTable(s: Scope, lang: ExportLang, scope: string): string {
  const cols = targetColumns(s, lang);
  const head = cols
    .map((c) => `<th scope="col" data-figure="${c.figure}">${bi(c.label, lang)}</th>`)
    .join("");
  const value = cols
    .map((c) => `<td class="num" data-figure="${c.figure}">${c.value}</td>`)
    .join("");
  const target = cols.map((c) => `<td data-figure="${c.figure}">${c.target}</td>`).join("");
  const result = cols.map((c) => markCell(c.mark, lang, c.figure)).join("");
  return `<table class="targets" data-scope="${esc(scope)}"><colgroup><col class="c-rowhead">${cols.map(() => "<col>").join("")}</colgroup><thead><tr><th scope="col">${bi(T.figure, lang)}</th>${head}</tr></thead><tbody><tr class="value"><th scope="row">${bi(T.value, lang)}</th>${value}</tr><tr class="target"><th scope="row">${bi(T.target, lang)}</th>${target}</tr><tr class="result"><th scope="row">${bi(T.result, lang)}</th>${result}</tr></tbody></table>`;
}

const OTHER_FIGURES: readonly FigureKey[] = [
  "offered",
  "answered",
  "abandoned",
  "short_abandoned",
  "callbacks",
  "flowed_out",
  "handled",
  "aht_s",
  "transfer_rate",
  "nps",
  "fcr_survey",
  "low_csat",
  "first_response_s",
  "occupancy",
  "orphaned",
];

/** At most as many columns as the targets table has, in bands of even length. */
const bandWidth = (n: number) => Math.ceil(n / Math.ceil(n / (TARGETS.length + 2)));

/** The figures without a target, in bands of names over values. */
function otherTable(s: Scope, lang: ExportLang, scope: string): string {
  const f = s.figures;
  const shown = OTHER_FIGURES.filter(
    (k) => s.queue || (k !== "first_response_s" && k !== "occupancy"),
  );
  const value = (k: FigureKey) => {
    const n =
      k === "nps"
        ? ` <span class="n">n = ${count(f.nps_responses)}</span>`
        : k === "fcr_survey"
          ? ` <span class="n">n = ${count(f.fcr_responses)}</span>`
          : "";
    return `<td class="num" data-figure="${k}">${esc(formatFigure(k, f[k]))}${n}</td>`;
  };
  const rows: string[] = [];
  const width = bandWidth(shown.length);
  for (let i = 0; i < shown.length; i += width) {
    const band = shown.slice(i, i + width);
    const pad = "<td></td>".repeat(width - band.length);
    rows.push(
      `<tr class="names">${band.map((k) => `<th scope="col">${bi(FIGURE[k], lang)}</th>`).join("")}${pad}</tr>`,
      `<tr class="values">${band.map(value).join("")}${pad}</tr>`,
    );
  }
  return `<table class="others" data-scope="${esc(scope)}"><caption>${bi(T.otherFigures, lang)}</caption><tbody>${rows.join("")}</tbody></table>`;
}

/** Breaches by severity (columns), counted, acknowledged and not. */
function breachTable(breaches: readonly Breach[], lang: ExportLang, scope: string): string {
  const columns = [
    ...SEVERITY_ORDER.map((s) => ({
      key: s,
      label: SEVERITY[s],
      list: breaches.filter((b) => b.severity === s),
    })),
    { key: "total", label: T.total, list: breaches },
  ];
  const acked = (list: readonly Breach[]) => list.filter((b) => b.acknowledged !== null).length;
  const row = (label: Label, n: (list: readonly Breach[]) => number) =>
    `<tr><th scope="row">${bi(label, lang)}</th>${columns.map((c) => `<td class="num" data-severity="${c.key}">${count(n(c.list))}</td>`).join("")}</tr>`;
  return `<table class="breaches" data-scope="${esc(scope)}"><thead><tr><th scope="col">${bi(T.severity, lang)}</th>${columns.map((c) => `<th scope="col">${bi(c.label, lang)}</th>`).join("")}</tr></thead><tbody>${row(T.count, (l) => l.length)}${row(T.acknowledged, acked)}${row(T.unacknowledged, (l) => l.length - acked(l))}</tbody></table>`;
}

/** Follow-ups by status (columns), their total and the share met within 24 h. */
function followupTable(items: readonly FollowupItem[], lang: ExportLang, scope: string): string {
  const c = followupCounts(items);
  const columns: { key: string; label: Label; value: string }[] = [
    ...FOLLOWUP_ORDER.map((k) => ({ key: k, label: FOLLOWUP_STATUS[k], value: count(c[k]) })),
    { key: "total", label: T.total, value: count(items.length) },
    {
      key: "share",
      label: T.metShare,
      value: `${esc(percent("followups", div(c.met, c.met + c.overdue)))} <span class="n">${count(c.met)} / ${count(c.met + c.overdue)}</span>`,
    },
  ];
  return `<table class="followups" data-scope="${esc(scope)}"><thead><tr><th scope="col">${bi(T.status, lang)}</th>${columns.map((k) => `<th scope="col">${bi(k.label, lang)}</th>`).join("")}</tr></thead><tbody><tr><th scope="row">${bi(T.count, lang)}</th>${columns.map((k) => `<td class="num" data-status="${k.key}">${k.value}</td>`).join("")}</tr></tbody></table>`;
}

// ---------------------------------------------------------------------------------------------
// Charts: inline SVG, black on white (a target missed is a cross, not a colour), one slot per day of
// the month; a day without contacts is an empty slot, never a zero.

interface DayPoint {
  day: number;
  date: string;
  offered: number;
  abandoned: number;
  service_level: number | null;
}

const W = 720;
const H = 170;
const M = { left: 46, right: 10, top: 20, bottom: 34 };
const PW = W - M.left - M.right;
const PH = H - M.top - M.bottom;

function frame(points: readonly DayPoint[], month: string, lang: ExportLang) {
  const n = points.length;
  const slot = PW / Math.max(1, n);
  const cx = (day: number) => M.left + (day - 0.5) * slot;
  const ticks = points
    .filter((p) => p.day === 1 || p.day % 5 === 0)
    .map(
      (p) =>
        `<text class="tick" x="${px(cx(p.day))}" y="${px(M.top + PH + 13)}" text-anchor="middle">${p.day}</text>`,
    )
    .join("");
  const axisTitle = `<text class="axis-title" x="${px(M.left + PW / 2)}" y="${px(H - 4)}" text-anchor="middle">${esc(biText(T.day, lang))} (${esc(month)})</text>`;
  const base = `<line class="axis" x1="${M.left}" y1="${px(M.top + PH)}" x2="${M.left + PW}" y2="${px(M.top + PH)}"/>`;
  return { slot, cx, xAxis: base + ticks + axisTitle };
}

function slChart(
  points: readonly DayPoint[],
  target: number | null,
  month: string,
  lang: ExportLang,
): string {
  const { cx, xAxis } = frame(points, month, lang);
  const y = (v: number) => M.top + PH * (1 - v);
  const grid = [0, 0.2, 0.4, 0.6, 0.8, 1]
    .map(
      (v) =>
        `<line class="grid" x1="${M.left}" y1="${px(y(v))}" x2="${M.left + PW}" y2="${px(y(v))}"/><text class="tick" x="${M.left - 4}" y="${px(y(v) + 3.5)}" text-anchor="end">${v * 100}%</text>`,
    )
    .join("");
  // Runs of consecutive days with a service level: a day without one breaks the line.
  const runs: DayPoint[][] = [];
  let run: DayPoint[] = [];
  for (const p of points) {
    if (p.service_level === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(p);
  }
  if (run.length) runs.push(run);
  const lines = runs
    .filter((r) => r.length > 1)
    .map(
      (r) =>
        `<polyline class="sl-line" points="${r.map((p) => `${px(cx(p.day))},${px(y(p.service_level!))}`).join(" ")}"/>`,
    )
    .join("");
  const marks = points
    .filter((p) => p.service_level !== null)
    .map((p) => {
      const x = cx(p.day);
      const yy = y(p.service_level!);
      const below = target !== null && p.service_level! < target;
      const title = `<title>${esc(p.date)}: ${esc(biText(FIGURE.service_level, lang))} ${esc(percent("service_level", p.service_level))}${below ? ` (${esc(biText(T.belowTarget, lang))})` : ""}</title>`;
      return below
        ? `<path class="sl-point below" d="M${px(x - 3.5)} ${px(yy - 3.5)}L${px(x + 3.5)} ${px(yy + 3.5)}M${px(x - 3.5)} ${px(yy + 3.5)}L${px(x + 3.5)} ${px(yy - 3.5)}">${title}</path>`
        : `<circle class="sl-point" cx="${px(x)}" cy="${px(yy)}" r="3">${title}</circle>`;
    })
    .join("");
  const targetLine =
    target === null
      ? ""
      : // The label above the plot, where no point can cover it.
        `<line class="target" x1="${M.left}" y1="${px(y(target))}" x2="${M.left + PW}" y2="${px(y(target))}"/><text class="target-label" x="${M.left + PW}" y="${M.top - 8}" text-anchor="end">- - - ${esc(biText(T.target, lang))} ≥ ${esc(percent("service_level", target))}</text>`;
  const title = esc(`${biText(T.dailySl, lang)} ${month}`);
  return `<svg class="chart sl" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}"><title>${title}</title>${grid}${xAxis}${targetLine}${lines}${marks}</svg>`;
}

/** The smallest 1, 2 or 5 × 10^k at or above n (a round top for the volume axis). */
function niceCeiling(n: number): number {
  let p = 1;
  while (p * 10 <= n) p *= 10;
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

function volumeChart(points: readonly DayPoint[], month: string, lang: ExportLang): string {
  const { slot, cx, xAxis } = frame(points, month, lang);
  const top = niceCeiling(Math.max(1, ...points.map((p) => p.offered)));
  const y = (v: number) => M.top + PH * (1 - v / top);
  const grid = [0, top / 2, top]
    .map(
      (v) =>
        `<line class="grid" x1="${M.left}" y1="${px(y(v))}" x2="${M.left + PW}" y2="${px(y(v))}"/><text class="tick" x="${M.left - 4}" y="${px(y(v) + 3.5)}" text-anchor="end">${count(v)}</text>`,
    )
    .join("");
  const bw = Math.max(1, slot * 0.7);
  const bars = points
    .filter((p) => p.offered > 0)
    .map((p) => {
      const x = px(cx(p.day) - bw / 2);
      const title = `<title>${esc(p.date)}: ${esc(biText(FIGURE.offered, lang))} ${count(p.offered)}, ${esc(biText(FIGURE.abandoned, lang))} ${count(p.abandoned)}</title>`;
      const offered = `<rect class="bar offered" x="${x}" y="${px(y(p.offered))}" width="${px(bw)}" height="${px(M.top + PH - y(p.offered))}">${title}</rect>`;
      const abandoned =
        p.abandoned > 0
          ? `<rect class="bar abandoned" x="${x}" y="${px(y(p.abandoned))}" width="${px(bw)}" height="${px(M.top + PH - y(p.abandoned))}"/>`
          : "";
      return offered + abandoned;
    })
    .join("");
  const title = esc(`${biText(T.dailyVolume, lang)} ${month}`);
  return `<svg class="chart volume" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}"><title>${title}</title>${grid}${xAxis}${bars}</svg>`;
}

function slLegend(target: number | null, lang: ExportLang): string {
  const items = [
    `<span class="key">—●—</span> ${bi(T.dailySl, lang)}`,
    target === null
      ? bi(T.targetsDiffer, lang)
      : `<span class="key">- - -</span> ${bi(T.target, lang)} ≥ ${esc(percent("service_level", target))}`,
    `<span class="key">●</span> ${bi(T.atTarget, lang)}`,
    `<span class="key">✗</span> ${bi(T.belowTarget, lang)}`,
    bi(T.noContactsDay, lang),
  ];
  return `<p class="legend">${items.join(" · ")}</p>`;
}

function volumeLegend(lang: ExportLang): string {
  return `<p class="legend"><span class="key">□</span> ${bi(FIGURE.offered, lang)} · <span class="key">■</span> ${bi(FIGURE.abandoned, lang)} · ${bi(T.noContactsDay, lang)}</p>`;
}

// ---------------------------------------------------------------------------------------------
// Pages

/** Code-unit order: the same on every machine, unlike localeCompare. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function daysIn(month: string): string[] {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const n = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return Array.from({ length: n }, (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`);
}

/** The local date of a day row: its start is the site's midnight, written with the site's offset. */
const dateOf = (row: ReportRow) => row.interval_start.slice(0, 10);

function dailyPoints(queues: readonly SummaryQueue[], month: string): DayPoint[] {
  const byDate = new Map<string, QueueFigures[]>();
  for (const q of queues)
    for (const d of q.days) {
      const list = byDate.get(dateOf(d));
      if (list) list.push(d);
      else byDate.set(dateOf(d), [d]);
    }
  return daysIn(month).map((date, i) => {
    const f = combine(byDate.get(date) ?? []);
    return {
      day: i + 1,
      date,
      offered: f.offered,
      abandoned: f.abandoned,
      // A day without a call is a gap, whatever its denominator (callbacks only) says.
      service_level: f.offered > 0 ? f.service_level : null,
    };
  });
}

/** The queue's names in both languages and its id; an unnamed queue (the ingest made it) by its id alone. */
function queueName(q: SummaryQueue, lang: ExportLang): string {
  const zh = q.name_zh.trim();
  const en = q.name_en.trim();
  if (!zh && !en) return `<code>${esc(q.queue)}</code>`;
  // One name given: it alone, not twice.
  const name = zh && en ? bi(L(zh, en), lang) : esc(zh || en);
  return `${name} <code>${esc(q.queue)}</code>`;
}

/** The restated marks of a queue: its month row, and the days restated since first published. */
function restatedDays(q: SummaryQueue): string[] {
  return q.days
    .filter((d) => d.restated)
    .map(dateOf)
    .sort(byText);
}
const isRestated = (q: SummaryQueue) => q.month.restated || q.days.some((d) => d.restated);

const DAGGER = `<sup class="restated" title="restated">†</sup>`;

function runningHead(input: SummaryInput, lang: ExportLang): string {
  const site = input.site_name?.trim()
    ? `${esc(input.site_name.trim())} (${esc(input.site)})`
    : esc(input.site);
  return `<p class="running">${site} · ${esc(monthText(input.month, lang))} · ${esc(input.tz)}</p>`;
}

function slTargetNote(q: SummaryQueue, lang: ExportLang): string {
  const targets = [...new Set(q.month.definition.versions.map((v) => v.sl_target))];
  if (targets.length < 2) return "";
  const list = targets.map((t) => percent("service_level", t)).join(" → ");
  return `<div class="n">${bi(T.targetChanged, lang)}: ${esc(list)}; ${bi(T.judgedLast, lang)}</div>`;
}

function queueBlock(q: SummaryQueue, followups: readonly FollowupItem[], lang: ExportLang): string {
  const v = q.month.definition.versions.map(
    (d) =>
      `v${d.version}: ${bi(T.threshold, lang)} T = ${d.sl_threshold_s} s · ${bi(T.shortAbandon, lang)} S = ${d.short_abandon_s} s · ${bi(T.target, lang)} ${esc(percent("service_level", d.sl_target))}`,
  );
  const days = restatedDays(q);
  const restated = isRestated(q)
    ? `<p class="n">${DAGGER} ${bi(T.restated, lang)}${days.length ? ` — ${bi(T.restatedDays, lang)}: ${esc(days.join(", "))}` : ""}</p>`
    : "";
  const scope: Scope = {
    figures: q.month,
    sl_target: slTargetOf(q.month),
    sl_note: slTargetNote(q, lang),
    followups,
    queue: true,
  };
  const key = `queue:${q.queue}`;
  return `<section class="queue"><h3>${queueName(q, lang)}${isRestated(q) ? DAGGER : ""}</h3><p class="n">${bi(T.definition, lang)} ${esc(q.month.definition.set)} ${v.join("; ")}</p>${restated}${targetTable(scope, lang, key)}${otherTable(scope, lang, key)}</section>`;
}

interface Group {
  channel: string;
  queues: SummaryQueue[];
  quiet: SummaryQueue[];
}

function groupsOf(queues: readonly SummaryQueue[]): Group[] {
  const channels = [...new Set(queues.map((q) => q.channel))].sort((a, b) => {
    const [i, j] = [CHANNEL_ORDER.indexOf(a), CHANNEL_ORDER.indexOf(b)];
    if (i >= 0 && j >= 0) return i - j;
    if (i >= 0 || j >= 0) return i >= 0 ? -1 : 1;
    return byText(a, b);
  });
  return channels
    .map((channel) => {
      const members = queues
        .filter((q) => q.channel === channel)
        .sort((a, b) => byText(a.queue, b.queue));
      return {
        channel,
        queues: members.filter((q) => active(q.month)),
        quiet: members.filter((q) => !active(q.month)),
      };
    })
    .filter((g) => g.queues.length > 0);
}

function groupScope(queues: readonly SummaryQueue[], followups: readonly FollowupItem[]): Scope {
  return {
    figures: combine(queues.map((q) => q.month)),
    sl_target: commonTarget(queues.map((q) => slTargetOf(q.month))),
    followups,
    queue: false,
  };
}

function groupPage(g: Group, index: number, input: SummaryInput): string {
  const { lang, month } = input;
  const names = new Set(g.queues.map((q) => q.queue));
  const followups = input.followups.filter((f) => f.channel === g.channel);
  const breaches = input.breaches.filter(
    (b) => b.scope.channel === g.channel || (b.scope.queue !== null && names.has(b.scope.queue)),
  );
  const scope = groupScope(g.queues, followups);
  const points = dailyPoints(g.queues, month);
  const restated = g.queues.some(isRestated);
  const quiet = g.quiet.length
    ? `<p class="n">${bi(T.quietQueues, lang)}: ${g.quiet.map((q) => queueName(q, lang)).join(", ")}</p>`
    : "";
  return `<section class="page group" id="group-${index + 1}" data-channel="${esc(g.channel)}">${runningHead(input, lang)}<h2>${bi(T.group, lang)}: ${bi(channelLabel(g.channel), lang)}${restated ? DAGGER : ""}</h2><h3>${bi(T.groupTotals, lang)}</h3><p class="n">${bi(T.groupTotalsNote, lang)}</p>${targetTable(scope, lang, "group")}${otherTable(scope, lang, "group")}<h3>${bi(T.dailySl, lang)}</h3>${slChart(points, scope.sl_target, month, lang)}${slLegend(scope.sl_target, lang)}<h3>${bi(T.dailyVolume, lang)}</h3>${volumeChart(points, month, lang)}${volumeLegend(lang)}<h3>${bi(T.groupBreaches, lang)}</h3>${breachTable(breaches, lang, "group")}${followupTable(followups, lang, "group")}<h3>${bi(T.queues, lang)}</h3>${g.queues
    .map((q) =>
      queueBlock(
        q,
        followups.filter((f) => f.queue === q.queue),
        lang,
      ),
    )
    .join("")}${quiet}${restated ? restatedNote(lang) : ""}</section>`;
}

function restatedNote(lang: ExportLang): string {
  return `<p class="footnote">${DAGGER} ${bi(
    L(
      "已重述：该数字在首次发布后因迟到事件而改变；本页所示为生成时的数字。",
      "Restated: the figure changed after it was first published, through late events; this page shows it as of the pack's making.",
    ),
    lang,
  )}</p>`;
}

/** The default targets in one language, from the rules that hold them. */
const targetList = (k: keyof Label) =>
  TARGETS.map(
    (t) =>
      `${FIGURE[t.figure][k]} ${
        t.threshold === "sl_target"
          ? `${ALLOWED[t.comparator]} ${T.queueTarget[k]}`
          : targetText(t, t.threshold)
      }`,
  ).join(k === "zh" ? "，" : ", ");

function coverPage(input: SummaryInput, groups: readonly Group[]): string {
  const { lang } = input;
  const all = input.queues.filter((q) => active(q.month));
  const site = input.site_name?.trim()
    ? `${esc(input.site_name.trim())} <code>${esc(input.site)}</code>`
    : `<code>${esc(input.site)}</code>`;
  const meta: [Label, string][] = [
    [T.site, site],
    [T.month, esc(monthText(input.month, lang))],
    [T.tz, esc(input.tz)],
    [T.definitions, `<code>${esc(input.definition_set)}</code> (metrics.md)`],
    [T.generator, `${esc(input.generator.name)} ${esc(input.generator.version)}`],
    [T.personal, bi(input.personal_data ? T.personalYes : T.personalNo, lang)],
  ];
  const metaRows = [0, 2, 4]
    .map(
      (i) =>
        `<tr>${meta
          .slice(i, i + 2)
          .map(([l, v]) => `<th scope="row">${bi(l, lang)}</th><td>${v}</td>`)
          .join("")}</tr>`,
    )
    .join("");
  const restated = input.queues.some(isRestated);
  const siteScope: Scope = {
    figures: combine(all.map((q) => q.month)),
    sl_target: commonTarget(all.map((q) => slTargetOf(q.month))),
    followups: input.followups,
    queue: false,
  };
  /** A line of the groups table: its volume and the two figures a floor is first asked about. */
  const line = (head: string, queues: number, s: Scope, key: string) => {
    const f = s.figures;
    const cells = [
      `<td class="num">${count(queues)}</td>`,
      `<td class="num">${count(f.offered)}</td>`,
      `<td class="num">${esc(percent("service_level", f.service_level))}</td>`,
      markCell(judge(TARGETS[0]!, f.service_level, s.sl_target), lang, "service_level"),
      `<td class="num">${esc(percent("abandon_rate", f.abandon_rate))}</td>`,
      markCell(judge(TARGETS[1]!, f.abandon_rate, s.sl_target), lang, "abandon_rate"),
    ];
    return `<tr ${key}><th scope="row">${head}</th>${cells.join("")}</tr>`;
  };
  const groupRows = groups.map((g, i) =>
    line(
      `${i + 1}. ${bi(channelLabel(g.channel), lang)}${g.queues.some(isRestated) ? DAGGER : ""}`,
      g.queues.length,
      groupScope(
        g.queues,
        input.followups.filter((f) => f.channel === g.channel),
      ),
      `data-channel="${esc(g.channel)}"`,
    ),
  );
  const groupTable = groups.length
    ? `<table class="groups"><colgroup><col class="c-group"><col class="c-n"><col class="c-offered"><col class="c-v"><col class="c-mark"><col class="c-v"><col class="c-mark"></colgroup><thead><tr><th scope="col">${bi(T.group, lang)}</th><th scope="col">${bi(T.queues, lang)}</th><th scope="col">${bi(FIGURE.offered, lang)}</th><th scope="col" colspan="2">${bi(FIGURE.service_level, lang)}</th><th scope="col" colspan="2">${bi(FIGURE.abandon_rate, lang)}</th></tr></thead><tbody>${groupRows.join("")}${line(bi(T.siteTotal, lang), all.length, siteScope, 'data-total="site"')}</tbody></table>`
    : `<p class="empty">${bi(T.noContacts, lang)}</p>`;
  const notes = [
    L(
      `全部数字按 metrics.md 的定义计算（口径 ${input.definition_set}；各队列所用版本见其表头），以站点时区 ${input.tz} 的日历日与月划分。`,
      `Every figure is computed as metrics.md defines it (definition set ${input.definition_set}; each queue's versions are named above its table), over the days and the month of the site's calendar in ${input.tz}.`,
    ),
    L(
      `目标为 metrics.md 的默认目标：${targetList("zh")}，${T.followups24h.zh}。按精确值判定，不按显示的取整值。`,
      `Targets are metrics.md's default targets: ${targetList("en")}, ${T.followups24h.en}. Judged on the exact values, not the rounded ones shown.`,
    ),
    L(
      "百分比保留一位小数，且不向有利方向取整：放弃率与转接率向上取整，其余向下取整；时长为 分:秒（满一小时为 时:分:秒），向下取整；净推荐值为 −100 至 +100。",
      "Percentages to one decimal place, never rounded to the good side: abandon and transfer rates rounded up, the others down; durations as m:ss (h:mm:ss from an hour), floored; NPS as the score −100 to +100.",
    ),
    L(
      "24小时内回访率 = 按时回访 /（按时回访 + 超时未回访）。“待定”：有低分回访未到期或无法追踪（无客户编号），或各队列目标不同。“–”：无数据；图表中无来电的日期留空，不画作零。",
      "Met within 24 h = met / (met + overdue). “Undetermined”: a low-score follow-up not yet due or untrackable (no customer id), or the queues' targets differ. “–”: no data; in the charts a day without contacts is left empty, not drawn as zero.",
    ),
  ];
  return `<section class="page cover">${runningHead(input, lang)}<h1>${bi(T.title, lang)}</h1><table class="meta"><tbody>${metaRows}</tbody></table><h2>${bi(T.siteTotals, lang)}${restated ? DAGGER : ""}</h2>${targetTable(siteScope, lang, "site")}<h2>${bi(T.breaches, lang)}</h2>${breachTable(input.breaches, lang, "site")}<h2>${bi(T.followups, lang)}</h2>${followupTable(input.followups, lang, "site")}<h2>${bi(T.groups, lang)}</h2>${groupTable}<h2>${bi(T.notes, lang)}</h2><ol class="notes">${notes.map((n) => `<li>${bi(n, lang)}</li>`).join("")}</ol>${restatedNote(lang)}</section>`;
}

// Print: A4 portrait; every group starts a new sheet; black on white (states by word and symbol);
// only fonts the machine has (a CJK face listed first so Chinese prints on Linux and Windows alike).
const CSS = `@page{size:A4 portrait;margin:10mm 10mm 12mm}
*{box-sizing:border-box}
html{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Micro Hei","Hiragino Sans GB",Arial,sans-serif;font-size:8.5pt;line-height:1.3;color:#000;background:#fff;-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0 auto;max-width:190mm}
.page{break-before:page;page-break-before:always}
.page:first-child{break-before:auto;page-break-before:auto}
@media screen{.page{padding:8mm 0;border-bottom:1px dashed #888}}
h1{font-size:15pt;margin:1mm 0 2mm}
h2{font-size:11.5pt;margin:3mm 0 1mm}
h3{font-size:10pt;margin:3mm 0 1mm}
.alt{color:#333;font-weight:normal}
.running{font-size:8pt;color:#333;margin:0;border-bottom:0.5pt solid #000;padding-bottom:1mm}
code{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:8pt;overflow-wrap:anywhere}
table{width:100%;border-collapse:collapse;table-layout:fixed;margin:1mm 0 3mm}
caption{text-align:left;font-weight:bold;padding:1mm 0}
th,td{border:0.5pt solid #000;padding:0.8mm 1.2mm;text-align:left;vertical-align:top;overflow-wrap:break-word}
thead th,tr.names th{background:#eee}
th[scope=row]{font-weight:normal}
th,td.mark,.legend{word-break:keep-all}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.n{font-size:7pt;color:#333}
td div.n{display:block}
td.num .n{display:block}
.mark b{display:inline-block;width:1.1em}
.mark.missed{font-weight:bold;background:#ddd}
.mark.missed b{font-size:10.5pt}
col.c-rowhead{width:9%}
table.targets thead th,table.others th{font-size:8pt}
table.meta th{width:14%}
table.meta td{width:36%}
col.c-group{width:21%}col.c-n{width:9%}col.c-offered{width:12%}col.c-v{width:11%}col.c-mark{width:18%}
table.breaches th[scope=row],table.followups th[scope=row]{width:16%}
.queue{break-inside:avoid;page-break-inside:avoid;margin-top:2mm}
.queue h3{border-top:0.5pt solid #000;padding-top:1.5mm;margin-bottom:0.5mm}
.queue p.n{margin:0 0 0.5mm}
.restated{font-weight:bold}
.footnote{font-size:7.5pt;border-top:0.5pt solid #000;padding-top:1mm}
.notes{padding-left:5mm;font-size:7.5pt;margin:1mm 0}
.legend{font-size:7pt;margin:0 0 1.5mm}
.legend .key{font-weight:bold}
.empty{font-size:11pt;border:0.5pt solid #000;padding:3mm}
svg.chart{display:block;width:100%;height:auto;break-inside:avoid;page-break-inside:avoid}
svg .grid{stroke:#bbb;stroke-width:0.5}
svg .axis{stroke:#000;stroke-width:1}
svg text{font-size:10px;fill:#000}
svg .target{stroke:#000;stroke-width:1.2;stroke-dasharray:6 3}
svg .sl-line{fill:none;stroke:#000;stroke-width:1.5}
svg circle.sl-point{fill:#000}
svg path.sl-point{stroke:#000;stroke-width:1.8;fill:none}
svg .bar.offered{fill:#fff;stroke:#000;stroke-width:0.8}
svg .bar.abandoned{fill:#000}`;

/** summary.html: the cover, then one page per queue group with contacts in the month. */
export function renderSummary(input: SummaryInput): string {
  const { lang } = input;
  const groups = groupsOf(input.queues);
  const title = `${biText(T.title, lang)} · ${input.site_name?.trim() || input.site} · ${input.month}`;
  return `<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(`${input.generator.name} ${input.generator.version}`)}">
<title>${esc(title)}</title>
<style>
${CSS}
</style>
</head>
<body>
${coverPage(input, groups)}
${groups.map((g, i) => groupPage(g, i, input)).join("\n")}
</body>
</html>
`;
}
