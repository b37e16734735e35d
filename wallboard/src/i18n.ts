// Every label the wallboard shows, in the two languages of the floor. One dictionary, no library:
// a missing key is a type error, not an empty tile on a TV.

export type Lang = "zh-CN" | "en";

const en = {
  product: "Floorwatch",
  site: "Site",
  waiting: "Waiting",
  asOf: "As of",
  page: "Page",
  target: "target {value}",
  stateWarning: "Warning",
  stateBreach: "Breach",
  sevInfo: "Info",
  sevWarning: "Warning",
  sevCritical: "Critical",
  alertsFiring: "{n} alerts firing",
  alertSince: "since {time}",
  acknowledged: "Acknowledged",
  trendOffered: "Offered per 15 min, today",
  trendServiceLevel: "Service level per 15 min, today",
  trendMaxWait: "Longest wait per 15 min, today",
  trendCsat: "CSAT per day, 14 days",
  trendResolution: "Resolution per day, 14 days",
  live: "Live",
  stale: "Data stale",
  lastUpdate: "last update {age} ago",
  noUpdateYet: "no data received yet",
  connecting: "Connecting…",
  errNetwork: "server unreachable",
  errTimeout: "server not answering",
  errHttp: "server error {status}",
  errInvalid: "unexpected data from server",
  errWrongSite: "server answered for another site",
  errUnauthorized: "this screen's access token is missing, revoked or not for this site",
  emptyTitle: "Nothing to show",
  emptyHint: "Queues appear here as soon as contacts are queued.",
  badSiteTitle: "Invalid site id",
  badSiteHint: "Open this page as /?site=<site id>, e.g. /?site=demo",
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  product: "Floorwatch",
  site: "站点",
  waiting: "等待中",
  asOf: "数据时间",
  page: "页",
  target: "目标{value}",
  stateWarning: "预警",
  stateBreach: "超标",
  sevInfo: "提示",
  sevWarning: "警告",
  sevCritical: "严重",
  alertsFiring: "{n} 条告警",
  alertSince: "{time} 起",
  acknowledged: "已确认",
  trendOffered: "今日每15分钟进线量",
  trendServiceLevel: "今日每15分钟服务水平",
  trendMaxWait: "今日每15分钟最长等待",
  trendCsat: "近14天每日满意度",
  trendResolution: "近14天每日解决率",
  live: "实时",
  stale: "数据已过期",
  lastUpdate: "上次更新于{age}前",
  noUpdateYet: "尚未收到数据",
  connecting: "正在连接…",
  errNetwork: "无法连接服务器",
  errTimeout: "服务器无响应",
  errHttp: "服务器错误 {status}",
  errInvalid: "服务器返回的数据无效",
  errWrongSite: "服务器返回了其他站点的数据",
  errUnauthorized: "本屏幕的访问令牌缺失、已吊销或无权访问此站点",
  emptyTitle: "暂无队列",
  emptyHint: "有客户排队时，队列会自动显示在这里。",
  badSiteTitle: "站点编号无效",
  badSiteHint: "请以 /?site=<站点编号> 打开本页，例如 /?site=demo",
};

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, "zh-CN": zhCN };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function makeTranslator(lang: Lang): Translate {
  const dict = dictionaries[lang];
  return (key, vars) =>
    dict[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
}

/**
 * `?lang=` wins when it names a language we have (any zh-* → zh-CN, any en-* → en); otherwise
 * Chinese when the browser's language is Chinese, else English.
 */
export function pickLang(
  param: string | null | undefined,
  browserLanguage: string | null | undefined,
): Lang {
  const wanted = (param ?? "").trim().toLowerCase();
  if (wanted.startsWith("zh")) return "zh-CN";
  if (wanted.startsWith("en")) return "en";
  return (browserLanguage ?? "").toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}
