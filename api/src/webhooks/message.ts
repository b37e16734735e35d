// The human message of a notification (issue #13): what the duty manager reads on a phone in the
// WeCom, DingTalk, Feishu or Slack group, in the subscription's language. Pure: formats.ts dresses
// it in each robot's markup, and a test reads exactly the words a phone shows.
//
// The words follow the TV (wallboard/src/figures.ts) where it names the same thing, but are the
// longer forms: a tile has room for "SL 15 min", a message has room for "service level (last 15
// min)". Shares are kept on the side of the target they are on, like the TV's: floored where more
// is better (a service level of 79.96 % is never "80 %" in a message that says it breached an 80 %
// target), rounded up where more is worse (an abandon rate of 10.04 % is never "10 %" beside a
// 10 % ceiling it breached).
import type { Severity, WebhookEvent, WebhookLang } from "@floorwatch/contracts";

export interface Message {
  title: string;
  lines: string[];
}

/**
 * The parts of a message before any markup: robots colour the title by `tone` and turn `link` into
 * a link or a button; `facts` are plain lines, already cleaned of newlines.
 */
export interface MessageParts {
  title: string;
  tone: Tone;
  facts: string[];
  /** The drill link: `absolute` only when PUBLIC_URL made it one a phone can open. */
  link: { label: string; url: string; absolute: boolean };
}

/** How a message is coloured: a breach, a warning, information, a recovery, or nothing to act on. */
export type Tone = "critical" | "warning" | "info" | "ok" | "muted";

type Words = { en: string; zh: string };
const pick = (w: Words, lang: WebhookLang) => (lang === "zh-CN" ? w.zh : w.en);

const SEVERITY: Record<Severity, Words> = {
  critical: { en: "Breach", zh: "超标" },
  warning: { en: "Warning", zh: "预警" },
  info: { en: "Info", zh: "提示" },
};

const TRANSITION: Record<"resolved" | "acknowledged" | "overdue" | "test", Words> = {
  resolved: { en: "Resolved", zh: "已恢复" },
  acknowledged: { en: "Acknowledged", zh: "已确认" },
  overdue: { en: "Follow-up overdue", zh: "回访超时" },
  test: { en: "Test", zh: "测试" },
};

/** Names of the figures a rule can read (metrics.md; contracts/src/alerts.ts INSTANT_FIGURES). */
const FIGURES: Record<string, Words> = {
  waiting: { en: "Waiting", zh: "排队人数" },
  longest_waiting_s: { en: "Longest wait", zh: "最长等待" },
  breaching_soon: { en: "About to breach", zh: "即将超时" },
  available: { en: "Agents available", zh: "空闲坐席" },
  on_contact: { en: "Agents on contact", zh: "通话中坐席" },
  wrap_up: { en: "Agents in wrap-up", zh: "话后处理坐席" },
  not_ready: { en: "Agents not ready", zh: "未就绪坐席" },
  logged_in: { en: "Agents logged in", zh: "已登录坐席" },
  offered: { en: "Offered", zh: "进线量" },
  answered: { en: "Answered", zh: "接通量" },
  abandoned: { en: "Abandoned", zh: "放弃量" },
  short_abandoned: { en: "Short abandons", zh: "短时放弃" },
  answered_within_sl: { en: "Answered in time", zh: "时限内接通" },
  service_level: { en: "Service level", zh: "服务水平" },
  abandon_rate: { en: "Abandon rate", zh: "放弃率" },
  asa_s: { en: "Average speed of answer", zh: "平均应答时长" },
  max_wait_s: { en: "Longest wait (ended)", zh: "最长等待（已结束）" },
  callbacks: { en: "Callbacks", zh: "回拨" },
  flowed_out: { en: "Flowed out", zh: "溢出" },
  handled: { en: "Handled", zh: "处理量" },
  aht_s: { en: "Average handling time", zh: "平均处理时长" },
  resolution_rate: { en: "Resolution rate", zh: "问题解决率" },
  transfer_rate: { en: "Transfer rate", zh: "转接率" },
  first_response_s: { en: "First response", zh: "首次响应" },
  csat: { en: "Satisfaction", zh: "满意度" },
  nps: { en: "NPS", zh: "净推荐值" },
  fcr_survey: { en: "First-contact resolution", zh: "首次解决率" },
  low_csat: { en: "Low scores", zh: "低分" },
  occupancy: { en: "Occupancy", zh: "占用率" },
  followup_overdue_h: { en: "Low-score follow-up", zh: "低分回访" },
  webhook_disabled: { en: "Notifications stopped", zh: "通知已停止" },
};

const WINDOWS: Record<string, Words> = {
  "15m": { en: "last 15 min", zh: "近15分钟" },
  "60m": { en: "last 60 min", zh: "近60分钟" },
  today: { en: "today", zh: "今日" },
};

const CHANNELS: Record<string, Words> = {
  voice: { en: "Voice channel", zh: "语音渠道" },
  chat: { en: "Chat channel", zh: "在线渠道" },
  email: { en: "Email channel", zh: "邮件渠道" },
  video: { en: "Video channel", zh: "视频渠道" },
};

/** The side a figure should stay on: the opposite of the comparator that breaches. */
const TARGET_SIDE: Record<string, string> = { "<": "≥", "<=": ">", ">": "≤", ">=": "<" };

/** The part after a window or group prefix: `15m.service_level` → `service_level`. */
const baseName = (figure: string) => figure.slice(figure.lastIndexOf(".") + 1);

const RATIOS = new Set(["service_level", "csat", "occupancy", "fcr_survey"]);
/** Shares where more is worse (metrics.md: abandons, transfers), as wallboard/src/figures.ts. */
const MORE_IS_WORSE = new Set(["abandon_rate", "transfer_rate"]);

type Unit = "ratio" | "seconds" | "hours" | "signed" | "count";

/** The unit of a figure by metrics.md: shares of 0..1, seconds (`_s`), NPS points, counts. */
function unitOf(figure: string): Unit {
  const base = baseName(figure);
  if (base === "followup_overdue_h") return "hours";
  if (base.endsWith("_s")) return "seconds";
  if (RATIOS.has(base) || base.endsWith("_rate")) return "ratio";
  if (base === "nps") return "signed";
  return "count";
}

/** Floors without letting binary fractions (0.29 * 1000 = 289.99…) lose a tenth. */
const floorTo = (x: number, per: number) => Math.floor(x * per + 1e-6) / per;
/** Rounds up without letting binary fractions (0.1 * 1000 = 100.00…01) gain a tenth. */
const ceilTo = (x: number, per: number) => Math.ceil(x * per - 1e-6) / per;

/** Seconds as m:ss (the TV's format), hours past an hour: 6:12, 75:00 → 1:15:00. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds + 1e-6));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(mm).padStart(2, "0")}:${ss}` : `${mm}:${ss}`;
}

/** A figure's value in its unit: 62.5 %, 6:12, 3, +12; a dash when there is none. */
export function formatValue(figure: string, value: number | null, lang: WebhookLang): string {
  if (value === null || !Number.isFinite(value)) return "–";
  const pct = lang === "zh-CN" ? "%" : " %";
  switch (unitOf(figure)) {
    case "ratio": {
      const round = MORE_IS_WORSE.has(baseName(figure)) ? ceilTo : floorTo;
      return `${round(value * 100, 10)}${pct}`;
    }
    case "seconds":
      return clock(value);
    case "hours":
      return lang === "zh-CN" ? `${floorTo(value, 10)} 小时` : `${floorTo(value, 10)} h`;
    case "signed": {
      // NPS: the figure's fraction −1…1 as the usual score −100…+100.
      const n = Math.round(value * 100);
      return n > 0 ? `+${n}` : String(n);
    }
    case "count":
      return String(Math.round(value));
  }
}

/** How long, for a phone: 45 秒, 3 分 20 秒, 1 小时 5 分, 2 天 3 小时 (and the English). */
export function formatDuration(seconds: number, lang: WebhookLang): string {
  const s = Math.max(0, Math.round(seconds));
  const zh = lang === "zh-CN";
  const [d, h, m, r] = [
    Math.floor(s / 86_400),
    Math.floor((s % 86_400) / 3600),
    Math.floor((s % 3600) / 60),
    s % 60,
  ];
  const part = (n: number, zhUnit: string, enUnit: string) =>
    zh ? `${n} ${zhUnit}` : `${n} ${enUnit}`;
  const parts =
    d > 0
      ? [part(d, "天", "d"), h > 0 ? part(h, "小时", "h") : ""]
      : h > 0
        ? [part(h, "小时", "h"), m > 0 ? part(m, "分", "min") : ""]
        : m > 0
          ? [part(m, "分", "min"), r > 0 ? part(r, "秒", "s") : ""]
          : [part(r, "秒", "s")];
  return parts.filter(Boolean).join(" ");
}

/**
 * A local time as the site's clock shows it, from an RFC 3339 time with its offset: HH:mm, with the
 * date (MM-DD) in front when it is not the date of `reference` (a breach that began yesterday).
 */
export function localClock(local: string, reference?: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return local;
  const time = `${m[4]}:${m[5]}`;
  return reference && !reference.startsWith(`${m[1]}-${m[2]}-${m[3]}`)
    ? `${m[2]}-${m[3]} ${time}`
    : time;
}

/** User-written text (names, notes) on one line and of a length a phone shows whole. */
function clean(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  const chars = [...one];
  return chars.length <= max ? one : `${chars.slice(0, max - 1).join("")}…`;
}

/** What the alert is about, named in the subscription's language. */
export function scopeName(event: WebhookEvent, lang: WebhookLang): string {
  const d = event.data;
  if (d.queue) {
    const [first, second] =
      lang === "zh-CN" ? [d.queue.name_zh, d.queue.name] : [d.queue.name, d.queue.name_zh];
    return clean(first || second || d.queue.id, 60);
  }
  const queue = d.scope.queue;
  if (queue) return clean(queue, 60);
  const channel = d.scope.channel;
  if (channel) {
    const known = CHANNELS[channel];
    return known ? pick(known, lang) : lang === "zh-CN" ? `${channel} 渠道` : `${channel} channel`;
  }
  return lang === "zh-CN" ? "全站" : "Site";
}

/** The figure and its window: 服务水平（近15分钟）, Service level (last 15 min). */
export function figureName(figure: string, window: string, lang: WebhookLang): string {
  const known = FIGURES[baseName(figure)];
  const name = known
    ? pick(known, lang)
    : baseName(figure).replace(/_s$/, "").replace(/[_-]+/g, " ");
  const win = WINDOWS[window];
  if (!win) return name;
  return lang === "zh-CN" ? `${name}（${win.zh}）` : `${name} (${win.en})`;
}

const toneOf = (event: WebhookEvent): Tone => {
  const d = event.data;
  if (d.test || d.transition === "test") return "muted";
  if (d.transition === "resolved") return "ok";
  if (d.transition === "acknowledged") return "muted";
  return d.rule.severity === "info" ? "info" : d.rule.severity;
};

/** The word in the title's brackets: the severity when it fires, else what happened. */
function headWord(event: WebhookEvent, lang: WebhookLang): string {
  const d = event.data;
  if (d.test || d.transition === "test") return pick(TRANSITION.test, lang);
  if (d.transition === "firing") return pick(SEVERITY[d.rule.severity], lang);
  return pick(TRANSITION[d.transition], lang);
}

/** The message's parts (formats.ts); `describe` is the same as plain lines. */
export function compose(event: WebhookEvent, lang: WebhookLang): MessageParts {
  const d = event.data;
  const zh = lang === "zh-CN";
  const scope = scopeName(event, lang);
  const followup = baseName(d.figure) === "followup_overdue_h";
  const what = followup
    ? pick(FIGURES.followup_overdue_h as Words, lang)
    : figureName(d.figure, d.window, lang);
  const head = headWord(event, lang);
  // The service's own alert is about notifications, not a queue or the site's figures.
  const title =
    d.figure === "webhook_disabled"
      ? zh
        ? `【故障】${what}`
        : `[Failure] ${what}`
      : zh
        ? `【${head}】${scope} ${what}`
        : `[${head}] ${scope}: ${what}`;

  const facts: string[] = [];
  if (d.test)
    facts.push(zh ? "这是一条测试消息，无需处理。" : "This is a test message: nothing to do.");

  // The latest local time the event knows of: a start on another day shows its date.
  const reference =
    d.resolved_at?.local ?? d.acknowledged?.at.local ?? d.fired_at?.local ?? d.since.local;
  const since = localClock(d.since.local, reference);

  if (d.figure === "webhook_disabled") {
    // The service's own alert (failing.ts): its rule name says which subscription and why.
    facts.push(clean(zh ? d.rule.name_zh || d.rule.name : d.rule.name, 200));
    facts.push(zh ? `${since} 起` : `Since ${since}`);
  } else if (followup) {
    const survey = d.scope.survey_id ?? d.alert_id;
    facts.push(
      zh
        ? `问卷 ${survey} 的低分评价超过 24 小时未回访`
        : `The low score of survey ${survey} was not followed up within 24 h`,
    );
    const overdue = d.duration_s ?? (d.value === null ? null : d.value * 3600);
    if (overdue !== null)
      facts.push(
        zh
          ? `已逾期 ${formatDuration(overdue, lang)}（${since} 到期）`
          : `Overdue for ${formatDuration(overdue, lang)} (due ${since})`,
      );
  } else {
    const side = TARGET_SIDE[d.comparator];
    const target = `${side ? `${side} ` : ""}${formatValue(d.figure, d.threshold, lang)}`;
    const value = formatValue(d.figure, d.value, lang);
    facts.push(zh ? `当前 ${value}，目标 ${target}` : `Now ${value}, target ${target}`);
    if (d.peak !== null && d.transition !== "firing")
      facts.push(
        zh
          ? `最差 ${formatValue(d.figure, d.peak, lang)}`
          : `Worst ${formatValue(d.figure, d.peak, lang)}`,
      );
    const long = d.duration_s === null ? null : formatDuration(d.duration_s, lang);
    if (d.resolved_at) {
      // Over: from when to when, so the group reads the whole breach in one line.
      const span = `${since}–${localClock(d.resolved_at.local, reference)}`;
      facts.push(zh ? `持续 ${long ?? "–"}（${span}）` : `Lasted ${long ?? "–"} (${span})`);
    } else if (long !== null)
      facts.push(zh ? `持续 ${long}（${since} 起）` : `For ${long} (since ${since})`);
    else facts.push(zh ? `${since} 起` : `Since ${since}`);
  }

  const ack = d.acknowledged;
  if (ack) {
    const by = clean(ack.by, 40);
    const note = clean(ack.note, 200);
    const at = localClock(ack.at.local, reference);
    facts.push(
      zh
        ? `${by} 已于 ${at} 确认${note ? `：${note}` : ""}`
        : `Acknowledged by ${by} at ${at}${note ? `: ${note}` : ""}`,
    );
  }
  facts.push(
    zh
      ? `站点：${clean(d.site.name || d.site.id, 60)}`
      : `Site: ${clean(d.site.name || d.site.id, 60)}`,
  );

  // A person opens the breach's page (figure, rule, the contacts behind it); the API's evidence
  // link needs a bearer token a phone does not have.
  const url = d.url ?? d.drill;
  const absolute = /^https?:\/\//i.test(url);
  return {
    title,
    tone: toneOf(event),
    facts,
    link: { label: zh ? "查看明细" : "View evidence", url, absolute },
  };
}

/** The message as plain lines: the title, then the facts, the drill link last. */
export function describe(event: WebhookEvent, lang: WebhookLang): Message {
  const parts = compose(event, lang);
  const link = lang === "zh-CN" ? `明细：${parts.link.url}` : `Evidence: ${parts.link.url}`;
  return { title: parts.title, lines: [...parts.facts, link] };
}
