// What a tile's figures look like: their label in the screen's language, their display format and
// their state. Pure, so the text a test reads is the text a TV shows, and the same function formats
// a figure on its tile and in the alert banner.
import { LETTER_STATE, type TvState } from "@floorwatch/contracts";
import { formatMinSec } from "./format";
import type { Lang } from "./i18n";

export type FigureFormat = "count" | "duration" | "hours" | "ratio" | "signed";

/** The part after the window: `15m.service_level` → `service_level`, `agents.wrap_up` → `wrap_up`. */
const baseName = (figure: string) => figure.slice(figure.lastIndexOf(".") + 1);

/** Shares of 0..1 shown as percentages (the names of metrics.md that are ratios). */
const RATIOS = new Set(["service_level", "csat", "occupancy", "fcr_survey"]);

/**
 * How a figure is displayed: `*_s` as m:ss, ratios as %, NPS as a signed score (−100…+100), the rest
 * (counts) as integers. A figure a layout names that this screen does not know still formats.
 */
export function figureFormat(figure: string): FigureFormat {
  const base = baseName(figure);
  if (base.endsWith("_s")) return "duration";
  // A low-score follow-up's figure: hours past its due time (api/src/alerts/evaluator.ts).
  if (base.endsWith("_h")) return "hours";
  if (RATIOS.has(base) || base.endsWith("_rate")) return "ratio";
  if (base === "nps") return "signed";
  return "count";
}

/** Shares where more is worse (metrics.md: abandons, transfers); every other share, more is better. */
const MORE_IS_WORSE = new Set(["abandon_rate", "transfer_rate"]);

/**
 * A share (0..1) in percent, to a whole percent (`per` 1) or a tenth (`per` 10), never shown on the
 * good side of what it is: floored where more is better (a 79.96 % service level is not "80.0 %"
 * against an 80 % target), rounded up where more is worse (a 10.04 % abandon rate is not "10.0 %"
 * against a 10 % ceiling). The epsilon keeps binary fractions (0.29 × 100 = 28.999…) from losing a
 * unit either way.
 */
export function sharePercent(figure: string, share: number, per: 1 | 10): number {
  const x = share * 100 * per;
  return (MORE_IS_WORSE.has(baseName(figure)) ? Math.ceil(x - 1e-9) : Math.floor(x + 1e-9)) / per;
}

/** No value (no contacts in the window, no surveys): a dash, never a 0 that reads as a result. */
export const NO_VALUE = "–";

/**
 * A figure's value as shown. Ratios to the whole percent on their safe side (sharePercent) like
 * durations floor to the second, so a service level of 79.6 % is never shown as "80%" in the colour
 * of a miss of an 80 % target, nor an abandon rate of 10.4 % as "10%" against a 10 % ceiling.
 */
export function formatFigure(figure: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  switch (figureFormat(figure)) {
    case "duration":
      return formatMinSec(value);
    case "hours": {
      const s = Math.max(0, Math.floor(value * 3600 + 1e-6));
      const h = Math.floor(s / 3600);
      return `${h}:${formatMinSec(s - h * 3600).padStart(5, "0")}`;
    }
    case "ratio":
      return `${sharePercent(figure, value, 1)}%`;
    case "signed": {
      // NPS: the API's fraction −1…1 as the usual score −100…+100.
      const n = Math.round(value * 100);
      return n > 0 ? `+${n}` : String(n);
    }
    case "count":
      return String(Math.round(value));
  }
}

type Labels = { en: string; zh: string };

/** Labels of the figures of issue #12 (DEFAULT_TV_FIGURES), short enough for a tile. */
const KNOWN: Record<string, Labels> = {
  waiting: { en: "Waiting", zh: "等待中" },
  longest_waiting_s: { en: "Longest wait", zh: "最长等待" },
  breaching_soon: { en: "Breaching soon", zh: "即将超时" },
  "15m.service_level": { en: "SL 15 min", zh: "服务水平 15分钟" },
  "60m.service_level": { en: "SL 60 min", zh: "服务水平 60分钟" },
  "15m.abandon_rate": { en: "Abandon 15 min", zh: "放弃率 15分钟" },
  "today.service_level": { en: "SL today", zh: "今日服务水平" },
  "agents.available": { en: "Available", zh: "空闲" },
  "agents.on_contact": { en: "On contact", zh: "通话中" },
  "agents.wrap_up": { en: "Wrap-up", zh: "话后处理" },
  "agents.not_ready": { en: "Not ready", zh: "未就绪" },
  "agents.logged_in": { en: "Logged in", zh: "已登录" },
  "today.csat": { en: "CSAT today", zh: "今日满意度" },
  followup_overdue_h: { en: "Follow-up overdue", zh: "低分回访超时" },
};

/** Names of a window's figures, for labels of figures not listed above. */
const BASE: Record<string, Labels> = {
  offered: { en: "Offered", zh: "进线" },
  answered: { en: "Answered", zh: "接通" },
  abandoned: { en: "Abandoned", zh: "放弃" },
  short_abandoned: { en: "Short abandons", zh: "短时放弃" },
  answered_within_sl: { en: "Answered in SL", zh: "时限内接通" },
  service_level: { en: "SL", zh: "服务水平" },
  abandon_rate: { en: "Abandon rate", zh: "放弃率" },
  asa_s: { en: "ASA", zh: "平均应答" },
  max_wait_s: { en: "Max wait", zh: "最长等待" },
  callbacks: { en: "Callbacks", zh: "回拨" },
  flowed_out: { en: "Flowed out", zh: "溢出" },
  handled: { en: "Handled", zh: "已处理" },
  aht_s: { en: "AHT", zh: "平均处理时长" },
  resolution_rate: { en: "Resolution", zh: "解决率" },
  transfer_rate: { en: "Transfers", zh: "转接率" },
  first_response_s: { en: "First response", zh: "首次响应" },
  csat: { en: "CSAT", zh: "满意度" },
  nps: { en: "NPS", zh: "净推荐值" },
  fcr_survey: { en: "FCR (survey)", zh: "首次解决率" },
  low_csat: { en: "Low CSAT", zh: "低满意度" },
  occupancy: { en: "Occupancy", zh: "占用率" },
  orphaned: { en: "Orphaned", zh: "孤立" },
  followup_overdue_h: { en: "Follow-up overdue", zh: "低分回访超时" },
};

const WINDOW: Record<string, Labels> = {
  "15m": { en: "15 min", zh: "15分钟" },
  "60m": { en: "60 min", zh: "60分钟" },
  today: { en: "today", zh: "今日" },
};

const pick = (l: Labels, lang: Lang) => (lang === "zh-CN" ? l.zh : l.en);

/** A readable name from an id: `first_response_s` → "first response". */
const humanize = (name: string) => name.replace(/_s$/, "").replace(/[_-]+/g, " ").trim() || name;

/** The label of a figure in the screen's language; any figure gets one (generic when unknown). */
export function figureLabel(figure: string, lang: Lang): string {
  const known = KNOWN[figure];
  if (known) return pick(known, lang);
  const dot = figure.indexOf(".");
  const scope = dot < 0 ? "" : figure.slice(0, dot);
  const base = baseName(figure);
  const name = BASE[base] ? pick(BASE[base], lang) : humanize(base);
  const win = WINDOW[scope];
  if (!win) return scope === "agents" && lang === "en" ? `Agents ${name}` : name;
  return lang === "zh-CN" ? `${name} ${pick(win, lang)}` : `${name} ${pick(win, lang)}`;
}

/** The state of figure `i` from a tile's `s` letters; a missing or unknown letter is ok. */
export function figureState(letters: string, i: number): TvState {
  return LETTER_STATE[letters.charAt(i)] ?? "ok";
}

/** Whether a figure is judged against the tile's service-level target (shown next to it). */
export const showsSlTarget = (figure: string) => baseName(figure) === "service_level";
