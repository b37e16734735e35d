// Every label the wallboard shows, in the two languages of the floor. One dictionary, no library:
// a missing key is a type error, not an empty tile on a TV.

export type Lang = "zh-CN" | "en";

const en = {
  product: "Floorwatch",
  site: "Site",
  waiting: "Waiting",
  longestWait: "Longest wait",
  asOf: "As of",
  trend: "Waiting, last 10 min",
  over: "Over {min} min",
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
  emptyTitle: "No queues to show",
  emptyHint: "Queues appear here as soon as contacts are queued.",
  badSiteTitle: "Invalid site id",
  badSiteHint: "Open this page as /?site=<site id>, e.g. /?site=demo",
} as const;

export type MessageKey = keyof typeof en;

const zhCN: Record<MessageKey, string> = {
  product: "Floorwatch",
  site: "站点",
  waiting: "等待中",
  longestWait: "最长等待",
  asOf: "数据时间",
  trend: "近10分钟等待数",
  over: "超过{min}分钟",
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
