// breaches.csv of the monthly pack: every breach (one firing of a rule over one scope) that started
// in the month, however long it lasted, so each breach is in exactly one month's pack; with the
// rule and version that fired it, its scope, peak, end and who acknowledged it. Built as
// GET /api/v1/breaches builds its list (loadBreaches, loadAcks, toBreaches), without its cap.
import type { Breach } from "@floorwatch/contracts";
import { loadAcks, loadBreaches, loadCurrentAlerts, runQuery } from "@floorwatch/sql";
import { toBreaches } from "../alerts/record";
import { fraction, localTime, seconds } from "./format";
import type { Cell, Column, PackContext, TableFile } from "./types";

/** Breaches read per statement: the API's own ceiling, and short enough a list of ids for loadAcks. */
export const BREACH_PAGE = 1_000;

/**
 * Every breach that started before `to_ms` (and from the `from` that `page` reads from), `size` at
 * a time. loadBreaches gives the newest `size` of a range; the next page is the range up to the
 * oldest start of this one, that instant included (the breaches of one evaluator tick share it):
 * the breaches at it are taken from the next page, whole, not from this one, where the limit may
 * have cut them.
 */
export async function pagedBreaches(
  to_ms: number,
  page: (to_ms: number, limit: number) => Promise<Breach[]>,
  size = BREACH_PAGE,
): Promise<Breach[]> {
  const out: Breach[] = [];
  let upper = to_ms;
  for (;;) {
    const got = await page(upper, size);
    if (got.length < size) return out.concat(got);
    const oldest = Math.min(...got.map((b) => Date.parse(b.started_at)));
    const kept = got.filter((b) => Date.parse(b.started_at) > oldest);
    if (kept.length === 0)
      throw new Error(
        `more than ${size} breaches started at ${new Date(oldest).toISOString()}: cannot page them`,
      );
    out.push(...kept);
    upper = oldest + 1;
  }
}

/** By start, then id: a breach's row never moves when later ones are added. */
const oldestFirst = (a: Breach, b: Breach) =>
  Date.parse(a.started_at) - Date.parse(b.started_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The breaches that started in the pack's month, oldest first, with their acknowledgement. */
export async function loadMonthBreaches(ctx: PackContext): Promise<Breach[]> {
  const { ch, site } = ctx;
  // A breach still firing takes its peak so far from the evaluator's latest state.
  const open = await runQuery(ch, loadCurrentAlerts, { sites: [site], open: true });
  const breaches = await pagedBreaches(ctx.to_ms, async (to_ms, limit) => {
    const rows = await runQuery(ch, loadBreaches, { site, from_ms: ctx.from_ms, to_ms, limit });
    const ids = [...new Set(rows.map((r) => r.alert_id))];
    const acks = ids.length ? await runQuery(ch, loadAcks, { site, alert_ids: ids }) : [];
    return toBreaches(site, rows, acks, open);
  });
  return breaches.sort(oldestFirst);
}

/** A figure's value: seconds (`*_s`) to the millisecond, anything else (ratios, counts) to 6 places. */
export function figureValue(figure: string, value: number | null): Cell {
  return figure.endsWith("_s") ? seconds(value) : fraction(value);
}

const at = (tz: string, iso: string | null) =>
  iso === null ? null : localTime(tz, Date.parse(iso));

const LOCAL_EN = "local time of the site, RFC 3339 with its UTC offset";
const LOCAL_ZH = "站点本地时间，RFC 3339 格式并带 UTC 偏移";

export const BREACHES_COLUMNS: readonly Column[] = [
  {
    en: "alert_id",
    zh: "告警 ID",
    about_en:
      "The breach's id (GET /api/v1/breaches/:id). Rows are ordered by started_at, then alert_id.",
    about_zh: "违规的 ID（GET /api/v1/breaches/:id）。行按 started_at、再按 alert_id 排序。",
  },
  {
    en: "rule_id",
    zh: "规则 ID",
    about_en: "The id of the alert rule that fired.",
    about_zh: "触发的告警规则 ID。",
  },
  {
    en: "rule_name",
    zh: "规则名称（英文）",
    about_en: "The rule's name as it was when it fired.",
    about_zh: "触发时规则的英文名称。",
  },
  {
    en: "rule_name_zh",
    zh: "规则名称（中文）",
    about_en: "The rule's Chinese name as it was when it fired; empty when it had none.",
    about_zh: "触发时规则的中文名称；无则留空。",
  },
  {
    en: "rule_version",
    zh: "规则版本",
    about_en: "The version of the rule that fired (the manifest lists the versions in force).",
    about_zh: "触发的规则版本（manifest 列出当月生效的版本）。",
  },
  {
    en: "severity",
    zh: "严重级别",
    about_en: "info, warning or critical (the codes, in both languages).",
    about_zh: "info、warning 或 critical（两种语言均用此代码）。",
  },
  {
    en: "scope_key",
    zh: "范围",
    about_en:
      "What the breach was about: site, channel:<channel>, queue:<queue> or survey:<survey id> (a low-score follow-up).",
    about_zh:
      "违规所涉范围：site（全站）、channel:<渠道>、queue:<队列> 或 survey:<问卷 ID>（低分回访）。",
  },
  {
    en: "queue",
    zh: "队列",
    about_en: "The queue of the scope; empty for a site or channel scope.",
    about_zh: "范围所属队列；范围为全站或渠道时留空。",
  },
  {
    en: "channel",
    zh: "渠道",
    about_en: "The channel of the scope; empty for a site scope.",
    about_zh: "范围所属渠道；范围为全站时留空。",
  },
  {
    en: "survey_id",
    zh: "问卷 ID",
    about_en: "The survey of a low-score follow-up breach; empty otherwise.",
    about_zh: "低分回访违规对应的问卷 ID；其他违规留空。",
  },
  {
    en: "figure",
    zh: "指标",
    about_en:
      "The figure the rule watches, as metrics.md names it (service_level, asa_s, longest_waiting_s, …); followup_overdue_h for a low-score follow-up.",
    about_zh:
      "规则监测的指标，名称同 metrics.md（service_level、asa_s、longest_waiting_s 等）；低分回访为 followup_overdue_h。",
  },
  {
    en: "window",
    zh: "窗口",
    about_en:
      "The window the figure is computed over: now, 15m, 60m (sliding, ending at each evaluation), today (since the site's local midnight); 24h for a low-score follow-up (due 24 hours after the survey).",
    about_zh:
      "指标的计算窗口：now（当前）、15m、60m（截至每次评估的滑动窗口）、today（自站点本地零点起）；低分回访为 24h（问卷后 24 小时内须回访）。",
  },
  {
    en: "comparator",
    zh: "比较符",
    about_en: "How the figure is compared with the threshold to breach: >, >=, < or <=.",
    about_zh: "指标与阈值比较以判定违规的方式：>、>=、< 或 <=。",
  },
  {
    en: "threshold",
    zh: "阈值",
    about_en:
      "The threshold as applied (a queue's sl_target resolved to its value), in the figure's unit: seconds for *_s figures (to the millisecond), a fraction 0–1 for ratios, hours for followup_overdue_h; 6 decimal places.",
    about_zh:
      "实际使用的阈值（引用队列 sl_target 时为其数值），单位同指标：*_s 指标为秒（精确到毫秒），比率为 0–1 的小数，followup_overdue_h 为小时；保留 6 位小数。",
  },
  {
    en: "recovery_threshold",
    zh: "恢复阈值",
    about_en:
      "The value the figure had to be back past for the breach to end, in the unit of threshold.",
    about_zh: "指标须回到此值以外违规才结束，单位同阈值。",
  },
  {
    en: "definition_version",
    zh: "定义版本",
    about_en:
      "The queue's definition version in force when the breach started; empty when the scope spans several queues.",
    about_zh: "违规开始时该队列生效的定义版本；范围涵盖多个队列时留空。",
  },
  {
    en: "pending_since",
    zh: "条件成立时间",
    about_en: `When the condition began to hold (started_at less the rule's for), ${LOCAL_EN}.`,
    about_zh: `条件开始成立的时刻（started_at 减去规则的持续时间 for），${LOCAL_ZH}。`,
  },
  {
    en: "started_at",
    zh: "开始时间",
    about_en: `When the breach started (the rule fired), ${LOCAL_EN}. A breach is in the pack of the month it started in.`,
    about_zh: `违规开始（规则触发）的时刻，${LOCAL_ZH}。违规列入其开始所在月份的数据包。`,
  },
  {
    en: "ended_at",
    zh: "结束时间",
    about_en: `When the breach ended (resolved), ${LOCAL_EN}; empty while it was still firing when the pack was made.`,
    about_zh: `违规结束（恢复）的时刻，${LOCAL_ZH}；生成数据包时仍在持续则留空。`,
  },
  {
    en: "status",
    zh: "状态",
    about_en:
      "ended, or firing when it had not ended when the pack was made (the codes, in both languages).",
    about_zh: "ended（已结束）；生成数据包时尚未结束则为 firing（两种语言均用此代码）。",
  },
  {
    en: "duration_s",
    zh: "持续时长（秒）",
    about_en: "ended_at − started_at in seconds to the millisecond; empty while firing.",
    about_zh: "ended_at − started_at，单位秒，精确到毫秒；仍在持续时留空。",
  },
  {
    en: "peak",
    zh: "峰值",
    about_en:
      "The worst value of the figure while the breach held (so far, while firing), in the unit of threshold.",
    about_zh: "违规期间指标的最差值（仍在持续时为截至目前），单位同阈值。",
  },
  {
    en: "peak_at",
    zh: "峰值时间",
    about_en: `When the figure was at its peak, ${LOCAL_EN}.`,
    about_zh: `指标达到峰值的时刻，${LOCAL_ZH}。`,
  },
  {
    en: "acknowledged_by",
    zh: "确认人",
    about_en: "The name of whoever last acknowledged the breach; empty when nobody did.",
    about_zh: "最近一次确认该违规的人员姓名；无人确认时留空。",
  },
  {
    en: "acknowledged_at",
    zh: "确认时间",
    about_en: `When it was last acknowledged, ${LOCAL_EN}; empty when nobody did.`,
    about_zh: `最近一次确认的时刻，${LOCAL_ZH}；无人确认时留空。`,
  },
  {
    en: "ack_note",
    zh: "确认备注",
    about_en: "The note written with the last acknowledgement (free text by staff); may be empty.",
    about_zh: "最近一次确认时填写的备注（员工填写的自由文本）；可为空。",
  },
];

/** One breach as its row, times in the site's zone. */
export function breachCells(tz: string, b: Breach): Cell[] {
  return [
    b.id,
    b.rule_id,
    b.rule_name,
    b.rule_name_zh,
    b.rule_version,
    b.severity,
    b.scope.key,
    b.scope.queue,
    b.scope.channel,
    b.scope.survey_id,
    b.figure,
    b.window,
    b.comparator,
    figureValue(b.figure, b.threshold),
    figureValue(b.figure, b.recovery_threshold),
    b.definition_version,
    at(tz, b.pending_since),
    at(tz, b.started_at),
    at(tz, b.ended_at),
    b.ended_at === null ? "firing" : "ended",
    seconds(b.duration_s),
    figureValue(b.figure, b.peak),
    at(tz, b.peak_at),
    b.acknowledged?.by ?? null,
    at(tz, b.acknowledged?.at ?? null),
    b.acknowledged?.note ?? null,
  ];
}

/** breaches.csv from loadMonthBreaches' list (already oldest first). */
export function breachesFile(ctx: PackContext, breaches: readonly Breach[]): TableFile {
  return {
    name: "breaches.csv",
    columns: BREACHES_COLUMNS,
    rows: {
      async *[Symbol.asyncIterator]() {
        for (const b of breaches) yield breachCells(ctx.config.tz, b);
      },
    },
  };
}
